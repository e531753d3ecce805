import { Anchor, Card, Code, Loader, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { ApiError, KINDS, type KindName } from '../api/client.js';
import { getStatus, listProfiles } from '../api/daemon.js';
import { usePoll } from '../api/hooks.js';
import { counts, recentErrors } from '../api/overview.js';
import { ApiProblem, EmptyState, PageTitle, StateBadge } from '../components/common.js';
import { ClusterControls } from '../components/overview/ClusterControls.js';
import { ComponentsTable } from '../components/overview/ComponentsTable.js';
import { linkProps } from '../router.js';
import { SnapshotCard } from '../components/overview/SnapshotCard.js';
import { StartFromExample } from '../components/StartFromExample.js';

export function OverviewPage() {
  const status = usePoll((s) => getStatus({ signal: s }), 2000, []);
  const profiles = usePoll((s) => listProfiles({ signal: s }), 0, []);
  const resourceCounts = usePoll(counts, 5000, []);
  const errors = usePoll(recentErrors, 4000, []);
  const cluster = status.data?.cluster;
  const running = cluster && cluster.phase !== 'Stopped';
  if (status.error && !status.data) return <ApiProblem error={status.error} what="the daemon status" />;
  if (!status.data || !cluster) return <Loader />;

  return (
    <Stack>
      <PageTitle right={<StateBadge state={cluster.phase} />}>Overview</PageTitle>
      <ClusterControls cluster={cluster} profiles={profiles.data?.items ?? []} onDone={status.reload} />

      {!running && (
        <EmptyState title="The cluster is stopped">
          Pick a profile and press <b>Start cluster</b>. Resources you applied earlier are kept and start again with it.
        </EmptyState>
      )}

      {running && <ComponentsTable cluster={cluster} />}

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

      <SnapshotCard onDone={() => status.reload()} />
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
