import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTcpProxy, type TcpProxy } from '@dxa/testing';
import type { DestinationConnector } from '../../core/types.js';
import { createPostgresDestination } from './destination.js';
import {
  busyBackends,
  ctx,
  eventually,
  logger,
  makeFixture,
  request,
  scratchTables,
  type Fixture,
} from './test-support.js';

let fx: Fixture;
let proxy: TcpProxy;
let dest: DestinationConnector;

beforeAll(async () => {
  fx = await makeFixture();
  proxy = await startTcpProxy({ targetPort: fx.conn.port });
  // The destination reaches PostgreSQL only through the proxy, so stopping it takes the target down.
  dest = createPostgresDestination({ ...fx.conn, port: proxy.port, password: 'pw-not-in-messages' }, logger);
  await fx.db.query(`CREATE TABLE orders (LIKE src); INSERT INTO orders (id, t) VALUES (100, 'old')`);
});
afterAll(async () => {
  await proxy?.stop();
  await dest?.close();
  await fx?.cleanup();
});

describe('a PostgreSQL target that goes down during a load', () => {
  it('fails transiently, names the part it was loading, and leaves the table as it was', async () => {
    expect(fx.parts.csv.length).toBeGreaterThan(2);
    // Well past the first part's COPY data: the load is under way when the target disappears.
    proxy.onBytesToTarget(proxy.bytesToTarget + 600_000, () => void proxy.stop());
    const error = await dest.load(request(fx, 'orders', 'replace', 'csv'), fx.stage, ctx).then(
      () => undefined,
      (err: unknown) => err as Error & { code?: string; step?: string },
    );
    expect(error).toMatchObject({ name: 'TransientError', code: 'CONNECTION_FAILED', step: 'load' });
    expect(error?.message).toMatch(/^loading part-\d+\.csv\.gz into orders: /);
    expect(error?.message).not.toMatch(/^loading part-00001\.csv\.gz/);
    expect(error?.message).not.toContain('pw-not-in-messages');

    // Still down: the next load cannot connect and names the part it was about to load.
    const refused = await dest.load(request(fx, 'orders', 'replace', 'csv'), fx.stage, ctx).then(
      () => undefined,
      (err: unknown) => err as Error & { code?: string },
    );
    expect(refused).toMatchObject({ name: 'TransientError', code: 'CONNECTION_FAILED', step: 'load' });
    expect(refused?.message).toMatch(/^loading part-00001\.csv\.gz into orders: connect ECONNREFUSED/);

    await proxy.restart();
    expect(await eventually(async () => (await busyBackends(fx)).length === 0)).toBe(true);
    expect((await fx.db.query('SELECT id, t FROM orders')).rows).toEqual([{ id: '100', t: 'old' }]);
    expect(await scratchTables(fx)).toEqual([]);
    // Back up: the same load now goes through.
    await expect(dest.load(request(fx, 'orders', 'replace', 'csv'), fx.stage, ctx)).resolves.toEqual({
      rows: fx.parts.csv.reduce((sum, f) => sum + f.rows, 0),
    });
  });
});
