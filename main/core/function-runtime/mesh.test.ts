import { describe, expect, it } from 'vitest';
import { decideMeshRoute } from './mesh.js';

describe('decideMeshRoute', () => {
  const known = new Set(['hello.default', 'eventing-publisher-proxy.kyma-system']);

  it('routes every cluster spelling of a known service to the mesh', () => {
    for (const host of ['hello.default.svc.cluster.local', 'hello.default.svc', 'hello.default', 'HELLO.default.svc.cluster.local.']) {
      expect(decideMeshRoute(host, known)).toBe('mesh');
    }
  });

  it('fails unknown cluster names like DNS does', () => {
    expect(decideMeshRoute('nope.default.svc.cluster.local', known)).toBe('notfound');
    expect(decideMeshRoute('nope.default.svc', known)).toBe('notfound');
  });

  it('leaves real domains and addresses alone', () => {
    for (const host of ['example.com', 'api.github.com', '127.0.0.1', 'localhost', 'hello.default.example.com']) {
      expect(decideMeshRoute(host, known)).toBe('pass');
    }
  });
});
