import { Alert, Badge, Button, Group, Select, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { useState } from 'react';
import { callThroughGateway } from '../api/applications.js';
import { errorMessage } from '../api/client.js';
import type { ApplicationView, GatewayCallResponse } from '../api/types.js';
import { JsonBlock, answerBody } from './common.js';

/** Calls an API entry through the application gateway, exactly as function code would (credentials added there). */
export function GatewayConsole({ app, initial }: { app: ApplicationView; initial?: { service: string; method: string; path: string } }) {
  const services = app.services.filter((s) => s.entries.some((e) => e.type === 'API')).map((s) => s.gatewayPath);
  const [service, setService] = useState<string | null>(initial?.service ?? services[0] ?? null);
  const [method, setMethod] = useState<string | null>(initial?.method ?? 'GET');
  const [path, setPath] = useState(initial?.path ?? '/');
  const [body, setBody] = useState('{}');
  const [busy, setBusy] = useState(false);
  const [answer, setAnswer] = useState<GatewayCallResponse>();
  const [error, setError] = useState<string>();
  if (services.length === 0) return <Text size="sm" c="dimmed">No API entries to call.</Text>;

  async function send(): Promise<void> {
    setBusy(true);
    setError(undefined);
    try {
      const m = method ?? 'GET';
      setAnswer(await callThroughGateway(app.name, { service: service ?? '', method: m, path, ...(m !== 'GET' && m !== 'DELETE' ? { body, headers: { 'content-type': 'application/json' } } : {}) }));
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  const shown = answer ? answerBody(answer.body, answer.headers['content-type'] ?? '') : undefined;
  return (
    <Stack gap="xs" data-testid={`console-${app.name}`}>
      <Group align="flex-end">
        <Select label="Service" data={services} value={service} onChange={setService} w={220} allowDeselect={false} />
        <Select label="Method" data={['GET', 'POST', 'PUT', 'PATCH', 'DELETE']} value={method} onChange={setMethod} w={110} allowDeselect={false} />
        <TextInput label="Path" value={path} onChange={(e) => setPath(e.currentTarget.value)} w={260} />
        <Button onClick={() => void send()} loading={busy}>
          Call
        </Button>
      </Group>
      {method !== 'GET' && method !== 'DELETE' && (
        <Textarea label="Body (JSON)" value={body} onChange={(e) => setBody(e.currentTarget.value)} autosize minRows={2} maxRows={8} styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }} />
      )}
      {error && (
        <Alert color="red" role="alert">
          {error}
        </Alert>
      )}
      {answer && (
        <Stack gap={4} data-testid="gateway-answer">
          <Group gap="xs">
            <Badge color={answer.status < 400 ? 'green' : 'red'}>HTTP {answer.status}</Badge>
            {answer.headers['target-system-status'] && <Badge color="orange">target {answer.headers['target-system-status']}</Badge>}
            <Text size="sm">{answer.latencyMs} ms</Text>
            {answer.truncated && <Text size="xs" c="dimmed">(body cut at 64 KiB)</Text>}
          </Group>
          <JsonBlock value={shown} />
        </Stack>
      )}
    </Stack>
  );
}
