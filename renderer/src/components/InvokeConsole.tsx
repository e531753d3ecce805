import { Alert, Anchor, Badge, Button, Group, Select, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { useState } from 'react';
import { errorMessage } from '../api/client.js';
import { linkProps } from '../router.js';
import { JsonBlock, answerBody } from './common.js';
import { invokePath } from '../api/daemon.js';
import { INVOKE_DURATION_HEADER } from '../../../main/core/api/index.js';

function hex(bytes: number): string {
  const a = new Uint8Array(bytes);
  crypto.getRandomValues(a);
  return Array.from(a, (b) => b.toString(16).padStart(2, '0')).join('');
}

interface Answer {
  status: number;
  durationMs?: string;
  body: string;
  contentType: string;
  traceId: string;
}

/**
 * Calls the function through the daemon (the same mesh path another function takes). The console starts the
 * trace itself (traceparent), so the answer links straight to the trace of this very call.
 */
export function InvokeConsole({ namespace, name }: { namespace: string; name: string }) {
  const [method, setMethod] = useState<string | null>('POST');
  const [path, setPath] = useState('/');
  const [body, setBody] = useState('{\n  "name": "Kyma"\n}');
  const [busy, setBusy] = useState(false);
  const [answer, setAnswer] = useState<Answer>();
  const [error, setError] = useState<string>();

  async function send(): Promise<void> {
    setBusy(true);
    setError(undefined);
    const traceId = hex(16);
    try {
      const m = method ?? 'GET';
      const res = await fetch(invokePath(namespace, name, path.startsWith('/') ? path : `/${path}`), {
        method: m,
        credentials: 'same-origin',
        headers: { traceparent: `00-${traceId}-${hex(8)}-01`, ...(m !== 'GET' && m !== 'DELETE' ? { 'Content-Type': 'application/json' } : {}) },
        ...(m !== 'GET' && m !== 'DELETE' ? { body } : {}),
      });
      const text = await res.text();
      const duration = res.headers.get(INVOKE_DURATION_HEADER);
      setAnswer({ status: res.status, body: text, contentType: res.headers.get('content-type') ?? '', traceId, ...(duration ? { durationMs: duration } : {}) });
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  const shown = answer ? answerBody(answer.body, answer.contentType) : undefined;

  return (
    <Stack gap="xs">
      <Group align="flex-end">
        <Select label="Method" data={['GET', 'POST', 'PUT', 'PATCH', 'DELETE']} value={method} onChange={setMethod} w={110} allowDeselect={false} />
        <TextInput label="Path" value={path} onChange={(e) => setPath(e.currentTarget.value)} w={260} />
        <Button onClick={() => void send()} loading={busy}>
          Invoke
        </Button>
      </Group>
      {method !== 'GET' && method !== 'DELETE' && (
        <Textarea label="Body (JSON)" value={body} onChange={(e) => setBody(e.currentTarget.value)} autosize minRows={3} maxRows={10} styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }} />
      )}
      {error && (
        <Alert color="red" role="alert">
          {error}
        </Alert>
      )}
      {answer && (
        <Stack gap={4} data-testid="invoke-answer">
          <Group gap="xs">
            <Badge color={answer.status < 400 ? 'green' : 'red'}>HTTP {answer.status}</Badge>
            {answer.durationMs && <Text size="sm">{answer.durationMs} ms</Text>}
            <Anchor size="sm" {...linkProps(`/traces/${answer.traceId}`)}>
              Open trace
            </Anchor>
            <Anchor size="sm" {...linkProps(`/logs?traceId=${answer.traceId}`)}>
              Logs of this call
            </Anchor>
          </Group>
          <JsonBlock value={shown} />
        </Stack>
      )}
    </Stack>
  );
}
