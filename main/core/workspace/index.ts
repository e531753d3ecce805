export type {
  WorkspaceError,
  FolderReadResult,
  FolderReadOk,
  FolderReadFailed,
  FunctionConfig,
  SupportedRuntime,
} from './types.js';
export { SUPPORTED_RUNTIMES } from './types.js';
export { readFunctionFolder, CONFIG_FILE, contentHash } from './read-folder.js';
export { parseFunctionConfig } from './config-parse.js';
export { FORBIDDEN_ENV_NAMES } from './config-env.js';
export { scaffoldFunction, type ScaffoldOptions } from './scaffold.js';
export { discoverFunctionFolders } from './discover.js';
export { exportManifests } from './export.js';
export { watchFunctionFolders, type FolderChange, type FolderWatcher, type WatchOptions } from './watch.js';
export { FUNCTION_API_VERSION, SAVED_AT_ANNOTATION, SOURCE_DIR_ANNOTATION } from './to-function.js';
export { SUBSCRIPTION_API_VERSION, functionSink } from './to-subscription.js';
export { APIRULE_API_VERSION, DEFAULT_GATEWAY } from './to-apirule.js';
export { dns1123LabelProblem, suggestName } from './names.js';
export { EXAMPLES_DIR, listExamples, writeExample, type ExampleInfo } from './examples.js';
