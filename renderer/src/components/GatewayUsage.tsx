import { Anchor, Badge, Card, Code, Stack, Table, Text, Title } from '@mantine/core';
import { loadApplications } from '../api/applications.js';
import { usePoll } from '../api/hooks.js';
import type { KubeObject } from '../api/types.js';
import { linkProps } from '../router.js';
import { StateBadge } from './common.js';

const GATEWAY_URL = /https?:\/\/central-application-gateway\.kyma-system(?:\.svc(?:\.cluster\.local)?)?:(\d+)\/([A-Za-z0-9.-]+)\/([A-Za-z0-9-]+)/g;

/**
 * The application gateway URLs a function's code calls, matched to the registered Applications: which external
 * system each one reaches, with its credentials state. Shown only for functions whose source uses the gateway.
 */
export function GatewayUsage({ fn }: { fn: KubeObject }) {
  const inline = (fn.spec?.source as { inline?: { source?: string } } | undefined)?.inline?.source ?? '';
  const used = [...new Set([...inline.matchAll(GATEWAY_URL)].map((m) => `${m[2]}/${m[3]}`))];
  const apps = usePoll(loadApplications, used.length ? 5000 : 0, [used.join(',')]);
  if (used.length === 0) return null;
  return (
    <Card withBorder data-testid="gateway-usage">
      <Title order={4} mb="xs">
        External systems (application gateway)
      </Title>
      <Table aria-label="Application gateway URLs this function calls">
        <Table.Tbody>
          {used.map((u) => {
            const [appName, svc] = u.split('/');
            const app = apps.data?.applications.find((a) => a.name === appName);
            const service = app?.services.find((s) => s.gatewayPath === svc);
            const entry = service?.entries.find((e) => e.type === 'API');
            return (
              <Table.Tr key={u}>
                <Table.Td className="kl-mono">{entry?.clusterUrl ?? `http://central-application-gateway.kyma-system:8080/${u}`}</Table.Td>
                <Table.Td>
                  {!apps.data ? (
                    <Text size="sm" c="dimmed">…</Text>
                  ) : !app ? (
                    <Badge color="red">Application {appName} not registered</Badge>
                  ) : !service ? (
                    <Badge color="red">no API service {svc}</Badge>
                  ) : (
                    <Stack gap={0}>
                      <Text size="sm">
                        <Anchor {...linkProps('/applications')}>{app.displayName ?? app.name}</Anchor> · {service.displayName ?? service.name} → <Code>{entry?.targetUrl}</Code>
                      </Text>
                      <Text size="xs">
                        {entry?.credentials ? `${entry.credentials.type} via Secret ${entry.credentials.secretName} ` : 'no credentials '}
                        <StateBadge state={entry?.served ? 'ok' : 'error'} />
                      </Text>
                    </Stack>
                  )}
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Card>
  );
}
