/**
 * Runs `fn` with stack capture off. The cloudevents SDK constructs ValidationError objects eagerly on every
 * parse — even of valid events — and capturing their stacks cost more than the rest of a request. Only the
 * messages of these errors are shown. Eventing's publisher proxy uses it too.
 */
export function withoutStacks<T>(fn: () => T): T {
  const prev = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return fn();
  } finally {
    Error.stackTraceLimit = prev;
  }
}
