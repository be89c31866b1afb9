import type { DxaConfig } from '@dxa/config';
import type { PartitionFile } from '@dxa/contracts';
import type { ProgressDelta } from '@dxa/files';
import type { JobConnectors } from '../../services/job-connectors.js';
import { stageParts } from '../parts/stage-parts.js';
import { inScratchFolder, writePartsFrom } from '../parts/write-parts.js';
import { workDirFor } from '../plan/stage-paths.js';
import { partitionFilePrefix, type PartitionJobData } from './partition-job.js';

export type PartitionRun = {
  data: PartitionJobData;
  config: DxaConfig;
  connectors: JobConnectors;
  signal: AbortSignal;
  onProgress: (delta: ProgressDelta) => void;
};

/**
 * Reads one slice of the source (through the coordinator's snapshot when there is one), writes its
 * parts and stages them under names that carry the generation and partition, so a retry of this
 * partition replaces exactly its own files and never another's.
 */
export async function extractPartition(run: PartitionRun): Promise<PartitionFile[]> {
  const { data, signal } = run;
  const stage = run.connectors.stage(data.stage.connection);
  const source = run.connectors.source(data.source.connection);
  const namePrefix = partitionFilePrefix(data);
  const workDir = workDirFor(run.config.application.work_dir, `${data.parent}-p${data.index}`);
  return inScratchFolder(workDir, async () => {
    // Parts an earlier attempt of this partition staged before its worker stopped.
    await stage.remove(`${data.stage.prefix}${namePrefix}`, { signal });
    const slice = { bounds: data.bounds, ...(data.snapshot ? { snapshot: data.snapshot } : {}) };
    const input = await source.extractCsv(data.source, data.columns, { signal }, slice);
    const written = await writePartsFrom(input, data.columns, {
      format: data.format,
      fileSizeMb: data.fileSizeMb,
      workDir,
      signal,
      onProgress: run.onProgress,
    });
    return stageParts(stage, signal, data.stage.prefix, written, namePrefix);
  });
}
