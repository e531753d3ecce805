import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';

// One Ajv for every plan schema (built-in and external brokers). Brokers often declare draft-04 schemas; Ajv 8
// checks draft-07 and later, so the `$schema` keyword is dropped and the rest is checked as draft-07 — the keywords
// plan schemas use (type, properties, required, enum, minimum, pattern, additionalProperties) mean the same there.
const ajv = new Ajv({ allErrors: true, strict: false, validateSchema: false });
const cache = new WeakMap<object, ValidateFunction>();

function compile(schema: Record<string, unknown>): ValidateFunction {
  let fn = cache.get(schema);
  if (!fn) {
    const { $schema: _ignored, ...rest } = schema;
    fn = ajv.compile(rest);
    cache.set(schema, fn);
  }
  return fn;
}

function describe(e: ErrorObject): string {
  const at = e.instancePath ? e.instancePath.slice(1).replace(/\//g, '.') : '';
  if (e.keyword === 'additionalProperties') {
    const extra = String((e.params as { additionalProperty?: string }).additionalProperty);
    return `${at ? `${at}.` : ''}${extra}: unknown parameter`;
  }
  return `${at || '(parameters)'}: ${e.message ?? 'invalid'}`;
}

/** Problems of `params` against a plan's JSON schema, each with its path (`maxConnections: must be <= 100`). */
export function checkParameters(schema: Record<string, unknown> | undefined, params: Record<string, unknown>): string[] {
  if (!schema) return [];
  let fn: ValidateFunction;
  try {
    fn = compile(schema);
  } catch {
    // A broker's broken schema is the broker's problem (it still checks what it gets); do not block users on it.
    return [];
  }
  return fn(params) ? [] : (fn.errors ?? []).map(describe);
}
