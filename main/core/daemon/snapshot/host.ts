import type { KubeObject, Logger } from '../../model/index.js';
import type { Profile } from '../../profiles/index.js';
import type { EventsCapability, ProgressListener, RuntimeStatus } from '../../runtime.js';
import type { FileStore } from '../../store/index.js';
import type { Telemetry } from '../../telemetry/index.js';
import type { DevSessions } from '../dev-sessions.js';
import type { StatePaths } from '../../daemon-client/index.js';

/** What snapshot save/load need from the daemon. */
export interface SnapshotHost {
  paths: StatePaths;
  store: FileStore;
  dev: DevSessions;
  telemetry: Telemetry;
  version: string;
  log: Logger;
  /** The running profile, else the last one used, else default. */
  currentProfile(): Promise<Profile>;
  /** Where profile names resolve (`<home>/profiles` first). */
  userProfilesDir(): string;
  eventing(): EventsCapability | undefined;
  clusterStatus(): RuntimeStatus;
  down(onProgress?: ProgressListener): Promise<void>;
  up(profileRef: string, onProgress: ProgressListener): Promise<RuntimeStatus>;
}

export type SnapshotProgress = (message: string) => void;

/** Metadata the store assigns; a restored object gets fresh ones. */
export function portable(obj: KubeObject): KubeObject {
  const { uid: _u, resourceVersion: _r, generation: _g, creationTimestamp: _c, managedFields: _m, ...metadata } = obj.metadata as KubeObject['metadata'] & { managedFields?: unknown };
  const { status: _s, ...rest } = obj;
  return { ...rest, metadata } as KubeObject;
}
