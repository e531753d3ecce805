// kyma-local debug, driven by a Chrome DevTools Protocol client (chrome-remote-interface) as VS Code and Chrome
// DevTools drive it: breakpoints are set by the user's own file path and line.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import CDP from 'chrome-remote-interface';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestHome, waitFor, type TestHome } from '../helpers/cli.js';
import { freePort } from '../eventing/helpers.js';

const HANDLER = (greeting: string): string => `module.exports = {
  main: async function (event, context) {
    const name = event.data.name;
    const text = '${greeting}, ' + name;
    return { text };
  },
};
`;

interface Paused {
  callFrames: Array<{ callFrameId: string; location: { scriptId: string; lineNumber: number } }>;
}

type Client = Awaited<ReturnType<typeof CDP>> & { scripts: Map<string, string> };

/** Connects to the inspector, breaks on line 4 (`const text = …`) of the user's handler.js. */
async function attach(port: number, handlerFile: string): Promise<Client> {
  const client = Object.assign(await CDP({ host: '127.0.0.1', port }), { scripts: new Map<string, string>() });
  client.on('Debugger.scriptParsed', (s: { scriptId: string; url: string }) => client.scripts.set(s.scriptId, s.url));
  await client.Runtime.enable();
  await client.Debugger.enable();
  await client.Debugger.setBreakpointByUrl({ url: pathToFileURL(handlerFile).href, lineNumber: 3 });
  return client;
}

/** Invokes, waits for the pause, reads `event.data.name` in the paused frame, resumes, returns the answer. */
async function hitBreakpoint(home: TestHome, client: Client): Promise<{ name: unknown; file: string; line: number; answer: string }> {
  const paused = new Promise<Paused>((resolve) => client.once('Debugger.paused', (p: Paused) => resolve(p)));
  const call = home.cli(['invoke', 'greeter', '--data', '{"name":"Kyma"}']);
  const p = await paused;
  const frame = p.callFrames[0]!;
  const value = await client.Debugger.evaluateOnCallFrame({ callFrameId: frame.callFrameId, expression: 'event.data.name', returnByValue: true });
  await client.Debugger.resume();
  const answer = String((await call).stdout).trim();
  return { name: value.result.value, file: client.scripts.get(frame.location.scriptId) ?? '', line: frame.location.lineNumber + 1, answer };
}

