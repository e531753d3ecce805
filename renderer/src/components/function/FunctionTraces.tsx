import { Anchor, Table, Text } from '@mantine/core';
import { usePoll } from '../../api/hooks.js';
import { ApiProblem, StateBadge, ago, ms } from '../common.js';
import { linkProps } from '../../router.js';
import { listTraces } from '../../api/daemon.js';

export function FunctionTraces({ name }: { name: string }) {
  const traces = usePoll((s) => listTraces({ service: name, limit: 15 }, { signal: s }), 3000, [name]);
  if (traces.error) return <ApiProblem error={traces.error} what="traces" />;
  const items = traces.data?.items ?? [];
  if (items.length === 0) return <Text size="sm" c="dimmed">No traces yet. Each call to the function records one.</Text>;
  return (
    <Table aria-label="Traces of this function">
      <Table.Tbody>
        {items.map((t) => (
          <Table.Tr key={t.traceId}>
            <Table.Td>
              <Anchor size="sm" {...linkProps(`/traces/${t.traceId}`)}>
                {t.rootName}
              </Anchor>
            </Table.Td>
            <Table.Td>{ms(t.durationMs)}</Table.Td>
            <Table.Td>{t.spanCount} spans</Table.Td>
            <Table.Td>{t.error ? <StateBadge state="error" /> : <StateBadge state="ok" />}</Table.Td>
            <Table.Td>{ago(t.startMs)}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
