import { Alert, Anchor, Card, Code, Group, Loader, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { api, ApiError, resourcePath } from '../api/client.js';
import { functionPhase, SOURCE_DIR_ANNOTATION } from '../api/functions.js';
import { usePoll } from '../api/hooks.js';
import type { KubeObject } from '../api/types.js';
import { ApiProblem, PageTitle, StateBadge } from '../components/common.js';
import { EnvTable } from '../components/EnvTable.js';
import { InvokeConsole } from '../components/InvokeConsole.js';
import { ExposingRules } from '../components/ExposingRules.js';
import { GatewayUsage } from '../components/GatewayUsage.js';
import { linkProps } from '../router.js';
import { getFunction, listDevFolders, removeDevFolders } from '../api/daemon.js';
import { Revisions } from '../components/function/Revisions.js';
import { FunctionLogs } from '../components/function/FunctionLogs.js';
import { FunctionTraces } from '../components/function/FunctionTraces.js';
import { DebugPanel } from '../components/function/DebugPanel.js';

export function FunctionDetailPage({ namespace, name }: { namespace: string; name: string }) {
  const resource = usePoll((s) => api<KubeObject>(resourcePath('Function', namespace, name), { signal: s }), 2000, [namespace, name]);
  const details = usePoll((s) => getFunction(namespace, name, { signal: s }), 2000, [namespace, name]);
  const dev = usePoll((s) => listDevFolders({ signal: s }), 5000, []);
  if (resource.error instanceof ApiError && resource.error.status === 404) {
    return <ApiProblem error={resource.error} what={`function ${namespace}/${name}`} next={<Anchor {...linkProps('/functions')}>Back to functions</Anchor>} />;
  }
  if (!resource.data) return resource.error ? <ApiProblem error={resource.error} what="the function" /> : <Loader />;
  const fn = resource.data;
  const phase = functionPhase(fn);
  const watched = dev.data?.items.find((f) => f.function?.namespace === namespace && f.function.name === name);
  const folder = watched?.dir ?? fn.metadata.annotations?.[SOURCE_DIR_ANNOTATION];
  async function stopWatching(root: string): Promise<void> {
    await removeDevFolders([root]).catch(() => undefined);
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
            <ExposingRules namespace={namespace} name={name} />
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
      <Card withBorder>
        <Title order={4} mb="xs">
          Debug
        </Title>
        <DebugPanel ns={namespace} name={name} onChange={details.reload} />
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
