import type {
  JobError,
  JobResult,
  JobSpec,
  JobState,
  JobSteps,
  JobView,
  PartitionEntry,
  Progress,
  WorkerInfo,
} from '@dxa/contracts';

/**
 * The job record kept in Redis next to the queue (`<prefix>:job:<id>` hash), the source of truth for
 * the job view. BullMQ holds the work item; this record holds what a person asks about.
 */
export type JobRecord = {
  id: string;
  spec: JobSpec;
  state: JobState;
  queue: string;
  worker?: string;
  attempts: number;
  created_at: string;
  started_at?: string;
  finished_at?: string;
  progress?: Progress;
  result?: JobResult;
  /** Steps finished so far, across attempts. */
  steps?: JobSteps;
  error?: JobError;
  cancel_requested?: boolean;
  /** Set while a failed attempt waits for its retry. */
  retry_at?: string;
  /** The partitions of a partitioned extract, by index (hash fields `partitions.<index>`). */
  partitions?: Record<string, PartitionEntry>;
  /** The planning the partitions belong to; bumped each time the extract is planned again. */
  partition_generation?: number;
};

export type JobListFilter = { state?: JobState; affinity?: string; limit: number };

/** Everything gateway and worker do with job records, in one place. */
export type JobStore = {
  create(record: JobRecord): Promise<void>;
  get(id: string): Promise<JobRecord | undefined>;
  list(filter: JobListFilter): Promise<JobRecord[]>;
  /** Shallow-merges the fields into the record; returns the updated record. */
  update(id: string, patch: Partial<Omit<JobRecord, 'id' | 'spec'>>): Promise<JobRecord | undefined>;
  /** Merges one part of the result (extract, load, validation). */
  setResult(id: string, part: Partial<JobResult>): Promise<void>;
  /** Records one finished step (extract, stage, load, validate), keeping the others. */
  setStep<K extends keyof JobSteps>(id: string, name: K, step: NonNullable<JobSteps[K]>): Promise<void>;
  remove(id: string): Promise<void>;
  /** Replaces every partition entry with `entries` and makes `generation` the current one. */
  startPartitions(id: string, generation: number, entries: PartitionEntry[]): Promise<void>;
  /**
   * Merges fields into one partition entry, only while its generation is the record's current
   * one (a straggler of an older planning cannot overwrite the new one). Returns whether it did.
   */
  updatePartition(
    id: string,
    index: number,
    generation: number,
    patch: Partial<Omit<PartitionEntry, 'index' | 'generation'>>,
  ): Promise<boolean>;
};

export type WorkerRegistry = {
  /** Writes this worker's entry with a TTL of a few heartbeats. */
  heartbeat(info: WorkerInfo): Promise<void>;
  unregister(id: string): Promise<void>;
  /** Workers whose heartbeat is still live. */
  live(): Promise<WorkerInfo[]>;
};

/** Cross-process cancellation: the gateway publishes, every worker listens. */
export type CancelBus = {
  publish(jobId: string): Promise<void>;
  subscribe(onCancel: (jobId: string) => void): Promise<() => Promise<void>>;
};

export type { JobView };
