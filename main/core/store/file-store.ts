import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import {
  alreadyExists,
  ApiError,
  badRequest,
  conflict,
  findTypeByKind,
  invalid,
  isRecord,
  notFound,
  parseApiVersion,
  parseFieldSelector,
  parseLabelSelector,
  required,
  silentLogger,
  unknownKind,
  type KubeObject,
  type Logger,
  type ResourceType,
} from '../model/index.js';
import { contentChanged, mergeStringData, nowRfc3339, randomSuffix, sameObject } from './object-rules.js';
import { jsonPatch, mergePatch } from './patch.js';
import { loadObjects, objectPath, WriteQueue, writeFileAtomic } from './persistence.js';
import type { ListOptions, PatchType, Store, WatchEvent, WatchEventType, WatchOptions } from './store.js';
import { WatchHub } from './watch-hub.js';

export interface FileStoreOptions {
  dir: string;
  types: ResourceType[];
  log?: Logger;
  /** How many events `watch` can replay from a resourceVersion (default 5000). */
  watchHistory?: number;
}

export interface FileStore extends Store {
  close(): Promise<void>;
}

interface Entry {
  type: ResourceType;
  obj: KubeObject;
}

const CEILING_FILE = 'resource-version.ceiling';
/**
 * resourceVersions are reserved in blocks: the ceiling file is written before a version above it is handed out,
 * so after a crash (even one that lost a delete) versions never go backwards, at the cost of one write per block.
 */
const CEILING_BLOCK = 1000;

export async function createFileStore(opts: FileStoreOptions): Promise<FileStore> {
  const log = (opts.log ?? silentLogger).child({ component: 'store' });
  const loaded = await loadObjects(opts.dir, log);
  const ceilingText = await fs.readFile(path.join(opts.dir, CEILING_FILE), 'utf8').catch(() => '0');
  const ceiling = Number.parseInt(ceilingText.trim(), 10) || 0;
  return new FileStoreImpl(opts, log, loaded, ceiling);
}

function hasFinalizers(obj: KubeObject): boolean {
  return Array.isArray(obj.metadata.finalizers) && obj.metadata.finalizers.length > 0;
}

function keyOf(type: ResourceType, namespace: string | undefined, name: string): string {
  return `${type.group}|${type.plural}|${namespace ?? ''}|${name}`;
}

