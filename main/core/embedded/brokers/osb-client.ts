import { OSB_API_VERSION, type OsbBindRequest, type OsbCatalog, type OsbLastOperation, type OsbPlan, type OsbProvisionRequest, type OsbService } from './osb-types.js';

export interface OsbClientOptions {
  /** The broker's name as users know it (the ServiceBroker resource), used in every error. */
  name: string;
  url: string;
  username?: string;
  password?: string;
  timeoutMs?: number;
}

/**
 * A failed broker call. `transient` failures (unreachable, 5xx, malformed answers, 409/422 concurrency) are retried
 * with backoff; the others need a change of the resource.
 */
export class BrokerCallError extends Error {
  constructor(
    readonly broker: string,
    readonly status: number | undefined,
    message: string,
    readonly transient: boolean,
  ) {
    super(message);
    this.name = 'BrokerCallError';
  }
}

export interface ProvisionResult {
  /** Set when the broker answered 202: poll last_operation with it. */
  async: boolean;
  operation?: string;
}

type Json = Record<string, unknown>;

function isObj(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The OSB API v2.17 client side: every answer is checked before it is trusted. */
export class OsbClient {
  constructor(private readonly opts: OsbClientOptions) {}

  get name(): string {
    return this.opts.name;
  }

  async catalog(): Promise<OsbCatalog> {
    const { body } = await this.call('GET', '/v2/catalog', undefined, [200]);
    return parseCatalog(this.opts.name, body);
  }

  async provision(id: string, req: OsbProvisionRequest): Promise<ProvisionResult> {
    const { status, body } = await this.call('PUT', `/v2/service_instances/${enc(id)}?accepts_incomplete=true`, req, [200, 201, 202]);
    if (status !== 202) return { async: false };
    const op = body.operation;
    return { async: true, ...(typeof op === 'string' ? { operation: op } : {}) };
  }

  async lastOperation(id: string, serviceId: string, planId: string, operation: string | undefined): Promise<OsbLastOperation | 'gone'> {
    const q = new URLSearchParams({ service_id: serviceId, plan_id: planId, ...(operation ? { operation } : {}) });
    const { status, body } = await this.call('GET', `/v2/service_instances/${enc(id)}/last_operation?${q}`, undefined, [200, 410]);
    if (status === 410) return 'gone';
    const state = body.state;
    if (state !== 'in progress' && state !== 'succeeded' && state !== 'failed') {
      throw this.malformed(status, `last_operation answered state ${JSON.stringify(state ?? null)}; expected "in progress", "succeeded" or "failed"`);
    }
    return { state, ...(typeof body.description === 'string' ? { description: body.description } : {}) };
  }

  async deprovision(id: string, serviceId: string, planId: string): Promise<ProvisionResult | 'gone'> {
    const q = new URLSearchParams({ service_id: serviceId, plan_id: planId, accepts_incomplete: 'true' });
    const { status, body } = await this.call('DELETE', `/v2/service_instances/${enc(id)}?${q}`, undefined, [200, 202, 410]);
    if (status === 410) return 'gone';
    if (status !== 202) return { async: false };
    return { async: true, ...(typeof body.operation === 'string' ? { operation: body.operation } : {}) };
  }

  async bind(instanceId: string, bindingId: string, req: OsbBindRequest): Promise<Record<string, unknown>> {
    const { status, body } = await this.call('PUT', `/v2/service_instances/${enc(instanceId)}/service_bindings/${enc(bindingId)}`, req, [200, 201]);
    if (!isObj(body.credentials)) throw this.malformed(status, 'the bind answer has no credentials object');
    return body.credentials;
  }

  async unbind(instanceId: string, bindingId: string, serviceId: string, planId: string): Promise<'ok' | 'gone'> {
    const q = new URLSearchParams({ service_id: serviceId, plan_id: planId });
    const { status } = await this.call('DELETE', `/v2/service_instances/${enc(instanceId)}/service_bindings/${enc(bindingId)}?${q}`, undefined, [200, 410]);
    return status === 410 ? 'gone' : 'ok';
  }

  private malformed(status: number, what: string): BrokerCallError {
    return new BrokerCallError(this.opts.name, status, `broker ${this.opts.name} answered HTTP ${status} with a malformed body: ${what}`, true);
  }

  private async call(method: string, path: string, body: unknown, ok: number[]): Promise<{ status: number; body: Json }> {
    const headers: Record<string, string> = { 'X-Broker-API-Version': OSB_API_VERSION, Accept: 'application/json' };
    if (this.opts.username !== undefined) headers.Authorization = `Basic ${Buffer.from(`${this.opts.username}:${this.opts.password ?? ''}`).toString('base64')}`;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const url = `${this.opts.url.replace(/\/+$/, '')}${path}`;
    let res: Response;
    try {
      res = await fetch(url, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}), signal: AbortSignal.timeout(this.opts.timeoutMs ?? 10_000) });
    } catch (err) {
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      const why = cause?.code ?? cause?.message ?? (err as Error).message;
      throw new BrokerCallError(this.opts.name, undefined, `broker ${this.opts.name} at ${this.opts.url} is unreachable (${why})`, true);
    }
    const text = await res.text();
    let parsed: unknown = {};
    if (text.trim() !== '') {
      try {
        parsed = JSON.parse(text);
      } catch {
        throw this.malformed(res.status, `not JSON (${JSON.stringify(text.slice(0, 80))})`);
      }
    }
    if (!isObj(parsed)) throw this.malformed(res.status, 'not a JSON object');
    if (!ok.includes(res.status)) {
      const desc = typeof parsed.description === 'string' ? parsed.description : typeof parsed.error === 'string' ? parsed.error : text.slice(0, 200);
      const code = typeof parsed.error === 'string' ? parsed.error : undefined;
      // 5xx, 408, 429 and the OSB "try again" codes are worth retrying; other 4xx mean the request must change.
      const transient = res.status >= 500 || res.status === 408 || res.status === 429 || code === 'ConcurrencyError' || (res.status === 422 && code === 'AsyncRequired');
      throw new BrokerCallError(this.opts.name, res.status, `broker ${this.opts.name} answered HTTP ${res.status} to ${method} ${path.split('?')[0]}: ${desc}`, transient);
    }
    return { status: res.status, body: parsed };
  }
}

function enc(s: string): string {
  return encodeURIComponent(s);
}

/** Checks a catalog answer field by field, so one broken service names itself instead of breaking the whole catalog. */
export function parseCatalog(broker: string, body: unknown): OsbCatalog {
  const bad = (what: string): BrokerCallError => new BrokerCallError(broker, 200, `broker ${broker} answered a malformed catalog: ${what}`, true);
  if (!isObj(body) || !Array.isArray(body.services)) throw bad('no "services" list');
  const services: OsbService[] = body.services.map((s: unknown, i) => {
    if (!isObj(s) || typeof s.name !== 'string' || typeof s.id !== 'string') throw bad(`services[${i}] needs string "id" and "name"`);
    if (!Array.isArray(s.plans) || s.plans.length === 0) throw bad(`services[${i}] (${s.name}) needs a non-empty "plans" list`);
    const plans: OsbPlan[] = s.plans.map((p: unknown, j) => {
      if (!isObj(p) || typeof p.name !== 'string' || typeof p.id !== 'string') throw bad(`services[${i}].plans[${j}] needs string "id" and "name"`);
      return { ...(p as unknown as OsbPlan), description: typeof p.description === 'string' ? p.description : '' };
    });
    return { ...(s as unknown as OsbService), description: typeof s.description === 'string' ? s.description : '', bindable: s.bindable === true, plans };
  });
  return { services };
}
