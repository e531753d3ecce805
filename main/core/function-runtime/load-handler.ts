// Loads the user's handler.js (CommonJS, like upstream) from FUNC_HANDLER_DIR, so that its require() calls
// resolve from that folder's node_modules. Failures become a LoadErrorReport with the precise location.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { LoadErrorReport } from './index.js';

export type UserFunction = (event: unknown, context: unknown, callback?: unknown) => unknown;

export class HandlerLoadError extends Error {
  constructor(readonly report: LoadErrorReport) {
    super(report.message);
    this.name = 'HandlerLoadError';
  }
}

interface Location {
  file: string;
  line: number | null;
  column: number | null;
}

/** A SyntaxError from the CJS loader starts its stack with "file:line", the source line and a caret line. */
function syntaxErrorLocation(stack: string, handlerFile: string): Location | undefined {
  const lines = stack.split('\n');
  const m = /^(.*):(\d+)$/.exec(lines[0] ?? '');
  if (!m || !m[1] || !path.isAbsolute(m[1])) return undefined;
  const caret = (lines[2] ?? '').indexOf('^');
  return { file: m[1] ?? handlerFile, line: Number(m[2]), column: caret >= 0 ? caret + 1 : null };
}

/** The first stack frame in the handler file, else the first one inside the handler folder. */
function frameLocation(stack: string, handlerFile: string, handlerDir: string): Location | undefined {
  const frames = [...stack.matchAll(/\(?((?:file:\/\/)?\/[^():\s]+):(\d+):(\d+)\)?$/gm)].map((m) => ({
    file: (m[1] ?? '').replace(/^file:\/\//, ''),
    line: Number(m[2]),
    column: Number(m[3]),
  }));
  return (
    frames.find((f) => f.file === handlerFile) ??
    frames.find((f) => f.file.startsWith(handlerDir + path.sep) && !f.file.includes(`${path.sep}node_modules${path.sep}`))
  );
}

/** Line of `module.exports`/`exports.` in the source, where a missing `main` would go. */
function exportsLocation(handlerFile: string): Location {
  try {
    const idx = readFileSync(handlerFile, 'utf8').split('\n').findIndex((l) => /\b(module\.)?exports\b/.test(l));
    if (idx >= 0) return { file: handlerFile, line: idx + 1, column: 1 };
  } catch {
    // The file's absence is reported by the caller's message.
  }
  return { file: handlerFile, line: 1, column: 1 };
}

export function describeLoadError(err: unknown, handlerFile: string, handlerDir: string): LoadErrorReport {
  const e = err instanceof Error ? err : undefined;
  const stack = e?.stack ?? '';
  const message = e ? `${e.name}: ${e.message}` : `Uncaught ${JSON.stringify(err) ?? String(err)}`;
  if ((e as NodeJS.ErrnoException | undefined)?.code === 'MODULE_NOT_FOUND' && !stack.includes(handlerFile)) {
    return { message: `${message}. Make sure ${handlerFile} exists.`, file: handlerFile, line: null, column: null };
  }
  const loc =
    (e instanceof SyntaxError ? syntaxErrorLocation(stack, handlerFile) : undefined) ??
    frameLocation(stack, handlerFile, handlerDir) ??
    { file: handlerFile, line: null, column: null };
  return { message, ...loc };
}

function mainOf(mod: unknown): unknown {
  return mod !== null && typeof mod === 'object' ? (mod as { main?: unknown }).main : undefined;
}

/** Loads handler.js and returns its `main`, or throws HandlerLoadError. */
export async function loadHandler(handlerFile: string, handlerDir: string): Promise<UserFunction> {
  let mod: unknown;
  try {
    try {
      mod = createRequire(handlerFile)(handlerFile);
    } catch (err) {
      // A package.json with "type": "module" makes handler.js ESM; upstream's import() accepts that too.
      if ((err as NodeJS.ErrnoException).code !== 'ERR_REQUIRE_ESM') throw err;
      mod = await import(pathToFileURL(handlerFile).href);
    }
  } catch (err) {
    throw new HandlerLoadError(describeLoadError(err, handlerFile, handlerDir));
  }
  const main = mainOf(mod);
  if (typeof main !== 'function') {
    const found = main === undefined ? 'no main export' : `main is ${typeof main}`;
    throw new HandlerLoadError({
      message: `${handlerFile} must export a main function (module.exports = { main: function (event, context) {...} }); found ${found}`,
      ...exportsLocation(handlerFile),
    });
  }
  return main as UserFunction;
}
