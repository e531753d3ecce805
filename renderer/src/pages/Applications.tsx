import { Anchor, Badge, Card, Code, Group, Loader, Stack, Table, Text, Title, Button } from '@mantine/core';
import { useState } from 'react';
import { loadApplications } from '../api/applications.js';
import { usePoll } from '../api/hooks.js';
import type { ApplicationView, GatewayCallView } from '../api/types.js';
import { GatewayConsole } from '../components/GatewayConsole.js';
import { SpecView } from '../components/SpecView.js';
import { ApiProblem, EmptyState, PageTitle, StateBadge, clock, ms } from '../components/common.js';
import { linkProps } from '../router.js';

function CallsTable({ calls }: { calls: GatewayCallView[] }) {
  if (calls.length === 0) return <Text size="sm" c="dimmed">No gateway calls yet.</Text>;
  return (
    <Table striped aria-label="Recent gateway calls">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Time</Table.Th>
          <Table.Th>Service</Table.Th>
          <Table.Th>Call</Table.Th>
          <Table.Th>Status</Table.Th>
          <Table.Th>Latency</Table.Th>
          <Table.Th>Trace</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {calls.slice(0, 15).map((c, i) => (
          <Table.Tr key={`${c.time}-${i}`}>
            <Table.Td>{clock(c.time)}</Table.Td>
            <Table.Td>{c.service}</Table.Td>
            <Table.Td className="kl-mono" title={c.error}>
              {c.method} {c.path}
            </Table.Td>
            <Table.Td>
              <Badge color={c.status < 400 ? 'green' : c.status < 500 ? 'orange' : 'red'}>{c.status}</Badge>
              {c.targetStatus !== undefined && c.targetStatus !== c.status && <Text span size="xs"> target {c.targetStatus}</Text>}
              {c.retried && <Text span size="xs" c="dimmed"> retried</Text>}
            </Table.Td>
            <Table.Td>{ms(c.latencyMs)}</Table.Td>
            <Table.Td>{c.traceId ? <Anchor size="sm" {...linkProps(`/traces/${c.traceId}`)}>open</Anchor> : '—'}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

function ApplicationCard({ app }: { app: ApplicationView }) {
  const [spec, setSpec] = useState<string>();
  const [tryCall, setTryCall] = useState<{ service: string; method: string; path: string; n: number }>();
  return (
    <Card withBorder data-testid={`application-${app.name}`}>
      <Stack gap="sm">
        <Group justify="space-between">
          <Group gap="xs">
            <Title order={4}>{app.displayName ?? app.name}</Title>
            {app.displayName && <Text c="dimmed">{app.name}</Text>}
            <StateBadge state={app.state} />
          </Group>
          <Text size="sm">
            events as source <Code>{app.eventSource}</Code> at <Code>{app.inbound.url}</Code> (token: Secret <Code>{app.inbound.tokenSecret}</Code>)
          </Text>
        </Group>
        {app.message && <Text size="sm" c={app.state === 'Error' ? 'red' : app.state === 'Warning' ? 'orange' : 'dimmed'}>{app.message}</Text>}
        <Table aria-label={`Services of ${app.name}`}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Service</Table.Th>
              <Table.Th>Entry</Table.Th>
              <Table.Th>Credentials</Table.Th>
              <Table.Th>URL for function code</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {app.services.flatMap((s) =>
              s.entries.map((e, i) => (
                <Table.Tr key={`${s.id}-${i}`}>
                  <Table.Td>
                    <Text fw={500}>{s.displayName ?? s.name}</Text>
                    <Text size="xs" c="dimmed">{s.gatewayPath}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Badge variant="light" color={e.type === 'API' ? 'blue' : 'grape'}>{e.type}</Badge> {e.name}
                    {e.problem && <Text size="xs" c="red">{e.problem}</Text>}
                  </Table.Td>
                  <Table.Td>
                    {e.credentials ? (
                      <>
                        {e.credentials.type} <Code>{e.credentials.secretName}</Code> <StateBadge state={e.credentials.secret === 'Found' ? 'ok' : 'error'} />{' '}
                        <Text span size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>values ••••••{e.credentials.csrf ? ' · CSRF' : ''}</Text>
                      </>
                    ) : (
                      <Text size="sm" c="dimmed">none</Text>
                    )}
                  </Table.Td>
                  <Table.Td className="kl-mono">{e.clusterUrl ?? <Text size="sm" c="dimmed">inbound events</Text>}</Table.Td>
                  <Table.Td>
                    {e.specificationUrl && (
                      <Button size="compact-xs" variant="light" onClick={() => setSpec(spec === s.gatewayPath ? undefined : s.gatewayPath)}>
                        {spec === s.gatewayPath ? 'Hide spec' : 'Spec'}
                      </Button>
                    )}
                  </Table.Td>
                </Table.Tr>
              )),
            )}
          </Table.Tbody>
        </Table>
        {spec && (
          <Card withBorder bg="var(--mantine-color-gray-0)">
            <SpecView
              app={app.name}
              service={spec}
              {...(app.services.find((s) => s.gatewayPath === spec)?.entries.find((e) => e.clusterUrl)?.clusterUrl ? { clusterUrl: app.services.find((s) => s.gatewayPath === spec)!.entries.find((e) => e.clusterUrl)!.clusterUrl! } : {})}
              onTry={(method, path) => setTryCall({ service: spec, method, path: path.replace(/\{[^}]+\}/g, '1'), n: (tryCall?.n ?? 0) + 1 })}
            />
          </Card>
        )}
        <Title order={5}>Call through the gateway</Title>
        <GatewayConsole key={tryCall?.n ?? 0} app={app} {...(tryCall ? { initial: tryCall } : {})} />
        <Title order={5}>Recent gateway calls</Title>
        <CallsTable calls={app.recentCalls} />
      </Stack>
    </Card>
  );
}

export function ApplicationsPage() {
  const apps = usePoll(loadApplications, 2000, []);
  return (
    <Stack>
      <PageTitle>Applications</PageTitle>
      {apps.error && <ApiProblem error={apps.error} what="Applications" next={<Text size="sm">Start the cluster with a profile that includes application-connector (Overview).</Text>} />}
      {!apps.data && !apps.error && <Loader />}
      {apps.data && (
        <Text size="sm">
          Central application gateway: <Code>{apps.data.gateway.clusterUrl}</Code> from functions, <Code>{apps.data.gateway.hostUrl}</Code> from this machine.
        </Text>
      )}
      {apps.data && apps.data.applications.length === 0 && (
        <EmptyState title="No applications registered">
          Apply an Application (<code>applicationconnector.kyma-project.io/v1alpha1</code>) and its credential Secrets in <code>kyma-system</code> with <code>kyma-local apply -f</code> or kubectl; see the README section “Connect an external system”.
        </EmptyState>
      )}
      {apps.data?.applications.map((a) => <ApplicationCard key={a.name} app={a} />)}
    </Stack>
  );
}
