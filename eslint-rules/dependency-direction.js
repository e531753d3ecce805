// Enforces DESIGN.md's dependency direction:
//   model ← store, profiles, telemetry, workspace ← embedded, kind ← daemon ← cli, electron
// function-runtime imports nothing from the rest of main/; renderer/ imports main/ only with `import type`;
// a module reaches another module only through its index.
import path from 'node:path';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

/** Which layer a repository-relative path belongs to, or undefined when it is outside main/ and renderer/. */
function layerOf(rel) {
  const p = rel.split(path.sep).join('/');
  if (p.startsWith('renderer/')) return 'renderer';
  if (p === 'main/core/runtime.ts' || p === 'main/core/runtime.js') return 'runtime';
  const m = /^main\/core\/([^/]+)\//.exec(p);
  if (m) return m[1];
  const top = /^main\/([^/]+)\//.exec(p);
  if (top) return top[1];
  return undefined;
}

/** For each layer, the layers it may import from (besides itself). */
const ALLOWED = {
  model: [],
  'function-runtime': [],
  'listener-guard': [],
  store: ['model'],
  profiles: ['model'],
  telemetry: ['model', 'listener-guard'],
  workspace: ['model'],
  runtime: ['model', 'profiles'],
  embedded: ['model', 'store', 'profiles', 'telemetry', 'workspace', 'runtime', 'function-runtime', 'listener-guard'],
  kind: ['model', 'store', 'profiles', 'telemetry', 'workspace', 'runtime', 'listener-guard'],
  daemon: ['model', 'store', 'profiles', 'telemetry', 'workspace', 'runtime', 'embedded', 'kind', 'listener-guard'],
  cli: ['model', 'profiles', 'workspace', 'daemon'],
  electron: ['model', 'daemon'],
  renderer: [],
};

const INDEX_ONLY = new Set(['model', 'store', 'profiles', 'telemetry', 'workspace', 'embedded', 'kind', 'daemon', 'function-runtime', 'listener-guard']);

export default {
  meta: {
    type: 'problem',
    docs: { description: "Enforce DESIGN.md's dependency direction between main/ modules" },
    schema: [],
    messages: {
      direction: "'{{from}}' must not import from '{{to}}' (DESIGN.md: dependency direction). Allowed: {{allowed}}.",
      internals: "'{{from}}' must import '{{to}}' through its index.ts, not '{{spec}}'.",
      node: "model/ is pure TypeScript: it must not import '{{spec}}'.",
    },
  },
  create(context) {
    const file = context.filename ?? context.getFilename();
    const fromRel = path.relative(ROOT, file);
    const from = layerOf(fromRel);
    if (!from) return {};
    function check(node, spec, typeOnly) {
      if (typeof spec !== 'string') return;
      if (from === 'model' && (spec.startsWith('node:') || /^(fs|path|os|child_process|http|net)$/.test(spec))) {
        context.report({ node, messageId: 'node', data: { spec } });
        return;
      }
      if (!spec.startsWith('.')) return;
      const target = path.relative(ROOT, path.resolve(path.dirname(file), spec));
      const to = layerOf(target.endsWith('.js') || target.endsWith('.ts') ? target : target + '/x');
      if (!to || to === from) return;
      if (from === 'renderer' && typeOnly) return;
      const allowed = ALLOWED[from] ?? [];
      if (!allowed.includes(to)) {
        context.report({ node, messageId: 'direction', data: { from, to, allowed: allowed.join(', ') || 'nothing' } });
        return;
      }
      if (INDEX_ONLY.has(to) && !/\/index\.(js|ts)$/.test(spec) && !/^main\/core\/[^/]+\/index\.(js|ts)$/.test(target.split(path.sep).join('/'))) {
        context.report({ node, messageId: 'internals', data: { from, to, spec } });
      }
    }
    return {
      ImportDeclaration(node) { check(node, node.source.value, node.importKind === 'type'); },
      ExportNamedDeclaration(node) { if (node.source) check(node, node.source.value, node.exportKind === 'type'); },
      ExportAllDeclaration(node) { check(node, node.source.value, node.exportKind === 'type'); },
      ImportExpression(node) { if (node.source.type === 'Literal') check(node, node.source.value, false); },
    };
  },
};
