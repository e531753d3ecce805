import { Anchor, Code, Group, Stack, Text } from '@mantine/core';
import { loadApiRules } from '../api/gateway.js';
import { usePoll } from '../api/hooks.js';
import { linkProps } from '../router.js';
import { StateBadge } from './common.js';

/** The APIRules whose rules reach this function, with where they are served. Nothing when the gateway is off. */
export function ExposingRules({ namespace, name }: { namespace: string; name: string }) {
  const rules = usePoll(loadApiRules, 5000, []);
  const mine = (rules.data?.items ?? []).filter((r) => r.rules.some((x) => x.service === `${namespace}/${name}`));
  if (mine.length === 0) return null;
  return (
    <Stack gap={4} data-testid="exposing-rules">
      <Text fw={600}>Exposed by</Text>
      {mine.map((r) => (
        <Group key={`${r.namespace}/${r.name}`} gap="xs">
          <Anchor {...linkProps('/apirules')}>
            APIRule {r.namespace}/{r.name}
          </Anchor>
          <StateBadge state={r.state} />
          {r.state !== 'Error' && <Code>{r.url}</Code>}
          <Text size="sm" c="dimmed">
            {r.rules
              .filter((x) => x.service === `${namespace}/${name}`)
              .map((x) => `${x.methods.join(',')} ${x.path} (${x.auth})`)
              .join('; ')}
          </Text>
        </Group>
      ))}
    </Stack>
  );
}
