import type { FieldError } from './errors.js';
import { duplicate, forbidden, invalidValue, notSupported, required, typeInvalid } from './field-errors.js';
import { isDns1123Label, isDns1123Subdomain, isInteger, parseHttpUrl, validateDns1123Label } from './formats.js';
import { isRecord } from './object.js';

export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS', 'CONNECT', 'TRACE'] as const;
export const DEFAULT_APIRULE_GATEWAY = 'kyma-system/kyma-gateway';
export const DEFAULT_APIRULE_TIMEOUT = 180;
// api-gateway v2 path pattern: literal segments, `{*}`/`{**}` segments, or exactly `/*`.
const PATH = /^((\/([A-Za-z0-9-._~!$&'()+,;=:@]|%[0-9a-fA-F]{2})*)|(\/\{\*{1,2}\}))+$|^\/\*$/;

export function validateApiRuleV2Spec(spec: Record<string, unknown>): FieldError[] {
  const errs: FieldError[] = [];
  errs.push(...validateHosts(spec.hosts));
  const rules = Array.isArray(spec.rules) ? spec.rules : [];
  const everyRuleHasService = rules.length > 0 && rules.every((r: unknown) => isRecord(r) && r.service !== undefined);
  if (spec.service === undefined || spec.service === null) {
    if (!everyRuleHasService) errs.push(required('spec.service', 'a service is required unless every rule sets one'));
  } else errs.push(...validateService('spec.service', spec.service));
  if (spec.gateway !== undefined) errs.push(...validateGateway(spec.gateway));
  if (spec.timeout !== undefined) errs.push(...validateTimeout('spec.timeout', spec.timeout));
  errs.push(...validateCors(spec.corsPolicy));
  errs.push(...validateRules(spec.rules));
  return errs;
}

function validateHosts(hosts: unknown): FieldError[] {
  if (hosts === undefined || hosts === null) return [required('spec.hosts')];
  if (!Array.isArray(hosts)) return [typeInvalid('spec.hosts', hosts, 'a list of strings')];
  if (hosts.length !== 1) return [invalidValue('spec.hosts', hosts.length, 'must contain exactly one host')];
  const h: unknown = hosts[0];
  if (typeof h !== 'string' || h === '') return [required('spec.hosts[0]')];
  const wildcard = h.startsWith('*.');
  const name = wildcard ? h.slice(2) : h;
  const fqdn = name.includes('.') && isDns1123Subdomain(name);
  if (wildcard ? fqdn : fqdn || isDns1123Label(h)) return [];
  return [invalidValue('spec.hosts[0]', h, 'must be a fully qualified domain name, a short host name (the domain comes from the gateway), or *.<fqdn>')];
}

function validateService(f: string, svc: unknown): FieldError[] {
  if (!isRecord(svc)) return [typeInvalid(f, svc, 'an object')];
  const errs: FieldError[] = [];
  if (typeof svc.name !== 'string' || svc.name === '') errs.push(required(`${f}.name`));
  else errs.push(...validateDns1123Label(`${f}.name`, svc.name));
  if (svc.namespace !== undefined && svc.namespace !== '') {
    if (typeof svc.namespace !== 'string') errs.push(typeInvalid(`${f}.namespace`, svc.namespace, 'a string'));
    else errs.push(...validateDns1123Label(`${f}.namespace`, svc.namespace));
  }
  errs.push(...validatePort(`${f}.port`, svc.port));
  return errs;
}

export function validatePort(f: string, port: unknown): FieldError[] {
  if (port === undefined || port === null) return [required(f)];
  if (!isInteger(port)) return [typeInvalid(f, port, 'an integer')];
  if (port < 1) return [invalidValue(f, port, 'must be greater than or equal to 1')];
  if (port > 65535) return [invalidValue(f, port, 'must be less than or equal to 65535')];
  return [];
}

function validateGateway(gw: unknown): FieldError[] {
  if (typeof gw !== 'string') return [typeInvalid('spec.gateway', gw, 'a string')];
  const parts = gw.split('/');
  if (parts.length === 2 && isDns1123Label(parts[0] ?? '') && isDns1123Label(parts[1] ?? '')) return [];
  return [invalidValue('spec.gateway', gw, 'must be <namespace>/<gateway name>, e.g. kyma-system/kyma-gateway')];
}

function validateTimeout(f: string, t: unknown): FieldError[] {
  if (!isInteger(t)) return [typeInvalid(f, t, 'an integer number of seconds')];
  if (t < 1) return [invalidValue(f, t, 'must be greater than or equal to 1')];
  if (t > 3900) return [invalidValue(f, t, 'must be less than or equal to 3900')];
  return [];
}

function validateCors(cors: unknown): FieldError[] {
  if (cors === undefined || cors === null) return [];
  if (!isRecord(cors)) return [typeInvalid('spec.corsPolicy', cors, 'an object')];
  const errs: FieldError[] = [];
  if (Array.isArray(cors.allowOrigins)) {
    cors.allowOrigins.forEach((o: unknown, i) => {
      const n = isRecord(o) ? ['exact', 'prefix', 'regex'].filter((k) => typeof o[k] === 'string').length : 0;
      if (n !== 1) errs.push(invalidValue(`spec.corsPolicy.allowOrigins[${i}]`, o, 'must set exactly one of exact, prefix or regex'));
    });
  }
  if (cors.maxAge !== undefined && (!isInteger(cors.maxAge) || cors.maxAge < 0)) {
    errs.push(invalidValue('spec.corsPolicy.maxAge', cors.maxAge, 'must be greater than or equal to 0'));
  }
  return errs;
}

function validateRules(rules: unknown): FieldError[] {
  if (rules === undefined || rules === null || (Array.isArray(rules) && rules.length === 0)) return [required('spec.rules', 'at least one rule is required')];
  if (!Array.isArray(rules)) return [typeInvalid('spec.rules', rules, 'a list')];
  const errs: FieldError[] = [];
  const seen = new Map<string, Set<string>>();
  rules.forEach((r: unknown, i) => {
    const f = `spec.rules[${i}]`;
    if (!isRecord(r)) {
      errs.push(typeInvalid(f, r, 'an object'));
      return;
    }
    errs.push(...validatePath(`${f}.path`, r.path));
    const methods = validateMethods(`${f}.methods`, r.methods, errs, HTTP_METHODS);
    if (typeof r.path === 'string') {
      const prev = seen.get(r.path);
      const all = methods.length === 0 ? [...HTTP_METHODS] : methods;
      if (prev && all.some((m) => prev.has(m))) errs.push(duplicate(`${f}.path`, r.path));
      seen.set(r.path, new Set([...(prev ?? []), ...all]));
    }
    errs.push(...validateAuth(f, r));
    if (r.service !== undefined) errs.push(...validateService(`${f}.service`, r.service));
    if (r.timeout !== undefined) errs.push(...validateTimeout(`${f}.timeout`, r.timeout));
  });
  return errs;
}

function validatePath(f: string, path: unknown): FieldError[] {
  if (typeof path !== 'string' || path === '') return [required(f)];
  if (!path.startsWith('/')) return [invalidValue(f, path, 'must start with "/"')];
  if (!PATH.test(path)) {
    return [invalidValue(f, path, 'must consist of "/"-separated segments that are literal, {*} (one segment) or {**} (any number of segments), or be exactly "/*"')];
  }
  const segs = path.split('/');
  if (segs.slice(0, -1).includes('{**}')) return [invalidValue(f, path, '{**} must be the last segment of the path')];
  return [];
}

/** Checks `methods` against `allowed`, pushing errors; returns the valid ones (empty when absent). */
export function validateMethods(f: string, methods: unknown, errs: FieldError[], allowed: readonly string[]): string[] {
  if (methods === undefined || methods === null) return [];
  if (!Array.isArray(methods)) {
    errs.push(typeInvalid(f, methods, 'a list of HTTP methods'));
    return [];
  }
  const ok: string[] = [];
  methods.forEach((m: unknown, j) => {
    if (typeof m === 'string' && allowed.includes(m)) {
      if (ok.includes(m)) errs.push(duplicate(`${f}[${j}]`, m));
      ok.push(m);
    } else errs.push(notSupported(`${f}[${j}]`, m, allowed));
  });
  return ok;
}

function validateAuth(f: string, r: Record<string, unknown>): FieldError[] {
  const set = [r.noAuth === true ? 'noAuth' : undefined, r.jwt != null ? 'jwt' : undefined, r.extAuth != null ? 'extAuth' : undefined].filter(Boolean);
  if (set.length === 0) return [required(f, 'exactly one of noAuth: true, jwt or extAuth is required')];
  if (set.length > 1) return [forbidden(f, `only one of noAuth, jwt or extAuth may be set, found ${set.join(', ')}`)];
  if (r.jwt != null) return validateJwt(`${f}.jwt`, r.jwt);
  if (r.extAuth != null) {
    const ext = r.extAuth;
    if (!isRecord(ext)) return [typeInvalid(`${f}.extAuth`, ext, 'an object')];
    if (!Array.isArray(ext.authorizers) || ext.authorizers.length === 0) return [required(`${f}.extAuth.authorizers`, 'at least one authorizer is required')];
  }
  return [];
}

function validateJwt(f: string, jwt: unknown): FieldError[] {
  if (!isRecord(jwt)) return [typeInvalid(f, jwt, 'an object')];
  const auths = jwt.authentications;
  if (!Array.isArray(auths) || auths.length === 0) return [required(`${f}.authentications`, 'at least one authentication is required')];
  const errs: FieldError[] = [];
  auths.forEach((a: unknown, i) => {
    const af = `${f}.authentications[${i}]`;
    if (!isRecord(a)) {
      errs.push(typeInvalid(af, a, 'an object'));
      return;
    }
    if (typeof a.issuer !== 'string' || a.issuer === '') errs.push(required(`${af}.issuer`));
    if (typeof a.jwksUri !== 'string' || a.jwksUri === '') errs.push(required(`${af}.jwksUri`));
    else if (!parseHttpUrl(a.jwksUri)) errs.push(invalidValue(`${af}.jwksUri`, a.jwksUri, 'must be an http(s) URL'));
  });
  return errs;
}
