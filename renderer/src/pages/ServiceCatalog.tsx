import { Anchor, Badge, Button, Code, Group, Paper, Stack, Table, Text, Title, Tooltip } from '@mantine/core';
import { useState } from 'react';
import { errorMessage } from '../api/client.js';
import { usePoll } from '../api/hooks.js';
import { loadCatalog, revealSecret, type CatalogData } from '../api/services.js';
import type { KubeObject } from '../api/types.js';
import { ApiProblem, EmptyState, PageTitle, StateBadge } from '../components/common.js';
import { linkProps } from '../router.js';

// Service consumption: offerings → plans (per broker), instances → bindings, with state, the functions that use each
// binding's Secret, and credentials masked until the user asks to see them (the Secret is fetched only then).

interface PlanSummary {
  name: string;
  description?: string;
  unavailable?: string;
}

interface OfferingSummary {
  name: string;
  description?: string;
  plans?: PlanSummary[];
}

/** The upstream printer column "Status": the first condition's reason; its message explains it. */
function reasonOf(o: KubeObject): { reason: string; message?: string } {
  const c = o.status?.conditions?.[0];
  if (o.metadata.deletionTimestamp) return { reason: 'Deleting', message: o.status?.conditions?.find((x) => x.type === 'Failed')?.message ?? c?.message };
  return { reason: c?.reason ?? 'Pending', message: c?.message };
}

const REASON_COLORS: Record<string, string> = { Created: 'green', Updated: 'green', CreateInProgress: 'blue', Deleting: 'yellow' };

function Reason({ o }: { o: KubeObject }) {
  const { reason, message } = reasonOf(o);
  const color = REASON_COLORS[reason] ?? (reason.endsWith('Failed') ? 'red' : 'gray');
  const badge = (
    <Badge color={color} variant="light" radius="sm">
      {reason}
    </Badge>
  );
  return message ? (
    <Tooltip label={message} multiline w={420} withArrow>
      {badge}
    </Tooltip>
  ) : (
    badge
  );
}

/** Functions in the binding's namespace that read its Secret through env secretKeyRef or secretMounts. */
function usedBy(binding: KubeObject, functions: KubeObject[]): KubeObject[] {
  const secret = String(binding.spec?.secretName ?? binding.metadata.name);
  return functions.filter((f) => {
    if (f.metadata.namespace !== binding.metadata.namespace) return false;
    const env = Array.isArray(f.spec?.env) ? (f.spec.env as Array<{ valueFrom?: { secretKeyRef?: { name?: string } } }>) : [];
    const mounts = Array.isArray(f.spec?.secretMounts) ? (f.spec.secretMounts as Array<{ secretName?: string }>) : [];
    return env.some((e) => e.valueFrom?.secretKeyRef?.name === secret) || mounts.some((m) => m.secretName === secret);
  });
}

function Credentials({ binding }: { binding: KubeObject }) {
  const [values, setValues] = useState<Record<string, string>>();
  const [error, setError] = useState<string>();
  const ns = binding.metadata.namespace ?? 'default';
  const secret = String(binding.spec?.secretName ?? binding.metadata.name);
  if (binding.status?.ready !== 'True') return <Text c="dimmed">—</Text>;
  const reveal = async (): Promise<void> => {
    try {
      setValues(await revealSecret(ns, secret));
    } catch (err) {
      setError(errorMessage(err));
    }
  };
  if (error) return <Text c="red">{error}</Text>;
  if (!values) {
    return (
      <Group gap="xs">
        <Code>{secret}</Code>
        <Text c="dimmed">••••••••</Text>
        <Button size="compact-xs" variant="light" onClick={() => void reveal()} aria-label={`Reveal credentials of ${binding.metadata.name}`}>
          Reveal
        </Button>
      </Group>
    );
  }
  return (
    <Stack gap={2}>
      <Group gap="xs">
        <Code>{secret}</Code>
        <Button size="compact-xs" variant="subtle" onClick={() => setValues(undefined)}>
          Hide
        </Button>
      </Group>
      {Object.entries(values).map(([k, v]) => (
        <Text key={k} size="xs" ff="monospace" style={{ wordBreak: 'break-all' }}>
          {k}: {v}
        </Text>
      ))}
    </Stack>
  );
}

