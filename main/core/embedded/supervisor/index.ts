export type * from './types.js';
export { createSupervisor, type SupervisorOptions } from './supervisor.js';
export { reapOrphans, readChildren, childrenFilePath, type ChildRecord } from './children-file.js';
export { procStartTime } from './proc.js';
export { wrapCommand } from './defaults.js';
export { childEnv } from './child-env.js';
