/** A function named on the command line: `name` (in `namespace`) or `namespace/name`. */
export function nsName(fn: string, namespace: string): [string, string] {
  return fn.includes('/') ? (fn.split('/', 2) as [string, string]) : [namespace, fn];
}
