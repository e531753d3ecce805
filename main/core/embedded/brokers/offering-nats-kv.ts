import { connect } from 'nats';
import type { LocalInstance, Offering, OfferingContext } from './offering.js';

/** The bucket name of an instance: KV bucket names allow [A-Za-z0-9_-]. */
export function bucketName(inst: Pick<LocalInstance, 'id'>): string {
  return `kl_${inst.id.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

async function withNats<T>(url: string, fn: (nc: Awaited<ReturnType<typeof connect>>) => Promise<T>): Promise<T> {
  const nc = await connect({ servers: url, name: 'kyma-local-broker', timeout: 5000 });
  try {
    return await fn(nc);
  } finally {
    await nc.close();
  }
}

export function natsKvOffering(natsUrl: () => string): Offering {
  return {
    service: {
      id: 'kyma-local-nats-kv',
      name: 'nats-kv',
      description: "A JetStream key-value bucket on the cluster's nats-server",
      bindable: true,
      tags: ['nats', 'key-value', 'jetstream'],
      plan_updateable: false,
      metadata: { displayName: 'NATS key-value', providerDisplayName: 'Kyma Local' },
      plans: [
        {
          id: 'kyma-local-nats-kv-bucket',
          name: 'bucket',
          description: 'One KV bucket (file storage)',
          free: true,
          bindable: true,
          schemas: {
            service_instance: {
              create: {
                parameters: {
                  $schema: 'http://json-schema.org/draft-07/schema#',
                  type: 'object',
                  additionalProperties: false,
                  properties: {
                    history: { type: 'integer', minimum: 1, maximum: 64, description: 'Values kept per key (default 1)' },
                    ttlSeconds: { type: 'integer', minimum: 0, description: 'Expiry of values, 0 = never (default)' },
                    maxBytes: { type: 'integer', minimum: -1, description: 'Size limit of the bucket, -1 = none (default)' },
                  },
                },
              },
            },
          },
        },
      ],
    },
    unavailable: () => undefined,
    async start(inst: LocalInstance, _ctx: OfferingContext, firstTime: boolean) {
      if (!firstTime) return; // the bucket lives in JetStream's own storage
      const p = inst.parameters;
      await withNats(natsUrl(), async (nc) => {
        await nc.jetstream().views.kv(bucketName(inst), {
          history: typeof p.history === 'number' ? p.history : 1,
          ...(typeof p.ttlSeconds === 'number' && p.ttlSeconds > 0 ? { ttl: p.ttlSeconds * 1000 } : {}),
          ...(typeof p.maxBytes === 'number' ? { max_bytes: p.maxBytes } : {}),
        });
      });
    },
    async stop() {},
    async destroy(inst) {
      await withNats(natsUrl(), async (nc) => {
        const jsm = await nc.jetstreamManager();
        await jsm.streams.delete(`KV_${bucketName(inst)}`).catch((err: Error) => {
          if (!/stream not found/i.test(err.message)) throw err;
        });
      });
    },
    credentials(inst) {
      return { url: natsUrl(), bucket: bucketName(inst), uri: `${natsUrl()}?bucket=${bucketName(inst)}` };
    },
  };
}
