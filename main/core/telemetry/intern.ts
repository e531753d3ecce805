/**
 * Interns strings so that the many records sharing a service name, operation name or attribute key hold
 * one string instead of one copy each (decoded protobuf produces a fresh string per occurrence).
 * Attribute values are interned only while short and while the table is small, so unique values
 * (URLs, ids) do not grow it without bound.
 */
export class Interner {
  private readonly keys = new Map<string, string>();
  private readonly values = new Map<string, string>();

  constructor(
    private readonly maxValues = 50_000,
    private readonly maxKeys = 100_000,
  ) {}

  key(s: string): string {
    const hit = this.keys.get(s);
    if (hit !== undefined) return hit;
    // Flatten a possible cons/sliced string so the stored copy holds no reference to the decoded buffer.
    const own = (' ' + s).slice(1);
    if (this.keys.size < this.maxKeys) this.keys.set(own, own);
    return own;
  }

  value(s: string): string {
    if (s.length > 64) return s;
    const hit = this.values.get(s);
    if (hit !== undefined) return hit;
    if (this.values.size < this.maxValues) this.values.set(s, s);
    return s;
  }
}
