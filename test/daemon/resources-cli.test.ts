import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { REPO, createTestHome, isAlive, waitFor, type TestHome } from '../helpers/cli.js';

const STACK = join(REPO, 'test', 'fixtures', 'hello-stack.yaml');

describe('resources through the CLI', () => {
  let home: TestHome;
  beforeAll(async () => {
    home = await createTestHome();
    await home.cli(['up', '--profile', await home.profile()]);
  });
  afterAll(async () => {
    await home.cleanup();
  });

  it('applies a multi-document manifest, then reports unchanged, then configured after an edit', async () => {
    const first = await home.cli(['apply', '-f', STACK]);
    expect(String(first.stdout)).toContain('function default/hello created');
    expect(String(first.stdout)).toContain('application myapp created');
    const again = await home.cli(['apply', '-f', STACK]);
    expect(String(again.stdout)).toContain('function default/hello unchanged');
    const edited = (await readFile(STACK, 'utf8')).replace("'hello '", "'hey '");
    const file = join(home.dir, 'edited.yaml');
    await writeFile(file, edited);
    const third = await home.cli(['apply', '-f', file]);
    expect(String(third.stdout)).toContain('function default/hello configured');
    const fn = JSON.parse(String((await home.cli(['get', 'fn', 'hello', '-o', 'json'])).stdout));
    expect(fn.metadata.generation).toBe(2);
    expect(fn.spec.source.inline.source).toContain("'hey '");
  });

  it('gets functions as a table, as YAML and with a label selector', async () => {
    const table = String((await home.cli(['get', 'functions'])).stdout);
    expect(table.split('\n')[0]).toMatch(/^NAME\s+RUNTIME/);
    expect(table).toMatch(/hello\s+nodejs22/);
    const yaml = parse(String((await home.cli(['get', 'fn', 'hello', '-o', 'yaml'])).stdout));
    expect(yaml.kind).toBe('Function');
    expect(yaml.spec.replicas).toBe(1);
    expect(yaml.metadata.uid).toMatch(/[0-9a-f-]{36}/);
    const none = await home.cli(['get', 'fn', '-l', 'app=other']);
    expect(String(none.stderr)).toContain('No functions found');
    const secret = JSON.parse(String((await home.cli(['get', 'secret', 'hello-secret', '-o', 'json'])).stdout));
    expect(secret.data.password).toBe(Buffer.from('s3cr3t').toString('base64'));
    expect(secret.stringData).toBeUndefined();
  });

  it('applies from stdin', async () => {
    const doc = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-stdin\ndata:\n  a: b\n';
    const r = await home.cli(['apply', '-f', '-'], { input: doc });
    expect(String(r.stdout)).toContain('configmap default/from-stdin created');
  });

  it('reports YAML syntax errors with file:line:column', async () => {
    const file = join(home.dir, 'broken.yaml');
    await writeFile(file, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n data: [oops\n');
    const r = await home.cli(['apply', '-f', file], { reject: false });
    expect(r.exitCode).not.toBe(0);
    expect(String(r.stderr)).toMatch(/broken\.yaml:\d+:\d+: YAML syntax error/);
  });

  it('reports schema errors with the field path and its line in the file', async () => {
    const file = join(home.dir, 'invalid.yaml');
    await writeFile(
      file,
      ['apiVersion: serverless.kyma-project.io/v1alpha2', 'kind: Function', 'metadata:', '  name: bad', 'spec:', '  runtime: nodejs12', '  replicas: -1', '  source:', '    inline:', '      source: "x"'].join('\n'),
    );
    const r = await home.cli(['apply', '-f', file], { reject: false });
    expect(r.exitCode).not.toBe(0);
    const err = String(r.stderr);
    expect(err).toMatch(/invalid\.yaml:6:\d+: spec\.runtime: Unsupported value: "nodejs12"/);
    expect(err).toMatch(/invalid\.yaml:7:\d+: spec\.replicas: /);
    const list = String((await home.cli(['get', 'fn', 'bad'], { reject: false })).stderr);
    expect(list).toContain('not found');
  });

  it('keeps every resource across a daemon SIGKILL', async () => {
    await home.cli(['apply', '-f', STACK]);
    const before = JSON.parse(String((await home.cli(['get', 'fn', 'hello', '-o', 'json'])).stdout));
    const pid = home.daemonPid()!;
    process.kill(pid, 'SIGKILL');
    await waitFor(() => !isAlive(pid), 'daemon to die');
    await home.cli(['up']);
    const after = JSON.parse(String((await home.cli(['get', 'fn', 'hello', '-o', 'json'])).stdout));
    expect(after.metadata.uid).toBe(before.metadata.uid);
    // resourceVersion may move on: the resumed serverless controller writes status again.
    expect(after.metadata.generation).toBe(before.metadata.generation);
    expect(after.metadata.creationTimestamp).toBe(before.metadata.creationTimestamp);
    expect(after.spec).toEqual(before.spec);
    for (const [kind, name] of [['cm', 'hello-config'], ['secret', 'hello-secret'], ['subscription', 'hello-orders'], ['application', 'myapp']]) {
      const r = await home.cli(['get', kind!, name!, '-o', 'json']);
      expect(JSON.parse(String(r.stdout)).metadata.name).toBe(name);
    }
  });

  it('deletes by kind and name and with -f', async () => {
    await home.cli(['apply', '-f', STACK]);
    const r = await home.cli(['delete', 'cm', 'hello-config']);
    expect(String(r.stdout)).toContain('deleted');
    const d = await home.cli(['delete', '-f', STACK, '--ignore-not-found']);
    expect(String(d.stdout)).toContain('function default/hello deleted');
    const gone = await home.cli(['get', 'fn', 'hello'], { reject: false });
    expect(gone.exitCode).not.toBe(0);
  });
});
