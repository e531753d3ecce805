import { Anchor, Badge, Button, Card, CloseButton, Group, Select, Stack, Text, TextInput } from '@mantine/core';
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useEffect, useMemo, useRef, useState } from 'react';
import { usePoll, useStream } from '../api/hooks.js';
import type { LogEntry, LogLevelName } from '../api/types.js';
import { ApiProblem, EmptyState, JsonBlock, PageTitle, clock } from '../components/common.js';
import { LogBuffer, type LogFilter } from '../logs/buffer.js';
import { linkProps } from '../router.js';
import { listLogs, LOGS_STREAM } from '../api/daemon.js';

const ROW = 22;

/** Counters the dashboard benchmark reads (bench/dashboard.js); cheap enough to keep always on. */
declare global {
  interface Window {
    __klLogStats?: { received: number; shown: number; flushes: number };
  }
}

interface ListProps {
  buffer: LogBuffer;
  pending: { current: LogEntry[] };
  paused: boolean;
  filter: LogFilter;
  detailOpen: boolean;
  onSelect: (l: LogEntry) => void;
  emptyHint: string;
}

/**
 * The only part that renders per frame: stream batches wait in `pending`, one animation frame moves them into
 * the capped buffer and triggers one render of this list, and only the visible rows exist in the DOM.
 */
const LogList = memo(function LogList({ buffer, pending, paused, filter, detailOpen, onSelect, emptyHint }: ListProps) {
  const [version, setVersion] = useState(0);
  const [follow, setFollow] = useState(true);
  const [waiting, setWaiting] = useState(0);
  const pausedRef = useRef(paused);
  pausedRef.current = paused;
  const scroller = useRef<HTMLDivElement>(null);

  useEffect(() => {
    let raf = 0;
    const stats = (window.__klLogStats = { received: 0, shown: 0, flushes: 0 });
    let frame = 0;
    const tick = (): void => {
      const p = pending.current;
      // While paused, only the "new lines" count moves, twice a second.
      if (pausedRef.current && ++frame % 30 === 0) setWaiting(p.length);
      if (p.length > 0 && !pausedRef.current) {
        pending.current = [];
        buffer.append(p);
        stats.received += p.length;
        stats.shown += p.length;
        stats.flushes++;
        setVersion((v) => v + 1);
      }
      raf = requestAnimationFrame(tick);
    };
    raf = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(raf);
  }, [buffer, pending]);

  useEffect(() => {
    buffer.setFilter(filter);
    setVersion((v) => v + 1);
  }, [buffer, filter]);

  const lines = useMemo(() => buffer.lines(), [buffer, version]);
  const virtualizer = useVirtualizer({ count: lines.length, getScrollElement: () => scroller.current, estimateSize: () => ROW, overscan: 10 });

  useEffect(() => {
    const el = scroller.current;
    if (follow && el) el.scrollTop = el.scrollHeight;
  }, [version, follow, detailOpen]);

  function onScroll(): void {
    const el = scroller.current;
    if (!el) return;
    const atBottom = el.scrollHeight - el.scrollTop - el.clientHeight < ROW * 2;
    if (atBottom !== follow) setFollow(atBottom);
  }

  if (lines.length === 0) return <EmptyState title="No log lines yet">{emptyHint}</EmptyState>;
  return (
    <Card withBorder p={0} style={{ flex: 1, minHeight: 200, display: 'flex', flexDirection: 'column' }}>
      <Group justify="space-between" px="xs" py={2} style={{ borderBottom: '1px solid var(--mantine-color-default-border)' }}>
        <Text size="xs" c="dimmed" data-testid="log-count">
          {lines.length.toLocaleString()} lines{paused && waiting ? ` · ${waiting.toLocaleString()} new while paused` : ''}
        </Text>
        {!follow && (
          <Button size="compact-xs" variant="subtle" onClick={() => setFollow(true)}>
            Follow newest
          </Button>
        )}
      </Group>
      <div ref={scroller} onScroll={onScroll} style={{ flex: 1, overflow: 'auto' }} className="kl-mono" role="log" aria-label="Log lines" data-testid="log-scroller">
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((v) => {
            const l = lines[v.index]!;
            return (
              <div
                key={v.key}
                className="kl-log-row"
                tabIndex={0}
                style={{ position: 'absolute', top: 0, left: 0, right: 0, height: ROW, transform: `translateY(${v.start}px)` }}
                onClick={() => onSelect(l)}
                onKeyDown={(e) => e.key === 'Enter' && onSelect(l)}
                data-testid="log-row"
              >
                <span>{clock(l.timeMs)}</span>
                <span className={`kl-lvl-${l.level}`} style={{ width: 40 }}>
                  {l.level.toUpperCase()}
                </span>
                <span style={{ width: 110, overflow: 'hidden', textOverflow: 'ellipsis' }}>{l.source.function ?? l.source.service}</span>
                <span className="kl-log-body">{l.body}</span>
                {l.traceId && <span style={{ color: 'var(--mantine-color-blue-text)' }}>⤷ trace</span>}
              </div>
            );
          })}
        </div>
      </div>
    </Card>
  );
});

