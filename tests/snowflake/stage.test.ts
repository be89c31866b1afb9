import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeStageContract, joinStagePath } from '@dxa/connectors/src/contract/stage.contract.js';
import {
  createSnowflakeDestination,
  createSnowflakeStage,
  type LoadFile,
} from '@dxa/connectors/src/factories.js';
import { ctx, logger } from '@dxa/connectors/src/destinations/snowflake/test-support.js';
import { pgTableChecksum } from '@dxa/testing';
import type { SnowflakeFake } from '../fakes/snowflake/index.js';
import { makeFixture, SOURCE_ROWS, type PartsFixture } from './fixture.js';
import { fakeTableChecksum, PASSWORD, startFake, targetConfig, USER } from './support.js';

let fake: SnowflakeFake;
let fx: PartsFixture;

beforeAll(async () => {
  [fake, fx] = await Promise.all([
    startFake({ users: { [USER]: { password: PASSWORD }, other: { password: 'other-pw-1' } } }),
    makeFixture(),
  ]);
});

afterAll(async () => {
  await fake?.close();
  await fx?.cleanup();
});

const localFile = (f: LoadFile) => fx.stage.localPath(f.relPath)!;

for (const [label, stage] of [
  ['user stage', '~'],
  ['named stage', 'landing'],
] as const) {
  describeStageContract(`snowflake_stage (${label})`, () =>
    Promise.resolve({
      open: (root: string) =>
        createSnowflakeStage(
          { type: 'snowflake_stage', connection: 'sf', stage: `@${joinStagePath(stage, root)}` },
          targetConfig(fake),
          logger,
        ),
      local: false,
      location: (root: string, relPath: string) =>
        `snowflake://fake/${stage}/${joinStagePath(root, relPath)}`,
      secrets: [PASSWORD],
      rejected: () => ({
        stage: createSnowflakeStage(
          { type: 'snowflake_stage', connection: 'sf', stage: `@${stage}/r` },
          targetConfig(fake, { password: 'wrong-pw-Qx81' }),
          logger,
        ),
        secrets: ['wrong-pw-Qx81'],
      }),
      cleanup: () => Promise.resolve(),
    }),
  );
}

describe('loading from a snowflake_stage', () => {
  it('COPYs in place from the stage the files are in', async () => {
    const target = targetConfig(fake);
    const stage = createSnowflakeStage(
      { type: 'snowflake_stage', connection: 'sf', stage: '@~/staged' },
      target,
      logger,
    );
    const dest = createSnowflakeDestination(target, logger);
    try {
      const files: LoadFile[] = [];
      for (const part of fx.parts.parquet) {
        const relPath = `job-9/${part.relPath.split('/').pop()!}`;
        await stage.put(localFile(part), relPath, ctx);
        files.push({ relPath, localPath: undefined, rows: part.rows });
      }
      const before = fake.queries.length;
      const { rows } = await dest.load(
        {
          table: 'from_stage',
          mode: 'replace',
          columns: fx.columns,
          format: 'parquet',
          files,
          jobId: 'job-9',
        },
        stage,
        ctx,
      );
      expect(rows).toBe(SOURCE_ROWS);
      const during = fake.queries.slice(before).map((q) => q.sqlText);
      expect(during.some((q) => q.startsWith('PUT '))).toBe(false);
      expect(during.some((q) => q.includes('FROM @~/staged/job-9/ FILES = ('))).toBe(true);
      const source = await pgTableChecksum(
        { host: fx.pg.host, port: fx.pg.port, user: fx.pg.username, database: fx.pg.database },
        'src',
      );
      expect(await fakeTableChecksum(fake, '"FROM_STAGE"', source.columns)).toEqual({
        rows: source.rows,
        sum: source.sum,
      });
    } finally {
      await dest.close();
      await stage.close();
    }
  });

  it("copies through the target's own user stage when the stage belongs to another user", async () => {
    const otherUser = targetConfig(fake, { user: 'other', password: 'other-pw-1' });
    const stage = createSnowflakeStage(
      { type: 'snowflake_stage', connection: 'sf2', stage: '@~' },
      otherUser,
      logger,
    );
    const dest = createSnowflakeDestination(targetConfig(fake), logger);
    try {
      const files: LoadFile[] = [];
      for (const part of fx.parts.csv) {
        const relPath = `other/${part.relPath.split('/').pop()!}`;
        await stage.put(localFile(part), relPath, ctx);
        files.push({ relPath, localPath: undefined, rows: part.rows });
      }
      const before = fake.queries.length;
      const { rows } = await dest.load(
        {
          table: 'via_user_stage',
          mode: 'create',
          columns: fx.columns,
          format: 'csv',
          files,
          jobId: 'job-10',
        },
        stage,
        ctx,
      );
      expect(rows).toBe(SOURCE_ROWS);
      const during = fake.queries.slice(before).map((q) => q.sqlText);
      expect(during.filter((q) => q.startsWith('GET ')).length).toBe(files.length);
      expect(during.filter((q) => q.startsWith('PUT ')).length).toBe(files.length);
      expect(await dest.count('via_user_stage', ctx)).toBe(SOURCE_ROWS);
    } finally {
      await dest.close();
      await stage.close();
    }
  });
});
