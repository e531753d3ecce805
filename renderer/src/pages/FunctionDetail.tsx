import { Alert, Anchor, Button, Card, Code, Group, Loader, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { api, ApiError, errorMessage, resourcePath } from '../api/client.js';
import { functionPhase, SOURCE_DIR_ANNOTATION } from '../api/functions.js';
import { usePoll } from '../api/hooks.js';
import type { DevFolderState, FunctionDetails, KubeObject, LogEntry, RevisionRecord, TraceSummary } from '../api/types.js';
import { ApiProblem, PageTitle, StateBadge, ago, clock, ms } from '../components/common.js';
import { EnvTable } from '../components/EnvTable.js';
import { InvokeConsole } from '../components/InvokeConsole.js';
import { GatewayUsage } from '../components/GatewayUsage.js';
import { linkProps } from '../router.js';

type Details = FunctionDetails & { revisions: RevisionRecord[] };

function Revisions({ ns, name, details, onChange }: { ns: string; name: string; details: Details; onChange: () => void }) {
  const [busy, setBusy] = useState<number>();
  const [error, setError] = useState<string>();
  async function rollback(to: number): Promise<void> {
    setBusy(to);
    setError(undefined);
    try {
      await api(`/kl/v1/functions/${encodeURIComponent(ns)}/${encodeURIComponent(name)}/rollback`, { method: 'POST', body: { to } });
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

function FunctionLogs({ ns, name }: { ns: string; name: string }) {
  const logs = usePoll((s) => api<{ items: LogEntry[] }>(`/kl/v1/logs?function=${encodeURIComponent(name)}&namespace=${encodeURIComponent(ns)}&limit=50`, { signal: s }), 2000, [ns, name]);
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

function FunctionTraces({ name }: { name: string }) {
  const traces = usePoll((s) => api<{ items: TraceSummary[] }>(`/kl/v1/traces?service=${encodeURIComponent(name)}&limit=15`, { signal: s }), 3000, [name]);
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

export function FunctionDetailPage({ namespace, name }: { namespace: string; name: string }) {
  const resource = usePoll((s) => api<KubeObject>(resourcePath('Function', namespace, name), { signal: s }), 2000, [namespace, name]);
  const details = usePoll((s) => api<Details>(`/kl/v1/functions/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}`, { signal: s }), 2000, [namespace, name]);
  const dev = usePoll((s) => api<{ items: DevFolderState[] }>('/kl/v1/dev', { signal: s }), 5000, []);
  if (resource.error instanceof ApiError && resource.error.status === 404) {
    return <ApiProblem error={resource.error} what={`function ${namespace}/${name}`} next={<Anchor {...linkProps('/functions')}>Back to functions</Anchor>} />;
  }
  if (!resource.data) return resource.error ? <ApiProblem error={resource.error} what="the function" /> : <Loader />;
  const fn = resource.data;
  const phase = functionPhase(fn);
  const watched = dev.data?.items.find((f) => f.function?.namespace === namespace && f.function.name === name);
  const folder = watched?.dir ?? fn.metadata.annotations?.[SOURCE_DIR_ANNOTATION];
  async function stopWatching(root: string): Promise<void> {
    await api('/kl/v1/dev/remove', { method: 'POST', body: { dirs: [root] } }).catch(() => undefined);
    dev.reload();
  }
  return (
    <Stack>
      <PageTitle right={<StateBadge state={phase.phase} />}>
        <Anchor {...linkProps('/functions')} size="xl">
          Functions
        </Anchor>{' '}
        / {name}
      </PageTitle>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Card withBorder>
          <Stack gap={6}>
            <Text size="sm">
              Namespace <b>{namespace}</b> · runtime <b>{String(fn.spec?.runtime ?? '')}</b> · replicas {details.data ? `${details.data.readyReplicas}/${details.data.desiredReplicas}` : '—'} · revision{' '}
              {details.data?.currentRevision ?? '—'}
            </Text>
            {phase.message && <Text size="sm" c="dimmed">{phase.message}</Text>}
            <Group gap="xs">
              <Text size="sm">Source:</Text>
              {folder ? <Code data-testid="source-folder">{folder}</Code> : <Text size="sm">inline manifest</Text>}
              {watched && (
                <Anchor size="sm" onClick={() => void stopWatching(watched.root)} title={`Saves under ${watched.root} are no longer deployed; the function keeps running`}>
                  Stop watching
                </Anchor>
              )}
              {folder && window.kymaLocal && (
                <Anchor size="sm" onClick={() => void window.kymaLocal?.revealInFileManager(folder)}>
                  Show in file manager
                </Anchor>
              )}
            </Group>
            {details.data?.lastError && (
              <Alert color="red" title={`Last error${details.data.lastError.revision ? ` (revision ${details.data.lastError.revision})` : ''}`}>
                <span className="kl-mono">
                  {details.data.lastError.file ? `${details.data.lastError.file}${details.data.lastError.line ? `:${details.data.lastError.line}` : ''}: ` : ''}
                  {details.data.lastError.message}
                </span>
              </Alert>
            )}
            <Anchor size="sm" {...linkProps(`/resources/Function/${namespace}/${name}`)}>
              View YAML
            </Anchor>
          </Stack>
        </Card>
        <Card withBorder>
          <Title order={5} mb="xs">
            Environment
          </Title>
          <EnvTable fn={fn} />
        </Card>
      </SimpleGrid>
      <Card withBorder>
        <Title order={4} mb="xs">
          Revisions
        </Title>
        {details.error ? <ApiProblem error={details.error} what="revisions" /> : details.data ? <Revisions ns={namespace} name={name} details={details.data} onChange={details.reload} /> : <Loader size="sm" />}
      </Card>
      <GatewayUsage fn={fn} />
      <Card withBorder>
        <Title order={4} mb="xs">
          Invoke
        </Title>
        <InvokeConsole namespace={namespace} name={name} />
      </Card>
      <SimpleGrid cols={{ base: 1, lg: 2 }}>
        <Card withBorder>
          <Group justify="space-between" mb="xs">
            <Title order={4}>Logs</Title>
            <Anchor size="sm" {...linkProps(`/logs?function=${encodeURIComponent(name)}`)}>
              Live tail
            </Anchor>
          </Group>
          <FunctionLogs ns={namespace} name={name} />
        </Card>
        <Card withBorder>
          <Title order={4} mb="xs">
            Traces
          </Title>
          <FunctionTraces name={name} />
        </Card>
      </SimpleGrid>
    </Stack>
  );
}
