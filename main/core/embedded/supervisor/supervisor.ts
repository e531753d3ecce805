import type { Logger } from '../../model/index.js';
import { writeChildren, type ChildRecord } from './children-file.js';
import { ManagedProcess } from './managed-process.js';
import type { ProcessSpec, ProcessStatus, SupervisedProcess, Supervisor } from './types.js';

export interface SupervisorOptions {
  /** Where children.json is kept (for reapOrphans after a daemon crash). */
  stateDir: string;
  log: Logger;
}

/** Starts and supervises child processes; see ProcessSpec for readiness, restart and stop behaviour. */
export function createSupervisor(opts: SupervisorOptions): Supervisor {
  const procs = new Map<string, ManagedProcess>();
  const records = new Map<number, ChildRecord>();
  let writes: Promise<void> = Promise.resolve();

  const persist = (): void => {
    const snapshot = [...records.values()];
    writes = writes
      .then(() => writeChildren(opts.stateDir, snapshot))
      .catch((err: Error) => opts.log.warn('cannot record children', { error: err.message, stateDir: opts.stateDir }));
  };

  const hooks = (name: string) => ({
    log: opts.log.child({ component: name }),
    register(rec: ChildRecord) {
      records.set(rec.pid, rec);
      persist();
    },
    unregister(pid: number) {
      if (records.delete(pid)) persist();
    },
  });

  return {
    async start(spec: ProcessSpec): Promise<SupervisedProcess> {
      const existing = procs.get(spec.name);
      const done = existing && ['Stopped', 'Failed'].includes(existing.status().state);
      if (existing && !done) throw new Error(`A process named "${spec.name}" is already supervised — stop it first`);
      const proc = new ManagedProcess(spec, hooks(spec.name));
      procs.set(spec.name, proc);
      await proc.start();
      // Function workers get a new name per revision: forget stopped ones so a long session does not grow.
      // (A process that failed to start is kept, so status can show why.)
      const off = proc.onStateChange((s) => {
        if (s.state !== 'Stopped') return;
        off();
        if (procs.get(spec.name) === proc) procs.delete(spec.name);
      });
      return proc;
    },
    get(name: string): SupervisedProcess | undefined {
      return procs.get(name);
    },
    /** Live processes and those that failed; stopped ones are dropped. */
    list(): ProcessStatus[] {
      return [...procs.values()].map((p) => p.status());
    },
    async stopAll(): Promise<void> {
      await Promise.all([...procs.values()].map((p) => p.stop()));
      await writes;
    },
  };
}
