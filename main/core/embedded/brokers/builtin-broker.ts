import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../../model/index.js';
import type { LocalInstance, Offering, OfferingContext } from './offering.js';
import { OsbError } from './osb-errors.js';
import type { OsbBackend } from './osb-server.js';
import type { OsbBindRequest, OsbCatalog, OsbLastOperation, OsbPlan, OsbProvisionRequest } from './osb-types.js';
import { checkParameters } from './parameter-schema.js';

export interface BuiltinBrokerOptions {
  offerings: Offering[];
  /** `<cluster state dir>/services`: instances.json and the instances' data. */
  dir: string;
  ctx: Omit<OfferingContext, 'dataRoot'>;
  log: Logger;
}

/**
 * The built-in broker's side of OSB: a registry of local instances (persisted in instances.json) whose servers
 * the offerings start. Provisioning is always asynchronous (a PGlite initdb takes seconds); a failed one is
 * cleaned up completely before it reports `failed`, so nothing is left half-created.
 */
export class BuiltinBroker implements OsbBackend {
  private instances = new Map<string, LocalInstance>();
  private readonly file: string;
  private readonly ctx: OfferingContext;
  private saving: Promise<void> = Promise.resolve();

  constructor(private readonly opts: BuiltinBrokerOptions) {
    this.file = path.join(opts.dir, 'instances.json');
    this.ctx = { ...opts.ctx, dataRoot: opts.dir };
  }

  /** Loads the registry and starts every provisioned instance again (after a daemon restart or `up`). */
  async resume(): Promise<void> {
    await mkdir(this.opts.dir, { recursive: true });
    const text = await readFile(this.file, 'utf8').catch(() => '[]');
    let list: LocalInstance[] = [];
    try {
      list = JSON.parse(text) as LocalInstance[];
    } catch (err) {
      this.opts.log.error(`instances.json is not valid JSON (${(err as Error).message}); starting with no built-in instances`, { file: this.file });
    }
    this.instances = new Map(list.map((i) => [i.id, i]));
    for (const inst of this.instances.values()) {
      if (inst.state === 'in progress') {
        // The daemon died mid-provision: finish the job from scratch.
        void this.runProvision(inst);
        continue;
      }
      if (inst.state !== 'succeeded') continue;
      try {
        await this.offering(inst.offering).start(inst, this.ctx, false);
      } catch (err) {
        inst.description = `failed to start again: ${(err as Error).message}`;
        this.opts.log.error(`service instance ${inst.id} (${inst.offering}) failed to start again: ${(err as Error).message}`);
      }
    }
  }

  async stopAll(): Promise<void> {
    await this.saving;
    for (const inst of this.instances.values()) {
      await this.offering(inst.offering).stop(inst, this.ctx).catch(() => undefined);
    }
  }

  catalog(): OsbCatalog {
    return {
      services: this.opts.offerings.map((o) => {
        const why = o.unavailable();
        // An unavailable offering stays listed, its plans marked, so `marketplace` can say what to install.
        return why ? { ...o.service, plans: o.service.plans.map((p) => ({ ...p, metadata: { ...p.metadata, unavailable: why } })) } : o.service;
      }),
    };
  }

  instanceList(): LocalInstance[] {
    return [...this.instances.values()];
  }

  private offering(name: string): Offering {
    const o = this.opts.offerings.find((x) => x.service.name === name);
    if (!o) throw new OsbError(500, `offering ${name} is not built in any more`);
    return o;
  }

  private resolve(serviceId: string, planId: string): { offering: Offering; plan: OsbPlan } {
    const offering = this.opts.offerings.find((o) => o.service.id === serviceId);
    if (!offering) throw new OsbError(400, `unknown service_id ${serviceId}; this broker offers ${this.opts.offerings.map((o) => `${o.service.name} (${o.service.id})`).join(', ')}`);
    const plan = offering.service.plans.find((p) => p.id === planId);
    if (!plan) throw new OsbError(400, `unknown plan_id ${planId} for ${offering.service.name}; plans: ${offering.service.plans.map((p) => `${p.name} (${p.id})`).join(', ')}`);
    return { offering, plan };
  }

