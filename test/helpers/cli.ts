import { execa, type Result } from 'execa';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const REPO = resolve(import.meta.dirname, '..', '..');
export const CLI = join(REPO, 'bin', 'kyma-local.js');

/** An isolated user: own state dir, own daemon on a free port. */
export interface TestHome {
  dir: string;
  env: Record<string, string>;
  cli(args: string[], opts?: { input?: string; cwd?: string; reject?: boolean; timeout?: number }): Promise<Result>;
  /** A profile file in the home with every port set to 0 (any free port). */
  profile(opts?: { modules?: string[]; name?: string; extra?: string }): Promise<string>;
  daemonPid(): number | undefined;
  cleanup(): Promise<void>;
}

export async function createTestHome(): Promise<TestHome> {
  const dir = await mkdtemp(join(tmpdir(), 'kl-home-'));
  const env = { KYMA_LOCAL_HOME: dir, KYMA_LOCAL_DAEMON_PORT: '0', NO_COLOR: '1' };
  const home: TestHome = {
    dir,
    env,
    cli: (args, opts = {}) =>
      execa(process.execPath, [CLI, ...args], {
        env,
        cwd: opts.cwd ?? dir,
        reject: opts.reject ?? true,
        timeout: opts.timeout ?? 60_000,
        ...(opts.input !== undefined ? { input: opts.input } : {}),
      }),
    async profile(opts = {}) {
      const name = opts.name ?? 'test';
      const modules = opts.modules ?? ['serverless'];
      const file = join(dir, `${name}.yaml`);
      await writeFile(file, profileYaml(name, modules, opts.extra));
      return file;
    },
    daemonPid() {
      try {
        return (JSON.parse(readFileSync(join(dir, 'daemon.json'), 'utf8')) as { pid: number }).pid;
      } catch {
        return undefined;
      }
    },
    async cleanup() {
      const pid = home.daemonPid();
      if (pid && isAlive(pid)) {
        await execa(process.execPath, [CLI, 'daemon', 'stop'], { env, reject: false, timeout: 30_000 });
        if (isAlive(pid)) process.kill(pid, 'SIGKILL');
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
  return home;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Waits until `pred` holds, polling; throws with `what` after the timeout. */
export async function waitFor(pred: () => boolean | Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await pred()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out after ${timeoutMs}ms waiting for ${what}`);
}

export interface StatusJson {
  daemon: { pid: number; url: string } | null;
  cluster: { phase: string; profile?: string; components: Array<{ name: string; kind: string; state: string; pid?: number; ports?: Record<string, number>; urls?: Record<string, string> }> } | null;
}

export async function statusJson(home: TestHome): Promise<StatusJson> {
  const r = await home.cli(['status', '-o', 'json']);
  return JSON.parse(String(r.stdout)) as StatusJson;
}

/** Direct API access with the home's token, for tests that check HTTP-level behaviour. */
export function apiToken(home: TestHome): string {
  return readFileSync(join(home.dir, 'token'), 'utf8').trim();
}

/** Writes a function folder in the Kyma CLI format (config.yaml, handler.js, an empty package.json). */
/** A ClusterProfile on the embedded runtime with every port 0 (any free port); `extra` lines go under `spec:`. */
export function profileYaml(name: string, modules: readonly string[], extra = ''): string {
  return [
    'apiVersion: kyma-local.io/v1alpha1',
    'kind: ClusterProfile',
    'metadata:',
    `  name: ${name}`,
    'spec:',
    '  runtime: embedded',
    '  modules:',
    ...modules.map((m) => `    - ${m}`),
    '  ports:',
    '    nats: 0',
    '    gateway: 0',
    '    publisher: 0',
    '    otlp: 0',
    extra,
  ].join('\n');
}

/**
 * The two-function event flow under `root`: `orders` emits order.created.v1 (source shop) with the posted id,
 * `mailer` (handler given) is subscribed to it by `mailer-orders` in its config.yaml. Deploys them with
 * `dev --detach` and waits until the subscription is ready.
 */
export async function deployOrderFlow(home: TestHome, root: string, mailerHandler: string): Promise<void> {
  await writeFunction(
    join(root, 'orders'),
    'name: orders\nnamespace: default\nruntime: nodejs22\nsource:\n  sourceType: inline\n',
    "module.exports = { main: async (event) => { await event.emitCloudEvent('order.created.v1', 'shop', { id: event.data.id }); return 'accepted'; } };\n",
  );
  await writeFunction(
    join(root, 'mailer'),
    'name: mailer\nnamespace: default\nruntime: nodejs22\nsource:\n  sourceType: inline\nsubscriptions:\n  - name: mailer-orders\n    source: shop\n    types:\n      - order.created.v1\n',
    mailerHandler,
  );
  await home.cli(['dev', root, '--detach']);
  await waitFor(async () => {
    const r = await home.cli(['get', 'subscription', 'mailer-orders', '-o', 'json'], { reject: false });
    return r.exitCode === 0 && (JSON.parse(String(r.stdout)) as { status?: { ready?: boolean } }).status?.ready === true;
  }, 'the subscription declared in config.yaml to be ready', 30_000);
}

export async function writeFunction(dir: string, config: string, handler: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'config.yaml'), config);
  await writeFile(join(dir, 'handler.js'), handler);
  await writeFile(join(dir, 'package.json'), '{"name":"f","version":"1.0.0"}\n');
}
