import { Alert, Badge, Button, Code, Group, Loader, Stack, Table, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import { loadSpec, operationsOf } from '../api/applications.js';
import { errorMessage } from '../api/client.js';
import type { ServiceSpecResponse } from '../api/types.js';
import { ago } from './common.js';

const METHOD_COLOR: Record<string, string> = { GET: 'blue', POST: 'green', PUT: 'orange', PATCH: 'yellow', DELETE: 'red', PUBLISH: 'grape', SUBSCRIBE: 'teal' };

/** An entry's API/event specification: operations, schemas and an example call through the gateway. */
export function SpecView({ app, service, clusterUrl, onTry }: { app: string; service: string; clusterUrl?: string; onTry?: (method: string, path: string) => void }) {
  const [spec, setSpec] = useState<ServiceSpecResponse>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const load = (refresh: boolean): void => {
    setBusy(true);
    loadSpec(app, service, refresh)
      .then((s) => {
        setSpec(s);
        setError(undefined);
      })
      .catch((e: unknown) => setError(errorMessage(e)))
      .finally(() => setBusy(false));
  };
  useEffect(() => load(false), [app, service]);
  if (error) return <Alert color="red" role="alert">{error}</Alert>;
  if (!spec) return <Loader size="sm" />;
  const info = operationsOf(spec.spec);
  const first = info.operations.find((o) => o.method === 'GET') ?? info.operations[0];
  return (
    <Stack gap="xs" data-testid={`spec-${app}-${service}`}>
      <Group gap="xs">
        <Badge variant="light">{info.kind === 'asyncapi' ? 'AsyncAPI' : info.kind === 'openapi' ? 'OpenAPI' : 'document'}</Badge>
        {info.title && <Text fw={500}>{info.title}</Text>}
        <Text size="xs" c="dimmed">
          {spec.fromCache ? 'cached' : 'fetched'} {ago(spec.fetchedAt)} from {spec.specificationUrl}
        </Text>
        <Button size="compact-xs" variant="subtle" onClick={() => load(true)} loading={busy}>
          Refresh
        </Button>
      </Group>
      <Table aria-label={`Operations of ${service}`} withRowBorders={false}>
        <Table.Tbody>
          {info.operations.map((o) => (
            <Table.Tr key={`${o.method} ${o.path}`}>
              <Table.Td w={90}>
                <Badge color={METHOD_COLOR[o.method] ?? 'gray'} variant="light">{o.method}</Badge>
              </Table.Td>
              <Table.Td className="kl-mono">{o.path}</Table.Td>
              <Table.Td>
                <Text size="sm">{o.summary ?? o.operationId ?? ''}</Text>
                {o.params.length > 0 && <Text size="xs" c="dimmed">{o.params.join(', ')}</Text>}
              </Table.Td>
              <Table.Td w={70}>
                {onTry && info.kind === 'openapi' && (
                  <Button size="compact-xs" variant="light" onClick={() => onTry(o.method, o.path)}>
                    Try
                  </Button>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {info.schemas.length > 0 && <Text size="sm">Schemas: {info.schemas.join(', ')}</Text>}
      {clusterUrl && first && info.kind === 'openapi' && (
        <Stack gap={2}>
          <Text size="sm">Example from function code (the gateway adds the credentials):</Text>
          <Code block>{`const res = await fetch('${clusterUrl}${first.path}');\nconst data = await res.json();`}</Code>
          <Text size="xs" c="dimmed">
            Typed client: <Code>kyma-local app client {app} {service} -o ./{service}-client</Code>
          </Text>
        </Stack>
      )}
    </Stack>
  );
}
