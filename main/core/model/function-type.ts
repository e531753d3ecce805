import type { FieldError } from './errors.js';
import { duplicate, forbidden, invalidValue, notSupported, required, typeInvalid } from './field-errors.js';
import { isInteger, validateDns1123Subdomain, validateEnvVarName } from './formats.js';
import { validateAnnotations, validateLabels, validateMetadata } from './metadata-validation.js';
import { isRecord, type KubeObject } from './object.js';
import { AGE_COLUMN, conditionColumn, pathColumn } from './printer.js';
import type { ResourceType } from './resource-type.js';

export const FUNCTION_RUNTIMES = ['nodejs20', 'nodejs22', 'nodejs24', 'python312'] as const;
export const FUNCTION_PROFILES = ['XS', 'S', 'M', 'L', 'XL'] as const;
/** The profile the serverless controller reports when spec leaves it unset. */
export const DEFAULT_FUNCTION_PROFILE = 'L';
/** Set by the platform; a user value would break the runtime (serverless' own webhook rejects them too). */
export const FORBIDDEN_ENV_NAMES = [
  'FUNC_RUNTIME',
  'FUNC_HANDLER',
  'FUNC_PORT',
  'FUNC_HANDLER_SOURCE',
  'FUNC_HANDLER_DEPENDENCIES',
  'MOD_NAME',
  'NODE_PATH',
  'PYTHONPATH',
];
const RESERVED_PREFIX = 'serverless.kyma-project.io/';

export function validateFunction(obj: KubeObject): FieldError[] {
  const errs = validateMetadata(obj, { namespaced: true, nameFormat: 'label' });
  const spec = obj.spec;
  if (!isRecord(spec)) return [...errs, required('spec')];
  const runtime = spec.runtime;
  if (runtime === undefined || runtime === '') errs.push(required('spec.runtime'));
  else if (!(FUNCTION_RUNTIMES as readonly unknown[]).includes(runtime)) errs.push(notSupported('spec.runtime', runtime, FUNCTION_RUNTIMES));
  errs.push(...validateSource(spec.source, typeof runtime === 'string' ? runtime : ''));
  errs.push(...validateEnv(spec.env));
  if (spec.replicas !== undefined) errs.push(...validateNonNegativeInt('spec.replicas', spec.replicas));
  errs.push(...validateScaleConfig(spec.scaleConfig));
  errs.push(...validateResourceConfiguration(spec.resourceConfiguration));
  for (const key of ['labels', 'annotations'] as const) {
    const field = `spec.${key}`;
    errs.push(...(key === 'labels' ? validateLabels(field, spec[key]) : validateAnnotations(field, spec[key])));
    if (isRecord(spec[key])) {
      for (const k of Object.keys(spec[key])) {
        if (k.startsWith(RESERVED_PREFIX)) errs.push(forbidden(`${field}.${k}`, `keys with the prefix "${RESERVED_PREFIX}" are reserved for the serverless controller`));
      }
    }
  }
  errs.push(...validateSecretMounts(spec.secretMounts));
  return errs;
}

function validateNonNegativeInt(field: string, v: unknown): FieldError[] {
  if (!isInteger(v)) return [typeInvalid(field, v, 'an integer')];
  return v < 0 ? [invalidValue(field, v, 'must be greater than or equal to 0')] : [];
}

