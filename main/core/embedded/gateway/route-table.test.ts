import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../model/index.js';
import { hostUrls, normalizeHost, wildcardCandidates } from './hosts.js';
import { pathMatcher } from './paths.js';
import { buildRouteTable, findRoute, findRule } from './route-table.js';

function rule(name: string, host: string, rules: unknown[], extra: Record<string, unknown> = {}): KubeObject {
  return { apiVersion: 'gateway.kyma-project.io/v2', kind: 'APIRule', metadata: { name, namespace: 'default' }, spec: { hosts: [host], service: { name: 'fn', port: 80 }, rules, ...extra } };
}
const open = (path: string, methods = ['GET']): Record<string, unknown> => ({ path, methods, noAuth: true });
const all = (): boolean => true;
const route = (table: ReturnType<typeof buildRouteTable>, host: string): string | undefined => {
  const h = normalizeHost(host);
  const r = findRoute(table, h, wildcardCandidates(h));
  return r ? r.name : undefined;
};

describe('APIRule hosts on the local gateway', () => {
  const table = buildRouteTable(
    [rule('short', 'orders', [open('/*')]), rule('kyma', 'shop.local.kyma.dev', [open('/*')]), rule('fqdn', 'api.example.com', [open('/*')]), rule('wild', '*.apps.example.com', [open('/*')])],
    all,
    8080,
  );

  it('serves a short host, its .localhost and .local.kyma.dev names as one host; FQDNs exactly; *.fqdn below it', () => {
    expect(['orders.localhost:8080', 'orders.local.kyma.dev', 'ORDERS.localhost.', 'orders'].map((h) => route(table, h))).toEqual(['short', 'short', 'short', 'short']);
    expect(['shop.localhost:8080', 'shop.local.kyma.dev'].map((h) => route(table, h))).toEqual(['kyma', 'kyma']);
    expect(['api.example.com', 'x.api.example.com'].map((h) => route(table, h))).toEqual(['fqdn', undefined]);
    expect(['a.apps.example.com', 'a.b.apps.example.com', 'apps.example.com'].map((h) => route(table, h))).toEqual(['wild', 'wild', undefined]);
  });

  it('gives each host the URL a person opens and a Host header that works against 127.0.0.1', () => {
    expect(hostUrls('orders', 8080)).toEqual({ url: 'http://orders.localhost:8080', hostHeader: 'orders.localhost' });
    expect(hostUrls('shop.local.kyma.dev', 80)).toEqual({ url: 'http://shop.localhost', hostHeader: 'shop.localhost' });
    expect(hostUrls('api.example.com', 8080)).toEqual({ url: 'http://api.example.com:8080', hostHeader: 'api.example.com' });
  });
});

describe('APIRule paths and rule order', () => {
  it('matches exact paths, {*} as one segment, {**} as any number of segments, /* as everything', () => {
    const m = (p: string, paths: string[]): boolean[] => paths.map(pathMatcher(p));
    expect(m('/orders', ['/orders', '/orders/', '/orders/1'])).toEqual([true, false, false]);
    expect(m('/orders/{*}', ['/orders/1', '/orders/1/items', '/orders/'])).toEqual([true, false, false]);
    expect(m('/orders/{*}/items', ['/orders/1/items', '/orders/1/2/items'])).toEqual([true, false]);
    expect(m('/api/{**}', ['/api/', '/api/a/b/c', '/apix'])).toEqual([true, true, false]);
    expect(m('/*', ['/', '/anything/at/all'])).toEqual([true, true]);
    expect(m('/a.b', ['/a.b', '/axb'])).toEqual([true, false]);
  });

  it('takes the first rule whose path and method match', () => {
    const t = buildRouteTable([rule('r', 'orders', [open('/orders/{*}', ['POST']), { path: '/orders/{*}', methods: ['GET'], jwt: { authentications: [{ issuer: 'i', jwksUri: 'http://j' }] } }, open('/*')])], all, 8080);
    const r = t.exact.get('label:orders')!;
    expect([findRule(r, '/orders/1', 'POST')?.index, findRule(r, '/orders/1', 'GET')?.index, findRule(r, '/x', 'GET')?.index, findRule(r, '/x', 'DELETE')]).toEqual([0, 1, 2, undefined]);
  });
});

describe('APIRule status from the route table', () => {
  it('puts both APIRules that claim the same host, path and method in Error, each naming the other, and serves neither', () => {
    const t = buildRouteTable([rule('a', 'orders', [open('/hello')]), rule('b', 'orders.localhost', [open('/hello', ['GET', 'POST'])]), rule('c', 'orders', [open('/hello', ['PUT'])])], all, 8080);
    const by = Object.fromEntries(t.routes.map((r) => [r.name, r]));
    expect(by.a!.state).toBe('Error');
    expect(by.a!.description).toContain('APIRule default/b also claims host orders.localhost path /hello');
    expect(by.b!.state).toBe('Error');
    expect(by.b!.description).toContain('APIRule default/a also claims host orders path /hello');
    expect(by.c!.state).toBe('Ready');
    expect(route(t, 'orders.localhost')).toBe('c');
  });

  it('warns about a missing target (503 until deployed), a port other than 80, and extAuth (403)', () => {
    const t = buildRouteTable(
      [rule('missing', 'a', [open('/*')]), rule('port', 'b', [open('/*')], { service: { name: 'fn', port: 8080 } }), rule('ext', 'c', [{ path: '/*', methods: ['GET'], extAuth: { authorizers: ['x'] } }])],
      (h) => h !== 'fn.default' || false,
      8080,
    );
    const by = Object.fromEntries(t.routes.map((r) => [r.name, r]));
    expect(by.missing).toMatchObject({ state: 'Warning', description: expect.stringContaining('service default/fn not found') as string });
    expect(by.ext!.description).toContain('extAuth is not supported locally, requests are rejected with 403');
    const ok = buildRouteTable([rule('port', 'b', [open('/*')], { service: { name: 'fn', port: 8080 } })], all, 8080).routes[0]!;
    expect(ok).toMatchObject({ state: 'Warning', description: expect.stringContaining('port 8080') as string });
    expect(buildRouteTable([rule('fine', 'd', [open('/*')])], all, 8080).routes[0]).toMatchObject({ state: 'Ready', description: 'Served at http://d.localhost:8080' });
  });

  it('does not serve a deprecated v1beta1 APIRule and says how to convert it', () => {
    const v1: KubeObject = { apiVersion: 'gateway.kyma-project.io/v1beta1', kind: 'APIRule', metadata: { name: 'old', namespace: 'default' }, spec: { host: 'old', service: { name: 'fn', port: 80 }, rules: [] } };
    expect(buildRouteTable([v1], all, 8080).routes[0]).toMatchObject({ state: 'Error', description: expect.stringContaining('convert it to gateway.kyma-project.io/v2') as string });
  });
});
