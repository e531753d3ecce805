import { Anchor, Card, Loader, Stack, Table, Text } from '@mantine/core';
import { loadFunctions } from '../api/functions.js';
import { usePoll } from '../api/hooks.js';
import { AddFolder } from '../components/AddFolder.js';
import { ApiProblem, EmptyState, PageTitle, StateBadge, ms } from '../components/common.js';
import { linkProps } from '../router.js';

export function FunctionsPage() {
  const fns = usePoll(loadFunctions, 2000, []);
  return (
    <Stack>
      <PageTitle>Functions</PageTitle>
      <Card withBorder>
        <AddFolder onAdded={fns.reload} />
      </Card>
      {fns.error && <ApiProblem error={fns.error} what="functions" />}
      {fns.data?.serverless && (
        <ApiProblem error={fns.data.serverless} what="Serverless" next={<Text size="sm">Start the cluster with a profile that includes serverless (Overview).</Text>} />
      )}
      {!fns.data && !fns.error && <Loader />}
      {fns.data && fns.data.rows.length === 0 && (
        <EmptyState title="No functions yet">
          Add a function folder above, run <code>kyma-local dev ./my-function</code>, or apply a Function manifest on the Resources page.
        </EmptyState>
      )}
      {fns.data && fns.data.rows.length > 0 && (
        <Table striped highlightOnHover aria-label="Functions">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Function</Table.Th>
              <Table.Th>Status</Table.Th>
              <Table.Th>Replicas</Table.Th>
              <Table.Th>Revision</Table.Th>
              <Table.Th>Save → ready</Table.Th>
              <Table.Th>Source</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {fns.data.rows.map((f) => {
              return (
                <Table.Tr key={`${f.namespace}/${f.name}`} data-testid={`function-${f.name}`}>
                  <Table.Td>
                    <Anchor {...linkProps(`/functions/${f.namespace}/${f.name}`)}>{f.name}</Anchor>
                    <Text span size="xs" c="dimmed"> {f.namespace}</Text>
                  </Table.Td>
                  <Table.Td title={f.message}>
                    <StateBadge state={f.phase} />
                  </Table.Td>
                  <Table.Td>{f.details ? `${f.details.readyReplicas}/${f.details.desiredReplicas}` : '—'}</Table.Td>
                  <Table.Td>{f.details?.currentRevision ?? '—'}</Table.Td>
                  <Table.Td title={f.lastRevision ? `revision ${f.lastRevision.number}: ${f.lastRevision.outcome}` : undefined}>{f.lastRevision ? <>{ms(f.lastRevision.latencyMs)} <StateBadge state={f.lastRevision.outcome} /></> : '—'}</Table.Td>
                  <Table.Td>
                    <Text size="xs" className="kl-mono" truncate="start" maw={320}>
                      {f.folder?.dir ?? 'manifest'}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
