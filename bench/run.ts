import { PG_HOST, PG_PORT, PG_USER } from '@dxa/testing';
import { ensurePgbench } from '../tests/pgbench.js';
import { runExtractBench } from './extract-bench.js';
import { benchStack } from './stack.js';

const SCALE = Number(process.env.BENCH_SCALE ?? 50);
const ROWS = SCALE * 100_000;

const database = await ensurePgbench(SCALE);
await runExtractBench({
  id: 'extract',
  title: `Extract pgbench_accounts, scale ${SCALE} (${ROWS.toLocaleString('en-US')} rows)`,
  rows: ROWS,
  runs: Number(process.env.BENCH_RUNS ?? 3),
  stack: benchStack('bench', database),
  source: { connection: 'pg', table: 'public.pgbench_accounts' },
  reference: {
    name: 'psql COPY | gzip -1 (reference)',
    command: (file) =>
      `psql -h ${PG_HOST} -p ${PG_PORT} -U ${PG_USER} -d ${database} -c "COPY pgbench_accounts TO STDOUT" | gzip -1 > ${file}`,
  },
});