  async provision(id: string, req: OsbProvisionRequest, acceptsIncomplete: boolean): Promise<{ created: boolean; operation?: string }> {
    const { offering, plan } = this.resolve(req.service_id, req.plan_id);
    const params = req.parameters ?? {};
    const existing = this.instances.get(id);
    if (existing) {
      const same = existing.serviceId === req.service_id && existing.planId === req.plan_id && JSON.stringify(existing.parameters) === JSON.stringify(params);
      if (!same) throw new OsbError(409, `instance ${id} already exists with other attributes`);
      if (existing.state === 'in progress') return { created: false, operation: existing.operation! };
      if (existing.state === 'succeeded') return { created: false };
      // failed before: try again
    }
    const why = offering.unavailable();
    if (why) throw new OsbError(422, `plan ${offering.service.name}/${plan.name} is unavailable here: ${why}`, 'Unavailable');
    const problems = checkParameters(plan.schemas?.service_instance?.create?.parameters, params);
    if (problems.length > 0) throw new OsbError(400, `invalid parameters for ${offering.service.name}/${plan.name}: ${problems.join('; ')}`, 'ValidationError');
    if (!acceptsIncomplete) throw new OsbError(422, 'this broker provisions asynchronously; send accepts_incomplete=true', 'AsyncRequired');
    const inst: LocalInstance = {
      id,
      offering: offering.service.name,
      serviceId: req.service_id,
      planId: req.plan_id,
      parameters: params,
      password: randomBytes(18).toString('base64url'),
      createdAt: new Date().toISOString(),
      state: 'in progress',
      operation: `provision-${randomBytes(6).toString('hex')}`,
      bindings: [],
    };
    this.instances.set(id, inst);
    await this.save();
    void this.runProvision(inst);
    return { created: true, operation: inst.operation! };
  }

  private async runProvision(inst: LocalInstance): Promise<void> {
    const offering = this.offering(inst.offering);
    const started = Date.now();
    try {
      await offering.destroy(inst, this.ctx).catch(() => undefined); // leftovers of an interrupted attempt
      await offering.start(inst, this.ctx, true);
      inst.state = 'succeeded';
      inst.description = `ready in ${Date.now() - started} ms`;
    } catch (err) {
      await offering.destroy(inst, this.ctx).catch(() => undefined);
      delete inst.port;
      inst.state = 'failed';
      inst.description = `provisioning ${inst.offering} failed: ${(err as Error).message}`;
      this.opts.log.error(inst.description, { instance: inst.id });
    }
    await this.save();
  }

  lastOperation(id: string): OsbLastOperation | 'gone' {
    const inst = this.instances.get(id);
    if (!inst) return 'gone';
    return { state: inst.state, ...(inst.description ? { description: inst.description } : {}) };
  }

  async deprovision(id: string): Promise<'ok' | 'gone'> {
    const inst = this.instances.get(id);
    if (!inst) return 'gone';
    if (inst.state === 'in progress') throw new OsbError(422, `instance ${id} is still being provisioned; try again when it is done`, 'ConcurrencyError');
    await this.offering(inst.offering).destroy(inst, this.ctx);
    this.instances.delete(id);
    await this.save();
    return 'ok';
  }

  async bind(instanceId: string, bindingId: string, req: OsbBindRequest): Promise<{ created: boolean; credentials: Record<string, unknown> }> {
    const inst = this.instances.get(instanceId);
    if (!inst) throw new OsbError(404, `no instance ${instanceId}`);
    if (inst.serviceId !== req.service_id) throw new OsbError(400, `service_id ${req.service_id} does not match the instance's ${inst.serviceId}`);
    if (inst.state !== 'succeeded') throw new OsbError(422, `instance ${instanceId} is not ready (${inst.state})`, 'ConcurrencyError');
    const created = !inst.bindings.includes(bindingId);
    if (created) {
      inst.bindings.push(bindingId);
      await this.save();
    }
    return { created, credentials: this.offering(inst.offering).credentials(inst) };
  }

  async unbind(instanceId: string, bindingId: string): Promise<'ok' | 'gone'> {
    const inst = this.instances.get(instanceId);
    if (!inst || !inst.bindings.includes(bindingId)) return 'gone';
    inst.bindings = inst.bindings.filter((b) => b !== bindingId);
    await this.save();
    return 'ok';
  }

  /** Atomic write of the registry (it holds passwords: 0600). */
  private save(): Promise<void> {
    const text = `${JSON.stringify([...this.instances.values()], null, 2)}\n`;
    this.saving = this.saving.catch(() => undefined).then(async () => {
      await mkdir(this.opts.dir, { recursive: true });
      const tmp = `${this.file}.tmp-${process.pid}`;
      await writeFile(tmp, text, { mode: 0o600 });
      await rename(tmp, this.file);
    });
    return this.saving;
  }
}
