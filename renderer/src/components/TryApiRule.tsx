import { Alert, Anchor, Badge, Button, Checkbox, Group, Select, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { useState } from 'react';
import { errorMessage } from '../api/client.js';
import { mintToken, tryRule } from '../api/gateway.js';
import type { TryAnswer } from '../api/types.js';
import { linkProps } from '../router.js';
import { JsonBlock, answerBody } from './common.js';

/** Calls an APIRule through the gateway (the daemon sets the Host a browser cannot), with or without a fresh token. */
export function TryApiRule({ namespace, name, methods }: { namespace: string; name: string; methods: string[] }) {
  const choices = methods.length > 0 ? methods : ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
  const [method, setMethod] = useState<string | null>(choices[0] ?? 'GET');
  const [path, setPath] = useState('/');
  const [body, setBody] = useState('{\n  "name": "Kyma"\n}');
  const [withToken, setWithToken] = useState(false);
  const [scopes, setScopes] = useState('');
  const [busy, setBusy] = useState(false);
  const [answer, setAnswer] = useState<TryAnswer>();
  const [error, setError] = useState<string>();
  const hasBody = method !== 'GET' && method !== 'DELETE' && method !== 'HEAD';

  async function send(): Promise<void> {
    setBusy(true);
    setError(undefined);
    try {
      const token = withToken ? (await mintToken(scopes.split(/[ ,]+/).filter(Boolean))).accessToken : undefined;
      setAnswer(await tryRule(namespace, name, { method: method ?? 'GET', path, ...(hasBody ? { body } : {}), ...(token ? { token } : {}) }));
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
        <Select label="Method" data={choices} value={method} onChange={setMethod} w={110} allowDeselect={false} />
        <TextInput label="Path" value={path} onChange={(e) => setPath(e.currentTarget.value)} w={220} />
        <Checkbox label="with a token" checked={withToken} onChange={(e) => setWithToken(e.currentTarget.checked)} mb={8} />
        {withToken && <TextInput label="Scopes" placeholder="read write" value={scopes} onChange={(e) => setScopes(e.currentTarget.value)} w={160} />}
        <Button onClick={() => void send()} loading={busy}>
          Send
        </Button>
      </Group>
      {hasBody && <Textarea label="Body (JSON)" value={body} onChange={(e) => setBody(e.currentTarget.value)} autosize minRows={2} maxRows={8} styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }} />}
      {error && (
        <Alert color="red" role="alert">
          {error}
        </Alert>
      )}
      {answer && (
        <Stack gap={4} data-testid="try-answer">
          <Group gap="xs">
            <Badge color={answer.status < 400 ? 'green' : 'red'}>HTTP {answer.status}</Badge>
            <Text size="sm">{answer.durationMs} ms</Text>
            {answer.traceId && (
              <Anchor size="sm" {...linkProps(`/traces/${answer.traceId}`)}>
                Open trace
              </Anchor>
            )}
            {answer.truncated && <Text size="sm">(first 64 KiB)</Text>}
          </Group>
          <JsonBlock value={shown} />
        </Stack>
      )}
    </Stack>
  );
}
