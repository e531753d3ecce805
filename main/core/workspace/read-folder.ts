import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseFunctionConfig } from './config-parse.js';
import { suggestName } from './names.js';
import { toApiRules } from './to-apirule.js';
import { toFunction } from './to-function.js';
import { toSubscriptions } from './to-subscription.js';
import type { FolderReadResult, FunctionConfig, WorkspaceError } from './types.js';

export const CONFIG_FILE = 'config.yaml';

/** The handler and dependency files a config points at, as absolute paths (hydroform's defaults per runtime). */
export function sourceFiles(dir: string, cfg: Pick<FunctionConfig, 'runtime' | 'source'>): { handler: string; deps: string } {
  const python = cfg.runtime.startsWith('python');
  // hydroform joins these with path.Join, so a leading "/" in the names is still relative to sourcePath.
  const base = path.resolve(dir, cfg.source.sourcePath ?? '.');
  return {
    handler: path.join(base, cfg.source.sourceHandlerName ?? (python ? 'handler.py' : 'handler.js')),
    deps: path.join(base, cfg.source.depsHandlerName ?? (python ? 'requirements.txt' : 'package.json')),
  };
}

/** Reads a Kyma CLI function folder into a Function (+ Subscriptions, APIRules). Never runs the handler. */
export async function readFunctionFolder(dirArg: string): Promise<FolderReadResult> {
  const dir = path.resolve(dirArg);
  const configPath = path.join(dir, CONFIG_FILE);
  const configText = await readText(configPath);
  if (typeof configText !== 'string') {
    const message = configText.code === 'ENOENT'
      ? `no config.yaml in ${dir} — run \`kyma-local init function ${suggestName(path.basename(dir))}\` or add one`
      : `cannot read ${configPath}: ${configText.message}`;
    return fail({ file: configPath, message });
  }
  const parsed = parseFunctionConfig(configText, configPath);
  if (!parsed.ok) return parsed;
  const cfg = parsed.config;
  const files = sourceFiles(dir, cfg);
  const handler = await readText(files.handler);
  if (typeof handler !== 'string') return fail(missingHandler(files.handler, cfg, handler));
  if (handler.trim() === '') {
    return fail({ file: files.handler, message: `${path.basename(files.handler)} is empty: export a handler, e.g. module.exports = { main: async (event, context) => 'Hello' }` });
  }
  const depsRead = await readText(files.deps);
  let deps: string | undefined;
  if (typeof depsRead === 'string') deps = depsRead;
  else if (depsRead.code !== 'ENOENT') return fail({ file: files.deps, message: `cannot read ${files.deps}: ${depsRead.message}` });
  if (deps !== undefined && !cfg.runtime.startsWith('python')) {
    const problem = jsonProblem(deps, files.deps);
    if (problem) return fail(problem);
  }
  return {
    ok: true,
    function: toFunction(cfg, dir, handler, deps),
    others: [...toSubscriptions(cfg), ...toApiRules(cfg)],
    files: [configPath, files.handler, files.deps],
    contentHash: contentHash([handler, deps ?? '', configText]),
  };
}

function fail(error: WorkspaceError): FolderReadResult {
  return { ok: false, errors: [error] };
}

function missingHandler(file: string, cfg: FunctionConfig, err: NodeJS.ErrnoException): WorkspaceError {
  const name = path.basename(file);
  if (err.code !== 'ENOENT') return { file, message: `cannot read ${file}: ${err.message}` };
  const custom = cfg.source.sourcePath !== undefined || cfg.source.sourceHandlerName !== undefined;
  const example = name.endsWith('.py') ? 'def main(event, context): return "Hello"' : "module.exports = { main: async (event, context) => 'Hello' }";
  return {
    file,
    ...(custom ? { field: cfg.source.sourceHandlerName !== undefined ? 'source.sourceHandlerName' : 'source.sourcePath' } : {}),
    message: `${name} not found at ${file}: create it (${example})${custom ? ' or fix source.sourcePath/sourceHandlerName in config.yaml' : ''}`,
  };
}

/** package.json must be valid JSON or the function would fail at install time; say where it breaks. */
function jsonProblem(text: string, file: string): WorkspaceError | undefined {
  try {
    JSON.parse(text);
    return undefined;
  } catch (e) {
    const msg = (e as Error).message;
    const at = /position (\d+)/.exec(msg);
    const pos = at ? linePos(text, Number(at[1])) : {};
    return { file, ...pos, message: `${path.basename(file)} is not valid JSON (${msg}): fix it or delete the file if the function has no dependencies` };
  }
}

function linePos(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: (before[before.length - 1]?.length ?? 0) + 1 };
}

async function readText(file: string): Promise<string | NodeJS.ErrnoException> {
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    return e as NodeJS.ErrnoException;
  }
}

/** Length-prefixed so that moving text between files changes the hash. */
export function contentHash(parts: string[]): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(`${Buffer.byteLength(p)}:`).update(p);
  return h.digest('hex');
}
