import { Alert, Anchor, Badge, Button, Card, Code, Grid, Group, Select, Stack, Table, Tabs, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useEffect, useMemo, useRef, useState } from 'react';
import { api, errorMessage } from '../api/client.js';
import { deliveries, EventBook, overall } from '../api/events.js';
import { usePoll, useStream } from '../api/hooks.js';
import type { EventRecord, EventWithAttempts, InspectorEntry } from '../api/types.js';
import { ApiProblem, EmptyState, JsonBlock, PageTitle, StateBadge, clock, ms } from '../components/common.js';
import { linkProps, navigate } from '../router.js';

async function loadInitial(signal: AbortSignal): Promise<EventWithAttempts[]> {
  const { items } = await api<{ items: EventRecord[] }>('/kl/v1/events?limit=200', { signal });
  // Attempts come with each event's detail; the newest ones matter most for the list's state column.
  const detailed = await Promise.all(items.slice(0, 60).map((e) => api<EventWithAttempts>(`/kl/v1/events/${encodeURIComponent(e.id)}`, { signal }).catch(() => ({ ...e, attempts: [] }))));
  return [...detailed, ...items.slice(60).map((e) => ({ ...e, attempts: [] }))];
}

function PublishForm({ onPublished }: { onPublished: (id: string) => void }) {
  const [type, setType] = useState('order.created.v1');
  const [source, setSource] = useState('myapp');
  const [data, setData] = useState('{\n  "orderId": "42"\n}');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  async function publish(): Promise<void> {
    setError(undefined);
    let parsed: unknown;
    try {
      parsed = data.trim() ? JSON.parse(data) : undefined;
    } catch (err) {
      setError(`data is not valid JSON: ${errorMessage(err)}`);
      return;
    }
    setBusy(true);
    try {
      const r = await api<{ id: string }>('/kl/v1/events/publish', { method: 'POST', body: { type, source, ...(parsed !== undefined ? { data: parsed } : {}) } });
      onPublished(r.id);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }
  return (
    <Stack gap="xs">
      <Group grow>
        <TextInput label="Type" value={type} onChange={(e) => setType(e.currentTarget.value)} />
        <TextInput label="Source" value={source} onChange={(e) => setSource(e.currentTarget.value)} />
      </Group>
      <Textarea label="Data (JSON)" value={data} onChange={(e) => setData(e.currentTarget.value)} autosize minRows={3} maxRows={8} styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }} />
      {error && (
        <Alert color="red" role="alert">
          {error}
        </Alert>
      )}
      <Group>
        <Button onClick={() => void publish()} loading={busy}>
          Publish event
        </Button>
      </Group>
    </Stack>
  );
}

