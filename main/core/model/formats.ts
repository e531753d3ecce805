import type { FieldError } from './errors.js';
import { invalidValue, tooLong } from './field-errors.js';

// Formats and messages mirror k8s.io/apimachinery/pkg/util/validation so users see familiar wording.
const LABEL = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS1123_LABEL = new RegExp(`^${LABEL}$`);
const DNS1123_SUBDOMAIN = new RegExp(`^${LABEL}(\\.${LABEL})*$`);
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const ENV_VAR_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;
const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export function isDns1123Label(v: string): boolean {
  return v.length <= 63 && DNS1123_LABEL.test(v);
}

export function isDns1123Subdomain(v: string): boolean {
  return v.length <= 253 && DNS1123_SUBDOMAIN.test(v);
}

export function validateDns1123Label(field: string, v: string): FieldError[] {
  if (v.length > 63) return [invalidValue(field, v, 'must be no more than 63 characters')];
  if (!DNS1123_LABEL.test(v)) {
    return [
      invalidValue(
        field,
        v,
        `a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '${LABEL}')`,
      ),
    ];
  }
  return [];
}

export function validateDns1123Subdomain(field: string, v: string): FieldError[] {
  if (v.length > 253) return [invalidValue(field, v, 'must be no more than 253 characters')];
  if (!DNS1123_SUBDOMAIN.test(v)) {
    return [
      invalidValue(
        field,
        v,
        `a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '${LABEL}(\\.${LABEL})*')`,
      ),
    ];
  }
  return [];
}

/** A label/annotation key: optional DNS subdomain prefix + '/' + qualified name (≤ 63). */
export function validateQualifiedName(field: string, key: string): FieldError[] {
  const parts = key.split('/');
  let name = key;
  if (parts.length === 2) {
    const prefix = parts[0] ?? '';
    name = parts[1] ?? '';
    if (!prefix || !isDns1123Subdomain(prefix)) return [invalidValue(field, key, 'prefix part must be a lowercase RFC 1123 subdomain')];
  } else if (parts.length > 2) {
    return [invalidValue(field, key, "a qualified name must consist of alphanumeric characters, '-', '_' or '.', with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')")];
  }
  if (!name) return [invalidValue(field, key, 'name part must be non-empty')];
  if (name.length > 63) return [invalidValue(field, key, 'name part must be no more than 63 characters')];
  if (!QUALIFIED_NAME.test(name)) {
    return [invalidValue(field, key, "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc')")];
  }
  return [];
}

export function validateLabelValue(field: string, v: string): FieldError[] {
  if (v.length > 63) return [invalidValue(field, v, 'must be no more than 63 characters')];
  if (!LABEL_VALUE.test(v)) {
    return [invalidValue(field, v, "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345')")];
  }
  return [];
}

export function validateEnvVarName(field: string, v: string): FieldError[] {
  if (!ENV_VAR_NAME.test(v)) {
    return [invalidValue(field, v, "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')")];
  }
  return [];
}

/** Keys of Secret/ConfigMap data. */
export function validateConfigKey(field: string, key: string): FieldError[] {
  if (key.length > 253) return [tooLong(field, 253)];
  if (!CONFIG_KEY.test(key) || key === '.' || key === '..' || key.startsWith('..')) {
    return [invalidValue(field, key, "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')")];
  }
  return [];
}

export function isBase64(v: string): boolean {
  return BASE64.test(v);
}

/** http(s) URL check without node:url (model stays pure); WHATWG URL is a global in Node and browsers. */
export function parseHttpUrl(v: string): URL | undefined {
  try {
    const u = new URL(v);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u : undefined;
  } catch {
    return undefined;
  }
}

export function isInteger(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v);
}
