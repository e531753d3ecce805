import path from 'node:path';
import { build } from 'rolldown';

/** Bundles a TypeScript fixture into one ESM file runnable by plain `node` (tests run from sources, not dist). */
export async function bundleFixture(entry: string, outDir: string): Promise<string> {
  const file = path.join(outDir, `${path.basename(entry, '.ts')}.mjs`);
  await build({ input: entry, platform: 'node', logLevel: 'silent', output: { file, format: 'esm' } });
  return file;
}
