import { stat } from 'node:fs/promises';

/**
 * DuckDB builds, compresses and writes a table one row group at a time, and much of that work is
 * allocated outside the buffer manager, so `memory_limit` does not cap it. At DuckDB's default of
 * 122,880 rows a row group of 3 kB rows is ~370 MB of strings, and a load peaked at ~750 MiB RSS.
 * Sizing row groups by bytes keeps that peak bounded whatever the row width.
 */
export const MAX_ROW_GROUP_ROWS = 122_880; // DuckDB's default
/** DuckDB's vector size; row group sizes are kept to whole vectors. */
export const MIN_ROW_GROUP_ROWS = 2048;
/** Uncompressed bytes per row group: 16 MiB peaked ~110 MiB below 48 MiB with 3 kB rows. */
const ROW_GROUP_TARGET_BYTES = 16 * 1024 * 1024;
/**
 * Uncompressed bytes per staged byte assumed when estimating row width. Text rarely compresses
 * more than this under zstd or gzip; underestimating the ratio only makes row groups smaller.
 */
const ASSUMED_COMPRESSION_RATIO = 4;

/** Rows per row group for rows of about `rowBytes` uncompressed bytes. */
export function rowGroupRowsFor(rowBytes: number): number {
  const rows = Math.floor(ROW_GROUP_TARGET_BYTES / Math.max(1, rowBytes));
  const whole = Math.floor(rows / MIN_ROW_GROUP_ROWS) * MIN_ROW_GROUP_ROWS;
  return Math.max(MIN_ROW_GROUP_ROWS, Math.min(MAX_ROW_GROUP_ROWS, whole));
}

/** Row group size for `rows` rows staged in `stagedBytes` bytes of parts. */
export function rowGroupRowsForStaged(stagedBytes: number, rows: number): number {
  if (rows === 0) return MAX_ROW_GROUP_ROWS;
  return rowGroupRowsFor((stagedBytes * ASSUMED_COMPRESSION_RATIO) / rows);
}

/** Row group size for loading the staged parts, from their size on disk and the manifest's row count. */
export async function rowGroupRowsForParts(paths: readonly string[], rows: number): Promise<number> {
  // A part that cannot be read counts as empty here; the load itself then reports it.
  const sizes = await Promise.all(
    paths.map((p) =>
      stat(p).then(
        (s) => s.size,
        () => 0,
      ),
    ),
  );
  return rowGroupRowsForStaged(
    sizes.reduce((sum, size) => sum + size, 0),
    rows,
  );
}
