import { createOtlpReceiver, type OtlpReceiver, type Telemetry } from '../../telemetry/index.js';
import type { ComponentStatus } from '../../runtime.js';
import type { EmbeddedModule, ModuleContext } from '../module.js';

/**
 * The telemetry module of the embedded runtime: the OTLP/HTTP receiver in front of the daemon's telemetry
 * stores (which outlive `down`/`up`). Workers export their traces to it.
 */
export function createTelemetryModule(telemetry: Telemetry): EmbeddedModule {
  let receiver: OtlpReceiver | undefined;
  let state: ComponentStatus['state'] = 'Pending';
  let message: string | undefined;
  return {
    name: 'telemetry',
    async start(ctx: ModuleContext) {
      state = 'Starting';
      try {
        receiver = await createOtlpReceiver({ host: '127.0.0.1', port: ctx.profile.ports.otlp, telemetry });
      } catch (err) {
        state = 'Failed';
        const e = err as NodeJS.ErrnoException;
        message = e.code === 'EADDRINUSE' ? `port ${ctx.profile.ports.otlp} is in use — set spec.ports.otlp in the profile (0 = any free port)` : e.message;
        throw new Error(`Failed to start the OTLP receiver: ${message}`);
      }
      ctx.endpoints.set('otlp', receiver.url);
      ctx.endpoints.set('otlp-traces', `${receiver.url}/v1/traces`);
      ctx.services.set('telemetry-otlp-traces', 'kyma-system', [{ host: '127.0.0.1', port: receiver.port }]);
      state = 'Ready';
      message = `OTLP/HTTP on ${receiver.url}`;
    },
    async stop() {
      await receiver?.close();
      receiver = undefined;
      state = 'Stopped';
    },
    status() {
      return {
        name: 'telemetry',
        kind: 'module',
        state,
        ...(message ? { message } : {}),
        ...(receiver ? { ports: { otlp: receiver.port }, urls: { otlp: receiver.url } } : {}),
      };
    },
  };
}
