import { Anchor, Button, Loader, SegmentedControl, Stack, Table } from '@mantine/core';
import { api, KINDS, resourcePath, type KindName } from '../api/client.js';
import { usePoll } from '../api/hooks.js';
import type { KubeList } from '../api/types.js';
import { ApiProblem, EmptyState, PageTitle, StateBadge, ago } from '../components/common.js';
import { linkProps, navigate } from '../router.js';
import { summary, Editor } from '../components/resources/ResourceEditor.js';

export function ResourcesPage({ kind, namespace, name }: { kind?: string | undefined; namespace?: string | undefined; name?: string | undefined }) {
  const k: KindName = kind && kind in KINDS ? (kind as KindName) : 'Function';
  const list = usePoll((s) => api<KubeList>(resourcePath(k), { signal: s }), 3000, [k]);
  const ns = namespace === '_' ? undefined : namespace;
  return (
    <Stack>
      <PageTitle
        right={
          <Button variant="light" {...linkProps(`/resources/${k}/new`)} component="a">
            New {k}
          </Button>
        }
      >
        Resources
      </PageTitle>
      <SegmentedControl value={k} onChange={(v) => navigate(`/resources/${v}`)} data={Object.keys(KINDS)} aria-label="Kind" />
      {namespace === 'new' ? (
        <Editor key={`${k}-new`} kind={k} />
      ) : name ? (
        <Editor key={`${k}/${namespace}/${name}`} kind={k} namespace={ns} name={name} />
      ) : list.error ? (
        <ApiProblem error={list.error} what={`${k}s`} />
      ) : !list.data ? (
        <Loader />
      ) : list.data.items.length === 0 ? (
        <EmptyState title={`No ${k}s`} action={<Anchor {...linkProps(`/resources/${k}/new`)}>Create one from a template</Anchor>}>
          Apply YAML here, with <code>kyma-local apply -f</code>, or with kubectl.
        </EmptyState>
      ) : (
        <Table highlightOnHover aria-label={`${k}s`}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              {KINDS[k].namespaced && <Table.Th>Namespace</Table.Th>}
              <Table.Th>Status</Table.Th>
              <Table.Th>Age</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.data.items.map((o) => (
              <Table.Tr key={`${o.metadata.namespace}/${o.metadata.name}`}>
                <Table.Td>
                  <Anchor {...linkProps(`/resources/${k}/${o.metadata.namespace ?? '_'}/${o.metadata.name}`)}>{o.metadata.name}</Anchor>
                </Table.Td>
                {KINDS[k].namespaced && <Table.Td>{o.metadata.namespace}</Table.Td>}
                <Table.Td>{summary(o) ? <StateBadge state={summary(o)} /> : '—'}</Table.Td>
                <Table.Td>{ago(o.metadata.creationTimestamp)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
