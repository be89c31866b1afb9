import { defaultStageName } from '@dxa/config';
import type { FileFormat, SourceRef } from '@dxa/contracts';
import type { JobContext } from '../../handlers/types.js';

export type ExtractPlan = {
  source: SourceRef;
  stageName: string;
  /** The folder inside the stage the job asked for; the job id is appended. */
  stagePath: string | undefined;
  format: FileFormat;
  fileSizeMb: number;
  /** `options.partitions`; undefined or 1 reads the source in one piece. */
  partitions: 'auto' | number | undefined;
  partitionSizeMb: number | undefined;
};

/** Where and how an extract or migrate job stages its files, with the configured defaults filled in. */
export function extractPlanOf(ctx: JobContext<'extract' | 'migrate'>): ExtractPlan {
  const { spec, config } = ctx;
  return {
    source: spec.source,
    stageName: spec.stage?.connection ?? defaultStageName(config),
    stagePath: spec.stage?.path,
    format: spec.format ?? config.defaults.format,
    fileSizeMb: spec.options.file_size_mb,
    partitions: spec.options.partitions,
    partitionSizeMb: spec.options.partition_size_mb,
  };
}
