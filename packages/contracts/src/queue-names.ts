/** One BullMQ queue per affinity label; the only place queue names are built. */
export const QUEUE_NAME_PREFIX = 'exchange.';

export function queueNameFor(affinity: string): string {
  return `${QUEUE_NAME_PREFIX}${affinity}`;
}

export function affinityOfQueue(queueName: string): string {
  return queueName.startsWith(QUEUE_NAME_PREFIX) ? queueName.slice(QUEUE_NAME_PREFIX.length) : queueName;
}

/**
 * The queue of one label's partition jobs (slices of a partitioned extract). A different prefix
 * than the label queues, so no label can name it; workers serve it next to their label's queue.
 */
export const PARTITION_QUEUE_PREFIX = 'partitions.';

export function partitionQueueNameFor(affinity: string): string {
  return `${PARTITION_QUEUE_PREFIX}${affinity}`;
}
