import type { Redis } from 'ioredis';
import type { CancelBus } from './api.js';
import { closeRedis } from './redis.js';

/** Pub/sub on `<prefix>:cancel`: the gateway publishes job ids, every worker hears them. */
export function createCancelBus(publisher: Redis, subscriberFactory: () => Redis, prefix: string): CancelBus {
  const channel = `${prefix}:cancel`;
  return {
    async publish(jobId) {
      await publisher.publish(channel, jobId);
    },
    async subscribe(onCancel) {
      const subscriber = subscriberFactory();
      const onMessage = (from: string, message: string): void => {
        if (from === channel) onCancel(message);
      };
      subscriber.on('message', onMessage);
      try {
        await subscriber.subscribe(channel);
      } catch (err) {
        subscriber.disconnect();
        throw err;
      }
      return async () => {
        subscriber.off('message', onMessage);
        await closeRedis(subscriber);
      };
    },
  };
}
