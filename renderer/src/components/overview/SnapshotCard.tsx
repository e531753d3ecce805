import { Alert, Anchor, Button, Card, Checkbox, FileButton, Group, Select, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { errorMessage } from '../../api/client.js';
import { usePoll } from '../../api/hooks.js';
import { listSnapshotFiles, runSnapshotTask, snapshotFileUrl, uploadSnapshot } from '../../api/snapshots.js';

function stamp(): string {
  return `snapshot-${new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-')}.kyma`;
}

/** Save and Load on Overview: snapshots live in the home's snapshots/ folder; a file from elsewhere is uploaded there first. */
export function SnapshotCard({ onDone }: { onDone: () => void }) {
  const files = usePoll((s) => listSnapshotFiles({ signal: s }), 0, []);
  const [withEvents, setWithEvents] = useState(true);
  const [withTelemetry, setWithTelemetry] = useState(true);
  const [replace, setReplace] = useState(false);
  const [chosen, setChosen] = useState<string | null>(null);
  const [busy, setBusy] = useState<'save' | 'load' | 'upload' | undefined>();
  const [lines, setLines] = useState<string[]>([]);
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string; name?: string }>();

  async function task(kind: 'save' | 'load', body: Record<string, unknown>, name: string): Promise<void> {
    setBusy(kind);
    setLines([]);
    setOutcome(undefined);
    try {
      await runSnapshotTask(kind, body, (items) => {
        for (const l of items) {
          if (l.type === 'progress') setLines((p) => [...p, l.message]);
          else if (!l.ok) setOutcome({ ok: false, text: l.error });
          else if (kind === 'save') setOutcome({ ok: true, name, text: `Saved ${name} (${((l.bytes ?? 0) / 1024).toFixed(1)} KiB).` });
          else setOutcome({ ok: true, text: `Loaded ${name}: ${l.functions?.ready ?? 0}/${l.functions?.total ?? 0} function(s) Ready.` });
        }
      });
    } catch (err) {
      setOutcome({ ok: false, text: errorMessage(err) });
    } finally {
      setBusy(undefined);
      files.reload();
      onDone();
    }
  }

  async function upload(file: File | null): Promise<void> {
    if (!file) return;
    setBusy('upload');
    setOutcome(undefined);
    try {
      const name = await uploadSnapshot(file);
      setChosen(name);
      setLines([`uploaded ${name}`]);
    } catch (err) {
      setOutcome({ ok: false, text: errorMessage(err) });
    } finally {
      setBusy(undefined);
      files.reload();
    }
  }

  const options = (files.data?.items ?? []).map((f) => ({ value: f.name, label: `${f.name} (${(f.bytes / 1024).toFixed(1)} KiB)` }));
  return (
    <Card withBorder aria-label="Snapshots">
      <Title order={4} mb="xs">
        Snapshots
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        One file with the profile, resources, function sources and their npm dependencies — for an offline demo or a colleague.
      </Text>
      <Stack gap="sm">
        <Group align="flex-end">
          <Checkbox label="with events" checked={withEvents} onChange={(e) => setWithEvents(e.currentTarget.checked)} disabled={!!busy} />
          <Checkbox label="with telemetry" checked={withTelemetry} onChange={(e) => setWithTelemetry(e.currentTarget.checked)} disabled={!!busy} />
          <Button
            onClick={() => {
              const name = stamp();
              void task('save', { name, withEvents, withTelemetry }, name);
            }}
            loading={busy === 'save'}
            disabled={!!busy}
          >
            Save snapshot
          </Button>
        </Group>
        <Group align="flex-end">
          <Select label="Snapshot" placeholder="pick a saved snapshot" data={options} value={chosen} onChange={setChosen} w={360} disabled={!!busy} />
          <FileButton onChange={(f) => void upload(f)} accept=".kyma,application/gzip">
            {(props) => (
              <Button variant="light" {...props} loading={busy === 'upload'} disabled={!!busy}>
                Upload…
              </Button>
            )}
          </FileButton>
          <Checkbox label="replace what is there" checked={replace} onChange={(e) => setReplace(e.currentTarget.checked)} disabled={!!busy} />
          <Button onClick={() => chosen && void task('load', { name: chosen, replace }, chosen)} loading={busy === 'load'} disabled={!!busy || !chosen}>
            Load snapshot
          </Button>
        </Group>
        {lines.length > 0 && (
          <Text size="sm" className="kl-mono" role="log" aria-label="Snapshot progress">
            {lines.map((l, i) => (
              <span key={i}>
                · {l}
                <br />
              </span>
            ))}
          </Text>
        )}
        {outcome?.ok && (
          <Text size="sm" c="green" role="status">
            {outcome.text}{' '}
            {outcome.name && (
              <Anchor href={snapshotFileUrl(outcome.name)} download={outcome.name}>
                Download
              </Anchor>
            )}
          </Text>
        )}
        {outcome && !outcome.ok && (
          <Alert color="red" title="Snapshot" role="alert">
            {outcome.text}
          </Alert>
        )}
      </Stack>
    </Card>
  );
}
