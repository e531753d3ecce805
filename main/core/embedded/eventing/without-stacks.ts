/**
 * Runs `fn` with stack capture off. The cloudevents SDK builds its ValidationError objects eagerly on every
 * parse and construction — even for valid events — and capturing their stacks was the proxy's largest cost.
 * Only the messages of these errors are ever shown, so nothing is lost.
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
