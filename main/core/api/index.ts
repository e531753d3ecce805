// The daemon's wire contract: what the CLI, the Electron shell, the dashboard and the daemon agree on.
// Pure TypeScript without node:* imports, so the dashboard (DOM lib) imports it as it is.
export * from './routes.js';
export * from './status.js';
export * from './debug.js';
export type * from './runtime-status.js';
export type * from './progress.js';
export type * from './daemon-status.js';
export type * from './dev.js';
export type * from './events.js';
export type * from './functions.js';
export type * from './telemetry.js';
export type * from './resources.js';
export * from './invoke.js';
export type * from './app-map.js';
export type * from './gateway.js';
export type * from './applications.js';
export type { UpPlan } from './plan.js';
export type * from './doctor.js';
export type * from './snapshot.js';
export type * from './images.js';
