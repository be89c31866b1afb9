import { afterAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { createCancelBus } from './cancel-bus.js';
import { TEST_REDIS_URL, testPrefix } from './test-redis.js';

const prefix = testPrefix('cancel');
const publisher = new Redis(TEST_REDIS_URL);

afterAll(async () => {
  await publisher.quit();
});

function nextMessage(received: string[], count: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setInterval(() => {
      if (received.length >= count) {
        clearInterval(timer);
        resolve();
      }
    }, 10);
  });
}

describe('cancel bus', () => {
  it('delivers published job ids to every subscriber until it unsubscribes', async () => {
    const bus = createCancelBus(publisher, () => new Redis(TEST_REDIS_URL), prefix);
    const a: string[] = [];
    const b: string[] = [];
    const stopA = await bus.subscribe((id) => a.push(id));
    const stopB = await bus.subscribe((id) => b.push(id));
    await bus.publish('job-1');
    await Promise.all([nextMessage(a, 1), nextMessage(b, 1)]);
    expect(a).toEqual(['job-1']);
    expect(b).toEqual(['job-1']);
    await stopA();
    await bus.publish('job-2');
    await nextMessage(b, 2);
    expect(b).toEqual(['job-1', 'job-2']);
    expect(a).toEqual(['job-1']);
    await stopB();
  });

  it('does not hear other prefixes', async () => {
    const bus = createCancelBus(publisher, () => new Redis(TEST_REDIS_URL), prefix);
    const other = createCancelBus(publisher, () => new Redis(TEST_REDIS_URL), `${prefix}-other`);
    const got: string[] = [];
    const stop = await bus.subscribe((id) => got.push(id));
    await other.publish('elsewhere');
    await bus.publish('mine');
    await nextMessage(got, 1);
    expect(got).toEqual(['mine']);
    await stop();
  });
});
