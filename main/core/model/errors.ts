/**
 * API errors in the shape of a Kubernetes `Status` object, so kubectl and client libraries render them
 * the way users know (e.g. `The Function "x" is invalid: spec.runtime: Unsupported value: ...`).
 */
export type FieldErrorType =
  | 'FieldValueRequired'
  | 'FieldValueInvalid'
  | 'FieldValueNotSupported'
  | 'FieldValueDuplicate'
  | 'FieldValueForbidden'
  | 'FieldValueTooLong'
  | 'FieldValueTypeInvalid';

export interface FieldError {
  /** Dotted path with list indexes, e.g. `spec.env[2].name`. */
  field: string;
  type: FieldErrorType;
  message: string;
}

export type StatusReason =
  | 'BadRequest'
  | 'Unauthorized'
  | 'Forbidden'
  | 'NotFound'
  | 'AlreadyExists'
  | 'Conflict'
  | 'Invalid'
  | 'Gone'
  | 'MethodNotAllowed'
  | 'UnsupportedMediaType'
  | 'RequestEntityTooLarge'
  | 'InternalError'
  | 'NotImplemented'
  | 'ServiceUnavailable';

export interface KubeStatus {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure' | 'Success';
  message: string;
  reason: StatusReason;
  details?: { name?: string; group?: string; kind?: string; causes?: Array<{ reason: FieldErrorType; message: string; field: string }> };
  code: number;
}

export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: StatusReason,
    message: string,
    readonly details?: KubeStatus['details'],
  ) {
    super(message);
    this.name = 'ApiError';
  }

  toStatus(): KubeStatus {
    return failureStatus(this.code, this.reason, this.message, this.details);
  }
}

/** The one builder of a Kubernetes `Status` body: every error answer of the daemon and its API goes through it. */
export function failureStatus(code: number, reason: StatusReason, message: string, details?: KubeStatus['details']): KubeStatus {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, ...(details ? { details } : {}), code };
}

const REASONS: Record<number, StatusReason> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  409: 'Conflict',
  410: 'Gone',
  413: 'RequestEntityTooLarge',
  415: 'UnsupportedMediaType',
  422: 'Invalid',
  501: 'NotImplemented',
  503: 'ServiceUnavailable',
};

/** The Status reason the apiserver gives an HTTP code (5xx without a better one: InternalError). */
export function reasonForCode(code: number): StatusReason {
  return REASONS[code] ?? (code >= 500 ? (code === 502 || code === 504 ? 'ServiceUnavailable' : 'InternalError') : 'BadRequest');
}

function describe(kind: string, group: string): string {
  return group ? `${kind}.${group}` : kind;
}

export function notFound(kind: string, group: string, name: string): ApiError {
  return new ApiError(404, 'NotFound', `${plural(kind, group)} "${name}" not found`, { name, group, kind: kind.toLowerCase() });
}

export function alreadyExists(kind: string, group: string, name: string): ApiError {
  return new ApiError(409, 'AlreadyExists', `${plural(kind, group)} "${name}" already exists`, { name, group, kind: kind.toLowerCase() });
}

export function conflict(kind: string, group: string, name: string): ApiError {
  return new ApiError(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${plural(kind, group)} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
    { name, group, kind: kind.toLowerCase() },
  );
}

export function invalid(kind: string, group: string, name: string, errors: FieldError[]): ApiError {
  const list = errors.map((e) => `${e.field}: ${e.message}`);
  const msg = `${describe(kind, group)} "${name}" is invalid: ${list.length === 1 ? list[0] : `[${list.join(', ')}]`}`;
  return new ApiError(422, 'Invalid', msg, {
    name,
    group,
    kind,
    causes: errors.map((e) => ({ reason: e.type, message: e.message, field: e.field })),
  });
}

export function badRequest(message: string): ApiError {
  return new ApiError(400, 'BadRequest', message);
}

function plural(kind: string, group: string): string {
  const lower = kind.toLowerCase();
  const p = lower.endsWith('s') ? `${lower}es` : lower.endsWith('y') ? `${lower.slice(0, -1)}ies` : `${lower}s`;
  return group ? `${p}.${group}` : p;
}