function validateSource(source: unknown, runtime: string): FieldError[] {
  if (!isRecord(source)) return [required('spec.source', 'exactly one of inline or gitRepository is required')];
  const hasInline = source.inline !== undefined && source.inline !== null;
  const hasGit = source.gitRepository !== undefined && source.gitRepository !== null;
  if (hasInline && hasGit) return [forbidden('spec.source', 'only one of inline or gitRepository may be specified')];
  if (!hasInline && !hasGit) return [required('spec.source', 'exactly one of inline or gitRepository is required')];
  const errs: FieldError[] = [];
  if (hasInline) {
    const inline = source.inline;
    if (!isRecord(inline)) return [typeInvalid('spec.source.inline', inline, 'an object')];
    if (typeof inline.source !== 'string' || inline.source.trim() === '') errs.push(required('spec.source.inline.source'));
    const deps = inline.dependencies;
    if (deps !== undefined && deps !== '') {
      if (typeof deps !== 'string') errs.push(typeInvalid('spec.source.inline.dependencies', deps, 'a string'));
      else if (runtime.startsWith('nodejs')) errs.push(...validatePackageJson(deps));
    }
  } else {
    const git = source.gitRepository;
    if (!isRecord(git)) return [typeInvalid('spec.source.gitRepository', git, 'an object')];
    if (typeof git.url !== 'string' || git.url === '') errs.push(required('spec.source.gitRepository.url'));
    if (git.auth !== undefined) {
      const auth = git.auth;
      if (!isRecord(auth)) errs.push(typeInvalid('spec.source.gitRepository.auth', auth, 'an object'));
      else {
        if (auth.type !== 'basic' && auth.type !== 'key') errs.push(notSupported('spec.source.gitRepository.auth.type', auth.type, ['basic', 'key']));
        if (typeof auth.secretName !== 'string' || auth.secretName === '') errs.push(required('spec.source.gitRepository.auth.secretName'));
      }
    }
  }
  return errs;
}

function validatePackageJson(text: string): FieldError[] {
  const field = 'spec.source.inline.dependencies';
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    return [invalidValue(field, truncate(text), `must be a valid package.json: ${e instanceof Error ? e.message : String(e)}`)];
  }
  return isRecord(parsed) ? [] : [invalidValue(field, truncate(text), 'must be a valid package.json: a JSON object')];
}

function truncate(s: string): string {
  return s.length > 40 ? `${s.slice(0, 40)}...` : s;
}

function validateEnv(env: unknown): FieldError[] {
  if (env === undefined || env === null) return [];
  if (!Array.isArray(env)) return [typeInvalid('spec.env', env, 'a list')];
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  env.forEach((e: unknown, i) => {
    const f = `spec.env[${i}]`;
    if (!isRecord(e)) {
      errs.push(typeInvalid(f, e, 'an object'));
      return;
    }
    if (typeof e.name !== 'string' || e.name === '') errs.push(required(`${f}.name`));
    else {
      errs.push(...validateEnvVarName(`${f}.name`, e.name));
      if (FORBIDDEN_ENV_NAMES.includes(e.name)) errs.push(forbidden(`${f}.name`, `"${e.name}" is set by the function runtime and cannot be overridden`));
      // Kubernetes tolerates duplicates (last wins); here they are rejected because they are always a mistake.
      if (seen.has(e.name)) errs.push(duplicate(`${f}.name`, e.name));
      seen.add(e.name);
    }
    if (e.value !== undefined && typeof e.value !== 'string') errs.push(typeInvalid(`${f}.value`, e.value, 'a string'));
    if (e.valueFrom !== undefined) errs.push(...validateValueFrom(`${f}.valueFrom`, e.valueFrom, e.value !== undefined && e.value !== ''));
  });
  return errs;
}

function validateValueFrom(f: string, vf: unknown, hasValue: boolean): FieldError[] {
  if (!isRecord(vf)) return [typeInvalid(f, vf, 'an object')];
  const errs: FieldError[] = [];
  if (hasValue) errs.push(invalidValue(f, '', 'may not be specified when `value` is not empty'));
  const refs = (['secretKeyRef', 'configMapKeyRef'] as const).filter((k) => vf[k] !== undefined && vf[k] !== null);
  if (refs.length !== 1) {
    errs.push(refs.length === 0 ? required(f, 'exactly one of secretKeyRef or configMapKeyRef is required') : forbidden(f, 'may not have more than one field specified at a time'));
    return errs;
  }
  const k = refs[0] as 'secretKeyRef' | 'configMapKeyRef';
  const ref = vf[k];
  if (!isRecord(ref)) return [...errs, typeInvalid(`${f}.${k}`, ref, 'an object')];
  if (typeof ref.name !== 'string' || ref.name === '') errs.push(required(`${f}.${k}.name`));
  else errs.push(...validateDns1123Subdomain(`${f}.${k}.name`, ref.name));
  if (typeof ref.key !== 'string' || ref.key === '') errs.push(required(`${f}.${k}.key`));
  return errs;
}

