// Keeps each Application's status true: gateway URLs per API entry, whether every entry's Secrets exist, and the
// per-app inbound events URL with the Secret holding its token (created here on first sight).
import { randomBytes } from 'node:crypto';
import { APPLICATION, applicationSpec, clusterGatewayUrl, gatewayServiceName, SECRET, type ApplicationEntry, type Condition, type KubeObject, type Logger } from '../../model/index.js';
import type { Store } from '../../store/index.js';
import { APP_SECRETS_NAMESPACE, readRequestParameters, readSecret, REQUIRED_KEYS } from './secrets.js';

export interface ConnectorUrls {
  /** Host URL of the 8080-style proxy listener, e.g. http://127.0.0.1:41234 */
  gateway: string;
  /** Host URL of the 8082-style (Compass) listener. */
  compass: string;
  /** Host URL of the inbound events listener. */
  inbound: string;
}

export interface EntryStatus {
  type: string;
  name?: string;
  /** The URL function code uses (API entries). */
  clusterUrl?: string;
  /** The same API from the host. */
  hostUrl?: string;
  credentials?: { type: string; secretName: string; secret: 'Found' | 'Missing' | 'Incomplete' };
  /** Why the gateway cannot serve the entry, if it cannot. */
  problem?: string;
  served: boolean;
}

export interface ServiceStatus {
  id: string;
  name: string;
  gatewayPath: string;
  entries: EntryStatus[];
}

export const inboundTokenSecretName = (app: string): string => `${app}-inbound-token`.slice(0, 253);

const MTLS_WARNING = 'mTLS is not emulated by the embedded runtime: OAuthWithCert gets its token without the client certificate and CertificateGen calls go out without one';

function entryStatus(store: Store, app: string, svcPath: string, e: ApplicationEntry, urls: ConnectorUrls): { status: EntryStatus; warning?: string } {
  const s: EntryStatus = { type: e.type, ...(e.name ? { name: e.name } : {}), served: false };
  const problems: string[] = [];
  let warning: string | undefined;
  if (e.type === 'API') {
    s.clusterUrl = `${clusterGatewayUrl(app, svcPath)}`;
    s.hostUrl = `${urls.gateway}/${app}/${svcPath}`;
  }
  const c = e.credentials;
  if (c) {
    const secret = readSecret(store, c.secretName);
    const missingKeys = secret ? (REQUIRED_KEYS[c.type] ?? []).filter((k) => !secret[k]) : [];
    s.credentials = { type: c.type, secretName: c.secretName, secret: !secret ? 'Missing' : missingKeys.length ? 'Incomplete' : 'Found' };
    if (!secret) problems.push(`Secret ${APP_SECRETS_NAMESPACE}/${c.secretName} not found`);
    else if (missingKeys.length) problems.push(`Secret ${APP_SECRETS_NAMESPACE}/${c.secretName} lacks ${missingKeys.join(', ')}`);
    if (c.type === 'OAuthWithCert' || c.type === 'CertificateGen') warning = MTLS_WARNING;
  }
  if (e.requestParametersSecretName) {
    try {
      readRequestParameters(store, e.requestParametersSecretName);
    } catch (err) {
      problems.push((err as Error).message);
    }
  }
  if (problems.length) s.problem = problems.join('; ');
  s.served = e.type === 'API' && problems.length === 0;
  return { status: s, ...(warning ? { warning } : {}) };
}

const entries = (n: number): string => `${n} API ${n === 1 ? 'entry' : 'entries'}`;

const condition = (type: string, ok: boolean, reason: string, message: string): Condition => ({ type, status: ok ? 'True' : 'False', reason, message });

