import { Badge, Card, Grid, Group, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { useEffect, useMemo, useRef, useState } from 'react';
import { EventBook, loadRecentEvents, overall } from '../api/events.js';
import { usePoll, useStream } from '../api/hooks.js';
import type { InspectorEntry } from '../api/types.js';
import { ApiProblem, EmptyState, PageTitle, StateBadge, clock } from '../components/common.js';
import { navigate } from '../router.js';
import { EVENTS_STREAM, getEvent } from '../api/daemon.js';
import { PublishForm } from '../components/events/PublishForm.js';
import { EventDetail } from '../components/events/EventDetail.js';

export function EventsPage({ selected, initialType = '', initialSource = '' }: { selected: string | undefined; initialType?: string; initialSource?: string }) {
  const book = useRef(new EventBook());
  const [version, setVersion] = useState(0);
  const initial = usePoll(loadRecentEvents, 0, []);
  const [filter, setFilter] = useState({ type: initialType, source: initialSource, state: null as string | null });
  useEffect(() => {
    if (initial.data) {
      book.current.load(initial.data);
      setVersion((v) => v + 1);
    }
  }, [initial.data]);
  const stream = useStream<InspectorEntry>(initial.error ? undefined : EVENTS_STREAM, (items) => {
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
    (s) => (selected && !current ? getEvent(selected, { signal: s }) : Promise.resolve(undefined)),
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
