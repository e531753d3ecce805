import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { RevisionRecord } from './types.js';

export const MAX_REVISIONS = 50;
const FILE = 'revisions.json';

interface HistoryFile {
  /** The highest number ever handed out; survives pruning so numbers never repeat. */
  lastNumber: number;
  revisions: RevisionRecord[];
}

/** The last 50 revisions of one function, persisted as JSON in its state folder (atomic rewrite on change). */
export class RevisionHistory {
  private lastNumber = 0;
  private records: RevisionRecord[] = [];
  private writes: Promise<void> = Promise.resolve();

  private constructor(readonly dir: string) {}

  static async load(dir: string): Promise<RevisionHistory> {
    const h = new RevisionHistory(dir);
    const text = await fs.readFile(path.join(dir, FILE), 'utf8').catch(() => undefined);
    if (text) {
      try {
        const parsed = JSON.parse(text) as HistoryFile;
        h.records = Array.isArray(parsed.revisions) ? parsed.revisions : [];
        h.lastNumber = Math.max(parsed.lastNumber || 0, ...h.records.map((r) => r.number));
      } catch {
        // A corrupt history only loses the list; numbering restarts above what is still on disk.
        h.lastNumber = await highestRevDir(dir);
      }
    }
    return h;
  }

  list(): RevisionRecord[] {
    return this.records.map((r) => ({ ...r }));
  }

  get(n: number): RevisionRecord | undefined {
    return this.records.find((r) => r.number === n);
  }

  revDir(n: number): string {
    return path.join(this.dir, `rev-${n}`);
  }

  /** Allocates the next number and records it as pending. Returns the record and the numbers pruned. */
  add(init: Omit<RevisionRecord, 'number' | 'outcome'>): { record: RevisionRecord; pruned: number[] } {
    const record: RevisionRecord = { number: ++this.lastNumber, outcome: 'pending', ...init };
    this.records.push(record);
    const pruned = this.records.splice(0, Math.max(0, this.records.length - MAX_REVISIONS)).map((r) => r.number);
    this.save();
    return { record, pruned };
  }

  update(n: number, patch: Partial<RevisionRecord>): void {
    const r = this.records.find((x) => x.number === n);
    if (!r) return;
    Object.assign(r, patch);
    this.save();
  }

  /** Durable once resolved. */
  flush(): Promise<void> {
    return this.writes;
  }

  private save(): void {
    const body = JSON.stringify({ lastNumber: this.lastNumber, revisions: this.records } satisfies HistoryFile, null, 2);
    this.writes = this.writes.then(async () => {
      await fs.mkdir(this.dir, { recursive: true });
      const tmp = path.join(this.dir, `${FILE}.tmp`);
      await fs.writeFile(tmp, body);
      await fs.rename(tmp, path.join(this.dir, FILE));
    }).catch(() => undefined); // a failed write is retried by the next change; history is advisory
  }
}

async function highestRevDir(dir: string): Promise<number> {
  const names = await fs.readdir(dir).catch(() => [] as string[]);
  return Math.max(0, ...names.map((n) => /^rev-(\d+)$/.exec(n)?.[1]).filter((x): x is string => !!x).map(Number));
}
