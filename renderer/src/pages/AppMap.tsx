import { Badge, Button, Card, Grid, Group, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { getAppMap } from '../api/daemon.js';
import { usePoll } from '../api/hooks.js';
import type { AppMap, AppMapLinks } from '../api/types.js';
import { ApiProblem, EmptyState, PageTitle } from '../components/common.js';
import { MapGraph, figuresLabel, type Selection } from '../components/MapGraph.js';
import { navigate } from '../router.js';

/** The in-app routes a node's or edge's links lead to, already filtered. */
export function linkRoutes(links: AppMapLinks): Array<{ label: string; route: string }> {
  const out: Array<{ label: string; route: string }> = [];
  if (links.traces) {
    const q = new URLSearchParams();
    if (links.traces.service) q.set('service', links.traces.service);
    for (const [k, v] of Object.entries(links.traces.attr ?? {})) q.append('attr', `${k}=${v}`);
    out.push({ label: 'Traces', route: `/traces?${q}` });
  }
  if (links.events) {
    const q = new URLSearchParams();
    if (links.events.type) q.set('type', links.events.type);
    if (links.events.source) q.set('source', links.events.source);
    if (links.events.subscription) q.set('subscription', links.events.subscription);
    out.push({ label: 'Events', route: `/events?${q}` });
  }
  if (links.logs?.function) out.push({ label: 'Logs', route: `/logs?function=${encodeURIComponent(links.logs.function)}` });
  return out;
}

function Details({ map, selection }: { map: AppMap; selection: Selection }) {
  const item = selection.type === 'node' ? map.nodes.find((n) => n.id === selection.id) : map.edges.find((e) => e.id === selection.id);
  if (!item) return <Text size="sm" c="dimmed">It is gone from the map.</Text>;
  const name = (id: string): string => map.nodes.find((n) => n.id === id)?.label ?? id;
  const title = 'label' in item ? item.label : `${name(item.from)} → ${name(item.to)}`;
  const kind = 'label' in item ? item.kind : `${item.kind} edge`;
  return (
    <Stack gap="xs" data-testid="map-details">
      <Group gap="xs">
        <Title order={5}>{title}</Title>
        <Badge variant="light">{kind}</Badge>
        {item.health === 'error' && <Badge color="red">failing</Badge>}
        {item.health === 'warning' && <Badge color="yellow">warning</Badge>}
      </Group>
      {'detail' in item && item.detail && <Text size="sm">{item.detail}</Text>}
      {item.message && (
        <Text size="sm" c={item.health === 'error' ? 'red' : undefined}>
          {item.message}
        </Text>
      )}
      <Text size="sm">{figuresLabel(item.figures) || 'Nothing observed in the window.'}</Text>
      <Text size="xs" c="dimmed">
        {item.declared ? 'Declared by resources' : 'Not declared'} · {item.observed ? 'seen in traces' : 'not seen in traces yet'}
      </Text>
      <Group gap="xs">
        {linkRoutes(item.links).map((l) => (
          <Button key={l.label} size="xs" variant="light" onClick={() => navigate(l.route)}>
            Open {l.label.toLowerCase()}
          </Button>
        ))}
      </Group>
    </Stack>
  );
}

export function AppMapPage() {
  const map = usePoll((s) => getAppMap({ signal: s }), 2000, []);
  const [selection, setSelection] = useState<Selection>();
  return (
    <Stack>
      <PageTitle>App map</PageTitle>
      <Text size="sm" c="dimmed">
        Entry points, functions and event types from your resources, with what the last 15 minutes of traces saw on each edge: count, rate, failures, p95. Dashed: declared, nothing seen yet. Red: the latest attempt failed. Click a box or an arrow for its traces, events or logs.
      </Text>
      {map.error && !map.data && <ApiProblem error={map.error} what="the app map" />}
      {map.data && map.data.nodes.length === 0 && (
        <EmptyState title="Nothing to map yet">Deploy function folders (Overview → Start from an example, or `kyma-local dev DIR`) and call them.</EmptyState>
      )}
      {map.data && map.data.nodes.length > 0 && (
        <Grid>
          <Grid.Col span={{ base: 12, lg: selection ? 9 : 12 }}>
            <Card withBorder p="xs">
              <MapGraph map={map.data} selected={selection} onSelect={setSelection} />
            </Card>
          </Grid.Col>
          {selection && (
            <Grid.Col span={{ base: 12, lg: 3 }}>
              <Card withBorder>
                <Details map={map.data} selection={selection} />
              </Card>
            </Grid.Col>
          )}
        </Grid>
      )}
    </Stack>
  );
}
