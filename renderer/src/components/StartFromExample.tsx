import { Button, Card, Group, Select, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { errorMessage } from '../api/client.js';
import { listExamples, startExample } from '../api/daemon.js';
import { usePoll } from '../api/hooks.js';
import { linkProps } from '../router.js';

/** Overview's "Start from an example": writes the example's folders (never over existing files) and deploys them. */
export function StartFromExample() {
  const examples = usePoll((s) => listExamples({ signal: s }), 0, []);
  const [name, setName] = useState<string | null>('order-flow');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; text: string }>();
  const start = async (): Promise<void> => {
    if (!name) return;
    setBusy(true);
    setResult(undefined);
    try {
      const r = await startExample(name);
      setResult({ ok: true, text: `Wrote ${r.files.length} files to ${r.dir} and started watching it — edit them there; every save redeploys.` });
    } catch (err) {
      setResult({ ok: false, text: errorMessage(err) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card withBorder>
      <Title order={4} mb="xs">
        Start from an example
      </Title>
      <Group align="flex-end">
        <Select
          label="Example"
          aria-label="Example"
          w={360}
          value={name}
          onChange={setName}
          data={(examples.data?.items ?? []).map((e) => ({ value: e.name, label: `${e.name} — ${e.description}` }))}
        />
        <Button loading={busy} disabled={!name} onClick={() => void start()}>
          Start from an example
        </Button>
      </Group>
      {result && (
        <Text size="sm" mt="xs" c={result.ok ? undefined : 'red'} data-testid="example-result">
          {result.text}{' '}
          {result.ok && (
            <a {...linkProps('/map')}>Open the app map</a>
          )}
        </Text>
      )}
    </Card>
  );
}
