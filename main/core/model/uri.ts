import { badRequest } from './errors.js';

/** A malformed escape (`%zz`) is the client's mistake: 400 naming it, not a 500 from decodeURIComponent. */
export function decodePathSegment(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    throw badRequest(`the URL path segment "${s}" has a malformed percent-escape; encode "%" as %25`);
  }
}
