// Worker lifecycle: precise load errors (exit 78), IPC disconnect, SIGTERM drain, FUNC_TIMEOUT → 408.
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LOAD_ERROR_EXIT_CODE, parseLoadErrorLine, type LoadErrorReport } from '../../main/core/function-runtime/index.js';
import { ensureBuilt, handlerDir, startProcess, startWorker, type Worker } from './worker.js';

beforeAll(ensureBuilt);

async function loadFailure(source: string, extra: Record<string, string> = {}): Promise<{ report: LoadErrorReport; stderr: string; dir: string }> {
  const p = startProcess(handlerDir({ 'handler.js': source, ...extra }));
  p.ready.catch(() => undefined);
  const { code } = await p.exited;
  const stderr = p.stderr.join('\n');
  await p.stop();
  expect(code, stderr).toBe(LOAD_ERROR_EXIT_CODE);
  const lines = p.stderr.map(parseLoadErrorLine).filter((r): r is LoadErrorReport => r !== undefined);
  expect(lines, stderr).toHaveLength(1);
  return { report: lines[0]!, stderr, dir: p.dir };
}

describe('handler load errors', () => {
  it('reports a syntax error with file, line and column', async () => {
    const { report, stderr, dir } = await loadFailure('module.exports = {\n  main: function (event) {\n    return event.data +;\n  }\n};\n');
    expect(report).toMatchObject({ file: path.join(dir, 'handler.js'), line: 3, column: 24 });
    expect(report.message).toMatch(/^SyntaxError: /);
    expect(stderr).toContain(`Failed to load the function handler at ${path.join(dir, 'handler.js')}:3`);
  });

  it('reports an exception thrown at load with its line', async () => {
    const { report, dir } = await loadFailure("const x = 1;\nthrow new Error('config missing');\nmodule.exports = { main() {} };\n");
    expect(report).toEqual({ message: 'Error: config missing', file: path.join(dir, 'handler.js'), line: 2, column: 7 });
  });

  it('reports a missing dependency at the require line', async () => {
    const { report, dir } = await loadFailure("// deps\n\nconst _ = require('lodash-not-installed');\nmodule.exports = { main() {} };\n");
    expect(report).toMatchObject({ file: path.join(dir, 'handler.js'), line: 3 });
    expect(report.message).toContain("Cannot find module 'lodash-not-installed'");
  });

  it('reports a handler without a main function', async () => {
    const { report, dir } = await loadFailure("// no main here\nmodule.exports = { handler() {} };\n");
    expect(report).toEqual({
      message: expect.stringContaining('must export a main function'),
      file: path.join(dir, 'handler.js'),
      line: 2,
      column: 1,
    });
  });

  it('reports a main that is not a function', async () => {
    const { report } = await loadFailure("module.exports = { main: 'nope' };\n");
    expect(report.message).toContain('main is string');
  });
});

describe('process lifecycle', () => {
  let worker: Worker | undefined;
  afterEach(async () => {
    await worker?.stop();
    worker = undefined;
  });

  it('exits when the IPC channel to the parent disconnects', async () => {
    worker = await startWorker({ 'handler.js': 'module.exports = { main: () => "hi" };' });
    expect(await (await fetch(worker.url)).text()).toBe('hi');
    worker.proc.disconnect();
    expect(await worker.exited).toEqual({ code: 0, signal: null });
  });

  it('on SIGTERM stops accepting, finishes the in-flight request, then exits 0', async () => {
    const handler = `module.exports = { main: async () => {
      console.log('request started');
      await new Promise((r) => setTimeout(r, 300));
      return 'finished';
    } };`;
    worker = await startWorker({ 'handler.js': handler });
    const inFlight = fetch(worker.url);
    await worker.waitForLine(/request started/);
    worker.proc.kill('SIGTERM');
    await worker.waitForLine(/Shutting down/);
    await expect(fetch(worker.url)).rejects.toThrow();
    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('finished');
    expect(await worker.exited).toEqual({ code: 0, signal: null });
  });

  // Windows has no SIGTERM (Node's kill() terminates at once there): the supervisor asks over IPC instead.
  it('on an IPC shutdown message drains the same way (the stop used on Windows)', async () => {
    const handler = `module.exports = { main: async () => {
      console.log('request started');
      await new Promise((r) => setTimeout(r, 300));
      return 'finished';
    } };`;
    worker = await startWorker({ 'handler.js': handler });
    const inFlight = fetch(worker.url);
    await worker.waitForLine(/request started/);
    worker.proc.send({ type: 'shutdown' });
    await worker.waitForLine(/Shutting down/);
    const res = await inFlight;
    expect(await res.text()).toBe('finished');
    expect(await worker.exited).toEqual({ code: 0, signal: null });
  });

  it('answers 408 when the function runs longer than FUNC_TIMEOUT', async () => {
    worker = await startWorker(
      { 'handler.js': 'module.exports = { main: (event, context) => new Promise(() => {}) };' },
      { FUNC_TIMEOUT: '1' },
    );
    const res = await fetch(worker.url);
    expect(res.status).toBe(408);
  });
});
