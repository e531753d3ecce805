import { ActionIcon, Code, Table, Text, Tooltip } from '@mantine/core';
import { useState } from 'react';
import type { KubeObject } from '../api/types.js';

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string }; configMapKeyRef?: { name: string; key: string } };
}

// Literal values under names like these are credentials more often than not: hidden until asked for.
const SENSITIVE = /(secret|password|passwd|token|key|credential|auth)/i;

function Masked({ value }: { value: string }) {
  const [shown, setShown] = useState(false);
  return (
    <>
      <Code>{shown ? value : '••••••••'}</Code>{' '}
      <Tooltip label={shown ? 'Hide' : 'Show'}>
        <ActionIcon size="xs" variant="subtle" aria-label={shown ? 'Hide value' : 'Show value'} onClick={() => setShown((s) => !s)}>
          {shown ? '◉' : '○'}
        </ActionIcon>
      </Tooltip>
    </>
  );
}

/** The Function's env; values from Secrets are never fetched, literal sensitive-looking ones are masked. */
export function EnvTable({ fn }: { fn: KubeObject }) {
  const env = (fn.spec?.env as EnvVar[] | undefined) ?? [];
  if (env.length === 0) return <Text size="sm" c="dimmed">No environment variables (set them under env: in config.yaml).</Text>;
  return (
    <Table aria-label="Environment">
      <Table.Tbody>
        {env.map((e) => (
          <Table.Tr key={e.name}>
            <Table.Td className="kl-mono">{e.name}</Table.Td>
            <Table.Td>
              {e.valueFrom?.secretKeyRef ? (
                <Text size="sm">
                  <Code>••••••••</Code> from secret {e.valueFrom.secretKeyRef.name}/{e.valueFrom.secretKeyRef.key}
                </Text>
              ) : e.valueFrom?.configMapKeyRef ? (
                <Text size="sm">
                  from config map {e.valueFrom.configMapKeyRef.name}/{e.valueFrom.configMapKeyRef.key}
                </Text>
              ) : SENSITIVE.test(e.name) ? (
                <Masked value={e.value ?? ''} />
              ) : (
                <Code>{e.value ?? ''}</Code>
              )}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