function validateScaleConfig(sc: unknown): FieldError[] {
  if (sc === undefined || sc === null) return [];
  if (!isRecord(sc)) return [typeInvalid('spec.scaleConfig', sc, 'an object')];
  const errs: FieldError[] = [];
  for (const k of ['minReplicas', 'maxReplicas'] as const) {
    if (sc[k] !== undefined) errs.push(...validateNonNegativeInt(`spec.scaleConfig.${k}`, sc[k]));
  }
  if (isInteger(sc.minReplicas) && isInteger(sc.maxReplicas) && sc.minReplicas > sc.maxReplicas) {
    errs.push(invalidValue('spec.scaleConfig.minReplicas', sc.minReplicas, 'must be less than or equal to maxReplicas'));
  }
  return errs;
}

function validateResourceConfiguration(rc: unknown): FieldError[] {
  if (rc === undefined || rc === null) return [];
  if (!isRecord(rc)) return [typeInvalid('spec.resourceConfiguration', rc, 'an object')];
  const fn = rc.function;
  if (fn === undefined || fn === null) return [];
  if (!isRecord(fn)) return [typeInvalid('spec.resourceConfiguration.function', fn, 'an object')];
  const errs: FieldError[] = [];
  if (fn.profile !== undefined && !(FUNCTION_PROFILES as readonly unknown[]).includes(fn.profile)) {
    errs.push(notSupported('spec.resourceConfiguration.function.profile', fn.profile, FUNCTION_PROFILES));
  }
  if (fn.profile !== undefined && fn.resources !== undefined) {
    errs.push(forbidden('spec.resourceConfiguration.function', 'only one of profile or resources may be specified'));
  }
  return errs;
}

function validateSecretMounts(mounts: unknown): FieldError[] {
  if (mounts === undefined || mounts === null) return [];
  if (!Array.isArray(mounts)) return [typeInvalid('spec.secretMounts', mounts, 'a list')];
  const errs: FieldError[] = [];
  mounts.forEach((m: unknown, i) => {
    const f = `spec.secretMounts[${i}]`;
    if (!isRecord(m)) {
      errs.push(typeInvalid(f, m, 'an object'));
      return;
    }
    if (typeof m.secretName !== 'string' || m.secretName === '') errs.push(required(`${f}.secretName`));
    else errs.push(...validateDns1123Subdomain(`${f}.secretName`, m.secretName));
    if (typeof m.mountPath !== 'string' || m.mountPath === '') errs.push(required(`${f}.mountPath`));
    else if (!m.mountPath.startsWith('/')) errs.push(invalidValue(`${f}.mountPath`, m.mountPath, 'must be an absolute path'));
  });
  return errs;
}

export function defaultFunction(obj: KubeObject): KubeObject {
  const out = structuredClone(obj);
  if (isRecord(out.spec) && out.spec.replicas === undefined && out.spec.scaleConfig === undefined) out.spec.replicas = 1;
  return out;
}

export const FUNCTION: ResourceType = {
  group: 'serverless.kyma-project.io',
  versions: ['v1alpha2'],
  kind: 'Function',
  listKind: 'FunctionList',
  plural: 'functions',
  singular: 'function',
  shortNames: ['fn', 'fns'],
  namespaced: true,
  hasStatus: true,
  categories: ['all', 'kyma'],
  printerColumns: [
    pathColumn('RUNTIME', 'spec.runtime'),
    conditionColumn('CONFIGURED', 'ConfigurationReady'),
    conditionColumn('RUNNING', 'Running'),
    pathColumn('REPLICAS', 'spec.replicas', 'integer'),
    AGE_COLUMN,
    pathColumn('REVISION', 'status.revision', 'string', true),
  ],
  validate: (obj) => validateFunction(obj),
  applyDefaults: (obj) => defaultFunction(obj),
};
