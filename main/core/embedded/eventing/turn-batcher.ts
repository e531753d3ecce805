/**
 * Runs queued actions together once per event-loop turn. nats.js writes its outbound buffer once per microtask
 * drain, so publishes and acks issued from separate HTTP callbacks each cost a socket write (and a wake-up of
 * nats-server); gathering them into one setImmediate makes it one write per turn at event rates.
 */
export function createTurnBatcher(): (action: () => void) => void {
  let queue: Array<() => void> = [];
  const run = (): void => {
    const actions = queue;
    queue = [];
    for (const a of actions) {
      try {
        a();
      } catch {
        // an action's failure is its own (it reports through its promise); the others still run
      }
    }
  };
  return (action) => {
    if (queue.push(action) === 1) setImmediate(run);
  };
}
