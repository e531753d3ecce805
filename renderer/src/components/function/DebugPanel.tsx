import { Alert, Button, Checkbox, Code, CopyButton, Group, NumberInput, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { vscodeAttachConfig } from '../../../../main/core/api/index.js';
import { ApiError, errorMessage } from '../../api/client.js';
import { getDebug, startDebug, stopDebug } from '../../api/daemon.js';
import { usePoll } from '../../api/hooks.js';

/** Start/stop `kyma-local debug` for one function and show where to attach (DevTools URL, VS Code snippet). */
export function DebugPanel({ ns, name, onChange }: { ns: string; name: string; onChange: () => void }) {
  const session = usePoll((s) => getDebug(ns, name, { signal: s }).catch((err: unknown) => (err instanceof ApiError && err.status === 404 ? null : Promise.reject(err))), 3000, [ns, name]);
  const [port, setPort] = useState<number>(9229);
  const [brk, setBrk] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  async function run(action: () => Promise<unknown>): Promise<void> {
    setBusy(true);
    setError(undefined);
    try {
      await action();
      session.reload();
      onChange();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }
  const info = session.data;
  if (session.error) return <Text size="sm" c="dimmed">Debugging is not available: {errorMessage(session.error)}</Text>;
  return (
    <Stack gap="xs" data-testid="debug-panel">
      {error && (
        <Alert color="red" role="alert">
          {error}
        </Alert>
      )}
      {!info ? (
        <Group align="end">
          <NumberInput label="Inspector port" value={port} onChange={(v) => setPort(Number(v))} min={1024} max={65535} w={140} />
          <Checkbox label="Stop before every invocation" checked={brk} onChange={(e) => setBrk(e.currentTarget.checked)} mb={8} />
          <Button loading={busy} onClick={() => void run(() => startDebug(ns, name, { port, break: brk }))}>
            Debug
          </Button>
        </Group>
      ) : (
        <>
          <Text size="sm">
            Revision {info.session.revision} runs with the Node inspector on <Code>127.0.0.1:{info.session.port}</Code> (1 replica). Set breakpoints in{' '}
            <Code>{info.session.handlerFile}</Code>. Time paused does not count towards FUNC_TIMEOUT; saves keep the port.
          </Text>
          <Group gap="xs">
            {info.devtoolsUrl && (
              <CopyButton value={info.devtoolsUrl}>{({ copied, copy }) => <Button size="xs" variant="light" onClick={copy}>{copied ? 'Copied' : 'Copy DevTools URL'}</Button>}</CopyButton>
            )}
            <CopyButton value={JSON.stringify(vscodeAttachConfig(info), null, 2)}>
              {({ copied, copy }) => (
                <Button size="xs" variant="light" onClick={copy}>
                  {copied ? 'Copied' : 'Copy VS Code launch config'}
                </Button>
              )}
            </CopyButton>
            <Button size="xs" color="gray" loading={busy} onClick={() => void run(() => stopDebug(ns, name))}>
              Stop debugging
            </Button>
          </Group>
          <Code block>{JSON.stringify(vscodeAttachConfig(info), null, 2)}</Code>
        </>
      )}
    </Stack>
  );
}