describe('kyma-local debug: breakpoints in the dev folder’s own handler.js', () => {
  let home: TestHome;
  let fnDir: string;
  let port: number;

  beforeAll(async () => {
    home = await createTestHome();
    await home.cli(['up', '--profile', await home.profile({ modules: ['serverless'] })]);
    fnDir = join(home.dir, 'greeter');
    await home.cli(['init', 'function', 'greeter', '--dir', fnDir]);
    await writeFile(join(fnDir, 'handler.js'), HANDLER('Hello'));
    await writeFile(join(fnDir, 'config.yaml'), 'name: greeter\nruntime: nodejs22\nsource:\n  sourceType: inline\nenv:\n  - name: FUNC_TIMEOUT\n    value: "1"\n');
    await home.cli(['dev', fnDir, '--detach']);
    await waitFor(async () => String((await home.cli(['invoke', 'greeter', '--data', '{"name":"x"}'], { reject: false })).stdout).includes('Hello'), 'first revision serving', 30_000);
    port = await freePort();
  });
  afterAll(async () => {
    await home.cleanup();
  });

  it('prints the inspector address, the user’s file and a VS Code attach snippet', async () => {
    const r = await home.cli(['debug', 'greeter', '--port', String(port)]);
    const out = String(r.stdout);
    expect(out).toContain(`Node inspector on 127.0.0.1:${port}`);
    expect(out).toContain('greeter/handler.js');
    expect(out).toContain('"request": "attach"');
    expect(out).toContain(`"port": ${port}`);
    expect(out).toMatch(/devtools:\/\/devtools\/bundled\/js_app\.html\?experiments=true&v8only=true&ws=127\.0\.0\.1:\d+\//);
    const fns = JSON.parse(String((await home.cli(['get', 'fn', 'greeter', '-o', 'json'])).stdout)) as { spec: { env: Array<{ name: string; value: string }> }; status: { replicas: number } };
    expect(fns.status.replicas).toBe(1);
    expect(fns.spec.env).toContainEqual({ name: 'FUNC_TIMEOUT', value: '1' });
  });

  it('stops at a breakpoint set by the user’s file and line, with event.data readable; resume answers', async () => {
    const client = await attach(port, join(fnDir, 'handler.js'));
    try {
      const hit = await hitBreakpoint(home, client);
      expect(hit).toMatchObject({ name: 'Kyma', file: pathToFileURL(join(fnDir, 'handler.js')).href, line: 4 });
      expect(hit.answer).toContain('Hello, Kyma');
    } finally {
      await client.close();
    }
  });

  it('a paused handler does not turn into a 408 (FUNC_TIMEOUT is not counted while paused)', async () => {
    const client = await attach(port, join(fnDir, 'handler.js'));
    try {
      const paused = new Promise<void>((resolve) => client.once('Debugger.paused', () => resolve()));
      const call = home.cli(['invoke', 'greeter', '--data', '{"name":"slow"}'], { reject: false });
      await paused;
      await new Promise((r) => setTimeout(r, 2500)); // FUNC_TIMEOUT is 1 s for this function
      await client.Debugger.resume();
      const r = await call;
      expect(String(r.stdout)).toContain('Hello, slow');
    } finally {
      await client.close();
    }
  });

  it('after a save, the new revision listens on the same port and the breakpoint hits again', async () => {
    await writeFile(join(fnDir, 'handler.js'), HANDLER('Howdy'));
    await waitFor(async () => String((await home.cli(['invoke', 'greeter', '--data', '{"name":"x"}'], { reject: false })).stdout).includes('Howdy'), 'saved revision serving', 30_000);
    const info = JSON.parse(String((await home.cli(['debug', 'greeter', '--port', String(port), '-o', 'json'])).stdout)) as { session: { port: number; revision: number } };
    expect(info.session.port).toBe(port);
    const client = await attach(port, join(fnDir, 'handler.js'));
    try {
      const hit = await hitBreakpoint(home, client);
      expect(hit).toMatchObject({ name: 'Kyma', line: 4 });
      expect(hit.answer).toContain('Howdy, Kyma');
    } finally {
      await client.close();
    }
  });

  it('--stop returns to normal serving without the inspector', async () => {
    const r = await home.cli(['debug', 'greeter', '--stop']);
    expect(String(r.stdout)).toContain('Stopped debugging default/greeter');
    expect(String((await home.cli(['invoke', 'greeter', '--data', '{"name":"Kyma"}'])).stdout)).toContain('Howdy, Kyma');
    await expect(CDP({ host: '127.0.0.1', port })).rejects.toThrow();
  });
});

describe('kyma-local debug: an inline (applied) function, --break', () => {
  let home: TestHome;
  let port: number;

  beforeAll(async () => {
    home = await createTestHome();
    await home.cli(['up', '--profile', await home.profile({ modules: ['serverless'] })]);
    const manifest = [
      'apiVersion: serverless.kyma-project.io/v1alpha2',
      'kind: Function',
      'metadata: {name: inline, namespace: default}',
      'spec:',
      '  runtime: nodejs22',
      '  source:',
      '    inline:',
      '      source: |',
      ...HANDLER('Hi').split('\n').map((l) => `        ${l}`),
    ].join('\n');
    await home.cli(['apply', '-f', '-'], { input: manifest });
    await waitFor(async () => String((await home.cli(['invoke', 'inline', '--data', '{"name":"x"}'], { reject: false })).stdout).includes('Hi'), 'inline function serving', 30_000);
    port = await freePort();
  });
  afterAll(async () => {
    await home.cleanup();
  });

  it('shows the source under a stable path in the state dir, where breakpoints hit', async () => {
    const info = JSON.parse(String((await home.cli(['debug', 'inline', '--port', String(port), '-o', 'json'])).stdout)) as { session: { handlerFile: string; fromDevFolder: boolean } };
    expect(info.session.fromDevFolder).toBe(false);
    expect(info.session.handlerFile).toBe(join(home.dir, 'cluster', 'debug', 'default', 'inline', 'handler.js'));
    const client = await attach(port, info.session.handlerFile);
    try {
      const paused = new Promise<Paused>((resolve) => client.once('Debugger.paused', (p: Paused) => resolve(p)));
      const call = home.cli(['invoke', 'inline', '--data', '{"name":"Kyma"}']);
      const p = await paused;
      expect(client.scripts.get(p.callFrames[0]!.location.scriptId)).toBe(pathToFileURL(info.session.handlerFile).href);
      await client.Debugger.resume();
      expect(String((await call).stdout)).toContain('Hi, Kyma');
    } finally {
      await client.close();
    }
  });

  it('--break stops every invocation before the handler, without any breakpoint set', async () => {
    await home.cli(['debug', 'inline', '--port', String(port), '--break']);
    const client = Object.assign(await CDP({ host: '127.0.0.1', port }), { scripts: new Map<string, string>() });
    try {
      await client.Debugger.enable();
      const paused = new Promise<Paused>((resolve) => client.once('Debugger.paused', (p: Paused) => resolve(p)));
      const call = home.cli(['invoke', 'inline', '--data', '{"name":"Kyma"}']);
      const p = await paused;
      const v = await client.Debugger.evaluateOnCallFrame({ callFrameId: p.callFrames[0]!.callFrameId, expression: 'event.data.name', returnByValue: true });
      expect(v.result.value).toBe('Kyma');
      await client.Debugger.resume();
      expect(String((await call).stdout)).toContain('Hi, Kyma');
    } finally {
      await client.close();
    }
  });
});
