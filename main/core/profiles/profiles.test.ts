import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILTIN_PROFILES_DIR, listProfiles, loadProfile, parseProfile, ProfileError, type Profile } from './index.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'kl-profiles-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const HEAD = 'apiVersion: kyma-local.io/v1alpha1\nkind: ClusterProfile\nmetadata:\n  name: t\n';

function parseError(text: string): ProfileError {
  try {
    parseProfile(text, 'x.yaml');
  } catch (err) {
    expect(err).toBeInstanceOf(ProfileError);
    return err as ProfileError;
  }
  throw new Error('expected a ProfileError');
}

describe('shipped profiles', () => {
  it('default: embedded with all six modules and fixed ports', async () => {
    const p = await loadProfile('default');
    expect(p.runtime).toBe('embedded');
    expect([...p.modules].sort()).toEqual(['api-gateway', 'application-connector', 'btp-operator', 'eventing', 'serverless', 'telemetry']);
    expect(p.ports).toEqual({ nats: 4222, gateway: 8080, publisher: 8081, otlp: 4318, broker: 0 });
    expect(p.limits.eventStreamMaxBytes).toBe(64 * 1024 * 1024);
    expect(p.source).toBe(path.join(BUILTIN_PROFILES_DIR, 'default.yaml'));
  });

  it('minimal: serverless only', async () => {
    const p = await loadProfile('minimal');
    expect(p.modules).toEqual(['serverless']);
    expect(p.kind).toBeUndefined();
  });

  it('kind: kind settings with ingress port mappings', async () => {
    const p = await loadProfile('kind');
    expect(p.runtime).toBe('kind');
    expect(p.kind?.nodeImage).toMatch(/^kindest\/node:v1\.34\.\d+$/);
    expect(p.kind?.portMappings.map((m) => m.containerPort).sort()).toEqual([443, 80]);
  });

  it('lists all shipped profiles with runtime and description', async () => {
    const list = await listProfiles();
    expect(list.map((p) => p.name).sort()).toEqual(['default', 'kind', 'minimal']);
    expect(list.every((p) => p.description.length > 0)).toBe(true);
  });
});

describe('loading', () => {
  it('fills defaults for a profile that sets only metadata', () => {
    const p: Profile = parseProfile(HEAD, 'x.yaml');
    expect(p.runtime).toBe('embedded');
    expect(p.modules).toHaveLength(6);
    expect(p.retention.keepStateOnDown).toBe(true);
    expect(p.eventing.maxDeliver).toBe(100);
  });

  it('accepts port 0 and reads a path, searching names in given dirs', async () => {
    const file = path.join(dir, 'zero.yaml');
    await writeFile(file, `${HEAD.replace('name: t', 'name: zero')}spec:\n  ports:\n    nats: 0\n    gateway: 0\n`);
    expect((await loadProfile(file)).ports.nats).toBe(0);
    const byName = await loadProfile('zero', { searchDirs: [dir] });
    expect(byName.ports.gateway).toBe(0);
    expect(byName.source).toBe(file);
  });

  it('names available profiles when a name is not found', async () => {
    await expect(loadProfile('nope')).rejects.toThrow(/Profile "nope" not found .*available: default, kind, minimal/);
  });

  it('resolves a relative natsServer path against the profile file', () => {
    const p = parseProfile(`${HEAD}spec:\n  natsServer: ./bin/nats-server\n`, '/etc/kl/p.yaml');
    expect(p.natsServer).toBe('/etc/kl/bin/nats-server');
  });
});

