import type { DxaConfig } from '@dxa/config';
import type { JobResult, JobSpecOf, JobType } from '@dxa/contracts';
import type { Logger } from '@dxa/logger';
import type { JobRecord } from '@dxa/queue';
import type { ProgressReporter } from '../progress.js';
import type { JobConnectors } from '../services/job-connectors.js';

/** What the services of one job attempt get: no BullMQ, no Redis details. */
export type ServiceContext = {
  jobId: string;
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
  /** Another job's record (a load reads its extract job). */
  getJob(id: string): Promise<JobRecord | undefined>;
  onRowsExtracted(rows: number): void;
};

export type JobContext<K extends JobType> = ServiceContext & { spec: JobSpecOf<K> };

/** A job handler; results go to the record through `saveResult`, failures are thrown. */
export type Handler<K extends JobType> = (ctx: JobContext<K>) => Promise<void>;

export type HandlerMap = { [K in JobType]: Handler<K> };
