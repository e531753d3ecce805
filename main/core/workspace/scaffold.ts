import { access, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { dns1123LabelProblem } from './names.js';

export interface ScaffoldOptions {
  name: string;
  dir: string;
  runtime?: 'nodejs22' | 'nodejs24' | 'nodejs20';
  namespace?: string;
}

export function configTemplate(name: string, namespace: string, runtime: string): string {
  return `# Kyma function configuration (Kyma CLI v2 format): deploys unchanged with the Kyma CLI.
schemaVersion: v1
name: ${name}
namespace: ${namespace}
runtime: ${runtime}
source:
  sourceType: inline
# labels:
#   app: ${name}
# env:
#   - name: GREETING
#     value: Hello
#   - name: API_TOKEN
#     valueFrom:
#       secretKeyRef:
#         name: my-secret
#         key: token
# subscriptions:
#   - name: ${name}-order-created
#     typeMatching: standard
#     source: myapp
#     types:
#       - order.created.v1
# apiRules:
#   - name: ${name}
#     service:
#       host: ${name}
#       port: 80
#     rules:
#       - path: /*
#         methods: [GET, POST]
#         accessStrategies:
#           - handler: no_auth
`;
}

const HANDLER = `module.exports = {
  main: async function (event, context) {
    // event.data is the parsed request body (or the CloudEvent's data).
    const name = (event.data && event.data.name) || 'world';
    console.log(\`\${context['function-name']} called\`);
    return { message: \`Hello, \${name}!\`, function: context['function-name'], namespace: context.namespace };
  },
};
`;

// An ES module so it can import the test kit; `kyma-local test` resolves 'kyma-local/testing' without an install.
const HANDLER_TEST = `import { test } from 'node:test';
import assert from 'node:assert/strict';
import { invoke } from 'kyma-local/testing';

// Runs handler.js with the same event and context the Kyma runtime builds. Run with: kyma-local test .
test('greets by name', async () => {
  const res = await invoke(new URL('./handler.js', import.meta.url), { data: { name: 'Kyma' } });
  assert.equal(res.status, 200);
  assert.equal(res.body.message, 'Hello, Kyma!');
});

// A recorded event works too: kyma-local event ID --as-fixture > fixtures/order.json
// then: invoke(handlerUrl, JSON.parse(readFileSync('fixtures/order.json', 'utf8')))
`;

function packageTemplate(name: string): string {
  return `${JSON.stringify({ name, version: '0.0.1', dependencies: {} }, null, 2)}\n`;
}

/** Creates a new function folder. Refuses to overwrite anything; returns the files written. */
export async function scaffoldFunction(opts: ScaffoldOptions): Promise<string[]> {
  const problem = dns1123LabelProblem(opts.name);
  if (problem) throw new Error(`Invalid function name "${opts.name}": ${problem}`);
  const namespace = opts.namespace ?? 'default';
  const nsProblem = dns1123LabelProblem(namespace);
  if (nsProblem) throw new Error(`Invalid namespace "${namespace}": ${nsProblem}`);
  const dir = path.resolve(opts.dir);
  const files: Array<[string, string]> = [
    [path.join(dir, 'config.yaml'), configTemplate(opts.name, namespace, opts.runtime ?? 'nodejs22')],
    [path.join(dir, 'handler.js'), HANDLER],
    [path.join(dir, 'package.json'), packageTemplate(opts.name)],
    [path.join(dir, 'handler.test.mjs'), HANDLER_TEST],
  ];
  for (const [file] of files) {
    if (await exists(file)) throw new Error(`Refusing to overwrite ${file}: it already exists. Choose another folder or delete the file.`);
  }
  await mkdir(dir, { recursive: true });
  for (const [file, text] of files) await writeFile(file, text, { flag: 'wx' });
  return files.map(([file]) => file);
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}
