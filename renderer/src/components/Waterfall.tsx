import { Badge, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useMemo, useState } from 'react';
import type { SpanView, TraceDetail } from '../api/types.js';
import { JsonBlock, ms } from './common.js';

interface Row {
  span: SpanView;
  depth: number;
}

/** Spans in tree order (children under their parent, siblings by start time); orphans become roots. */
export function treeOrder(spans: SpanView[]): Row[] {
  const ids = new Set(spans.map((s) => s.spanId));
  const children = new Map<string, SpanView[]>();
  const roots: SpanView[] = [];
  for (const s of spans) {
    if (s.parentSpanId && ids.has(s.parentSpanId)) {
      const list = children.get(s.parentSpanId) ?? [];
      list.push(s);
      children.set(s.parentSpanId, list);
    } else roots.push(s);
  }
  const out: Row[] = [];
  const walk = (s: SpanView, depth: number): void => {
    out.push({ span: s, depth });
    for (const c of (children.get(s.spanId) ?? []).sort((a, b) => a.startMs - b.startMs)) walk(c, depth + 1);
  };
  for (const r of roots.sort((a, b) => a.startMs - b.startMs)) walk(r, 0);
  return out;
}

export function Waterfall({ trace }: { trace: TraceDetail }) {
  const rows = useMemo(() => treeOrder(trace.spans), [trace]);
  const [selected, setSelected] = useState<string | undefined>(rows[0]?.span.spanId);
  const start = Math.min(...trace.spans.map((s) => s.startMs));
  const end = Math.max(...trace.spans.map((s) => s.startMs + s.durationMs));
  const total = Math.max(end - start, 0.001);
  const span = rows.find((r) => r.span.spanId === selected)?.span;
  return (
    <Stack gap="sm">
      <div role="tree" aria-label="Spans" data-testid="waterfall">
        {rows.map(({ span: s, depth }) => {
          const left = ((s.startMs - start) / total) * 100;
          const width = Math.max((s.durationMs / total) * 100, 0.3);
          return (
            <div
              key={s.spanId}
              className={`kl-wf-row ${s.spanId === selected ? 'kl-row-selected' : ''}`}
              role="treeitem"
              aria-selected={s.spanId === selected}
              tabIndex={0}
              onClick={() => setSelected(s.spanId)}
              onKeyDown={(e) => e.key === 'Enter' && setSelected(s.spanId)}
              data-testid="span-row"
            >
              <Text size="sm" truncate style={{ paddingLeft: depth * 14 }} title={`${s.service}: ${s.name}`}>
                <Text span size="xs" c="dimmed">
                  {s.service}
                </Text>{' '}
                {s.name}
              </Text>
              <div className="kl-wf-track">
                <div className={`kl-wf-bar ${s.status.code === 'error' ? 'kl-err' : ''}`} style={{ left: `${left}%`, width: `${width}%` }} />
              </div>
              <Text size="xs" ta="right">
                {ms(s.durationMs)}
              </Text>
            </div>
          );
        })}
      </div>
      {span && (
        <Stack gap={4} data-testid="span-detail">
          <Group gap="xs">
            <Title order={5}>{span.name}</Title>
            <Badge variant="light">{span.kind}</Badge>
            <Badge color={span.status.code === 'error' ? 'red' : 'green'} variant="light">
              {span.status.code}
            </Badge>
            <Text size="sm" c="dimmed">
              {span.service} · {ms(span.durationMs)} · starts at +{ms(span.startMs - start)}
            </Text>
          </Group>
          {span.status.message && <Text c="red" size="sm">{span.status.message}</Text>}
          <Table withTableBorder fz="xs" aria-label="Span attributes">
            <Table.Tbody>
              {Object.entries(span.attributes).map(([k, v]) => (
                <Table.Tr key={k}>
                  <Table.Td className="kl-mono" w={260}>
                    {k}
                  </Table.Td>
                  <Table.Td className="kl-mono">{typeof v === 'string' ? v : JSON.stringify(v)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          {span.events.length > 0 && <JsonBlock value={span.events} maxHeight={160} />}
        </Stack>
      )}
    </Stack>
  );
}
