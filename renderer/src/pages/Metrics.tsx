import { Card, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { ApiError } from '../api/client.js';
import { usePoll } from '../api/hooks.js';
import { fromTraces, gaugeSum, latency, rate } from '../api/metrics.js';
import type { FunctionDetails, MetricSeries, TraceSummary } from '../api/types.js';
import { ApiProblem, EmptyState, PageTitle } from '../components/common.js';
import { listFunctions, listMetrics, listTraces } from '../api/daemon.js';

const tick = (t: number): string => new Date(t).toLocaleTimeString(undefined, { hour12: false });

function Chart({ title, data, lines, unit, empty }: { title: string; data: Array<Record<string, number>>; lines: Array<{ key: string; color: string; name: string }>; unit: string; empty?: string }) {
  return (
    <Card withBorder padding="xs">
      <Text size="sm" fw={600} mb={4}>
        {title}
      </Text>
      {data.length === 0 ? (
        <Text size="xs" c="dimmed" h={140}>
          {empty ?? 'No data points yet: call the function.'}
        </Text>
      ) : (
        <ResponsiveContainer width="100%" height={140}>
          <LineChart data={data} margin={{ top: 4, right: 8, bottom: 0, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" strokeOpacity={0.3} />
            <XAxis dataKey="t" type="number" scale="time" domain={['dataMin', 'dataMax']} tickFormatter={tick} fontSize={10} minTickGap={40} />
            <YAxis fontSize={10} width={44} unit={unit} />
            <Tooltip labelFormatter={(t) => tick(Number(t))} formatter={(v) => (typeof v === 'number' ? v.toFixed(2) : String(v))} />
            {lines.length > 1 && <Legend wrapperStyle={{ fontSize: 11 }} />}
            {lines.map((l) => (
              <Line key={l.key} type="monotone" dataKey={l.key} name={l.name} stroke={l.color} dot={data.length < 12} isAnimationActive={false} />
            ))}
          </LineChart>
        </ResponsiveContainer>
      )}
    </Card>
  );
}

function FunctionMetrics({ fn, series, details }: { fn: string; series: MetricSeries[]; details?: FunctionDetails | undefined }) {
  const of = (name: string): MetricSeries[] => series.filter((s) => s.name === name);
  // The platform records function_* series for every function (measured where requests enter it, /proc for
  // memory); a function's own runtime metrics are the fallback.
  const platform = of('function_requests_total').length > 0;
  const measured = platform || of('function_calls_total').length > 0 || of('http_requests_total').length > 0;
  // Without the function's own metrics, its traces (one per call) still give rate, errors and latency.
  const traces = usePoll(
    (s) => (measured ? Promise.resolve({ items: [] as TraceSummary[] }) : listTraces({ service: fn, since: '5m', limit: 5000 }, { signal: s })),
    5000,
    [fn, measured],
  );
  const derived = fromTraces(traces.data?.items ?? []);
  const calls = platform
    ? rate(of('function_requests_total'))
    : measured
      ? rate(of('function_calls_total').length ? of('function_calls_total') : of('http_requests_total'))
      : derived.calls;
  const failures = platform ? rate(of('function_errors_total')) : measured ? rate(of('function_failures_total')) : derived.errors;
  const lat = platform ? latency(of('function_request_duration_ms')) : measured ? latency(of('function_duration_miliseconds')) : derived.latency;
  const rss = of('function_memory_rss_bytes').length ? of('function_memory_rss_bytes') : of('process_resident_memory_bytes');
  const mem = gaugeSum(rss).map((p) => ({ t: p.t, v: p.v / 1024 / 1024 }));
  return (
    <Card withBorder>
      <Group justify="space-between" mb="xs">
        <Title order={4}>{fn}</Title>
        <Text size="sm" c="dimmed">
          {!measured && 'rate and latency from traces (last 5 min) · '}replicas {details ? `${details.readyReplicas}/${details.desiredReplicas}` : '—'}
        </Text>
      </Group>
      <SimpleGrid cols={{ base: 2, lg: 4 }}>
        <Chart title="Requests / s" data={calls} lines={[{ key: 'v', color: '#228be6', name: 'req/s' }]} unit="" />
        <Chart title="Errors / s" data={failures} lines={[{ key: 'v', color: '#fa5252', name: 'errors/s' }]} unit="" />
        <Chart
          title="Latency"
          data={lat}
          lines={[
            { key: 'p50', color: '#40c057', name: 'p50' },
            { key: 'p95', color: '#fd7e14', name: 'p95' },
          ]}
          unit="ms"
        />
        <Chart title="Memory (all replicas)" empty="Sampled every 5 s from the function's worker processes." data={mem} lines={[{ key: 'v', color: '#7950f2', name: 'MB' }]} unit="MB" />
      </SimpleGrid>
    </Card>
  );
}

export function MetricsPage() {
  const metrics = usePoll((s) => listMetrics({ signal: s }), 3000, []);
  const fns = usePoll((s) => listFunctions({ signal: s }).catch((e: unknown) => (e instanceof ApiError && e.unavailable ? { items: [] } : Promise.reject(e))), 3000, []);
  const series = metrics.data?.items ?? [];
  const names = new Set<string>();
  for (const s of series) if (s.function) names.add(s.function);
  for (const f of fns.data?.items ?? []) names.add(f.name);
  return (
    <Stack>
      <PageTitle>Metrics</PageTitle>
      {metrics.error && <ApiProblem error={metrics.error} what="Metrics" next={<Text size="sm">Metrics are collected by the daemon's telemetry while the cluster runs.</Text>} />}
      {!metrics.error && names.size === 0 && (
        <EmptyState title="No function metrics yet">Deploy a function (Functions page) and call it; request rate, errors, latency and memory per function show up here.</EmptyState>
      )}
      {[...names].sort().map((n) => (
        <FunctionMetrics key={n} fn={n} series={series.filter((s) => s.function === n)} details={fns.data?.items.find((f) => f.name === n)} />
      ))}
    </Stack>
  );
}
