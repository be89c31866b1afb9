import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PG_HOST, PG_PORT, PG_USER, REDIS_URL, uniquePrefix } from '@dxa/testing';

export type BenchStack = { dir: string; prefix: string; config: string; stage: string };

/**
 * A temp folder and configuration every benchmark shares: its own Redis prefix, the pgbench
 * database as source `pg`, a local stage, and any `extraToml` (targets).
 */
export function benchStack(label: string, database: string, extraToml = ''): BenchStack {
  const dir = mkdtempSync(join(tmpdir(), `dxa-${label}-`));
  const prefix = uniquePrefix(label);
  const config = join(dir, 'configuration.toml');
  const stage = join(dir, 'stage');
  writeFileSync(
    config,
    `[application]\nwork_dir = "${join(dir, 'work')}"\n[redis]\nurl = "${REDIS_URL}"\nprefix = "${prefix}"\n` +
      `[connections.source.pg]\ntype = "postgresql"\nhost = "${PG_HOST}"\nport = ${PG_PORT}\ndatabase = "${database}"\nusername = "${PG_USER}"\n` +
      `[connections.stage.local]\ntype = "local"\npath = "${stage}"\n${extraToml}`,
  );
  return { dir, prefix, config, stage };
}
