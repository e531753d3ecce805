// The dependency-direction rule (eslint-rules/dependency-direction.js) run on source snippets placed at paths of
// the map: each case is a file that imports something, and what the rule must say about it.
import path from 'node:path';
import { describe, it } from 'vitest';
import { RuleTester } from 'eslint';
import tseslint from 'typescript-eslint';
import rule from '../../eslint-rules/dependency-direction.js';

RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const at = (rel: string): string => path.join(ROOT, rel);
const tester = new RuleTester({ languageOptions: { parser: tseslint.parser, ecmaVersion: 2022, sourceType: 'module' } });

const ok = (file: string, code: string) => ({ filename: at(file), code });
const bad = (file: string, code: string, messageId: string) => ({ filename: at(file), code, errors: [{ messageId }] });

tester.run('dependency-direction', rule, {
  valid: [
    // The layers, in the direction of DESIGN.md.
    ok('main/core/store/apply.ts', "import { ApiError } from '../model/index.js';"),
    ok('main/core/store/apply.ts', "import type { ApplyOutcome } from '../api/index.js';"),
    ok('main/core/api/status.ts', "export { failureStatus } from '../model/index.js';"),
    ok('main/core/embedded/cluster/modules.ts', "import { createPlatformTracing } from '../../telemetry/index.js';"),
    ok('main/core/daemon/runtime-factory.ts', "import { createEmbeddedRuntimeWithModules } from '../embedded/index.js';"),
    ok('main/core/daemon/runtime-factory.ts', "import { createKindRuntime } from '../kind/index.js';"),
    ok('main/core/daemon/daemon.ts', "import { ensureStateDir } from '../daemon-client/index.js';"),
    ok('main/core/daemon-client/client.ts', "import type { ProgressLine } from '../api/index.js';"),
    ok('main/cli/commands/up.ts', "import { ensureDaemon } from '../../core/daemon-client/index.js';"),
    ok('main/cli/commands/up.ts', "import { apiPath } from '../../core/api/index.js';"),
    ok('main/electron/main.ts', "import { ensureDaemon } from '../core/daemon-client/index.js';"),
    // Inside embedded/: a room's own files, embedded's shared files, other rooms through their index.
    ok('main/core/embedded/eventing/delivery.ts', "import { parseServiceHost } from '../services/index.js';"),
    ok('main/core/embedded/eventing/delivery.ts', "import type { ServiceRegistry } from '../module.js';"),
    ok('main/core/embedded/eventing/delivery.ts', "import { traceHeadersFromExtensions } from './trace-headers.js';"),
    ok('main/core/embedded/index.ts', "export * from './cluster/index.js';"),
    // The dashboard bundles core/api and reads the rest of main/ as types only.
    ok('renderer/src/api/client.ts', "import { apiPath } from '../../../main/core/api/index.js';"),
    ok('renderer/src/api/types.ts', "import type { DesktopBridge } from '../../../main/electron/bridge-types.js';"),
    // Packages are not layers.
    ok('main/cli/main.ts', "import { Command } from 'commander';"),
  ],
  invalid: [
    // Against the direction.
    bad('main/core/model/object.ts', "import { ROUTES } from '../api/index.js';", 'direction'),
    bad('main/core/api/routes.ts', "import type { Telemetry } from '../telemetry/index.js';", 'direction'),
    bad('main/core/store/apply.ts', "import type { Runtime } from '../runtime.js';", 'direction'),
    bad('main/core/embedded/cluster/modules.ts', "import { Daemon } from '../../daemon/index.js';", 'direction'),
    // The CLI and Electron never load the daemon or a runtime.
    bad('main/cli/commands/up.ts', "import { Daemon } from '../../core/daemon/index.js';", 'direction'),
    bad('main/cli/commands/up.ts', "import { createEmbeddedRuntime } from '../../core/embedded/index.js';", 'direction'),
    bad('main/electron/main.ts', "import { Daemon } from '../core/daemon/index.js';", 'direction'),
    bad('main/core/daemon-client/client.ts', "import { Daemon } from '../daemon/index.js';", 'direction'),
    bad('main/core/daemon-client/client.ts', "import { createTelemetry } from '../telemetry/index.js';", 'direction'),
    // Only the runtime factory names a runtime in the daemon.
    bad('main/core/daemon/routes/events.ts', "import { EventingError } from '../../embedded/index.js';", 'factory'),
    bad('main/core/daemon/daemon.ts', "import { createEmbeddedRuntime } from '../embedded/index.js';", 'factory'),
    // Modules through their index.
    bad('main/core/daemon/daemon.ts', "import { applyObject } from '../store/apply.js';", 'internals'),
    bad('main/cli/context.ts', "import { connectDaemon } from '../core/daemon-client/client.js';", 'internals'),
    bad('main/core/store/apply.ts', "import type { ApplyOutcome } from '../api/resources.js';", 'internals'),
    bad('main/core/daemon/runtime-factory.ts', "import { createEmbeddedRuntime } from '../embedded/cluster/index.js';", 'internals'),
    // embedded/ rooms reach each other only through index.ts.
    bad('main/core/embedded/cluster/modules.ts', "import { createEventingModule } from '../eventing/eventing-module.js';", 'room'),
    bad('main/core/embedded/serverless/workers.ts', "import { wrapCommand } from '../supervisor/defaults.js';", 'room'),
    // api and model stay pure (the dashboard compiles them).
    bad('main/core/api/routes.ts', "import { join } from 'node:path';", 'node'),
    bad('main/core/model/object.ts', "import { readFileSync } from 'fs';", 'node'),
    // The dashboard bundles nothing of main/ but core/api.
    bad('renderer/src/pages/Overview.tsx', "import { createTelemetry } from '../../../main/core/telemetry/index.js';", 'typeOnly'),
  ],
});
