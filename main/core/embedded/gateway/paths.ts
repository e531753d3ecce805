// APIRule v2 path patterns: exact paths, `{*}` (one segment), `{**}` (any number of segments) and `/*` (everything).

/** A matcher for one rule's path; the model has validated the pattern already. */
export function pathMatcher(pattern: string): (path: string) => boolean {
  if (pattern === '/*') return () => true;
  if (!pattern.includes('{')) return (p) => p === pattern;
  const re = new RegExp(
    `^${pattern
      .split('/')
      .map((seg) => (seg === '{**}' ? '.*' : seg === '{*}' ? '[^/]+' : seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
      .join('/')}$`,
  );
  return (p) => re.test(p);
}
