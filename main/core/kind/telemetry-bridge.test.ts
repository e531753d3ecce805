import { describe, expect, it } from 'vitest';
import { createTelemetry, functionLineRecord } from '../telemetry/index.js';
import { lineSink, podLineRecord, sortableTime, splitTimestamp } from './pod-logs.js';
import { BRIDGE_TOKEN_SECRET, bridgeTokenSecret, istioTracing, telemetryPipelines } from './telemetry-bridge.js';
import { chooseBridgeAddress, newBridgeToken } from './otlp-bridge.js';

describe('pipelines to the telemetry bridge', () => {
  it('one Trace/Log/MetricPipeline each: cluster-scoped v1beta1, OTLP/HTTP to the endpoint, bearer token from the Secret', () => {
    const pipelines = telemetryPipelines({ endpoint: 'http://172.18.0.1:39417' });
    expect(pipelines.map((p) => p.kind)).toEqual(['TracePipeline', 'LogPipeline', 'MetricPipeline']);
    for (const p of pipelines) {
      expect(p.apiVersion).toBe('telemetry.kyma-project.io/v1beta1');
      expect(p.metadata).toEqual({ name: 'kyma-local', labels: { 'app.kubernetes.io/managed-by': 'kyma-local' } });
      expect(p.spec).toEqual({
        output: {
          otlp: {
            protocol: 'http',
            endpoint: { value: 'http://172.18.0.1:39417' },
            headers: [{ name: 'Authorization', prefix: 'Bearer', valueFrom: { secretKeyRef: { name: 'kyma-local-telemetry-bridge', namespace: 'kyma-system', key: 'token' } } }],
          },
        },
      });
    }
  });

  it('refuses an endpoint the otlphttp exporter would misuse (a path, https, no port)', () => {
    for (const endpoint of ['http://172.18.0.1:4318/v1/traces', 'https://172.18.0.1:4318', 'http://172.18.0.1', 'kyma-local-otlp:4318']) {
      expect(() => telemetryPipelines({ endpoint }), endpoint).toThrow(/must be http:\/\/<host>:<port>/);
    }
  });

  it('the token Secret holds the token base64-encoded under the key the pipelines reference', () => {
    const token = newBridgeToken();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(newBridgeToken()).not.toBe(token);
    const secret = bridgeTokenSecret(token);
    expect(secret).toMatchObject({ apiVersion: 'v1', kind: 'Secret', type: 'Opaque', metadata: { name: BRIDGE_TOKEN_SECRET.name, namespace: 'kyma-system' } });
    expect(Buffer.from((secret.data as Record<string, string>).token!, 'base64').toString('utf8')).toBe(token);
    expect(() => bridgeTokenSecret('short')).toThrow(/at least 32/);
  });

  it('Istio traces every request in dev (100 %) through the kyma-traces provider', () => {
    expect(istioTracing()).toMatchObject({ kind: 'Telemetry', metadata: { name: 'mesh-default', namespace: 'istio-system' }, spec: { tracing: [{ providers: [{ name: 'kyma-traces' }], randomSamplingPercentage: 100 }] } });
  });
});

