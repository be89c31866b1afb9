import { readFile } from 'node:fs/promises';
import { text } from 'node:stream/consumers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

describe.each([
  ['user stage', '@~/dxa-test'],
  ['named stage', '@landing/in'],
])('snowflake_stage over the %s', (_label, stageRef) => {
  it('puts, lists, reads, describes and removes files', async () => {
    const stage = createSnowflakeStage(
      { type: 'snowflake_stage', connection: 'sf', stage: stageRef },
      targetConfig(fake),
      logger,
    );
    try {
      await stage.check(ctx);
      const part = fx.parts.parquet[0]!;
      const staged = await stage.put(localFile(part), 'jobs/1/part-00001.parquet', ctx);
      const bytes = (await readFile(localFile(part))).length;
      expect(staged).toEqual({ path: 'jobs/1/part-00001.parquet', bytes });
      await stage.putText('jobs/1/_manifest.json', '{"rows": 3}', ctx);
      await stage.putText('jobs/10/_manifest.json', '{"rows": 10}', ctx);
      expect(await stage.list('jobs/1/', ctx)).toEqual([
        { path: 'jobs/1/_manifest.json', bytes: 11 },
        { path: 'jobs/1/part-00001.parquet', bytes },
      ]);
      expect(await stage.getText('jobs/1/_manifest.json', ctx)).toBe('{"rows": 3}');
      expect(await stage.getText('jobs/1/missing.json', ctx)).toBeUndefined();
      const read = await stage.read('jobs/1/part-00001.parquet', ctx);
      const content = Buffer.concat(await read.toArray());
      expect(content.equals(await readFile(localFile(part)))).toBe(true);
      expect(stage.describe('jobs/1/x.parquet')).toMatch(/^snowflake:\/\/fake\/.+\/jobs\/1\/x\.parquet$/);
      expect(stage.localPath('jobs/1/x')).toBeUndefined();
      await stage.remove('jobs/1/', ctx);
      expect(await stage.list('jobs/', ctx)).toEqual([{ path: 'jobs/10/_manifest.json', bytes: 12 }]);
      await expect(text(await stage.read('jobs/10/_manifest.json', ctx))).resolves.toBe('{"rows": 10}');
    } finally {
      await stage.close();
    }
  });
});

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