/** The status the connector writes for one Application. */
export function computeStatus(store: Store, app: KubeObject, urls: ConnectorUrls, prev?: Record<string, unknown>): Record<string, unknown> {
  const name = app.metadata.name;
  const spec = applicationSpec(app);
  const problems: string[] = [];
  const warnings = new Set<string>();
  const services: ServiceStatus[] = spec.services.map((svc) => {
    const path = gatewayServiceName(svc);
    const entries = svc.entries.map((e, i) => {
      const r = entryStatus(store, name, path, e, urls);
      if (r.status.problem) problems.push(`${svc.name}/${e.name ?? `entries[${i}]`}: ${r.status.problem}`);
      if (r.warning) warnings.add(r.warning);
      return r.status;
    });
    return { id: svc.id, name: svc.name, gatewayPath: path, entries };
  });
  const apis = services.flatMap((s) => s.entries).filter((e) => e.type === 'API');
  const served = apis.filter((e) => e.served).length;
  const conditions: Condition[] = [
    condition('SecretsFound', problems.length === 0, problems.length ? 'SecretMissing' : 'AllSecretsFound', problems.length ? problems.join('; ') : 'every credentials and request-parameters Secret exists'),
    condition('GatewayServing', served === apis.length, served === apis.length ? 'Serving' : 'NotServing', `${served} of ${entries(apis.length)} served at ${urls.gateway}/${name}/<service>/<path>`),
  ];
  const state = problems.length ? 'Error' : warnings.size ? 'Warning' : 'Ready';
  const description = problems.length ? problems.join('; ') : [...warnings].join('; ') || `${entries(served)} served; events accepted at ${urls.inbound}/${name}/v1/events`;
  const stamp = (c: Condition): Condition => {
    const old = Array.isArray(prev?.conditions) ? (prev.conditions as Condition[]).find((p) => p.type === c.type) : undefined;
    return { ...c, lastTransitionTime: old && old.status === c.status && old.lastTransitionTime ? old.lastTransitionTime : new Date().toISOString() };
  };
  return {
    state,
    description,
    gatewayUrl: `${urls.gateway}/${name}`,
    compassGatewayUrl: `${urls.compass}/${name}`,
    inbound: { url: `${urls.inbound}/${name}/v1/events`, tokenSecret: `${APP_SECRETS_NAMESPACE}/${inboundTokenSecretName(name)}`, eventSource: name },
    services,
    conditions: conditions.map(stamp),
  };
}

const sameIgnoringTimes = (a: unknown, b: unknown): boolean =>
  JSON.stringify(a, (k, v: unknown) => (k === 'lastTransitionTime' ? undefined : v)) === JSON.stringify(b, (k, v: unknown) => (k === 'lastTransitionTime' ? undefined : v));

export class ApplicationStatusController {
  private readonly offs: Array<() => void> = [];
  private scheduled = false;
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: Store,
    private readonly urls: ConnectorUrls,
    private readonly log: Logger,
  ) {}

  start(): Promise<void> {
    this.offs.push(this.store.watch(APPLICATION, {}, () => this.schedule()));
    this.offs.push(this.store.watch(SECRET, { namespace: APP_SECRETS_NAMESPACE }, () => this.schedule()));
    return this.reconcileAll();
  }

  stop(): Promise<void> {
    for (const off of this.offs.splice(0)) off();
    return this.running;
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(() => {
      this.scheduled = false;
      this.running = this.running.then(() => this.reconcileAll());
    });
  }

  /** Settles once every change seen so far is reflected in status. */
  async settled(): Promise<void> {
    await new Promise<void>((r) => queueMicrotask(r));
    await this.running;
  }

  private async reconcileAll(): Promise<void> {
    for (const app of this.store.list(APPLICATION).items) {
      try {
        await this.ensureToken(app.metadata.name);
        const status = computeStatus(this.store, app, this.urls, app.status);
        if (!sameIgnoringTimes(status, app.status)) await this.store.patchStatus(APPLICATION, undefined, app.metadata.name, status);
      } catch (err) {
        this.log.warn('application status update failed', { application: app.metadata.name, error: (err as Error).message });
      }
    }
  }

  private async ensureToken(app: string): Promise<void> {
    const name = inboundTokenSecretName(app);
    if (this.store.find(SECRET, APP_SECRETS_NAMESPACE, name)) return;
    await this.store.create({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name, namespace: APP_SECRETS_NAMESPACE, labels: { 'applicationconnector.kyma-project.io/application': app, 'app.kubernetes.io/managed-by': 'kyma-local' } },
      type: 'Opaque',
      data: { token: Buffer.from(randomBytes(24).toString('base64url')).toString('base64') },
    });
  }
}

/** The inbound token of an Application, if its Secret exists. */
export function inboundToken(store: Store, app: string): string | undefined {
  return readSecret(store, inboundTokenSecretName(app))?.token;
}