function EventDetail({ ev, onReplayed }: { ev: EventWithAttempts; onReplayed: (id: string) => void }) {
  const [edit, setEdit] = useState<string>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    setEdit(undefined);
    setError(undefined);
  }, [ev.id]);
  async function replay(data?: string, subscription?: string): Promise<void> {
    setError(undefined);
    let body: { data?: unknown; subscription?: string } = {};
    if (data !== undefined) {
      try {
        body = { data: JSON.parse(data) };
      } catch (err) {
        setError(`data is not valid JSON: ${errorMessage(err)}`);
        return;
      }
    }
    if (subscription) body.subscription = subscription;
    setBusy(true);
    try {
      const r = await api<{ id: string }>(`/kl/v1/events/${encodeURIComponent(ev.id)}/replay`, { method: 'POST', body });
      setEdit(undefined);
      onReplayed(r.id);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }
  const subs = deliveries(ev, ev.attempts);
  return (
    <Stack gap="sm" data-testid="event-detail">
      <Group justify="space-between">
        <Title order={4}>{ev.type}</Title>
        <Group gap="xs">
          <Button size="xs" variant="light" onClick={() => void replay()} loading={busy && edit === undefined}>
            Replay
          </Button>
          <Button size="xs" variant="subtle" onClick={() => setEdit(JSON.stringify(ev.data ?? null, null, 2))}>
            Edit and replay
          </Button>
        </Group>
      </Group>
      <Text size="sm">
        source <Code>{ev.source}</Code> · id <Code>{ev.id}</Code> · {ev.via}
        {ev.replayOf && (
          <>
            {' '}
            of <Anchor {...linkProps(`/events/${ev.replayOf}`)}>{ev.replayOf.slice(0, 8)}</Anchor>
          </>
        )}
        {ev.traceId && (
          <>
            {' '}
            · <Anchor {...linkProps(`/traces/${ev.traceId}`)}>Open trace</Anchor>
          </>
        )}
      </Text>
      {error && (
        <Alert color="red" role="alert">
          {error}
        </Alert>
      )}
      {edit !== undefined && (
        <Stack gap="xs">
          <Textarea label="Data to replay (JSON)" value={edit} onChange={(e) => setEdit(e.currentTarget.value)} autosize minRows={4} styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }} />
          <Group>
            <Button size="xs" onClick={() => void replay(edit)} loading={busy}>
              Replay edited event
            </Button>
            <Button size="xs" variant="subtle" onClick={() => setEdit(undefined)}>
              Cancel
            </Button>
          </Group>
        </Stack>
      )}
      <Title order={5}>Deliveries</Title>
      {subs.length === 0 && <Text size="sm" c="dimmed">No subscription matched this event's source and type.</Text>}
      {subs.map((s) => (
        <Card key={s.subscription} withBorder padding="xs" data-testid="delivery">
          <Group justify="space-between">
            <Text size="sm" fw={600}>
              {s.subscription}
            </Text>
            <Group gap="xs">
              <StateBadge state={s.state} />
              <Button size="compact-xs" variant="subtle" onClick={() => void replay(undefined, s.subscription)}>
                Replay to this one
              </Button>
            </Group>
          </Group>
          {s.attempts.length > 0 && (
            <Table mt={4}>
              <Table.Tbody>
                {s.attempts.map((a) => (
                  <Table.Tr key={`${a.attempt}-${a.time}`}>
                    <Table.Td>#{a.attempt}</Table.Td>
                    <Table.Td>{clock(a.time)}</Table.Td>
                    <Table.Td>{a.statusCode ?? '—'}</Table.Td>
                    <Table.Td>{ms(a.latencyMs)}</Table.Td>
                    <Table.Td>
                      <StateBadge state={a.outcome} />
                    </Table.Td>
                    <Table.Td>
                      <Text size="xs" c="red">
                        {a.error}
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </Card>
      ))}
      <Tabs defaultValue="data">
        <Tabs.List>
          <Tabs.Tab value="data">Payload</Tabs.Tab>
          <Tabs.Tab value="headers">Headers</Tabs.Tab>
          <Tabs.Tab value="ext">Extensions</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="data" pt="xs">
          <JsonBlock value={ev.data ?? null} />
          {ev.dataTruncated && <Text size="xs" c="orange">Payload was cut for the inspector.</Text>}
        </Tabs.Panel>
        <Tabs.Panel value="headers" pt="xs">
          <JsonBlock value={ev.headers} />
        </Tabs.Panel>
        <Tabs.Panel value="ext" pt="xs">
          <JsonBlock value={ev.extensions} />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}

export function EventsPage({ selected, initialType = '', initialSource = '' }: { selected: string | undefined; initialType?: string; initialSource?: string }) {
  const book = useRef(new EventBook());
  const [version, setVersion] = useState(0);
  const initial = usePoll(loadInitial, 0, []);
  const [filter, setFilter] = useState({ type: initialType, source: initialSource, state: null as string | null });
  useEffect(() => {
    if (initial.data) {
      book.current.load(initial.data);
      setVersion((v) => v + 1);
    }
  }, [initial.data]);
  const stream = useStream<InspectorEntry>(initial.error ? undefined : '/kl/v1/events/stream', (items) => {
    for (const it of items) {
      if (it.kind === 'event') {
        const { kind: _k, ...ev } = it;
        book.current.addEvent(ev);
      } else {
        const { kind: _k, ...a } = it;
        book.current.addAttempt(a);
      }
    }
    setVersion((v) => v + 1);
  });
  const all = useMemo(() => book.current.list(), [version]);
  const rows = all.filter(
    (e) =>
      (!filter.type || e.type.includes(filter.type)) &&
      (!filter.source || e.source.includes(filter.source)) &&
      (!filter.state || overall(e, e.attempts) === filter.state),
  );
  const current = selected ? all.find((e) => e.id === selected) : undefined;
  const detail = usePoll(
    (s) => (selected && !current ? api<EventWithAttempts>(`/kl/v1/events/${encodeURIComponent(selected)}`, { signal: s }) : Promise.resolve(undefined)),
    0,
    [selected, !!current],
  );
  const shown = current ?? detail.data;

  if (initial.error) {
    return (
      <Stack>
        <PageTitle>Events</PageTitle>
        <ApiProblem error={initial.error} what="Eventing" next={<Text size="sm">Start the cluster with a profile whose modules include eventing (Overview).</Text>} />
      </Stack>
    );
  }
  return (
    <Stack>
      <PageTitle right={<Badge color={stream.phase === 'live' ? 'green' : 'gray'}>{stream.phase === 'live' ? 'live' : stream.phase}</Badge>}>Events</PageTitle>
      <Grid>
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Stack gap="sm">
            <Card withBorder>
              <PublishForm onPublished={(id) => navigate(`/events/${id}`)} />
            </Card>
            <Group grow>
              <TextInput placeholder="type contains" aria-label="Filter by type" value={filter.type} onChange={(e) => setFilter({ ...filter, type: e.currentTarget.value })} />
              <TextInput placeholder="source contains" aria-label="Filter by source" value={filter.source} onChange={(e) => setFilter({ ...filter, source: e.currentTarget.value })} />
              <Select placeholder="any outcome" aria-label="Filter by outcome" clearable data={['delivered', 'failed', 'pending', 'dead-lettered', 'no subscriber']} value={filter.state} onChange={(v) => setFilter({ ...filter, state: v })} />
            </Group>
            {rows.length === 0 ? (
              <EmptyState title={all.length === 0 ? 'No events yet' : 'No event matches the filters'}>
                {all.length === 0 ? 'Publish one above, or let a function emit one; each event and every delivery attempt appears here live.' : 'Clear a filter to see more.'}
              </EmptyState>
            ) : (
              <Table highlightOnHover aria-label="Events" data-testid="events-table">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Time</Table.Th>
                    <Table.Th>Type</Table.Th>
                    <Table.Th>Source</Table.Th>
                    <Table.Th>Delivery</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {rows.slice(0, 200).map((e) => (
                    <Table.Tr
                      key={e.id}
                      className={`kl-row-button ${e.id === selected ? 'kl-row-selected' : ''}`}
                      tabIndex={0}
                      onClick={() => navigate(`/events/${e.id}`)}
                      onKeyDown={(k) => k.key === 'Enter' && navigate(`/events/${e.id}`)}
                    >
                      <Table.Td>{clock(e.publishedAt)}</Table.Td>
                      <Table.Td>{e.type}</Table.Td>
                      <Table.Td>{e.source}</Table.Td>
                      <Table.Td>
                        <StateBadge state={overall(e, e.attempts)} />
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Card withBorder>
            {shown ? <EventDetail ev={shown} onReplayed={(id) => navigate(`/events/${id}`)} /> : <Text c="dimmed">Select an event to see its payload, headers and delivery attempts.</Text>}
          </Card>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}
