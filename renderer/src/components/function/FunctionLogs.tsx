import { Anchor, Stack, Text } from '@mantine/core';
import { usePoll } from '../../api/hooks.js';
import { ApiProblem, clock } from '../common.js';
import { linkProps } from '../../router.js';
import { listLogs } from '../../api/daemon.js';

export function FunctionLogs({ ns, name }: { ns: string; name: string }) {
  const logs = usePoll((s) => listLogs({ function: name, namespace: ns, limit: 50 }, { signal: s }), 2000, [ns, name]);
  if (logs.error) return <ApiProblem error={logs.error} what="logs" />;
  const items = logs.data?.items ?? [];
  if (items.length === 0) return <Text size="sm" c="dimmed">No log lines yet. Invoke the function; whatever it writes to stdout/stderr appears here.</Text>;
  return (
    <Stack gap={0} className="kl-mono" data-testid="function-logs" style={{ maxHeight: 260, overflow: 'auto' }}>
      {items.map((l, i) => (
        <div key={i} className={`kl-lvl-${l.level}`}>
          {clock(l.timeMs)} {l.level.toUpperCase().padEnd(5)} {l.body}{' '}
          {l.traceId && (
            <Anchor size="xs" {...linkProps(`/traces/${l.traceId}`)}>
              trace
            </Anchor>
          )}
        </div>
      ))}
    </Stack>
  );
}
