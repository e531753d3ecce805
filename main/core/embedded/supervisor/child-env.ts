/**
 * A child's environment as an object without a prototype: child_process.spawn copies inherited keys too
 * (`for…in`), so anything that ever reached Object.prototype would otherwise land in every child's environment
 * (a `NODE_OPTIONS` there runs code in each new worker).
 */
export function childEnv(...parts: Array<Record<string, string | undefined> | undefined>): NodeJS.ProcessEnv {
  const env = Object.create(null) as NodeJS.ProcessEnv;
  for (const part of parts) {
    if (!part) continue;
    for (const k of Object.keys(part)) {
      const v = part[k];
      if (v !== undefined) env[k] = v;
    }
  }
  return env;
}
