import { Anchor, Badge, Button, Card, CloseButton, Grid, Group, Loader, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { ApiError } from '../api/client.js';
import { usePoll } from '../api/hooks.js';
import type { EventRecord } from '../api/types.js';
import { ApiProblem, EmptyState, PageTitle, StateBadge, ago, clock, ms } from '../components/common.js';
import { Waterfall } from '../components/Waterfall.js';
import { linkProps, navigate } from '../router.js';
import { getTrace, listEvents, listLogs, listTraces } from '../api/daemon.js';

function Linked({ traceId }: { traceId: string }) {
  const logs = usePoll((s) => listLogs({ traceId, limit: 200 }, { signal: s }), 3000, [traceId]);
  const events = usePoll(
    async (s) => (await listEvents({ limit: 500 }, { signal: s }).catch(() => ({ items: [] as EventRecord[] }))).items.filter((e) => e.traceId === traceId),
    3000,
    [traceId],
  );
  return (
    <Grid>
      <Grid.Col span={{ base: 12, lg: 7 }}>
        <Group justify="space-between">
          <Title order={5}>Logs in this trace</Title>
          <Anchor size="sm" {...linkProps(`/logs?traceId=${traceId}`)}>
            Open in Logs
          </Anchor>
        </Group>
        {(logs.data?.items.length ?? 0) === 0 ? (
          <Text size="sm" c="dimmed">No log lines carry this trace id.</Text>
        ) : (
          <div className="kl-mono" data-testid="trace-logs">
            {logs.data!.items.map((l, i) => (
              <div key={i} className={`kl-lvl-${l.level}`}>
                {clock(l.timeMs)} {l.source.function ?? l.source.service}: {l.body}
              </div>
            ))}
          </div>
        )}
      </Grid.Col>
      <Grid.Col span={{ base: 12, lg: 5 }}>
        <Title order={5}>Events in this trace</Title>
        {(events.data?.length ?? 0) === 0 ? (
          <Text size="sm" c="dimmed">No events were published in this trace.</Text>
        ) : (
          events.data!.map((e) => (
            <div key={e.id}>
              <Anchor size="sm" {...linkProps(`/events/${e.id}`)}>
                {e.type}
              </Anchor>{' '}
              <Text span size="xs" c="dimmed">
                {e.source} {clock(e.publishedAt)}
              </Text>
            </div>
          ))
        )}
      </Grid.Col>
    </Grid>
  );
}

function TraceView({ id }: { id: string }) {
  // A trace may still be arriving (spans are exported in batches): keep polling it.
  const trace = usePoll((s) => getTrace(id, { signal: s }), 2000, [id]);
  if (trace.error && !trace.data) {
    if (trace.error instanceof ApiError && trace.error.status === 404 && trace.error.reason === 'NotFound') {
      return <EmptyState title="Trace not here (yet)">{trace.error.message}. Spans arrive within a few seconds of the call; this view keeps looking.</EmptyState>;
    }
    return <ApiProblem error={trace.error} what="the trace" />;
  }
  if (!trace.data) return <Loader />;
  const t = trace.data;
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={4}>
          {t.rootService}: {t.rootName}
        </Title>
        <Text size="sm" c="dimmed">
          {ms(t.durationMs)} · {t.spanCount} spans · {t.services.join(', ')} · {ago(t.startMs)}
        </Text>
      </Group>
      <Waterfall trace={t} />
      <Linked traceId={id} />
    </Stack>
  );
}

export function TracesPage({ selected, initialService = '', initialAttrs = [] }: { selected: string | undefined; initialService?: string; initialAttrs?: string[] }) {
  const [q, setQ] = useState({ service: initialService, minDurationMs: '', status: null as string | null });
  const [applied, setApplied] = useState(q);
  // Attribute filters come from links (the app map's edges): shown, and removable, not typed.
  const [attrs, setAttrs] = useState(initialAttrs);
  const query = new URLSearchParams({ limit: '100' });
  if (applied.service) query.set('service', applied.service);
  for (const a of attrs) query.append('attr', a);
  if (applied.minDurationMs) query.set('minDurationMs', applied.minDurationMs);
  if (applied.status) query.set('status', applied.status);
  const list = usePoll((s) => listTraces(query, { signal: s }), 3000, [query.toString()]);
  return (
    <Stack>
      <PageTitle>Traces</PageTitle>
      <Group align="flex-end">
        <TextInput label="Service (function)" value={q.service} onChange={(e) => setQ({ ...q, service: e.currentTarget.value })} w={180} />
        <TextInput label="Slower than" placeholder="e.g. 100ms" value={q.minDurationMs} onChange={(e) => setQ({ ...q, minDurationMs: e.currentTarget.value })} w={140} />
        <Select label="Status" clearable placeholder="any" data={['ok', 'error']} value={q.status} onChange={(v) => setQ({ ...q, status: v })} w={120} />
        <Button onClick={() => setApplied(q)}>Search</Button>
        {attrs.map((a) => (
          <Badge key={a} variant="light" size="lg" data-testid="trace-attr-filter" rightSection={<CloseButton size="xs" aria-label={`Remove filter ${a}`} onClick={() => setAttrs(attrs.filter((x) => x !== a))} />}>
            {a}
          </Badge>
        ))}
      </Group>
      {list.error && <ApiProblem error={list.error} what="Traces" next={<Text size="sm">Traces are recorded by the daemon's telemetry once the cluster runs; invoke a function to make one.</Text>} />}
      <Grid>
        <Grid.Col span={{ base: 12, md: selected ? 4 : 12 }}>
          {list.data && list.data.items.length === 0 && <EmptyState title="No traces match">Invoke a function or publish an event; each request is traced end to end.</EmptyState>}
          {list.data && list.data.items.length > 0 && (
            <Table highlightOnHover aria-label="Traces">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Root</Table.Th>
                  <Table.Th>Duration</Table.Th>
                  {!selected && <Table.Th>Spans</Table.Th>}
                  {!selected && <Table.Th>Services</Table.Th>}
                  <Table.Th>When</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {list.data.items.map((t) => (
                  <Table.Tr
                    key={t.traceId}
                    className={`kl-row-button ${t.traceId === selected ? 'kl-row-selected' : ''}`}
                    tabIndex={0}
                    onClick={() => navigate(`/traces/${t.traceId}`)}
                    onKeyDown={(k) => k.key === 'Enter' && navigate(`/traces/${t.traceId}`)}
                  >
                    <Table.Td>
                      {t.error && <StateBadge state="error" />} {t.rootService}: {t.rootName}
                    </Table.Td>
                    <Table.Td>{ms(t.durationMs)}</Table.Td>
                    {!selected && <Table.Td>{t.spanCount}</Table.Td>}
                    {!selected && <Table.Td>{t.services.join(', ')}</Table.Td>}
                    <Table.Td>{ago(t.startMs)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </Grid.Col>
        {selected && (
          <Grid.Col span={{ base: 12, md: 8 }}>
            <Card withBorder>
              <TraceView id={selected} />
            </Card>
          </Grid.Col>
        )}
      </Grid>
    </Stack>
  );
}
