import { Alert, Button, Group, Stack, TextInput, Textarea } from '@mantine/core';
import { useState } from 'react';
import { errorMessage } from '../../api/client.js';
import { publishEvent } from '../../api/daemon.js';

export function PublishForm({ onPublished }: { onPublished: (id: string) => void }) {
  const [type, setType] = useState('order.created.v1');
  const [source, setSource] = useState('myapp');
  const [data, setData] = useState('{\n  "orderId": "42"\n}');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  async function publish(): Promise<void> {
    setError(undefined);
    let parsed: unknown;
    try {
      parsed = data.trim() ? JSON.parse(data) : undefined;
    } catch (err) {
      setError(`data is not valid JSON: ${errorMessage(err)}`);
      return;
    }
    setBusy(true);
    try {
      const r = await publishEvent({ type, source, ...(parsed !== undefined ? { data: parsed } : {}) });
      onPublished(r.id);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }
  return (
    <Stack gap="xs">
      <Group grow>
        <TextInput label="Type" value={type} onChange={(e) => setType(e.currentTarget.value)} />
        <TextInput label="Source" value={source} onChange={(e) => setSource(e.currentTarget.value)} />
      </Group>
      <Textarea label="Data (JSON)" value={data} onChange={(e) => setData(e.currentTarget.value)} autosize minRows={3} maxRows={8} styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }} />
      {error && (
        <Alert color="red" role="alert">
          {error}
        </Alert>
      )}
      <Group>
        <Button onClick={() => void publish()} loading={busy}>
          Publish event
        </Button>
      </Group>
    </Stack>
  );
}
