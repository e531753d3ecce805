export { createTelemetryModule } from './telemetry-module.js';
