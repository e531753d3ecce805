import { Alert, Button, Stack, Table, Text } from '@mantine/core';
import { useState } from 'react';
import { errorMessage } from '../../api/client.js';
import { StateBadge, ago, ms } from '../common.js';
import { rollback as rollbackTo } from '../../api/daemon.js';
import type { FunctionWithRevisions as Details } from '../../api/types.js';

export function Revisions({ ns, name, details, onChange }: { ns: string; name: string; details: Details; onChange: () => void }) {
  const [busy, setBusy] = useState<number>();
  const [error, setError] = useState<string>();
  async function rollback(to: number): Promise<void> {
    setBusy(to);
    setError(undefined);
    try {
      await rollbackTo(ns, name, to);
      onChange();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(undefined);
    }
  }
  const revs = [...details.revisions].reverse();
  return (
    <Stack gap="xs">
      {error && (
        <Alert color="red" role="alert">
          {error}
        </Alert>
      )}
      <Table aria-label="Revisions" data-testid="revisions">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>#</Table.Th>
            <Table.Th>Created</Table.Th>
            <Table.Th>Outcome</Table.Th>
            <Table.Th>Save → ready</Table.Th>
            <Table.Th>Error</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {revs.map((r) => (
            <Table.Tr key={r.number} data-testid={`revision-${r.number}`}>
              <Table.Td>
                {r.number}
                {r.number === details.currentRevision && <Text span c="green" size="xs"> serving</Text>}
                {r.rollbackOf && <Text span size="xs" c="dimmed"> (rollback of {r.rollbackOf})</Text>}
              </Table.Td>
              <Table.Td title={r.createdAt}>{ago(r.createdAt)}</Table.Td>
              <Table.Td>
                <StateBadge state={r.outcome} />
              </Table.Td>
              <Table.Td data-testid="revision-latency">{ms(r.latencyMs)}</Table.Td>
              <Table.Td>
                {r.error && (
                  <Text size="sm" c="red" className="kl-mono">
                    {r.error.file ? `${r.error.file}${r.error.line ? `:${r.error.line}` : ''}${r.error.column ? `:${r.error.column}` : ''}: ` : ''}
                    {r.error.message}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>
                {r.number !== details.currentRevision && (r.outcome === 'superseded' || r.outcome === 'ready' || r.outcome === 'rolled-back') && (
                  <Button size="xs" variant="light" loading={busy === r.number} onClick={() => void rollback(r.number)}>
                    Roll back to {r.number}
                  </Button>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}
