import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, ndjson } from './client.js';

export interface Polled<T> {
  data: T | undefined;
  error: ApiError | Error | undefined;
  loading: boolean;
  reload: () => void;
}

/** Loads `fn` now and every `intervalMs` (0 = once); keeps the last good data while a refresh fails. */
export function usePoll<T>(fn: (signal: AbortSignal) => Promise<T>, intervalMs: number, deps: unknown[]): Polled<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<Error>();
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  const fnRef = useRef(fn);
  fnRef.current = fn;
  useEffect(() => {
    const ctl = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const run = async (): Promise<void> => {
      try {
        const d = await fnRef.current(ctl.signal);
        if (ctl.signal.aborted) return;
        setData(d);
        setError(undefined);
      } catch (err) {
        if (ctl.signal.aborted) return;
        setError(err as Error);
      } finally {
        if (!ctl.signal.aborted) {
          setLoading(false);
          if (intervalMs > 0) timer = setTimeout(() => void run(), intervalMs);
        }
      }
    };
    void run();
    return () => {
      ctl.abort();
      if (timer) clearTimeout(timer);
    };
  }, [...deps, tick, intervalMs]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data, error, loading, reload };
}

export type StreamState = { phase: 'connecting' } | { phase: 'live' } | { phase: 'unavailable'; message: string } | { phase: 'error'; message: string };

/**
 * Follows an NDJSON stream, reconnecting after it ends or fails (daemon restart, module not up yet).
 * onBatch is read through a ref so callers need not memoise it.
 */
export function useStream<T>(path: string | undefined, onBatch: (items: T[]) => void): StreamState {
  const [state, setState] = useState<StreamState>({ phase: 'connecting' });
  const cb = useRef(onBatch);
  cb.current = onBatch;
  useEffect(() => {
    if (!path) return;
    const ctl = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const connect = (): void => {
      setState({ phase: 'connecting' });
      ndjson<T>(path, {
        signal: ctl.signal,
        onOpen: () => setState({ phase: 'live' }),
        onBatch: (items) => cb.current(items),
      })
        .then(() => {
          if (!ctl.signal.aborted) timer = setTimeout(connect, 1000);
        })
        .catch((err: Error) => {
          if (ctl.signal.aborted) return;
          const unavailable = err instanceof ApiError && err.unavailable;
          setState(unavailable ? { phase: 'unavailable', message: err.message } : { phase: 'error', message: err.message });
          timer = setTimeout(connect, unavailable ? 3000 : 2000);
        });
    };
    connect();
    return () => {
      ctl.abort();
      if (timer) clearTimeout(timer);
    };
  }, [path]);
  return state;
}
