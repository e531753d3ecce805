import type { SnapshotManifest } from '../api/index.js';

function kib(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MiB` : `${(bytes / 1024).toFixed(1)} KiB`;
}

/** What `kyma-local snapshot inspect` prints. */
export function renderManifest(m: SnapshotManifest, fileBytes: number): string {
  const c = m.contents;
  const bytesUnder = (prefix: string): number => m.entries.filter((e) => e.path.startsWith(prefix)).reduce((s, e) => s + e.size, 0);
  const lines = [
    `Snapshot format ${m.format}, saved by Kyma Local ${m.app.version} at ${m.createdAt} (${kib(fileBytes)} on disk, ${m.entries.length} entries, integrity OK)`,
    `Profile:    ${m.profile.name} (${m.profile.runtime}; modules: ${m.profile.modules.join(', ') || 'none'})`,
    `Resources:  ${Object.entries(c.resources).map(([k, n]) => `${n} ${k}`).join(', ') || 'none'}${c.secretsIncluded ? ' (Secrets included)' : ' (Secrets not included)'}`,
    `Functions:  ${c.functions.map((f) => `${f.namespace}/${f.name} (${f.runtime})`).join(', ') || 'none'}`,
    `Dev folders: ${c.devFolders.map((d) => `${d.root} [${d.functions.join(', ')}]`).join('; ') || 'none'}`,
    `npm cache:  ${c.npmEntries.length} dependency set(s), ${kib(bytesUnder('npm/'))}`,
    `Events:     ${c.events.included ? `${c.events.count} inspector record(s), JetStream store ${kib(bytesUnder('jetstream/'))}` : 'not included (save with --with-events)'}`,
    `Telemetry:  ${c.telemetry.included ? `${c.telemetry.spans} span(s), ${c.telemetry.logRecords} log record(s)` : 'not included (save with --with-telemetry)'}`,
    `Images:     ${c.images}`,
  ];
  return lines.join('\n');
}
