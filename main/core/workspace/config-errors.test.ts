import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFunctionFolder } from './read-folder.js';
import { HANDLER, tempRoot, writeFiles } from './test-helpers.js';
import type { WorkspaceError } from './types.js';

let root = '';
let cleanup: () => Promise<void> = async () => {};
let n = 0;
beforeAll(async () => ({ root, cleanup } = await tempRoot()));
afterAll(() => cleanup());

async function errorsOf(files: Record<string, string>): Promise<{ dir: string; errors: WorkspaceError[] }> {
  const dir = await writeFiles(path.join(root, `e${n++}`), files);
  const res = await readFunctionFolder(dir);
  if (res.ok) throw new Error('expected errors');
  return { dir, errors: res.errors };
}

async function configErrors(config: string): Promise<WorkspaceError[]> {
  const { dir, errors } = await errorsOf({ 'config.yaml': config, 'handler.js': HANDLER });
  for (const e of errors) expect(e.file).toBe(path.join(dir, 'config.yaml'));
  return errors;
}

describe('readFunctionFolder errors', () => {
  it('names a missing config.yaml and the init command', async () => {
    const { dir, errors } = await errorsOf({ 'handler.js': HANDLER });
    expect(errors).toEqual([{ file: path.join(dir, 'config.yaml'), message: `no config.yaml in ${dir} — run \`kyma-local init function ${path.basename(dir)}\` or add one` }]);
  });

  it('reports YAML syntax errors at their line and column', async () => {
    const errors = await configErrors('name: a\nruntime: nodejs22\nenv: [\n  - x\n');
    expect(errors[0]).toEqual({
      file: expect.any(String), line: 4, column: 3,
      message: 'YAML syntax error: Block collections are not allowed within flow collections (line 4, column 3)',
    });
  });

  it('reports a duplicate key as a syntax error on its line', async () => {
    const errors = await configErrors('name: a\nruntime: nodejs22\nname: b\n');
    expect(errors[0]).toMatchObject({ line: 3, column: 1 });
    expect(errors[0]!.message).toContain('unique');
  });

  it('requires name and runtime', async () => {
    const errors = await configErrors('namespace: x\n');
    expect(errors).toEqual([
      expect.objectContaining({ field: 'name', line: 1, column: 1, message: expect.stringContaining('name is required: add `name: my-function`') }),
      expect.objectContaining({ field: 'runtime', line: 1, column: 1, message: expect.stringContaining('runtime is required') }),
    ]);
  });

  it('rejects a name that is not a DNS-1123 label', async () => {
    const errors = await configErrors(`runtime: nodejs22\nname: My_Func\n`);
    expect(errors).toEqual([{ file: expect.any(String), line: 2, column: 7, field: 'name', message: expect.stringContaining('invalid function name "My_Func": must consist of lower case') }]);
    const long = await configErrors(`runtime: nodejs22\nname: ${'a'.repeat(64)}\n`);
    expect(long[0]).toMatchObject({ field: 'name', message: expect.stringContaining('at most 63 characters (has 64)') });
  });

  it('rejects an unsupported runtime and lists the supported ones', async () => {
    const errors = await configErrors('name: a\nruntime: nodejs18\n');
    expect(errors).toEqual([{ file: expect.any(String), line: 2, column: 10, field: 'runtime', message: 'unsupported runtime "nodejs18": use one of nodejs20, nodejs22, nodejs24, python312' }]);
  });

  it('rejects unknown fields, with a case hint where it fits', async () => {
    const errors = await configErrors('name: a\nruntime: nodejs22\nRuntime: x\nfoo: 1\n');
    expect(errors[0]).toMatchObject({ line: 3, column: 1, field: 'Runtime', message: expect.stringContaining('did you mean `runtime`?') });
    expect(errors[1]).toMatchObject({ line: 4, column: 1, field: 'foo', message: expect.stringContaining('unknown field `foo` in config.yaml: allowed here: schemaVersion, name') });
  });

  it('validates env entries: reserved names, value types, valueFrom shape', async () => {
    const errors = await configErrors([
      'name: a', 'runtime: nodejs22', 'env:',
      '  - name: FUNC_PORT', '    value: "1"',
      '  - name: PORT', '    value: 6379',
      '  - name: 1BAD',
      '  - value: x',
      '  - name: BOTH', '    valueFrom: {}',
      '  - name: REF', '    valueFrom:', '      secretKeyRef: {name: s}', '',
    ].join('\n'));
    expect(errors).toEqual([
      { file: expect.any(String), line: 4, column: 11, field: 'env[0].name', message: 'env name "FUNC_PORT" is reserved by the Kyma function runtime: rename the variable' },
      { file: expect.any(String), line: 7, column: 12, field: 'env[1].value', message: 'env[1].value must be a string, found number 6379: quote it ("6379")' },
      { file: expect.any(String), line: 8, column: 11, field: 'env[2].name', message: expect.stringContaining('invalid env name "1BAD"') },
      { file: expect.any(String), line: 9, column: 5, field: 'env[3].name', message: expect.stringContaining('env[3].name is required') },
      { file: expect.any(String), line: 11, column: 16, field: 'env[4].valueFrom', message: 'env[4].valueFrom needs exactly one of secretKeyRef or configMapKeyRef, found none' },
      { file: expect.any(String), line: 14, column: 21, field: 'env[5].valueFrom.secretKeyRef.key', message: "env[5].valueFrom.secretKeyRef.key is required: the key inside the Secret" },
    ]);
  });

  it('rejects negative replicas and non-numbers', async () => {
    expect(await configErrors('name: a\nruntime: nodejs22\nreplicas: -1\n')).toEqual([
      { file: expect.any(String), line: 3, column: 11, field: 'replicas', message: 'replicas must be 0 or more, found -1' },
    ]);
    expect((await configErrors('name: a\nruntime: nodejs22\nreplicas: many\n'))[0]).toMatchObject({ field: 'replicas', message: 'replicas must be a whole number, found string "many"' });
  });

  it('rejects git sources with the reason', async () => {
    const errors = await configErrors('name: a\nruntime: nodejs22\nsource:\n  sourceType: git\n  url: https://x/y.git\n');
    expect(errors[0]).toMatchObject({ line: 4, column: 15, field: 'source.sourceType', message: expect.stringContaining('use sourceType: inline') });
  });

  it('validates subscriptions', async () => {
    const errors = await configErrors([
      'name: a', 'runtime: nodejs22', 'subscriptions:',
      '  - types: []', '    source: s',
      '  - types: [order.created.v1]',
      '  - typeMatching: fuzzy', '    source: s', '    types: [a.b]', '',
    ].join('\n'));
    expect(errors).toEqual([
      { file: expect.any(String), line: 4, column: 12, field: 'subscriptions[0].types', message: expect.stringContaining('needs at least one event type') },
      { file: expect.any(String), line: 6, column: 5, field: 'subscriptions[1].source', message: expect.stringContaining('source is required unless typeMatching is exact') },
      { file: expect.any(String), line: 7, column: 19, field: 'subscriptions[2].typeMatching', message: 'unsupported typeMatching "fuzzy": use standard or exact' },
    ]);
  });

  it('validates apiRules: rules required, handlers, jwt config', async () => {
    const errors = await configErrors([
      'name: a', 'runtime: nodejs22', 'apiRules:',
      '  - name: r1',
      '  - rules:', '      - methods: [GET, FETCH]', '        accessStrategies: [{handler: oauth2_introspection}]',
      '  - rules:', '      - accessStrategies:', '          - handler: jwt', '            config: {jwksUrls: [https://k]}', '',
    ].join('\n'));
    expect(errors).toEqual([
      { file: expect.any(String), line: 4, column: 5, field: 'apiRules[0].rules', message: expect.stringContaining('apiRules[0] needs rules') },
      { file: expect.any(String), line: 6, column: 18, field: 'apiRules[1].rules[0].methods[1]', message: expect.stringContaining('unknown HTTP method "FETCH"') },
      { file: expect.any(String), line: 7, column: 38, field: 'apiRules[1].rules[0].accessStrategies[0].handler', message: expect.stringContaining('APIRule v2 has no token introspection; use jwt') },
      { file: expect.any(String), line: 11, column: 21, field: 'apiRules[2].rules[0].accessStrategies[0].config', message: expect.stringContaining('jwt needs at least one jwksUrls entry and one trustedIssuers entry') },
    ]);
  });

  it('names a missing handler.js and an invalid package.json', async () => {
    const missing = await errorsOf({ 'config.yaml': 'name: a\nruntime: nodejs22\n' });
    expect(missing.errors).toEqual([{ file: path.join(missing.dir, 'handler.js'), message: expect.stringContaining(`handler.js not found at ${path.join(missing.dir, 'handler.js')}: create it`) }]);
    const custom = await errorsOf({ 'config.yaml': 'name: a\nruntime: nodejs22\nsource: {sourcePath: lib}\n', 'handler.js': HANDLER });
    expect(custom.errors[0]).toMatchObject({ file: path.join(custom.dir, 'lib', 'handler.js'), field: 'source.sourcePath' });
    const badJson = await errorsOf({ 'config.yaml': 'name: a\nruntime: nodejs22\n', 'handler.js': HANDLER, 'package.json': '{\n  "name": "a",\n}\n' });
    expect(badJson.errors[0]).toMatchObject({ file: path.join(badJson.dir, 'package.json'), line: 3, message: expect.stringContaining('package.json is not valid JSON') });
  });
});
