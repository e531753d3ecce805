import { Card, Code, Table, Text, Title } from '@mantine/core';
import type { RuntimeStatus } from '../../api/types.js';
import { StateBadge, ago } from '../common.js';

/** Every module and process of the running cluster, with pids, ports, URLs and messages. */
export function ComponentsTable({ cluster }: { cluster: RuntimeStatus }) {
  return (
      <Card withBorder>
        <Title order={4} mb="xs">
          Modules and processes
        </Title>
        <Text size="sm" c="dimmed" mb="sm">
          Profile <b>{cluster.profile}</b> on the {cluster.runtime} runtime{cluster.startedAt ? `, up since ${ago(cluster.startedAt)}` : ''}.
        </Text>
        <Table striped aria-label="Components">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Component</Table.Th>
              <Table.Th>State</Table.Th>
              <Table.Th>PID</Table.Th>
              <Table.Th>Ports / URLs</Table.Th>
              <Table.Th>Message</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {cluster.components.map((c) => (
              <Table.Tr key={c.name} data-testid={`component-${c.name}`}>
                <Table.Td>
                  {c.name} <Text span size="xs" c="dimmed">{c.kind}</Text>
                </Table.Td>
                <Table.Td>
                  <StateBadge state={c.state} />
                  {c.restarts ? <Text span size="xs" c="orange"> {c.restarts} restarts</Text> : null}
                </Table.Td>
                <Table.Td>{c.pid ?? '—'}</Table.Td>
                <Table.Td>
                  {Object.entries(c.ports ?? {}).map(([k, v]) => (
                    <Code key={k} mr={4}>
                      {k}:{v}
                    </Code>
                  ))}
                  {Object.entries(c.urls ?? {}).map(([k, v]) => (
                    <div key={k}>
                      <Text span size="xs" c="dimmed">{k} </Text>
                      <Code>{v}</Code>
                    </div>
                  ))}
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{c.message}</Text>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        {(cluster.notes ?? []).map((n) => (
          <Text key={n} size="sm" c="dimmed" mt="xs">
            Note: {n}
          </Text>
        ))}
      </Card>
    );
}
