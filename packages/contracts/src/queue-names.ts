/** One BullMQ queue per affinity label; the only place queue names are built. */
export const QUEUE_NAME_PREFIX = 'exchange.';

export function queueNameFor(affinity: string): string {
  return `${QUEUE_NAME_PREFIX}${affinity}`;
}

export function affinityOfQueue(queueName: string): string {
  return queueName.startsWith(QUEUE_NAME_PREFIX) ? queueName.slice(QUEUE_NAME_PREFIX.length) : queueName;
}
