#!/usr/bin/env node
// `npm run bench -- <name> [args]`: runs bench/<name>.js; each benchmark prints one JSON line of figures last.
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const name = process.argv[2];
const available = readdirSync(here).filter((f) => f.endsWith('.js') && f !== 'run.js' && !f.startsWith('lib-')).map((f) => f.slice(0, -3));
if (!name || !existsSync(join(here, `${name}.js`))) {
  console.error(`usage: npm run bench -- <${available.join('|')}>`);
  process.exit(2);
}
await import(pathToFileURL(join(here, `${name}.js`)).href);
