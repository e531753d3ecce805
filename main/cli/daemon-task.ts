import { apiPath, type RouteName, type TaskLine } from '../core/api/index.js';
import { ensureDaemon } from '../core/daemon-client/index.js';
import { CliError } from './cli-error.js';
import { stateDir } from './context.js';

/** Which daemon runs the task, when not this user's (`snapshot load --home`); the start message names it. */
export interface TaskTarget {
  home: string;
  env: NodeJS.ProcessEnv;
}

/**
 * Runs a long daemon task (snapshot, images) that answers in NDJSON: progress lines go to stderr as they come,
 * the result line is returned (its warnings printed), a failure becomes a CliError with the daemon's message.
 */
export async function daemonTask<R>(route: RouteName, body: Record<string, unknown>, target?: TaskTarget): Promise<R> {
  const { client, started } = await ensureDaemon(target?.home ?? stateDir(), target?.env);
  if (started) process.stderr.write(`Started the daemon${target ? ` for ${target.home}` : ''} (${client.url})\n`);
  let result: Extract<TaskLine<R>, { type: 'result' }> | undefined;
  await client.stream('POST', apiPath(route), body, (item) => {
    const line = item as TaskLine<R>;
    if (line.type === 'progress') process.stderr.write(`  · ${line.message}\n`);
    else result = line;
  });
  if (!result) throw new CliError('the daemon closed the connection before reporting the result — see its log (`kyma-local status`)');
  if (!result.ok) throw new CliError(result.error);
  for (const w of result.warnings ?? []) process.stderr.write(`Warning: ${w}\n`);
  return result;
}
