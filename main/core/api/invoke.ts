// Headers of the invoke route (kyma-local invoke, the dashboard's invoke console).

/**
 * Invoke: a request header `x-kyma-local-forward-<name>: v` reaches the function as `<name>: v`. The daemon checks
 * Origin, Host and Authorization of requests to itself, so headers meant for the function (a CORS Origin, the
 * function's own Authorization) travel under this prefix.
 */
export const INVOKE_FORWARD_PREFIX = 'x-kyma-local-forward-';

/** Invoke: the response header with the function's answer time in milliseconds, as the daemon measured it. */
export const INVOKE_DURATION_HEADER = 'x-kyma-local-duration-ms';