class FileStoreImpl implements FileStore {
  private readonly objects = new Map<string, Entry>();
  private readonly writes: WriteQueue;
  private readonly hub: WatchHub;
  private rv = 0;
  private durableCeiling: number;
  private ceilingChain: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly opts: FileStoreOptions,
    private readonly log: Logger,
    loaded: KubeObject[],
    ceiling: number,
  ) {
    this.writes = new WriteQueue(log);
    for (const obj of loaded) {
      const type = findTypeByKind(obj.apiVersion, obj.kind, opts.types);
      if (!type) {
        log.warn('Skipping a stored object of a kind this store does not serve', { apiVersion: obj.apiVersion, kind: obj.kind });
        continue;
      }
      this.objects.set(keyOf(type, obj.metadata.namespace, obj.metadata.name), { type, obj });
      this.rv = Math.max(this.rv, Number(obj.metadata.resourceVersion) || 0);
    }
    this.durableCeiling = ceiling;
    this.rv = Math.max(this.rv, ceiling);
    this.hub = new WatchHub(opts.watchHistory ?? 5000, this.rv, log);
    log.info('Resource store opened', { dir: opts.dir, objects: this.objects.size, resourceVersion: this.rv });
  }

  // ---- reads ----

  get(type: ResourceType, namespace: string | undefined, name: string): KubeObject {
    const o = this.find(type, namespace, name);
    if (!o) throw notFound(type.kind, type.group, name);
    return o;
  }

  find(type: ResourceType, namespace: string | undefined, name: string): KubeObject | undefined {
    const e = this.objects.get(keyOf(type, this.nsFor(type, namespace), name));
    return e ? structuredClone(e.obj) : undefined;
  }

  list(type: ResourceType, opts: ListOptions = {}): { items: KubeObject[]; resourceVersion: string } {
    const matches = this.matcher(type, opts);
    const items = [...this.objects.values()]
      .filter((e) => e.type.group === type.group && e.type.kind === type.kind && matches(e.obj))
      .map((e) => structuredClone(e.obj))
      .sort((a, b) => (a.metadata.namespace ?? '').localeCompare(b.metadata.namespace ?? '') || a.metadata.name.localeCompare(b.metadata.name));
    return { items, resourceVersion: String(this.rv) };
  }

  watch(type: ResourceType | undefined, opts: WatchOptions, listener: (ev: WatchEvent) => void): () => void {
    return this.hub.watch({ type, matches: this.matcher(type, opts) }, opts.resourceVersion, listener);
  }

  currentResourceVersion(): string {
    return String(this.rv);
  }

  private matcher(type: ResourceType | undefined, opts: ListOptions): (o: KubeObject) => boolean {
    const labels = opts.labelSelector ? parseLabelSelector(opts.labelSelector) : undefined;
    const fields = opts.fieldSelector ? parseFieldSelector(opts.fieldSelector) : undefined;
    const ns = type && !type.namespaced ? undefined : opts.namespace || undefined;
    return (o) => (ns === undefined || o.metadata.namespace === ns) && (!labels || labels(o.metadata.labels)) && (!fields || fields(o));
  }

  // ---- writes ----

  async create(input: KubeObject): Promise<KubeObject> {
    const type = this.typeOf(input);
    const version = parseApiVersion(input.apiVersion).version;
    let obj = this.normalizeIncoming(type, input);
    const md = obj.metadata;
    if (!md.name && md.generateName) md.name = this.generateName(type, md.namespace, md.generateName);
    delete md.uid;
    delete md.resourceVersion;
    delete md.generation;
    delete md.creationTimestamp;
    delete md.deletionTimestamp;
    // Like a CRD with a status subresource: status in a create request is ignored.
    if (type.hasStatus) delete obj.status;
    obj = this.defaultAndValidate(type, obj, version);
    const key = keyOf(type, obj.metadata.namespace, obj.metadata.name);
    if (this.objects.has(key)) throw alreadyExists(type.kind, type.group, obj.metadata.name);
    const rv = ++this.rv;
    obj.metadata = { ...obj.metadata, uid: randomUUID(), creationTimestamp: nowRfc3339(), generation: 1, resourceVersion: String(rv) };
    return this.commit(type, 'ADDED', obj, undefined);
  }

  async update(input: KubeObject): Promise<KubeObject> {
    const type = this.typeOf(input);
    return this.replace(type, this.normalizeIncoming(type, input), parseApiVersion(input.apiVersion).version);
  }

  private replace(type: ResourceType, incoming: KubeObject, version: string): Promise<KubeObject> {
    const cur = this.current(type, incoming.metadata.namespace, incoming.metadata.name);
    this.checkVersion(type, cur, incoming.metadata.resourceVersion);
    let obj: KubeObject = incoming;
    obj.metadata = {
      ...obj.metadata,
      uid: cur.metadata.uid,
      creationTimestamp: cur.metadata.creationTimestamp,
      generation: cur.metadata.generation,
      resourceVersion: cur.metadata.resourceVersion,
      ...(cur.metadata.deletionTimestamp ? { deletionTimestamp: cur.metadata.deletionTimestamp } : {}),
    };
    // Like the apiserver: an update that sends no managedFields keeps the recorded ones.
    if (obj.metadata.managedFields === undefined && cur.metadata.managedFields !== undefined) obj.metadata.managedFields = cur.metadata.managedFields;
    if (type.hasStatus) {
      if (cur.status !== undefined) obj.status = cur.status;
      else delete obj.status;
    }
    obj = this.defaultAndValidate(type, obj, version);
    if (sameObject(obj, cur)) return Promise.resolve(structuredClone(cur));
    // With a status subresource only spec changes count as a new generation; otherwise every change does.
    const bump = !type.hasStatus || contentChanged(obj, cur);
    const rv = ++this.rv;
    obj.metadata.generation = (cur.metadata.generation ?? 1) + (bump ? 1 : 0);
    obj.metadata.resourceVersion = String(rv);
    // The last finalizer removed from an object marked for deletion: now it goes.
    return this.commit(type, obj.metadata.deletionTimestamp && !hasFinalizers(obj) ? 'DELETED' : 'MODIFIED', obj, cur);
  }

  async updateStatus(input: KubeObject): Promise<KubeObject> {
    const type = this.typeOf(input);
    const ns = this.nsFor(type, input.metadata?.namespace);
    const cur = this.current(type, ns, input.metadata?.name ?? '');
    this.checkVersion(type, cur, input.metadata?.resourceVersion);
    return this.writeStatus(type, cur, input.status);
  }

  async patchStatus(type: ResourceType, namespace: string | undefined, name: string, status: Record<string, unknown>): Promise<KubeObject> {
    const cur = this.current(type, this.nsFor(type, namespace), name);
    return this.writeStatus(type, cur, mergePatch(cur.status ?? {}, status));
  }

  private writeStatus(type: ResourceType, cur: KubeObject, status: unknown): Promise<KubeObject> {
    if (!type.hasStatus) throw new ApiError(404, 'NotFound', `${type.kind} has no status subresource`);
    if (status !== undefined && !isRecord(status)) throw badRequest(`status of ${type.kind} "${cur.metadata.name}" must be an object`);
    const obj: KubeObject = { ...structuredClone(cur), status: structuredClone(status) };
    if (status === undefined) delete obj.status;
    if (sameObject(obj, cur)) return Promise.resolve(structuredClone(cur));
    obj.metadata.resourceVersion = String(++this.rv);
    return this.commit(type, 'MODIFIED', obj, cur);
  }

  /**
   * 'merge' is RFC 7386. 'strategic' is treated as a merge patch, i.e. lists are replaced wholesale instead of
   * merged by key: none of the served kinds declares patch merge keys, and kubectl's client-side apply sends
   * whole lists for CRDs anyway. 'json' is RFC 6902.
   */
  async patch(type: ResourceType, namespace: string | undefined, name: string, patch: unknown, patchType: PatchType): Promise<KubeObject> {
    const ns = this.nsFor(type, namespace);
    const cur = this.current(type, ns, name);
    const patched = patchType === 'json' ? jsonPatch(cur, patch) : mergePatch(cur, patch);
    if (!isRecord(patched) || !isRecord(patched.metadata)) throw badRequest(`The patch for ${type.kind} "${name}" must leave an object with metadata`);
    const obj = patched as KubeObject;
    if (obj.metadata.name !== name || (type.namespaced && obj.metadata.namespace !== ns)) {
      throw badRequest(`The patch may not change metadata.name or metadata.namespace of ${type.kind} "${name}"`);
    }
    if (obj.kind !== type.kind || !findTypeByKind(String(obj.apiVersion), obj.kind, [type])) {
      throw badRequest(`The patch may not change apiVersion/kind of ${type.kind} "${name}" to ${String(obj.apiVersion)}/${String(obj.kind)}`);
    }
    return this.replace(type, this.normalizeIncoming(type, obj), parseApiVersion(obj.apiVersion).version);
  }

  async delete(type: ResourceType, namespace: string | undefined, name: string): Promise<KubeObject> {
    const cur = this.current(type, this.nsFor(type, namespace), name);
    const obj = structuredClone(cur);
    // Finalizers (Kubernetes semantics): the object stays, marked for deletion, until its controller lets go.
    if (hasFinalizers(cur)) {
      if (cur.metadata.deletionTimestamp) return obj;
      obj.metadata.deletionTimestamp = nowRfc3339();
      obj.metadata.resourceVersion = String(++this.rv);
      return this.commit(type, 'MODIFIED', obj, cur);
    }
    obj.metadata.resourceVersion = String(++this.rv);
    return this.commit(type, 'DELETED', obj, cur);
  }

  async flush(): Promise<void> {
    await this.writes.flush();
    // A failed reservation was already reported to the write that needed it and is retried by the next one.
    await this.ceilingChain.catch(() => undefined);
  }

  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
    this.hub.closeAll();
  }

  // ---- internals ----

  private typeOf(obj: KubeObject): ResourceType {
    if (!isRecord(obj) || typeof obj.apiVersion !== 'string' || typeof obj.kind !== 'string') {
      throw badRequest('An object needs string apiVersion and kind, e.g. apiVersion: serverless.kyma-project.io/v1alpha2, kind: Function');
    }
    const type = findTypeByKind(obj.apiVersion, obj.kind, this.opts.types);
    if (!type) throw unknownKind(obj.apiVersion, obj.kind, this.opts.types);
    return type;
  }

  private nsFor(type: ResourceType, namespace: string | undefined): string | undefined {
    return type.namespaced ? namespace || 'default' : undefined;
  }

  /** A private copy with metadata present, the namespace defaulted/dropped and Secret stringData folded in. */
  private normalizeIncoming(type: ResourceType, input: KubeObject): KubeObject {
    if (this.closed) throw new ApiError(503, 'ServiceUnavailable', 'The resource store is closed; the daemon is shutting down');
    const obj = mergeStringData(type, structuredClone(input));
    if (!isRecord(obj.metadata)) obj.metadata = { name: '' };
    obj.metadata = { ...obj.metadata };
    const ns = this.nsFor(type, obj.metadata.namespace);
    if (ns === undefined) delete obj.metadata.namespace;
    else obj.metadata.namespace = ns;
    // Server-side apply keeps field ownership here; anything that is not a list of entries is dropped.
    if (!Array.isArray(obj.metadata.managedFields)) delete obj.metadata.managedFields;
    return obj;
  }

  private defaultAndValidate(type: ResourceType, obj: KubeObject, version: string): KubeObject {
    const out = type.applyDefaults(obj, version);
    const errs = type.validate(out, version);
    if (errs.length > 0) throw invalid(type.kind, type.group, out.metadata?.name || out.metadata?.generateName || '', errs);
    return out;
  }

  private current(type: ResourceType, namespace: string | undefined, name: string): KubeObject {
    if (!name) throw invalid(type.kind, type.group, '', [required('metadata.name')]);
    const e = this.objects.get(keyOf(type, namespace, name));
    if (!e) throw notFound(type.kind, type.group, name);
    return e.obj;
  }

  private checkVersion(type: ResourceType, cur: KubeObject, given: string | undefined): void {
    if (given !== undefined && given !== '' && given !== cur.metadata.resourceVersion) throw conflict(type.kind, type.group, cur.metadata.name);
  }

  private generateName(type: ResourceType, namespace: string | undefined, prefix: string): string {
    for (;;) {
      const name = `${prefix}${randomSuffix()}`;
      if (!this.objects.has(keyOf(type, namespace, name))) return name;
    }
  }

  /** Applies a change in memory and to watchers synchronously (keeping event order = version order), then persists it. */
  private async commit(type: ResourceType, evType: WatchEventType, obj: KubeObject, previous: KubeObject | undefined): Promise<KubeObject> {
    const { namespace, name } = obj.metadata;
    const key = keyOf(type, namespace, name);
    if (evType === 'DELETED') this.objects.delete(key);
    else this.objects.set(key, { type, obj });
    const rv = Number(obj.metadata.resourceVersion);
    this.hub.publish({ rv, type, event: { type: evType, object: obj }, ...(previous ? { previous } : {}) });
    const file = objectPath(this.opts.dir, type, namespace, name);
    try {
      await Promise.all([this.writes.schedule(file, evType === 'DELETED' ? null : `${JSON.stringify(obj, null, 2)}\n`), this.reserveVersion(rv)]);
    } catch (e) {
      throw new ApiError(500, 'InternalError', `Failed to persist ${type.kind} "${name}" under ${this.opts.dir}: ${String(e)}; check disk space and permissions`);
    }
    return structuredClone(obj);
  }

  private reserveVersion(rv: number): Promise<void> {
    if (rv <= this.durableCeiling) return Promise.resolve();
    this.ceilingChain = this.ceilingChain
      .catch(() => undefined)
      .then(async () => {
        if (rv <= this.durableCeiling) return;
        const next = Math.max(rv, this.rv) + CEILING_BLOCK;
        await writeFileAtomic(path.join(this.opts.dir, CEILING_FILE), `${next}\n`);
        this.durableCeiling = next;
      });
    return this.ceilingChain;
  }
}
