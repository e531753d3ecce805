import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { EmbeddedModule, ModuleFactory, SupervisedProcess } from '../../main/core/embedded/index.js';
import type { ModuleName, Profile } from '../../main/core/profiles/index.js';
import { loadProfile } from '../../main/core/profiles/index.js';
import type { ComponentState } from '../../main/core/runtime.js';
import { profileYaml } from '../helpers/cli.js';

/** Writes a profile file (all ports 0) and loads it the way the daemon does. */
export async function writeProfile(dir: string, name: string, modules: ModuleName[], extra = ''): Promise<Profile> {
  const file = path.join(dir, `${name}.yaml`);
  await writeFile(file, `${profileYaml(name, modules, extra)}\n`);
  return loadProfile(file);
}

export interface FakeModule extends EmbeddedModule {
  natsUrl?: string;
  child?: SupervisedProcess;
}

/** A module that supervises one real child process, or fails to start with `failWith`. */
export function fakeModule(name: ModuleName, made: FakeModule[], failWith?: string): ModuleFactory {
  return () => {
    let state: ComponentState = 'Pending';
    const m: FakeModule = {
      name,
      async start(ctx) {
        m.natsUrl = ctx.natsUrl;
        if (failWith) throw new Error(failWith);
        m.child = await ctx.supervisor.start({
          name: `fake/${name}`,
          command: process.execPath,
          args: ['-e', 'setInterval(() => {}, 1000)'],
          readiness: { kind: 'none' },
        });
        state = 'Ready';
      },
      async stop() {
        await m.child?.stop();
        state = 'Stopped';
      },
      status() {
        const pid = m.child?.status().pid;
        return { name, kind: 'module', state, ...(pid !== undefined ? { pid } : {}) };
      },
    };
    made.push(m);
    return m;
  };
}

export { isAlive as alive } from '../helpers/cli.js';
