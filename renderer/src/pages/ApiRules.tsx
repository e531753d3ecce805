import { Alert, Anchor, Badge, Button, Card, Code, CopyButton, Group, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { errorMessage } from '../api/client.js';
import { loadAccessLog, loadApiRules, loadIssuer, mintToken } from '../api/gateway.js';
import { usePoll } from '../api/hooks.js';
import type { ApiRuleView } from '../api/types.js';
import { ApiProblem, clock, EmptyState, PageTitle, StateBadge } from '../components/common.js';
import { TryApiRule } from '../components/TryApiRule.js';
import { linkProps } from '../router.js';

function authLabel(r: ApiRuleView['rules'][number]): string {
  if (r.auth !== 'jwt') return r.auth;
  const needs = (r.requiredScopes ?? []).map((s, i) => [...s.map((x) => `scope ${x}`), ...((r.audiences ?? [])[i] ?? []).map((a) => `aud ${a}`)].join(' + ')).filter(Boolean);
  return `jwt (${(r.issuers ?? []).join(', ')})${needs.length > 0 ? `: ${needs.join(' or ')}` : ''}`;
}

function TokenBox() {
  const [scopes, setScopes] = useState('');
  const [token, setToken] = useState<string>();
  const [error, setError] = useState<string>();
  const issuer = usePoll(loadIssuer, 0, []);
  return (
    <Card withBorder>
      <Stack gap="xs">
        <Title order={4}>Local OIDC issuer</Title>
        {issuer.data && (
          <Text size="sm">
            Issuer <Code>{issuer.data.issuer}</Code> · JWKS <Code>{issuer.data.jwksUri}</Code> · client <Code>{issuer.data.clients.join(', ')}</Code>
          </Text>
        )}
        <Group align="flex-end">
          <TextInput label="Scopes" placeholder="read write" value={scopes} onChange={(e) => setScopes(e.currentTarget.value)} w={220} />
          <Button
            variant="light"
            onClick={() => {
              setError(undefined);
              mintToken(scopes.split(/[ ,]+/).filter(Boolean)).then(
                (t) => setToken(t.accessToken),
                (err: unknown) => setError(errorMessage(err)),
              );
            }}
          >
            New token
          </Button>
          {token && (
            <CopyButton value={token}>
              {({ copied, copy }) => (
                <Button color={copied ? 'teal' : 'blue'} onClick={copy}>
                  {copied ? 'Copied' : 'Copy token'}
                </Button>
              )}
            </CopyButton>
          )}
        </Group>
        {token && (
          <Code block style={{ wordBreak: 'break-all', whiteSpace: 'pre-wrap' }} data-testid="token">
            {token}
          </Code>
        )}
        {error && <Alert color="red">{error}</Alert>}
      </Stack>
    </Card>
  );
}

function RuleCard({ r }: { r: ApiRuleView }) {
  const key = `${r.namespace}/${r.name}`;
  const log = usePoll((s) => loadAccessLog(s, key), 3000, [key]);
  const recent = (log.data ?? []).slice(-8).reverse();
  return (
    <Card withBorder data-testid={`apirule-${r.name}`}>
      <Stack gap="xs">
        <Group justify="space-between">
          <Group gap="xs">
            <Title order={4}>{key}</Title>
            <StateBadge state={r.state} />
          </Group>
          {r.state !== 'Error' && (
            <Anchor href={r.url} target="_blank" rel="noreferrer">
              {r.url}
            </Anchor>
          )}
        </Group>
        <Text size="sm" c={r.state === 'Ready' ? 'dimmed' : r.state === 'Warning' ? 'orange' : 'red'}>
          {r.description}
        </Text>
        {r.state !== 'Error' && <Code>{r.curl}</Code>}
        <Table withTableBorder striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Path</Table.Th>
              <Table.Th>Methods</Table.Th>
              <Table.Th>Access</Table.Th>
              <Table.Th>Service</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {r.rules.map((x, i) => (
              <Table.Tr key={i}>
                <Table.Td>
                  <Code>{x.path}</Code>
                </Table.Td>
                <Table.Td>{x.methods.join(', ') || 'any'}</Table.Td>
                <Table.Td>
                  <Badge variant="light" tt="none" color={x.auth === 'noAuth' ? 'gray' : x.auth === 'jwt' ? 'blue' : 'orange'}>
                    {authLabel(x)}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  <Anchor {...linkProps(`/functions/${x.service}`)}>{x.service}</Anchor>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        {r.state !== 'Error' && <TryApiRule namespace={r.namespace} name={r.name} methods={[...new Set(r.rules.flatMap((x) => x.methods))]} />}
        <Text size="sm" fw={600}>
          Recent requests
        </Text>
        {recent.length === 0 ? (
          <Text size="sm" c="dimmed">
            None yet.
          </Text>
        ) : (
          <Table>
            <Table.Tbody>
              {recent.map((l, i) => (
                <Table.Tr key={i}>
                  <Table.Td>{clock(l.time)}</Table.Td>
                  <Table.Td>{String(l.attributes['http.method'] ?? '')}</Table.Td>
                  <Table.Td>{String(l.attributes['http.target'] ?? '')}</Table.Td>
                  <Table.Td>
                    <Badge color={Number(l.attributes['http.status_code']) < 400 ? 'green' : 'red'} variant="light">
                      {String(l.attributes['http.status_code'] ?? '')}
                    </Badge>
                  </Table.Td>
                  <Table.Td>{String(l.attributes.duration_ms ?? '')} ms</Table.Td>
                  <Table.Td>{String(l.attributes.reason ?? '')}</Table.Td>
                  <Table.Td>{l.traceId && <Anchor {...linkProps(`/traces/${l.traceId}`)}>trace</Anchor>}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Stack>
    </Card>
  );
}

/** APIRules as the gateway serves them: URL, state, rules with their access strategy, recent requests, try-it. */
export function ApiRulesPage() {
  const rules = usePoll(loadApiRules, 3000, []);
  return (
    <Stack>
      <PageTitle>API Rules</PageTitle>
      {rules.error && <ApiProblem error={rules.error} what="the API gateway" next={<Text size="sm">Start the cluster with a profile that includes api-gateway.</Text>} />}
      {rules.data && <TokenBox />}
      {rules.data && rules.data.items.length === 0 && (
        <EmptyState title="No APIRules yet">
          Apply one with <Code>kyma-local apply -f apirule.yaml</Code> or declare <Code>apiRules:</Code> in a function&apos;s config.yaml.
        </EmptyState>
      )}
      {rules.data?.items.map((r) => <RuleCard key={`${r.namespace}/${r.name}`} r={r} />)}
    </Stack>
  );
}
