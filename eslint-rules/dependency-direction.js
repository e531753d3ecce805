// Enforces DESIGN.md's dependency direction:
//   api, model ← store, profiles, telemetry, workspace ← embedded, kind ← daemon
//   api, model, profiles, workspace ← daemon-client ← cli, electron
// api and model are pure TypeScript (no node:* imports); function-runtime imports nothing from the rest of main/;
// renderer/ imports core/api and otherwise main/ only with `import type`; a module reaches another module only
// through its index; inside embedded/ each folder is a room that reaches the others only through their index.ts;
// in the daemon only runtime-factory.ts names a runtime implementation (embedded, kind).
import path from 'node:path';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

/** Which layer a repository-relative path belongs to, or undefined when it is outside main/ and renderer/. */
export function layerOf(rel) {
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
export const ALLOWED = {
  api: ['model'],
  model: [],
  'function-runtime': [],
  store: ['api', 'model'],
  profiles: ['api', 'model'],
  telemetry: ['api', 'model'],
  workspace: ['api', 'model'],
  runtime: ['api', 'model', 'profiles'],
  embedded: ['api', 'model', 'store', 'profiles', 'telemetry', 'workspace', 'runtime', 'function-runtime'],
  kind: ['api', 'model', 'store', 'profiles', 'telemetry', 'workspace', 'runtime'],
  daemon: ['api', 'model', 'store', 'profiles', 'telemetry', 'workspace', 'runtime', 'embedded', 'kind', 'daemon-client'],
  'daemon-client': ['api', 'model', 'profiles', 'workspace'],
  cli: ['api', 'model', 'profiles', 'workspace', 'daemon-client'],
  electron: ['api', 'model', 'daemon-client'],
  renderer: ['api'],
  // The public test kit (kyma-local/testing) runs handlers with the function runtime, nothing else.
  testing: ['function-runtime'],
};

/** Layers without node:* imports: the dashboard compiles them for the browser. */
const PURE = new Set(['api', 'model']);

const INDEX_ONLY = new Set(['api', 'model', 'store', 'profiles', 'telemetry', 'workspace', 'embedded', 'kind', 'daemon', 'daemon-client', 'function-runtime']);

/** The one daemon file that may name a runtime implementation. */
const RUNTIME_FACTORY = 'main/core/daemon/runtime-factory.ts';
const RUNTIME_IMPLEMENTATIONS = new Set(['embedded', 'kind']);

/** The room of a path inside embedded/ (`eventing` for main/core/embedded/eventing/x.ts), '' for embedded/'s own files. */
function embeddedRoom(p) {
  const m = /^main\/core\/embedded\/(?:([^/]+)\/)?[^/]+$/.exec(p) ?? /^main\/core\/embedded\/([^/]+)\//.exec(p);
  return m ? (m[1] ?? '') : undefined;
}

const posix = (p) => p.split(path.sep).join('/');

export default {
  meta: {
    type: 'problem',
    docs: { description: "Enforce DESIGN.md's dependency direction between main/ modules" },
    schema: [],
    messages: {
      direction: "'{{from}}' must not import from '{{to}}' (DESIGN.md: dependency direction). Allowed: {{allowed}}.",
      internals: "'{{from}}' must import '{{to}}' through its index.ts, not '{{spec}}'.",
      room: "embedded/{{from}} must reach embedded/{{to}} through its index.ts, not '{{spec}}' (each embedded/ folder is a room).",
      factory: "Only {{factory}} may name a runtime implementation ('{{to}}'); routes and the daemon use the Runtime interface and its capabilities.",
      node: "{{from}}/ is pure TypeScript (the dashboard compiles it): it must not import '{{spec}}'.",
      typeOnly: "renderer/ imports main/{{to}} only with `import type` (only core/api is bundled into the dashboard).",
    },
  },
  create(context) {
    const file = context.filename ?? context.getFilename();
    const fromRel = posix(path.relative(ROOT, file));
    const from = layerOf(fromRel);
    if (!from) return {};
    function check(node, spec, typeOnly) {
      if (typeof spec !== 'string') return;
      if (PURE.has(from) && (spec.startsWith('node:') || /^(fs|path|os|child_process|http|net|crypto|url)$/.test(spec))) {
        context.report({ node, messageId: 'node', data: { from, spec } });
        return;
      }
      if (!spec.startsWith('.')) return;
      const target = posix(path.relative(ROOT, path.resolve(path.dirname(file), spec)));
      const targetFile = target.endsWith('.js') || target.endsWith('.ts') ? target : target + '/x';
      const to = layerOf(targetFile);
      if (!to) return;
      if (to === from) {
        if (from === 'embedded') {
          const a = embeddedRoom(fromRel);
          const b = embeddedRoom(targetFile);
          if (a && b && a !== b && !new RegExp(`^main/core/embedded/${b}/index\\.(js|ts)$`).test(target)) {
            context.report({ node, messageId: 'room', data: { from: a, to: b, spec } });
          }
        }
        return;
      }
      const allowed = ALLOWED[from] ?? [];
      if (!allowed.includes(to)) {
        if (from === 'renderer' && typeOnly) return;
        context.report({ node, messageId: from === 'renderer' ? 'typeOnly' : 'direction', data: { from, to, allowed: allowed.join(', ') || 'nothing' } });
        return;
      }
      if (from === 'daemon' && RUNTIME_IMPLEMENTATIONS.has(to) && fromRel.replace(/\.js$/, '.ts') !== RUNTIME_FACTORY) {
        context.report({ node, messageId: 'factory', data: { factory: RUNTIME_FACTORY, to } });
        return;
      }
      if (INDEX_ONLY.has(to) && !/^main\/core\/[^/]+\/index\.(js|ts)$/.test(target)) {
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
