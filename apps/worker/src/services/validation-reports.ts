import { mkdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { StageConnector } from '@dxa/connectors';
import type { ValidationResult } from '@dxa/contracts';
import type { ServiceContext } from '../handlers/types.js';
import { writeReports, type ValidationReport } from '@dxa/validation';
import { workDirFor } from '../extract/plan/stage-paths.js';

export type ReportLocations = NonNullable<ValidationResult['report']>;

/** Where a run's report files end up: next to the job's manifest, or in a local folder. */
export type ReportDestination = { stage: StageConnector; prefix: string } | { localDir: string };

/** `<work_dir>/reports/<jobId>/`: a validate job has no stage to put its reports on. */
export function localReportDir(workDir: string, jobId: string): string {
  return resolve(workDir, 'reports', jobId);
}

const KEYS = [
  ['json', 'json'],
  ['markdown', 'markdown'],
  ['differencesCsv', 'differences_csv'],
  ['sourceSql', 'source_sql'],
  ['targetSql', 'target_sql'],
] as const;

/**
 * Writes the report files, then (for a stage) puts them under `<prefix>validation/` and returns
 * their stage locations; for a local folder, their absolute paths.
 */
export async function publishReports(
  ctx: ServiceContext,
  report: ValidationReport,
  destination: ReportDestination,
): Promise<ReportLocations> {
  if ('localDir' in destination) {
    await mkdir(destination.localDir, { recursive: true });
    const files = await writeReports(report, destination.localDir);
    return Object.fromEntries(
      KEYS.map(([from, to]) => [to, join(destination.localDir, files[from])]),
    ) as ReportLocations;
  }
  const dir = join(workDirFor(ctx.config.application.work_dir, ctx.jobId), 'validation');
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  try {
    const files = await writeReports(report, dir);
    const located: Partial<ReportLocations> = {};
    for (const [from, to] of KEYS) {
      const relPath = `${destination.prefix}validation/${files[from]}`;
      await destination.stage.put(join(dir, files[from]), relPath, { signal: ctx.signal });
      located[to] = destination.stage.describe(relPath);
    }
    return located as ReportLocations;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
