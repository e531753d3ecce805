import { Alert, Button, Card, Group, Select, Table, Text } from '@mantine/core';
import { useState } from 'react';
import { errorMessage, ndjson } from '../../api/client.js';
import { clusterPath } from '../../api/daemon.js';
import type { ProfileSummary, ProgressEvent, ProgressLine, RuntimeStatus } from '../../api/types.js';
import { StateBadge } from '../common.js';

/** The profile picker and the start/stop buttons, with each component's progress while the cluster comes up or down. */
export function ClusterControls({ cluster, profiles, onDone }: { cluster: RuntimeStatus; profiles: ProfileSummary[]; onDone: () => void }) {
  const [profile, setProfile] = useState<string | null>(null);
  const [busy, setBusy] = useState<'up' | 'down' | undefined>();
  const [progress, setProgress] = useState<ProgressEvent[]>([]);
  const [result, setResult] = useState<{ ok: boolean; error?: string; action?: 'up' | 'down' }>();
  const running = cluster.phase !== 'Stopped';
  const chosen = profile ?? cluster.profile ?? 'default';

  async function run(kind: 'up' | 'down'): Promise<void> {
    setBusy(kind);
    setProgress([]);
    setResult(undefined);
    try {
      await ndjson<ProgressLine>(clusterPath(kind), {
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
      onDone();
    }
  }

  const profileOptions = profiles.map((p) => ({ value: p.name, label: p.description ? `${p.name} — ${p.description}` : p.name }));
  if (cluster.profile && !profileOptions.some((o) => o.value === cluster.profile)) profileOptions.push({ value: cluster.profile, label: cluster.profile });
  if (!profileOptions.some((o) => o.value === chosen)) profileOptions.push({ value: chosen, label: chosen });

  return (
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
  );
}
