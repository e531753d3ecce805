import { createRequire } from 'node:module';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FUNCTION, type Condition } from '../../main/core/model/index.js';
import { nodeSpec, startHarness, type Harness } from './harness.js';

const require = createRequire(import.meta.url);
let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

describe('serverless controller: running functions', () => {
  it('runs a Function, reports status per the Kyma contract and serves it through the mesh', async () => {
    await h.apply('hello', nodeSpec('module.exports = { main: (event, context) => `hello ${context["function-name"]} ${event.data?.who ?? ""}` };', { resourceConfiguration: { function: { profile: 'M' } } }));
    const fn = h.fn('hello');
    expect(fn.status).toMatchObject({
      runtime: 'nodejs20',
      replicas: 1,
      functionResourceProfile: 'M',
      observedGeneration: fn.metadata.generation,
      revision: 1,
    });
    expect(String(fn.status?.podSelector)).toContain('serverless.kyma-project.io/function-name=hello');
    expect(h.condition('hello', 'ConfigurationReady')).toMatchObject({ status: 'True', reason: 'SourceUpdated' });
    expect(h.condition('hello', 'Running')).toMatchObject({ status: 'True', reason: 'DeploymentReady' });
    const res = await h.invoke('hello', { method: 'POST', body: JSON.stringify({ who: 'kyma' }) });
    expect(res).toEqual({ status: 200, text: 'hello hello kyma' });

    const d = h.module.api.details('default', 'hello');
    expect(d?.currentRevision).toBe(1);
    expect(d?.workers).toHaveLength(1);
    expect(h.module.api.workerPids()).toContain(d?.workers[0]?.pid);
    // The M profile becomes a 384 MB heap limit.
    const cmdline = await readFile(`/proc/${d?.workers[0]?.pid}/cmdline`, 'utf8');
    expect(cmdline).toContain('--max-old-space-size=384');
    const rev = await stat(path.join(h.stateDir, 'functions', 'default', 'hello', 'rev-1', 'handler.js'));
    expect(rev.isFile()).toBe(true);
  });

  it('answers an unknown host with 502 and a clear message', async () => {
    const { url } = h.module.api.functionUrl('default', 'nope');
    const { fetchViaHost } = await import('./harness.js');
    const res = await fetchViaHost(url, 'nope.default.svc.cluster.local');
    expect(res.status).toBe(502);
    expect(res.text).toContain('Unknown service "nope.default.svc.cluster.local"');
  });

  it('lets functions call each other by cluster DNS name with fetch, http.request and axios', async () => {
    await h.apply('callee', nodeSpec('module.exports = { main: (event) => "pong:" + (event.extensions.request.headers.host) };'));
    const caller = `
      const http = require('node:http');
      const axios = require(process.env.AXIOS_PATH);
      const viaHttp = () => new Promise((resolve, reject) => {
        http.get('http://callee.default.svc.cluster.local/', (res) => { let b = ''; res.on('data', (c) => b += c); res.on('end', () => resolve(b)); }).on('error', reject);
      });
      module.exports = { main: async () => {
        const a = await (await fetch('http://callee.default.svc.cluster.local')).text();
        const b = await viaHttp();
        const c = (await axios.get('http://callee.default:80/')).data;
        return [a, b, c].join('|');
      } };`;
    await h.apply('caller', nodeSpec(caller, { env: [{ name: 'AXIOS_PATH', value: require.resolve('axios') }] }));
    expect(h.condition('caller', 'Running')?.status).toBe('True');
    const res = await h.invoke('caller');
    expect(res.status).toBe(200);
    expect(res.text).toBe('pong:callee.default.svc.cluster.local|pong:callee.default.svc.cluster.local|pong:callee.default');
  });

  it('resolves env from Secrets and ConfigMaps, mounts Secrets at mountPath and rolls on their change', async () => {
    await h.secret('creds', { password: 's3cret', 'config.json': '{"a":1}' });
    await h.configMap('settings', { color: 'blue' });
    const src = `
      const fs = require('node:fs');
      module.exports = { main: () => ({
        password: process.env.PASSWORD, color: process.env.COLOR, plain: process.env.PLAIN,
        mounted: fs.readFileSync('/etc/creds/password', 'utf8'),
        json: JSON.parse(fs.readFileSync('/etc/creds/config.json', 'utf8')),
        listed: fs.readdirSync('/etc/creds').sort(),
      }) };`;
    await h.apply('env', nodeSpec(src, {
      env: [
        { name: 'PASSWORD', valueFrom: { secretKeyRef: { name: 'creds', key: 'password' } } },
        { name: 'COLOR', valueFrom: { configMapKeyRef: { name: 'settings', key: 'color' } } },
        { name: 'PLAIN', value: 'x' },
      ],
      secretMounts: [{ secretName: 'creds', mountPath: '/etc/creds' }],
    }));
    expect(JSON.parse((await h.invoke('env')).text)).toEqual({ password: 's3cret', color: 'blue', plain: 'x', mounted: 's3cret', json: { a: 1 }, listed: ['config.json', 'password'] });
    const dir = h.module.api.details('default', 'env')!.stateDir;
    expect((await stat(path.join(dir, 'rev-1', 'secrets', '0', 'password'))).mode & 0o777).toBe(0o600);

    // A changed ConfigMap makes a new revision with the new value.
    await h.configMap('settings', { color: 'green' });
    await h.module.api.settled('default', 'env');
    expect(h.module.api.details('default', 'env')?.currentRevision).toBe(2);
    expect(JSON.parse((await h.invoke('env')).text).color).toBe('green');
  });

  it('reports a missing Secret key as InvalidFunctionSpec with the field', async () => {
    await h.apply('missing', nodeSpec('module.exports = { main: () => 1 };', { env: [{ name: 'X', valueFrom: { secretKeyRef: { name: 'creds', key: 'nokey' } } }] }));
    expect(h.condition('missing', 'ConfigurationReady')).toMatchObject({ status: 'False', reason: 'InvalidFunctionSpec' });
    expect(h.condition('missing', 'ConfigurationReady')?.message).toContain('Key "nokey" not found in Secret "default/creds" (spec.env[0].valueFrom.secretKeyRef)');
  });

  it('rejects python312 with a condition pointing at the kind profile', async () => {
    await h.apply('py', { runtime: 'python312', source: { inline: { source: 'def main(event, context):\n  return "hi"\n' } } });
    const c = h.condition('py', 'ConfigurationReady');
    expect(c).toMatchObject({ status: 'False', reason: 'InvalidFunctionSpec' });
    expect(c?.message).toMatch(/Node\.js functions only.*kind profile.*Python/);
    expect(h.module.api.details('default', 'py')?.workers).toHaveLength(0);
  });

  it('scales 0 → 2 → 1 live without a new revision', async () => {
    const src = 'module.exports = { main: () => String(process.pid) };';
    await h.apply('scale', nodeSpec(src, { replicas: 0 }));
    expect(h.fn('scale').status).toMatchObject({ replicas: 0, revision: 1 });
    expect((await h.invoke('scale')).status).toBe(503);

    await h.apply('scale', nodeSpec(src, { replicas: 2 }));
    expect(h.fn('scale').status).toMatchObject({ replicas: 2, revision: 1 });
    const pids = new Set<string>();
    for (let i = 0; i < 4; i++) pids.add((await h.invoke('scale')).text);
    expect(pids.size).toBe(2);

    await h.apply('scale', nodeSpec(src, { replicas: 1 }));
    expect(h.fn('scale').status).toMatchObject({ replicas: 1, revision: 1 });
    expect(h.module.api.details('default', 'scale')?.workers.map((w) => w.replica)).toEqual([0]);
    expect(h.module.api.revisions('default', 'scale')).toHaveLength(1);
  });

  it('restarts a worker that crashes and reports the crash loop', async () => {
    const seen: Condition[] = [];
    const unwatch = h.store.watch(FUNCTION, { namespace: 'default', fieldSelector: 'metadata.name=crashy' }, (ev) => {
      const c = (ev.object.status?.conditions as Condition[] | undefined)?.find((x) => x.type === 'Running');
      if (c) seen.push(c);
    });
    await h.apply('crashy', nodeSpec('module.exports = { main: (event) => { if (event.extensions.request.path === "/crash") { console.error("about to crash"); process.exit(3); } return "ok"; } };'));
    const restarts = (): number => h.module.api.details('default', 'crashy')?.workers[0]?.restarts ?? 0;
    for (let i = 0; i < 3; i++) {
      await h.until(() => h.module.api.details('default', 'crashy')?.readyReplicas === 1, 'crashy ready');
      const before = restarts();
      await h.invoke('crashy', { path: '/crash' }).catch(() => undefined);
      await h.until(() => restarts() > before, 'a restart');
    }
    await h.until(() => seen.some((c) => /crash-looping/.test(c.message ?? '')), 'a crash-loop condition');
    const loop = seen.find((c) => /crash-looping/.test(c.message ?? ''));
    expect(loop).toMatchObject({ status: 'False', reason: 'MinReplicasNotAvailable' });
    expect(loop?.message).toMatch(/worker fn\/default\/crashy\/r1\/0 is crash-looping \(\d+ restarts, last exit code 3\); last stderr: .*about to crash/);
    await h.until(() => h.condition('crashy', 'Running')?.status === 'True', 'crashy back');
    expect((await h.invoke('crashy')).text).toBe('ok');
    unwatch();
  });

  it('notes the host Node version when the runtime asks for another major', async () => {
    const hostMajor = process.versions.node.split('.')[0];
    const other = hostMajor === '22' ? 'nodejs24' : 'nodejs22';
    await h.apply('note', { runtime: other, source: { inline: { source: 'module.exports = { main: () => "ok" };' } } });
    expect(h.condition('note', 'ConfigurationReady')?.message).toContain(`${other} runs on host Node v${process.versions.node}`);
    expect((await h.invoke('note')).text).toBe('ok');
  });

  it('stops the workers and removes the service when a Function is deleted', async () => {
    await h.apply('gone', nodeSpec('module.exports = { main: () => "here" };'));
    const pid = h.module.api.details('default', 'gone')?.workers[0]?.pid;
    expect(h.module.api.workerPids()).toContain(pid);
    await h.store.delete(FUNCTION, 'default', 'gone');
    await h.module.api.settled('default', 'gone');
    expect(h.module.api.details('default', 'gone')).toBeUndefined();
    expect(h.module.api.workerPids()).not.toContain(pid);
    expect(h.ctx.services.names()).not.toContain('gone.default');
    expect((await h.invoke('gone')).status).toBe(502);
  });
});
