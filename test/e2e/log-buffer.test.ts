import { describe, expect, it } from 'vitest';
import { LogBuffer } from '../../renderer/src/logs/buffer.js';
import type { LogEntry } from '../../renderer/src/api/types.js';

function line(i: number, level: LogEntry['level'] = 'info', fn = 'hello'): LogEntry {
  return { time: '', timeMs: i, level, severityNumber: 9, body: `line ${i}`, attributes: {}, source: { service: fn, function: fn }, resource: {} };
}

describe('LogBuffer', () => {
  it('keeps the newest cap lines in order', () => {
    const b = new LogBuffer(100);
    for (let i = 0; i < 1000; i += 10) b.append(Array.from({ length: 10 }, (_, k) => line(i + k)));
    const shown = b.lines();
    expect(shown).toHaveLength(100);
    expect(shown[0]!.body).toBe('line 900');
    expect(shown[99]!.body).toBe('line 999');
    expect(b.received).toBe(1000);
  });

  it('filters by minimum level, function and text, also for lines arriving later', () => {
    const b = new LogBuffer(100);
    b.append([line(1, 'debug'), line(2, 'warn'), line(3, 'error', 'other')]);
    b.setFilter({ function: '', minLevel: 'warn', text: '', traceId: '' });
    expect(b.lines().map((l) => l.timeMs)).toEqual([2, 3]);
    b.setFilter({ function: 'hello', minLevel: 'warn', text: '', traceId: '' });
    b.append([line(4, 'fatal'), line(5, 'info')]);
    expect(b.lines().map((l) => l.timeMs)).toEqual([2, 4]);
    b.setFilter({ function: '', minLevel: '', text: 'LINE 5', traceId: '' });
    expect(b.lines().map((l) => l.timeMs)).toEqual([5]);
  });
});
