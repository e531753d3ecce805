// Lets a function folder's tests `import … from 'kyma-local/testing'` without installing kyma-local there:
// `kyma-local test` registers this hook, which maps the bare name to this installation's test kit.
import { pathToFileURL } from 'node:url';
import { fileURLToPath } from 'node:url';

const KIT_URL = pathToFileURL(fileURLToPath(new URL('./index.js', import.meta.url))).href;

type NextResolve = (specifier: string, context: unknown) => Promise<{ url: string }>;

export async function resolve(specifier: string, context: unknown, nextResolve: NextResolve): Promise<{ url: string; shortCircuit?: boolean }> {
  if (specifier === 'kyma-local/testing') return { url: KIT_URL, shortCircuit: true };
  return nextResolve(specifier, context);
}
