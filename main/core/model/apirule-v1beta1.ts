import type { FieldError } from './errors.js';
import { notSupported, required, typeInvalid } from './field-errors.js';
import { isRecord } from './object.js';
import { HTTP_METHODS, validateMethods, validatePort } from './apirule-v2.js';

/** Handlers the deprecated v1beta1 API (Ory Oathkeeper based) accepted. */
export const V1BETA1_HANDLERS = ['noop', 'allow', 'no_auth', 'jwt', 'oauth2_introspection'] as const;

/** Basic rules of the deprecated v1beta1 APIRule, kept so existing manifests keep working. */
export function validateApiRuleV1beta1Spec(spec: Record<string, unknown>): FieldError[] {
  const errs: FieldError[] = [];
  if (typeof spec.host !== 'string' || spec.host === '') errs.push(required('spec.host'));
  const svc = spec.service;
  if (!isRecord(svc)) errs.push(required('spec.service'));
  else {
    if (typeof svc.name !== 'string' || svc.name === '') errs.push(required('spec.service.name'));
    errs.push(...validatePort('spec.service.port', svc.port));
  }
  const rules = spec.rules;
  if (!Array.isArray(rules) || rules.length === 0) return [...errs, required('spec.rules', 'at least one rule is required')];
  rules.forEach((r: unknown, i) => {
    const f = `spec.rules[${i}]`;
    if (!isRecord(r)) {
      errs.push(typeInvalid(f, r, 'an object'));
      return;
    }
    if (typeof r.path !== 'string' || r.path === '') errs.push(required(`${f}.path`));
    validateMethods(`${f}.methods`, r.methods, errs, HTTP_METHODS);
    const strategies = r.accessStrategies;
    if (!Array.isArray(strategies) || strategies.length === 0) {
      errs.push(required(`${f}.accessStrategies`, 'at least one access strategy is required'));
      return;
    }
    strategies.forEach((s: unknown, j) => {
      const handler = isRecord(s) ? s.handler : undefined;
      if (handler === undefined || handler === '') errs.push(required(`${f}.accessStrategies[${j}].handler`));
      else if (!(V1BETA1_HANDLERS as readonly unknown[]).includes(handler)) errs.push(notSupported(`${f}.accessStrategies[${j}].handler`, handler, V1BETA1_HANDLERS));
    });
  });
  return errs;
}
