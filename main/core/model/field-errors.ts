import type { FieldError } from './errors.js';

/**
 * Builders for field errors whose messages read like the Kubernetes API server's
 * (`Required value`, `Unsupported value: "x": supported values: "a", "b"`, `Invalid value: -1: ...`).
 */
export function required(field: string, detail?: string): FieldError {
  return { field, type: 'FieldValueRequired', message: detail ? `Required value: ${detail}` : 'Required value' };
}

export function invalidValue(field: string, value: unknown, detail: string): FieldError {
  return { field, type: 'FieldValueInvalid', message: `Invalid value: ${show(value)}: ${detail}` };
}

export function notSupported(field: string, value: unknown, supported: readonly string[]): FieldError {
  const list = supported.map((s) => JSON.stringify(s)).join(', ');
  return { field, type: 'FieldValueNotSupported', message: `Unsupported value: ${show(value)}: supported values: ${list}` };
}

export function duplicate(field: string, value: unknown): FieldError {
  return { field, type: 'FieldValueDuplicate', message: `Duplicate value: ${show(value)}` };
}

export function forbidden(field: string, detail: string): FieldError {
  return { field, type: 'FieldValueForbidden', message: `Forbidden: ${detail}` };
}

export function tooLong(field: string, max: number): FieldError {
  return { field, type: 'FieldValueTooLong', message: `Too long: may not be more than ${max} bytes` };
}

export function typeInvalid(field: string, value: unknown, expected: string): FieldError {
  return { field, type: 'FieldValueTypeInvalid', message: `Invalid value: ${show(value)}: must be ${expected}` };
}

function show(value: unknown): string {
  if (value === undefined) return 'null';
  if (typeof value === 'object' && value !== null) return Array.isArray(value) ? '[]' : '{}';
  return JSON.stringify(value);
}
