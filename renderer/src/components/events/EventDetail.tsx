import { Alert, Anchor, Button, Card, Code, Group, Stack, Table, Tabs, Text, Textarea, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { errorMessage } from '../../api/client.js';
import { deliveries } from '../../api/events.js';
import type { EventWithAttempts } from '../../api/types.js';
import { JsonBlock, StateBadge, clock, ms } from '../common.js';
import { linkProps } from '../../router.js';
import { replayEvent } from '../../api/daemon.js';

export function EventDetail({ ev, onReplayed }: { ev: EventWithAttempts; onReplayed: (id: string) => void }) {
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
      const r = await replayEvent(ev.id, body);
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
      {ev.note && (
        <Text size="sm" c="dimmed" data-testid="event-note">
          {ev.note}
        </Text>
      )}
      {subs.length === 0 && !ev.note && <Text size="sm" c="dimmed">No subscription matched this event's source and type.</Text>}
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
          {ev.dataTruncated && <Text size="xs" c="orange">Payload was cut for the inspector{ev.dataBytes !== undefined ? ` (whole payload ${(ev.dataBytes / 1024).toFixed(1)} KB)` : ''}.</Text>}
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
