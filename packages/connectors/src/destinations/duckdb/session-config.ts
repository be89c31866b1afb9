import { availableParallelism } from 'node:os';

/** Working memory DuckDB gets per thread before another thread is worth it (hash tables, sorts). */
const BYTES_PER_THREAD = 64 * 1024 * 1024;

const UNIT_BYTES: Record<string, number> = {
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
};

/** Bytes of a DuckDB size setting such as "128MB" or "1.5GiB" (the config schema checks the form). */
export function sizeBytes(size: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)\s*([KMG]i?B)$/i.exec(size.trim());
  const unit = m?.[2] === undefined ? undefined : UNIT_BYTES[m[2].toLowerCase()];
  return m?.[1] === undefined || unit === undefined ? undefined : Number(m[1]) * unit;
}

/**
 * Threads for a session that reads under `memoryLimit`: each thread builds its own hash tables, so
 * DuckDB's default of one per core ran out of 128 MB where one or two threads spilled and finished.
 */
export function readThreads(memoryLimit: string | undefined, cores = availableParallelism()): number {
  const bytes = memoryLimit === undefined ? undefined : sizeBytes(memoryLimit);
  if (bytes === undefined) return cores;
  return Math.max(1, Math.min(cores, Math.floor(bytes / BYTES_PER_THREAD)));
}

export type SessionSettings = {
  readOnly: boolean;
  memoryLimit: string | undefined;
  /** Private folder DuckDB spills to when an operation needs more than `memoryLimit`. */
  spillDir: string;
};

/**
 * DuckDB's configuration for one session. Every session gets a spill folder: without one (DuckDB
 * sets none for a file opened read-only) an aggregate larger than the memory limit fails instead of
 * spilling. Reading sessions (counts, validation) also run with threads bounded by the memory
 * limit and without insertion order, which none of their aggregates needs and which costs memory.
 */
export function sessionConfig(settings: SessionSettings): Record<string, string> {
  return {
    temp_directory: settings.spillDir,
    ...(settings.memoryLimit ? { memory_limit: settings.memoryLimit } : {}),
    ...(settings.readOnly
      ? {
          access_mode: 'READ_ONLY',
          threads: String(readThreads(settings.memoryLimit)),
          preserve_insertion_order: 'false',
        }
      : {}),
  };
}