function Offerings({ brokers }: { brokers: KubeObject[] }) {
  return (
    <Stack gap="sm">
      {brokers.map((b) => {
        const services = (b.status?.services as OfferingSummary[] | undefined) ?? [];
        return (
          <Paper key={b.metadata.name} withBorder p="sm" radius="md">
            <Group justify="space-between" mb="xs">
              <Group gap="xs">
                <Text fw={600}>Broker {b.metadata.name}</Text>
                <Code>{String(b.spec?.url ?? '')}</Code>
              </Group>
              <Reason o={b} />
            </Group>
            <Table striped withRowBorders={false} aria-label={`Offerings of broker ${b.metadata.name}`}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Offering</Table.Th>
                  <Table.Th>Plans</Table.Th>
                  <Table.Th>Description</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {services.map((s) => (
                  <Table.Tr key={s.name}>
                    <Table.Td>{s.name}</Table.Td>
                    <Table.Td>
                      <Group gap={4}>
                        {(s.plans ?? []).map((p) =>
                          p.unavailable ? (
                            <Tooltip key={p.name} label={p.unavailable} multiline w={360}>
                              <Badge color="orange" variant="outline">{`${p.name} (unavailable)`}</Badge>
                            </Tooltip>
                          ) : (
                            <Tooltip key={p.name} label={p.description ?? p.name} multiline w={360}>
                              <Badge variant="outline">{p.name}</Badge>
                            </Tooltip>
                          ),
                        )}
                      </Group>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" c="dimmed">
                        {s.description}
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Paper>
        );
      })}
    </Stack>
  );
}

function Instances({ data }: { data: CatalogData }) {
  return (
    <Table aria-label="Service instances" layout="fixed">
      <Table.Thead>
        <Table.Tr>
          <Table.Th w={140}>Instance</Table.Th>
          <Table.Th w={150}>Offering / plan</Table.Th>
          <Table.Th w={140}>Status</Table.Th>
          <Table.Th w={96}>Ready</Table.Th>
          <Table.Th>Bindings → Secret, used by, credentials</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {data.instances.map((i) => {
          const bindings = data.bindings.filter((b) => b.metadata.namespace === i.metadata.namespace && b.spec?.serviceInstanceName === i.metadata.name);
          return (
            <Table.Tr key={`${i.metadata.namespace}/${i.metadata.name}`} style={{ verticalAlign: 'top' }}>
              <Table.Td>
                <Text fw={500}>{i.metadata.name}</Text>
                <Text size="xs" c="dimmed">
                  {i.metadata.namespace}
                </Text>
              </Table.Td>
              <Table.Td>
                {String(i.spec?.serviceOfferingName)} / {String(i.spec?.servicePlanName)}
              </Table.Td>
              <Table.Td>
                <Reason o={i} />
              </Table.Td>
              <Table.Td>
                <StateBadge state={String(i.status?.ready ?? 'False')} />
              </Table.Td>
              <Table.Td>
                {bindings.length === 0 && <Text c="dimmed">no bindings</Text>}
                <Stack gap="xs">
                  {bindings.map((b) => (
                    <Paper key={b.metadata.name} withBorder p="xs" radius="sm">
                      <Group gap="xs" mb={4}>
                        <Text fw={500}>{b.metadata.name}</Text>
                        <Reason o={b} />
                        <Text size="xs" c="dimmed">
                          used by{' '}
                          {usedBy(b, data.functions).map((f, n) => (
                            <span key={f.metadata.name}>
                              {n > 0 && ', '}
                              <Anchor size="xs" {...linkProps(`/functions/${f.metadata.namespace}/${f.metadata.name}`)}>
                                {f.metadata.name}
                              </Anchor>
                            </span>
                          ))}
                          {usedBy(b, data.functions).length === 0 && 'no function'}
                        </Text>
                      </Group>
                      <Credentials binding={b} />
                    </Paper>
                  ))}
                </Stack>
              </Table.Td>
            </Table.Tr>
          );
        })}
      </Table.Tbody>
    </Table>
  );
}

export function ServiceCatalogPage() {
  const { data, error } = usePoll(loadCatalog, 2000, []);
  return (
    <>
      <PageTitle>Service Catalog</PageTitle>
      {error && !data && <ApiProblem error={error} what="the service catalog" />}
      {data && data.brokers.length === 0 && (
        <EmptyState title="No service brokers">
          Add <Code>btp-operator</Code> to the profile's modules to get the built-in broker (postgresql, redis, nats-kv), or register one with a
          ServiceBroker resource.
        </EmptyState>
      )}
      {data && data.brokers.length > 0 && (
        <Stack gap="lg">
          <Stack gap="xs">
            <Title order={4}>Offerings and plans</Title>
            <Offerings brokers={data.brokers} />
          </Stack>
          <Stack gap="xs">
            <Title order={4}>Instances and bindings</Title>
            {data.instances.length === 0 ? (
              <EmptyState title="No service instances">
                Apply a ServiceInstance (<Code>serviceOfferingName: postgresql</Code>, <Code>servicePlanName: dev</Code>) and a ServiceBinding; see the README section
                “Give a function a database”.
              </EmptyState>
            ) : (
              <Instances data={data} />
            )}
          </Stack>
        </Stack>
      )}
    </>
  );
}
