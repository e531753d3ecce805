import type { TestKubeServer } from './server.js';

export interface Reply {
  status: number;
  headers: Headers;
  // Tests read fields freely; a Status or object shape is asserted where it matters.
  body: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** One request to the test server with its token; the body is sent as JSON unless it is already a string. */
export async function call(s: TestKubeServer, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply> {
  const res = await fetch(`${s.url}${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${s.token}`,
      ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
      ...headers,
    },
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  let parsed: Reply['body'] = {};
  try {
    parsed = text ? (JSON.parse(text) as Reply['body']) : {};
  } catch {
    parsed = { text };
  }
  return { status: res.status, headers: res.headers, body: parsed };
}

export const FN_PATH = '/apis/serverless.kyma-project.io/v1alpha2/namespaces/default/functions';

export function fn(name: string, source = "module.exports = { main: () => 'hi' };", labels: Record<string, string> = {}): Record<string, unknown> {
  return {
    apiVersion: 'serverless.kyma-project.io/v1alpha2',
    kind: 'Function',
    metadata: { name, labels },
    spec: { runtime: 'nodejs22', source: { inline: { source } } },
  };
}
