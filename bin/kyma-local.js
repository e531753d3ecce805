#!/usr/bin/env node
// Thin launcher so the package bin works without a TS runtime: the CLI is compiled to dist/ by `npm run build`.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const entry = join(root, 'dist', 'main', 'cli', 'main.js');
if (!existsSync(entry)) {
  console.error(`kyma-local is not built (${entry} is missing) — run \`npm run build\` in ${root}`);
  process.exit(1);
}
await import(pathToFileURL(entry).href);
