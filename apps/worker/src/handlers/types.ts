import type { DxaConfig } from '@dxa/config';
import type { JobResult, JobSpecOf, JobSteps, JobType, PartitionEntry, StepName } from '@dxa/contracts';
import type { Logger } from '@dxa/logger';
import type { JobRecord } from '@dxa/queue';
import type { PartitionJobData } from '../extract/slice/partition-job.js';
import type { ProgressReporter } from '../progress.js';
import type { JobConnectors } from '../services/job-connectors.js';

/** What a finished step records besides status, time and attempt (added by `saveStep`). */
export type StepDetail<K extends StepName> = Omit<
  NonNullable<JobSteps[K]>,
  'status' | 'finished_at' | 'attempt'
>;

/** How a job hands its partitions to the workers of its label (BullMQ child jobs behind this). */
export type PartitionDispatch = {
  /**
   * Makes `generation` the current planning with these entries and queues one child job per
   * partition; children of earlier plannings are detached and told to stop.
   */
  start(generation: number, entries: PartitionEntry[], jobs: PartitionJobData[]): Promise<void>;
  /** Child jobs of this job the queue has not finished yet. */
  unfinished(): Promise<number>;
  /** Stops a generation's partitions: running ones through the cancel bus, queued ones removed. */
  stop(generation: number, count: number): Promise<void>;
};

/** What the services of one job attempt get: no BullMQ, no Redis details. */
export type ServiceContext = {
  jobId: string;
  /** This attempt's number, from 1 (a job taken over from a lost worker may repeat it). */
  attempt: number;
  config: DxaConfig;
  logger: Logger;
  /** Fires on cancel or hand-back; its reason is the CancelledError or HandBackError to surface. */
  signal: AbortSignal;
  progress: ProgressReporter;
  connectors: JobConnectors;
  /** Names the step running now, so an error without its own step is reported against it. */
  step(name: string): void;
  /** Merges a part of the result into the job record as soon as it is known. */
  saveResult(part: Partial<JobResult>): Promise<void>;
  /** Records a finished step in the job record; a retry reads it to skip what is done. */
  saveStep<K extends StepName>(name: K, detail: StepDetail<K>): Promise<void>;
  /** Another job's record (a load reads its extract job). */
  getJob(id: string): Promise<JobRecord | undefined>;
  onRowsExtracted(rows: number): void;
  partitions: PartitionDispatch;
};

export type JobContext<K extends JobType> = ServiceContext & { spec: JobSpecOf<K> };

/** A job handler; results go to the record through `saveResult`, failures are thrown. */
export type Handler<K extends JobType> = (ctx: JobContext<K>) => Promise<void>;

export type HandlerMap = { [K in JobType]: Handler<K> };
