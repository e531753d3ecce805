import { Alert, Badge, Code, Paper, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { ApiError, errorMessage } from '../api/client.js';

/** What to do next when there is nothing to show yet. */
export function EmptyState({ title, children, action }: { title: string; children?: ReactNode; action?: ReactNode }) {
  return (
    <Paper withBorder p="xl" radius="md" data-testid="empty-state">
      <Stack gap="xs" align="flex-start">
        <Title order={4}>{title}</Title>
        {children && <Text c="dimmed" component="div">{children}</Text>}
        {action}
      </Stack>
    </Paper>
  );
}

/** An API error with the daemon's own message; unavailable endpoints become an explanatory empty state. */
export function ApiProblem({ error, what, next }: { error: unknown; what: string; next?: ReactNode }) {
  if (error instanceof ApiError && error.unavailable) {
    return (
      <EmptyState title={`${what} not available`}>
        <Text>{error.message}</Text>
        {next}
      </EmptyState>
    );
  }
  return (
    <Alert color="red" title={`Could not load ${what}`} role="alert">
      {errorMessage(error)}
      {error instanceof ApiError && error.causes.length > 0 && (
        <ul>
          {error.causes.map((c, i) => (
            <li key={i}>
              {c.field && <Code>{c.field}</Code>} {c.message}
            </li>
          ))}
        </ul>
      )}
    </Alert>
  );
}

const STATE_COLORS: Record<string, string> = {
  Ready: 'green',
  Error: 'red',
  Warning: 'orange',
  Running: 'green',
  ready: 'green',
  delivered: 'green',
  success: 'green',
  ok: 'green',
  True: 'green',
  Starting: 'blue',
  Pending: 'yellow',
  pending: 'yellow',
  Stopping: 'yellow',
  retry: 'orange',
  failed: 'red',
  Failed: 'red',
  CrashLoop: 'red',
  error: 'red',
  'dead-lettered': 'red',
  False: 'red',
  Degraded: 'orange',
  Stopped: 'gray',
  superseded: 'gray',
  'rolled-back': 'grape',
  NotImplemented: 'gray',
  Disabled: 'gray',
};

export function StateBadge({ state }: { state: string | undefined }) {
  const s = state ?? 'Unknown';
  return (
    <Badge color={STATE_COLORS[s] ?? 'gray'} variant="light" radius="sm">
      {s}
    </Badge>
  );
}

/** An HTTP answer's body for display: parsed when it says JSON (and is), else the raw text. */
export function answerBody(body: string, contentType: string): unknown {
  if (!contentType.includes('json')) return body;
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return body;
  }
}

export function JsonBlock({ value, maxHeight = 320 }: { value: unknown; maxHeight?: number }) {
  const text = typeof value === 'string' ? value : JSON.stringify(value, null, 2);
  return (
    <Code block style={{ maxHeight, overflow: 'auto', whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
      {text ?? '(none)'}
    </Code>
  );
}

export function PageTitle({ children, right }: { children: ReactNode; right?: ReactNode }) {
  return (
    <div style={{ display: 'flex', alignItems: 'center', justifyContent: 'space-between', gap: 12, marginBottom: 16 }}>
      <Title order={2}>{children}</Title>
      {right}
    </div>
  );
}

export function ago(iso: string | number | undefined): string {
  if (iso === undefined) return '—';
  const t = typeof iso === 'number' ? iso : Date.parse(iso);
  const s = Math.max(0, Math.round((Date.now() - t) / 1000));
  if (s < 60) return `${s}s ago`;
  if (s < 3600) return `${Math.floor(s / 60)}m ago`;
  if (s < 86400) return `${Math.floor(s / 3600)}h ago`;
  return `${Math.floor(s / 86400)}d ago`;
}

export function ms(v: number | undefined): string {
  if (v === undefined || Number.isNaN(v)) return '—';
  if (v < 1) return `${v.toFixed(2)} ms`;
  if (v < 1000) return `${v.toFixed(v < 10 ? 1 : 0)} ms`;
  return `${(v / 1000).toFixed(2)} s`;
}

export function clock(iso: string | number): string {
  const d = new Date(iso);
  return `${d.toLocaleTimeString(undefined, { hour12: false })}.${String(d.getMilliseconds()).padStart(3, '0')}`;
}
