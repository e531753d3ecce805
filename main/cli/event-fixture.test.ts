import { describe, expect, it } from 'vitest';
import type { EventRecord } from '../core/api/index.js';
import { eventFixture } from './event-fixture.js';

const record: EventRecord = {
  id: 'e-1',
  type: 'order.created.v1',
  source: 'shop',
  subject: 'kyma.shop.order.created.v1',
  time: '2026-11-29T10:00:00.000Z',
  publishedAt: '2026-11-29T10:00:00.010Z',
  datacontenttype: 'application/json',
  data: { id: 7 },
  extensions: { eventtypeversion: 'v1', traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' },
  headers: {},
} as EventRecord;

describe('kyma-local event ID --as-fixture', () => {
  it('turns a recorded event into the test kit request, without its trace context', () => {
    expect(eventFixture(record)).toEqual({
      cloudEvent: { type: 'order.created.v1', source: 'shop', id: 'e-1', specversion: '1.0', time: '2026-11-29T10:00:00.000Z', datacontenttype: 'application/json', data: { id: 7 }, eventtypeversion: 'v1' },
    });
  });

  it('refuses an event whose data the inspector cut', () => {
    expect(() => eventFixture({ ...record, dataTruncated: true, dataBytes: 70000 })).toThrow(/kept only part of its data \(70000 bytes/);
  });
});
