import { Alert, Anchor, Button, Card, Code, Group, Loader, Select, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { api, ApiError, errorMessage, KINDS, ndjson, resourcePath, type KindName } from '../api/client.js';
import { usePoll } from '../api/hooks.js';
import type { DevFolderState, FunctionDetails, KubeList, ProfileSummary, StatusReport, UpDownLine } from '../api/types.js';
import { ApiProblem, EmptyState, PageTitle, StateBadge, ago } from '../components/common.js';
import { linkProps } from '../router.js';
import { StartFromExample } from '../components/StartFromExample.js';

interface Progress {
  component: string;
  state: string;
  message?: string;
}

async function counts(signal: AbortSignal): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  await Promise.all(
    (Object.keys(KINDS) as KindName[]).map(async (k) => {
      try {
        out[k] = (await api<KubeList>(resourcePath(k), { signal })).items.length;
      } catch {
        out[k] = NaN;
      }
    }),
  );
  return out;
}

async function recentErrors(signal: AbortSignal): Promise<string[]> {
  const out: string[] = [];
  const [fns, dev] = await Promise.all([
    api<{ items: FunctionDetails[] }>('/kl/v1/functions', { signal }).catch(() => ({ items: [] as FunctionDetails[] })),
    api<{ items: DevFolderState[] }>('/kl/v1/dev', { signal }).catch(() => ({ items: [] as DevFolderState[] })),
  ]);
  for (const f of fns.items) {
    if (f.lastError) out.push(`${f.namespace}/${f.name}: ${f.lastError.message}${f.lastError.file ? ` (${f.lastError.file}${f.lastError.line ? `:${f.lastError.line}` : ''})` : ''}`);
  }
  for (const d of dev.items) for (const e of d.errors) out.push(`${d.dir}: ${e.file ? `${e.file}${e.line ? `:${e.line}` : ''}: ` : ''}${e.field ? `${e.field}: ` : ''}${e.message}`);
  return out;
}

export function OverviewPage() {
  const status = usePoll((s) => api<StatusReport>('/kl/v1/status', { signal: s }), 2000, []);
  const profiles = usePoll((s) => api<{ items: ProfileSummary[] }>('/kl/v1/profiles', { signal: s }), 0, []);
  const resourceCounts = usePoll(counts, 5000, []);
  const errors = usePoll(recentErrors, 4000, []);
  const [profile, setProfile] = useState<string | null>(null);
  const [busy, setBusy] = useState<'up' | 'down' | undefined>();
  const [progress, setProgress] = useState<Progress[]>([]);
  const [result, setResult] = useState<{ ok: boolean; error?: string; action?: 'up' | 'down' }>();

  const cluster = status.data?.cluster;
  const running = cluster && cluster.phase !== 'Stopped';
  const chosen = profile ?? cluster?.profile ?? 'default';

  async function run(kind: 'up' | 'down'): Promise<void> {
    setBusy(kind);
    setProgress([]);
    setResult(undefined);
    try {
      await ndjson<UpDownLine>(`/kl/v1/${kind}`, {
        method: 'POST',
        body: kind === 'up' ? { profile: chosen } : {},
        onBatch: (lines) => {
          for (const l of lines) {
            if (l.type === 'progress') {
              setProgress((p) => [...p.filter((x) => x.component !== l.component), { component: l.component, state: l.state, ...(l.message ? { message: l.message } : {}) }]);
            } else setResult({ ok: l.ok, action: kind, ...(l.error ? { error: l.error } : {}) });
          }
        },
      });
    } catch (err) {
      setResult({ ok: false, error: errorMessage(err) });
    } finally {
      setBusy(undefined);
      status.reload();
    }
  }

  if (status.error && !status.data) return <ApiProblem error={status.error} what="the daemon status" />;
  if (!status.data || !cluster) return <Loader />;

  const profileOptions = (profiles.data?.items ?? []).map((p) => ({ value: p.name, label: p.description ? `${p.name} — ${p.description}` : p.name }));
  if (cluster.profile && !profileOptions.some((o) => o.value === cluster.profile)) profileOptions.push({ value: cluster.profile, label: cluster.profile });
  if (!profileOptions.some((o) => o.value === chosen)) profileOptions.push({ value: chosen, label: chosen });

  return (
    <Stack>
      <PageTitle right={<StateBadge state={cluster.phase} />}>Overview</PageTitle>
      <Card withBorder>
        <Group align="flex-end">
          <Select label="Cluster profile" data={profileOptions} value={chosen} onChange={setProfile} allowDeselect={false} w={360} disabled={!!busy} />
          <Button onClick={() => void run('up')} loading={busy === 'up'} disabled={!!busy}>
            {running ? 'Apply profile' : 'Start cluster'}
          </Button>
          <Button color="red" variant="light" onClick={() => void run('down')} loading={busy === 'down'} disabled={!!busy || !running}>
            Stop cluster
          </Button>
        </Group>
        {progress.length > 0 && (
          <Table mt="md" aria-label="Progress">
            <Table.Tbody>
              {progress.map((p) => (
                <Table.Tr key={p.component}>
                  <Table.Td w={180}>{p.component}</Table.Td>
                  <Table.Td w={140}>
                    <StateBadge state={p.state} />
                  </Table.Td>
                  <Table.Td>{p.message}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
        {result?.ok && (
          <Text size="sm" c="green" mt="sm" role="status">
            {result.action === 'up' ? 'The cluster is up: every module reported Ready.' : 'The cluster is stopped. Resources are kept.'}
          </Text>
        )}
        {result && !result.ok && (
          <Alert color="red" mt="md" title="The cluster did not come up cleanly" role="alert">
            {result.error}
          </Alert>
        )}
      </Card>

      {!running && (
        <EmptyState title="The cluster is stopped">
          Pick a profile and press <b>Start cluster</b>. Resources you applied earlier are kept and start again with it.
        </EmptyState>
      )}

      {running && (
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
      )}

      <SimpleGrid cols={{ base: 3, lg: 6 }}>
        {(Object.keys(KINDS) as KindName[]).map((k) => (
          <Card key={k} withBorder component="a" {...linkProps(`/resources/${k}`)}>
            <Text size="xs" c="dimmed">
              {k}s
            </Text>
            <Text size="xl" fw={700} data-testid={`count-${k}`}>
              {resourceCounts.data ? (Number.isNaN(resourceCounts.data[k]) ? '—' : resourceCounts.data[k]) : '…'}
            </Text>
          </Card>
        ))}
      </SimpleGrid>

      {cluster.phase !== 'Stopped' && <StartFromExample />}

      <Card withBorder>
        <Title order={4} mb="xs">
          Recent errors
        </Title>
        {errors.data && errors.data.length > 0 ? (
          <Stack gap={4}>
            {errors.data.map((e, i) => (
              <Text key={i} size="sm" c="red" className="kl-mono">
                {e}
              </Text>
            ))}
          </Stack>
        ) : (
          <Text size="sm" c="dimmed">
            No function or folder errors. Failed revisions and broken function folders show up here.
          </Text>
        )}
      </Card>

      <Text size="xs" c="dimmed">
        Daemon pid {status.data.daemon.pid}, version {status.data.daemon.version}, state in <Code>{status.data.daemon.stateDir}</Code>, log <Code>{status.data.daemon.logFile}</Code>.{' '}
        {status.error instanceof ApiError && <Anchor onClick={status.reload}>Refresh failed: {status.error.message}</Anchor>}
      </Text>
    </Stack>
  );
}
