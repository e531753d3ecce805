import { Alert, Anchor, Button, Group, Loader, Stack, Text, UnstyledButton } from '@mantine/core';
import { useRef, useState } from 'react';
import { stringify } from 'yaml';
import { api, ApiError, errorMessage, KINDS, resourcePath, type KindName } from '../../api/client.js';
import { usePoll } from '../../api/hooks.js';
import type { KubeObject } from '../../api/types.js';
import { ApiProblem } from '../common.js';
import { YamlEditor, type YamlEditorHandle } from '../YamlEditor.js';
import { parseYaml, problemsFromCauses, type FieldProblem } from '../yaml-fields.js';
import { linkProps, navigate } from '../../router.js';
import { TEMPLATES } from './templates.js';

export function summary(o: KubeObject): string {
  const c = o.status?.conditions;
  if (!c || c.length === 0) return (o.status?.['state'] as string | undefined) ?? '';
  const bad = c.find((x) => x.status === 'False');
  if (bad) return 'Failed';
  const running = c.find((x) => x.type === 'Running' || x.type === 'Ready');
  return running?.status === 'True' ? 'Ready' : 'Pending';
}

/** What the editor shows: the object without server-managed noise, Secret data masked out. */
export function editable(o: KubeObject): string {
  const copy: KubeObject = JSON.parse(JSON.stringify(o)) as KubeObject;
  delete copy.status;
  delete copy.metadata.uid;
  delete copy.metadata.creationTimestamp;
  delete copy.metadata.generation;
  delete (copy.metadata as { managedFields?: unknown }).managedFields;
  // kubectl's last-applied copy repeats the whole object (for a Secret: its values in clear text).
  if (copy.metadata.annotations) {
    delete copy.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration'];
    if (Object.keys(copy.metadata.annotations).length === 0) delete copy.metadata.annotations;
  }
  return stringify(copy);
}

export function Editor({ kind, namespace, name }: { kind: KindName; namespace?: string | undefined; name?: string | undefined }) {
  const isNew = !name;
  const existing = usePoll((s) => (name ? api<KubeObject>(resourcePath(kind, namespace, name), { signal: s }) : Promise.resolve(undefined)), 0, [kind, namespace, name]);
  const editor = useRef<YamlEditorHandle>(null);
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const [message, setMessage] = useState<{ ok: boolean; text: string }>();
  const [busy, setBusy] = useState(false);

  async function apply(): Promise<void> {
    const text = editor.current?.getText() ?? '';
    setMessage(undefined);
    const parsed = parseYaml(text);
    if (parsed.problems.length > 0) {
      setProblems(parsed.problems);
      setMessage({ ok: false, text: 'The YAML does not parse; fix the marked lines.' });
      return;
    }
    const obj = parsed.doc.toJS() as KubeObject | null;
    const k = obj?.kind as KindName | undefined;
    if (!obj || typeof obj !== 'object' || !k || !(k in KINDS) || !obj.metadata?.name) {
      setProblems([{ from: 0, to: 1, line: 1, message: `expected one object with kind (${Object.keys(KINDS).join(', ')}) and metadata.name` }]);
      return;
    }
    setBusy(true);
    try {
      const ns = KINDS[k].namespaced ? (obj.metadata.namespace ?? 'default') : undefined;
      const exists = await api<KubeObject>(resourcePath(k, ns, obj.metadata.name)).then(
        () => true,
        (e: unknown) => (e instanceof ApiError && e.status === 404 ? false : Promise.reject(e)),
      );
      const saved = exists
        ? await api<KubeObject>(resourcePath(k, ns, obj.metadata.name), { method: 'PUT', body: obj })
        : await api<KubeObject>(resourcePath(k, ns), { method: 'POST', body: obj });
      setProblems([]);
      setMessage({ ok: true, text: `${k} ${saved.metadata.namespace ? `${saved.metadata.namespace}/` : ''}${saved.metadata.name} ${exists ? 'updated' : 'created'} (resourceVersion ${saved.metadata.resourceVersion}).` });
      if (isNew) navigate(`/resources/${k}/${saved.metadata.namespace ?? '_'}/${saved.metadata.name}`);
    } catch (err) {
      if (err instanceof ApiError && err.causes.length > 0) {
        setProblems(problemsFromCauses(text, err.causes));
        setMessage({ ok: false, text: err.message });
      } else {
        setProblems([]);
        setMessage({ ok: false, text: errorMessage(err) });
      }
    } finally {
      setBusy(false);
    }
  }

  async function remove(): Promise<void> {
    if (!name || !window.confirm(`Delete ${kind} ${name}?`)) return;
    try {
      await api(resourcePath(kind, namespace, name), { method: 'DELETE' });
      navigate(`/resources/${kind}`);
    } catch (err) {
      setMessage({ ok: false, text: errorMessage(err) });
    }
  }

  if (name && existing.error) return <ApiProblem error={existing.error} what={`${kind} ${name}`} />;
  if (name && !existing.data) return <Loader />;
  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <Text fw={600}>
          <Anchor {...linkProps(`/resources/${kind}`)}>{kind}s</Anchor> / {name ?? 'new'}
        </Text>
        <Group gap="xs">
          {name && (
            <Button color="red" variant="subtle" onClick={() => void remove()}>
              Delete
            </Button>
          )}
          <Button onClick={() => void apply()} loading={busy}>
            Apply
          </Button>
        </Group>
      </Group>
      {kind === 'Secret' && <Text size="xs" c="dimmed">Secret values are base64 in data:, or write plain text under stringData:.</Text>}
      <YamlEditor ref={editor} initial={existing.data ? editable(existing.data) : TEMPLATES[kind]} problems={problems} label={`${kind} YAML`} onChange={() => problems.length && setProblems([])} />
      {message && (
        <Alert color={message.ok ? 'green' : 'red'} role={message.ok ? 'status' : 'alert'} data-testid="apply-result">
          {message.text}
        </Alert>
      )}
      {problems.length > 0 && (
        <Stack gap={2} data-testid="field-errors">
          {problems.map((p, i) => (
            <UnstyledButton key={i} onClick={() => editor.current?.reveal(p.from)} className="kl-mono" style={{ color: 'var(--mantine-color-red-text)' }}>
              line {p.line}
              {p.field ? ` · ${p.field}` : ''}: {p.message}
            </UnstyledButton>
          ))}
        </Stack>
      )}
    </Stack>
  );
}