describe('where the bridge listens', () => {
  it('a Linux engine: the network gateway, nothing else', () => {
    expect(chooseBridgeAddress('Debian GNU/Linux 12 (bookworm)', '172.18.0.1', 'kind')).toEqual({ bind: '172.18.0.1', podHost: '172.18.0.1' });
  });

  it('Docker Desktop (its kind network is inside its VM): loopback, reached by pods as host.docker.internal', () => {
    expect(chooseBridgeAddress('Docker Desktop', '172.18.0.1', 'kind')).toEqual({ bind: '127.0.0.1', podHost: 'host.docker.internal' });
  });

  it('no gateway, or a loopback/wildcard one: a clear error instead of a wider listener', () => {
    expect(() => chooseBridgeAddress('Ubuntu 24.04', undefined, 'kind')).toThrow(/Docker network "kind" has no IPv4 gateway .* is the kind cluster created\?/);
    expect(() => chooseBridgeAddress('Ubuntu 24.04', '0.0.0.0', 'kind')).toThrow(/binds only a bridge network's gateway address/);
    expect(() => chooseBridgeAddress('Ubuntu 24.04', '127.0.0.1', 'kind')).toThrow(/binds only a bridge network's gateway address/);
  });
});

describe('function pod log lines → log records', () => {
  const pod = { namespace: 'shop', name: 'orders-7d9f8-abcde', function: 'orders' };

  it('a timestamped plain line: the kubelet time, info, tagged like an embedded worker line', () => {
    expect(podLineRecord('2026-11-29T11:00:01.123456789Z order 42 stored', pod)).toEqual({
      time: '2026-11-29T11:00:01.123456789Z',
      level: 'info',
      body: 'order 42 stored',
      attributes: { 'k8s.pod.name': 'orders-7d9f8-abcde', 'k8s.container.name': 'function' },
      resource: { service: 'orders', function: 'orders', namespace: 'shop', replica: 'orders-7d9f8-abcde' },
    });
  });

  it('a JSON line keeps its own level, time, trace and fields', () => {
    const r = podLineRecord('2026-11-29T11:00:02Z {"time":"2026-11-29T11:00:01.5Z","level":"ERROR","msg":"payment failed","trace_id":"5b8efff798038103d269b633813fc60c","span_id":"eee19b7ec3c1b174","order":{"id":42}}\r', pod);
    expect(r).toMatchObject({ time: '2026-11-29T11:00:01.5Z', level: 'error', body: 'payment failed', traceId: '5b8efff798038103d269b633813fc60c', spanId: 'eee19b7ec3c1b174' });
    expect(r?.attributes).toEqual({ 'k8s.pod.name': 'orders-7d9f8-abcde', 'k8s.container.name': 'function', order: '{"id":42}' });
  });

  it('blank lines are dropped; a line without a timestamp is still kept', () => {
    expect(podLineRecord('2026-11-29T11:00:02Z    ', pod)).toBeUndefined();
    expect(podLineRecord('', pod)).toBeUndefined();
    expect(podLineRecord('no stamp here', pod)).toMatchObject({ body: 'no stamp here', level: 'info' });
    expect(podLineRecord('no stamp here', pod)?.time).toBeUndefined();
  });

  it('the records go into the log store and are found by function and namespace', () => {
    const telemetry = createTelemetry();
    telemetry.recordLog(podLineRecord(`${new Date().toISOString()} hello from the pod`, pod)!);
    expect(telemetry.queryLogs({ function: 'orders', namespace: 'shop' })).toEqual([expect.objectContaining({ body: 'hello from the pod' })]);
  });

  it('timestamps compare in time order although RFC3339Nano trims trailing zeros', () => {
    expect(splitTimestamp('2026-11-29T11:00:05.1Z x')).toEqual({ time: '2026-11-29T11:00:05.1Z', line: 'x' });
    expect('2026-11-29T11:00:05.1Z' > '2026-11-29T11:00:05.12Z').toBe(true); // why sortableTime exists
    expect(sortableTime('2026-11-29T11:00:05.1Z') < sortableTime('2026-11-29T11:00:05.12Z')).toBe(true);
    expect(sortableTime('2026-11-29T11:00:05Z')).toBe('2026-11-29T11:00:05.000000000Z');
  });

  it('the embedded runtime reads worker lines with the same function (stderr without a level is an error)', () => {
    expect(functionLineRecord('boom', { function: 'orders' }, { fallback: 'error', attributes: { 'log.iostream': 'stderr' } })).toEqual({ level: 'error', body: 'boom', attributes: { 'log.iostream': 'stderr' }, resource: { function: 'orders' } });
    expect(functionLineRecord('{"level":"warn","msg":"slow"}', { function: 'orders' }, { fallback: 'info' })).toMatchObject({ level: 'warn', body: 'slow' });
    expect(functionLineRecord('{not json', { function: 'orders' }, { fallback: 'info' })).toMatchObject({ body: '{not json' });
  });

  it('the stream is cut into lines across chunks; a runaway line is cut at 64 KiB; the tail is kept at the end', async () => {
    const lines: string[] = [];
    const sink = lineSink((l) => lines.push(l));
    const write = (chunk: string): Promise<void> => new Promise((resolve, reject) => sink.write(chunk, (err) => (err ? reject(err) : resolve())));
    await write('2026-11-29T11:00:00Z first\n2026-11-29T11:00:01Z sec');
    await write('ond\n');
    await write('x'.repeat(70 * 1024));
    await write('\nlast without newline');
    await new Promise<void>((resolve) => sink.end(resolve));
    expect(lines.slice(0, 2)).toEqual(['2026-11-29T11:00:00Z first', '2026-11-29T11:00:01Z second']);
    expect(lines[2]).toHaveLength(64 * 1024);
    expect(lines.slice(3)).toEqual(['x'.repeat(6 * 1024), 'last without newline']);
  });
});
