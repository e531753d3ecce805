// The API and event catalog: an entry's specificationUrl (OpenAPI for API, AsyncAPI for Events), fetched with the
// entry's credentials and cached on disk, so that `kyma-local app spec` and the dashboard work offline.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import type { OutgoingHttpHeaders } from 'node:http';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { ServiceSpecResponse } from '../../api/index.js';
import { APPLICATION, applicationSpec, gatewayServiceName, type ApplicationEntry, type ApplicationService } from '../../model/index.js';
import { authorize, type GatewayDeps } from './gateway.js';
import { GatewayError } from './resolve.js';
import { readBody, sendUpstream } from './upstream.js';

const MAX_SPEC_BYTES = 4 * 1024 * 1024;

export class SpecCatalog {
  constructor(
    private readonly dir: string,
    private readonly deps: GatewayDeps,
  ) {}

  private file(app: string, serviceId: string, entry: number): string {
    return path.join(this.dir, encodeURIComponent(app), `${encodeURIComponent(serviceId)}-${entry}.json`);
  }

  /** Finds the service by gateway path, name, display name or id; the first entry with a specificationUrl wins. */
  private find(app: string, service: string): { svc: ApplicationService; entry: ApplicationEntry; index: number } {
    const obj = this.deps.store.find(APPLICATION, undefined, app);
    if (!obj) throw new GatewayError(404, `Application ${app} not found`);
    const spec = applicationSpec(obj);
    const svc = spec.services.find((s) => [s.id, s.name, s.displayName, gatewayServiceName(s)].includes(service));
    if (!svc) throw new GatewayError(404, `Application ${app} has no service ${service}; services: ${spec.services.map((s) => gatewayServiceName(s)).join(', ') || 'none'}`);
    const index = svc.entries.findIndex((e) => e.specificationUrl);
    if (index < 0) throw new GatewayError(404, `service ${service} of ${app} has no entry with a specificationUrl`);
    return { svc, entry: svc.entries[index]!, index };
  }

  isCached(app: string, serviceId: string, index: number): Promise<boolean> {
    return readFile(this.file(app, serviceId, index)).then(
      () => true,
      () => false,
    );
  }

  async get(app: string, service: string, opts: { refresh?: boolean } = {}): Promise<ServiceSpecResponse> {
    const { svc, entry, index } = this.find(app, service);
    const file = this.file(app, svc.id, index);
    if (!opts.refresh) {
      const cached = await readFile(file, 'utf8').catch(() => undefined);
      if (cached) return { ...(JSON.parse(cached) as ServiceSpecResponse), fromCache: true };
    }
    try {
      const fresh = await this.fetch(app, svc, entry);
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(`${file}.tmp`, JSON.stringify(fresh));
      await rename(`${file}.tmp`, file);
      return fresh;
    } catch (err) {
      const cached = await readFile(file, 'utf8').catch(() => undefined);
      if (cached) return { ...(JSON.parse(cached) as ServiceSpecResponse), fromCache: true };
      throw err;
    }
  }

  private async fetch(app: string, svc: ApplicationService, entry: ApplicationEntry): Promise<ServiceSpecResponse> {
    const url = new URL(entry.specificationUrl!);
    const headers: OutgoingHttpHeaders = { accept: 'application/json, application/yaml, text/yaml, */*' };
    const skipVerify = applicationSpec(this.deps.store.get(APPLICATION, undefined, app)).skipVerify === true;
    // The spec endpoint belongs to the same system: it gets the same credentials as the API.
    await authorize(this.deps, { app, service: svc, entry, prefix: '', rest: '', skipVerify }, headers, undefined);
    const res = await sendUpstream({ url, method: 'GET', headers, timeoutMs: this.deps.timeoutMs, skipVerify });
    const body = await readBody(res, MAX_SPEC_BYTES);
    if ((res.statusCode ?? 500) >= 400) throw new GatewayError(502, `fetching ${url.href} answered ${res.statusCode}`);
    const text = body.toString('utf8');
    const contentType = String(res.headers['content-type'] ?? '');
    let spec: unknown;
    try {
      spec = /json/.test(contentType) || text.trimStart().startsWith('{') ? JSON.parse(text) : parseYaml(text);
    } catch (err) {
      throw new GatewayError(502, `the specification at ${url.href} is neither JSON nor YAML: ${(err as Error).message}`);
    }
    return {
      app,
      service: gatewayServiceName(svc),
      ...(entry.name ? { entry: entry.name } : {}),
      specificationUrl: url.href,
      fetchedAt: new Date().toISOString(),
      fromCache: false,
      contentType,
      spec,
    };
  }
}
