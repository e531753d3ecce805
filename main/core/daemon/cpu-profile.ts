import { Session } from 'node:inspector/promises';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Developer aid for benchmarks: with KYMA_LOCAL_CPU_PROFILE=<dir> the daemon records a V8 CPU profile from start
 * to shutdown (Node refuses --cpu-prof in NODE_OPTIONS, and the daemon is started by the CLI).
 */
export async function startCpuProfile(dir: string | undefined): Promise<(() => Promise<void>) | undefined> {
  if (!dir) return undefined;
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return async () => {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(join(dir, `daemon-${process.pid}.cpuprofile`), JSON.stringify(profile));
    session.disconnect();
  };
}