describe('errors carry file:line:column and field', () => {
  it('unknown module with the valid list and a suggestion', () => {
    const e = parseError(`${HEAD}spec:\n  modules:\n    - serverless\n    - telemetry\n    - evnting\n`);
    expect([e.file, e.line, e.column, e.field]).toEqual(['x.yaml', 9, 7, 'spec.modules[2]']);
    expect(e.message).toBe(
      'x.yaml:9:7: spec.modules[2]: unknown module "evnting" (did you mean "eventing"?) — valid: serverless, eventing, api-gateway, application-connector, telemetry, btp-operator',
    );
  });

  it('duplicate module', () => {
    const e = parseError(`${HEAD}spec:\n  modules: [eventing, eventing]\n`);
    expect([e.line, e.column, e.field]).toEqual([6, 23, 'spec.modules[1]']);
    expect(e.message).toMatch(/listed twice/);
  });

  it('port out of range names the field and the 0 option', () => {
    const e = parseError(`${HEAD}spec:\n  ports:\n    nats: 70000\n`);
    expect([e.line, e.column, e.field]).toEqual([7, 11, 'spec.ports.nats']);
    expect(e.message).toMatch(/0 to 65535, got 70000 \(0 = any free port\)/);
  });

  it('unknown key with did-you-mean', () => {
    const e = parseError(`${HEAD}spec:\n  ports:\n    natz: 1\n`);
    expect([e.line, e.column, e.field]).toEqual([7, 5, 'spec.ports.natz']);
    expect(e.message).toMatch(/did you mean "nats"/);
  });

  it('wrong apiVersion', () => {
    const e = parseError(HEAD.replace('v1alpha1', 'v1'));
    expect([e.line, e.column, e.field]).toEqual([1, 13, 'apiVersion']);
  });

  it('missing metadata.name points at metadata', () => {
    const e = parseError('apiVersion: kyma-local.io/v1alpha1\nkind: ClusterProfile\nmetadata:\n  description: x\n');
    expect([e.line, e.field]).toEqual([4, 'metadata.name']);
  });

  it('kind runtime without a kind section', () => {
    const e = parseError(`${HEAD}spec:\n  runtime: kind\n`);
    expect(e.field).toBe('spec.kind');
    expect(e.line).toBe(6);
  });

  it('bad port mapping protocol', () => {
    const text = `${HEAD}spec:\n  runtime: kind\n  kind:\n    nodeImage: kindest/node:v1.31.4\n    portMappings:\n      - containerPort: 80\n        hostPort: 8080\n        protocol: HTTP\n`;
    const e = parseError(text);
    expect([e.line, e.column, e.field]).toEqual([12, 19, 'spec.kind.portMappings[0].protocol']);
  });

  it('kind extraImages and registryImage: image references by tag, a digest or a bad name named at its line', () => {
    const kind = (extra: string) => `${HEAD}spec:\n  runtime: kind\n  kind:\n    nodeImage: kindest/node:v1.34.3\n${extra}`;
    const ok = parseProfile(kind('    registryImage: mirror.example.com:5000/library/registry:3\n    extraImages:\n      - postgres:16\n      - ghcr.io/acme/orders-db-mock:1.2.0\n'), 'x.yaml');
    expect(ok.kind).toMatchObject({ registryImage: 'mirror.example.com:5000/library/registry:3', extraImages: ['postgres:16', 'ghcr.io/acme/orders-db-mock:1.2.0'] });
    expect(parseProfile(kind(''), 'x.yaml').kind?.extraImages).toEqual([]);
    const bad = parseError(kind('    extraImages:\n      - postgres:16\n      - Not An Image\n'));
    expect([bad.line, bad.field]).toEqual([11, 'spec.kind.extraImages[1]']);
    expect(bad.message).toContain('is not an image reference');
    const digest = parseError(kind(`    registryImage: registry@sha256:${'a'.repeat(64)}\n`));
    expect(digest.field).toBe('spec.kind.registryImage');
    expect(digest.message).toContain('use a tag');
  });

  it('non-boolean keepStateOnDown and negative retention', () => {
    expect(parseError(`${HEAD}spec:\n  retention:\n    keepStateOnDown: maybe\n`).field).toBe('spec.retention.keepStateOnDown');
    expect(parseError(`${HEAD}spec:\n  retention:\n    logs: -1\n`).field).toBe('spec.retention.logs');
  });

  it('YAML syntax error with its position', () => {
    const e = parseError(`${HEAD}spec:\n  modules: [serverless\n`);
    expect(e.file).toBe('x.yaml');
    expect(e.line).toBeGreaterThanOrEqual(6);
    expect(e.message).toMatch(/^x\.yaml:\d+:\d+: invalid YAML: /);
  });

  it('a missing file is a ProfileError naming the path', async () => {
    const missing = path.join(dir, 'missing.yaml');
    await expect(loadProfile(missing)).rejects.toThrow(/missing\.yaml:1:1: cannot read profile: file not found/);
  });
});

describe('spec.oidc', () => {
  it('defaults to no section (the issuer uses the demo client and user) and reads clients, users and lifetimes', () => {
    expect(parseProfile(HEAD, 'x.yaml').oidc).toBeUndefined();
    const p = parseProfile(
      `${HEAD}spec:\n  oidc:\n    clients:\n      - id: shop\n        secret: s3cret\n        scopes: [orders:read]\n        audience: shop-api\n    users:\n      - name: alice\n        password: pw\n    tokenTtlSeconds: 600\n`,
      'x.yaml',
    );
    expect(p.oidc).toEqual({
      clients: [{ id: 'shop', secret: 's3cret', scopes: ['orders:read'], audience: 'shop-api' }],
      users: [{ name: 'alice', password: 'pw', scopes: [] }],
      tokenTtlSeconds: 600,
      keyGraceSeconds: 86_400,
    });
  });

  it('names the field of a bad entry', () => {
    expect(parseError(`${HEAD}spec:\n  oidc:\n    clients:\n      - id: shop\n`).message).toContain('spec.oidc.clients[0].secret');
    expect(parseError(`${HEAD}spec:\n  oidc:\n    users:\n      - name: a\n        password: b\n        role: admin\n`).message).toContain('spec.oidc.users[0]');
  });
});
