import { Alert, Button, Group, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { errorMessage } from '../api/client.js';
import type { DevFolderState } from '../api/types.js';
import { addDevFolders } from '../api/daemon.js';

/**
 * Adds function folders to the dev loop (addDevFolders). The desktop app offers a native folder picker;
 * a browser cannot hand out absolute paths, so there the user types the path.
 */
export function AddFolder({ onAdded }: { onAdded: () => void }) {
  const [dir, setDir] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [added, setAdded] = useState<DevFolderState[]>();

  async function add(path: string): Promise<void> {
    setBusy(true);
    setError(undefined);
    try {
      const { items } = await addDevFolders([path]);
      setAdded(items.filter((i) => i.dir.startsWith(path) || i.root === path));
      setDir('');
      onAdded();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  async function pick(): Promise<void> {
    const chosen = await window.kymaLocal?.chooseFunctionFolder();
    if (chosen) await add(chosen);
  }

  return (
    <Stack gap="xs">
      <Group align="flex-end">
        {window.kymaLocal && (
          <Button onClick={() => void pick()} loading={busy}>
            Choose function folder…
          </Button>
        )}
        <TextInput
          label="Function folder (absolute path)"
          placeholder="/home/me/functions/hello"
          value={dir}
          onChange={(e) => setDir(e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && dir.trim()) void add(dir.trim());
          }}
          w={420}
        />
        <Button variant="light" onClick={() => void add(dir.trim())} disabled={!dir.trim()} loading={busy}>
          Add folder
        </Button>
      </Group>
      <Text size="xs" c="dimmed">
        A folder with config.yaml and handler.js (Kyma CLI format), or a folder holding several. Saves are redeployed automatically. New one:{' '}
        <code>kyma-local init function NAME</code>.
      </Text>
      {error && (
        <Alert color="red" role="alert" title="Could not add the folder">
          {error}
        </Alert>
      )}
      {added?.map((f) =>
        f.errors.length > 0 ? (
          <Alert key={f.dir} color="orange" title={`${f.dir} has problems`}>
            {f.errors.map((e, i) => (
              <div key={i}>
                {e.file ? `${e.file}${e.line ? `:${e.line}` : ''}: ` : ''}
                {e.field ? `${e.field}: ` : ''}
                {e.message}
              </div>
            ))}
          </Alert>
        ) : null,
      )}
    </Stack>
  );
}
