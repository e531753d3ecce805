// The error body of every non-2xx answer: a Kubernetes `Status`, built by one function (model's failureStatus,
// which ApiError.toStatus uses too), so kubectl, the CLI and the dashboard all read errors the same way.
export { failureStatus, reasonForCode, type KubeStatus, type StatusReason, type FieldErrorType } from '../model/index.js';
