import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from '../helpers/cli.js';

interface Lock {
  packages: Record<string, { hasInstallScript?: boolean }>;
}

// Every dependency with an install script is decided explicitly in package.json's allowScripts, so `npm ci`
// neither runs an unreviewed script nor warns about one (issue 17, rough edge 12).
describe('install scripts', () => {
  const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { allowScripts?: Record<string, boolean> };
  const lock = JSON.parse(readFileSync(join(REPO, 'package-lock.json'), 'utf8')) as Lock;
  const withScripts = [
    ...new Set(
      Object.entries(lock.packages)
        .filter(([path, p]) => path !== '' && p.hasInstallScript)
        .map(([path]) => path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length)),
    ),
  ].sort();

  it('finds the packages that have one', () => {
    expect(withScripts).toEqual(expect.arrayContaining(['electron', 'electron-winstaller', 'protobufjs']));
  });

  it('decides each one in allowScripts', () => {
    const undecided = withScripts.filter((name) => typeof pkg.allowScripts?.[name] !== 'boolean');
    expect(undecided).toEqual([]);
  });
});