/** Live tail built for thousands of lines per second (see LogList); filters, pause and the detail of one line. */
export function LogsPage({ initialTraceId, initialFunction }: { initialTraceId?: string | undefined; initialFunction?: string | undefined }) {
  const [buffer] = useState(() => new LogBuffer());
  const pending = useRef<LogEntry[]>([]);
  const [paused, setPaused] = useState(false);
  const [filter, setFilter] = useState<LogFilter>({ function: initialFunction ?? '', minLevel: '', text: '', traceId: initialTraceId ?? '' });
  const [selected, setSelected] = useState<LogEntry>();
  const [streamPath, setStreamPath] = useState<string>();

  // History first, then the live stream from the moment the history arrived.
  const history = usePoll((s) => listLogs({ limit: 2000 }, { signal: s }), 0, []);
  useEffect(() => {
    if (history.data) {
      buffer.clear();
      pending.current = history.data.items.slice();
      setStreamPath(LOGS_STREAM);
    }
  }, [history.data, buffer]);

  const stream = useStream<LogEntry & { type: string }>(streamPath, (items) => {
    const p = pending.current;
    for (const it of items) p.push(it);
    // While paused, keep at most one buffer's worth so memory stays bounded.
    if (p.length > buffer.cap * 1.5) pending.current = p.slice(-buffer.cap);
  });

  if (history.error) {
    return (
      <Stack>
        <PageTitle>Logs</PageTitle>
        <ApiProblem error={history.error} what="Logs" next={<Text size="sm">Logs are kept by the daemon's telemetry; start the cluster (Overview) and invoke a function.</Text>} />
      </Stack>
    );
  }

  const emptyHint =
    stream.phase === 'unavailable' || stream.phase === 'error'
      ? `The live stream is not available: ${'message' in stream ? stream.message : ''}`
      : 'Invoke a function (Functions → Invoke): what it writes to stdout/stderr streams in here live.';

  return (
    <Stack gap="sm" h="calc(100vh - 48px - 2 * var(--mantine-spacing-md))">
      <PageTitle
        right={
          <Badge color={stream.phase === 'live' && !paused ? 'green' : 'gray'} data-testid="stream-state">
            {paused ? 'paused' : stream.phase}
          </Badge>
        }
      >
        Logs
      </PageTitle>
      <Group align="flex-end">
        <TextInput label="Function" placeholder="any" value={filter.function} onChange={(e) => setFilter({ ...filter, function: e.currentTarget.value })} w={160} />
        <Select
          label="Level at least"
          placeholder="any"
          clearable
          data={['trace', 'debug', 'info', 'warn', 'error', 'fatal']}
          value={filter.minLevel || null}
          onChange={(v) => setFilter({ ...filter, minLevel: (v ?? '') as LogLevelName | '' })}
          w={130}
        />
        <TextInput label="Text" placeholder="contains" value={filter.text} onChange={(e) => setFilter({ ...filter, text: e.currentTarget.value })} w={200} />
        <TextInput
          label="Trace id"
          placeholder="any"
          value={filter.traceId}
          onChange={(e) => setFilter({ ...filter, traceId: e.currentTarget.value.trim() })}
          w={200}
          rightSection={filter.traceId ? <CloseButton size="sm" aria-label="Clear trace filter" onClick={() => setFilter({ ...filter, traceId: '' })} /> : null}
        />
        <Button variant="light" onClick={() => setPaused((p) => !p)} aria-pressed={paused}>
          {paused ? 'Resume' : 'Pause'}
        </Button>
      </Group>
      <LogList buffer={buffer} pending={pending} paused={paused} filter={filter} detailOpen={!!selected} onSelect={setSelected} emptyHint={emptyHint} />
      {selected && (
        <Card withBorder data-testid="log-detail">
          <Group justify="space-between" mb="xs">
            <Text fw={600}>
              {selected.time} · {selected.level} · {selected.source.function ?? selected.source.service}
              {selected.source.revision ? ` rev ${selected.source.revision}` : ''}
              {selected.source.replica ? ` · ${selected.source.replica}` : ''}
            </Text>
            <Group gap="xs">
              {selected.traceId && <Anchor {...linkProps(`/traces/${selected.traceId}`)}>Open trace</Anchor>}
              <CloseButton aria-label="Close details" onClick={() => setSelected(undefined)} />
            </Group>
          </Group>
          <JsonBlock value={{ body: selected.body, attributes: selected.attributes, traceId: selected.traceId, spanId: selected.spanId, source: selected.source, resource: selected.resource }} maxHeight={150} />
        </Card>
      )}
    </Stack>
  );
}
