import { PassThrough, type Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { CancelledError, TerminalError, TransientError, type DriverErrorTable } from '@dxa/errors';
import { createLogger } from '@dxa/logger';
import { OpenStreams } from '../open-streams.js';
import type { SqlEngine } from './engine.js';
import { readOnlyRunner, withConnection } from './session.js';
import { startStreamedRead } from './streamed-read.js';

// The kit against a recording engine: the port a real driver fills in (sources/*/session.ts).

type Conn = { id: number };

const table: DriverErrorTable = {
  driver: 'fake',
  field: 'code',
  owns: (code) => typeof code === 'string' && code.startsWith('F'),
  terminal: { F0001: 'SOURCE_NOT_FOUND' },
  transient: ['F0002'],
};

function fakeEngine() {
  const events: string[] = [];
  let next = 0;
  const engine: SqlEngine<Conn> = {
    acquire: () => Promise.resolve({ id: ++next }),
    release: (c) => void events.push(`release ${c.id}`),
    discard: (c) => void events.push(`discard ${c.id}`),
    commit: (c) => Promise.resolve(void events.push(`commit ${c.id}`)),
    cancel: (c) => Promise.resolve(void events.push(`cancel ${c.id}`)),
    listen: (c) => {
      events.push(`listen ${c.id}`);
      return () => void events.push(`unlisten ${c.id}`);
    },
    errors: { table, codeSuffix: (err) => ` (${String((err as { code?: unknown }).code)})` },
  };
  return { engine, events };
}

const driverError = (code: string) => Object.assign(new Error('no such thing\nsecret detail'), { code });
const logger = createLogger('sql-kit-test');

describe('withConnection and readOnlyRunner', () => {
  it('begins, commits and releases around the work', async () => {
    const { engine, events } = fakeEngine();
    const run = readOnlyRunner(engine, {
      begin: (c) => Promise.resolve(void events.push(`begin ${c.id}`)),
      step: 'extract',
      password: undefined,
    });
    expect(await run('count t', new AbortController().signal, () => Promise.resolve(42))).toBe(42);
    expect(events).toEqual(['listen 1', 'begin 1', 'commit 1', 'release 1', 'unlisten 1']);
  });

  it('discards the connection after a failure and wraps the driver error once', async () => {
    const { engine, events } = fakeEngine();
    const run = readOnlyRunner(engine, {
      begin: () => Promise.resolve(),
      step: 'validate',
      password: 'hunter2',
    });
    const failure = await run('describe t', new AbortController().signal, () =>
      Promise.reject(driverError('F0001')),
    ).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(TerminalError);
    expect(failure).toMatchObject({
      code: 'SOURCE_NOT_FOUND',
      step: 'validate',
      message: 'describe t: no such thing (F0001)',
    });
    expect(events).toEqual(['listen 1', 'discard 1', 'unlisten 1']);
    const transient = await run('count t', new AbortController().signal, () =>
      Promise.reject(driverError('F0002')),
    ).catch((e: unknown) => e);
    expect(transient).toBeInstanceOf(TransientError);
  });

  it('cancels the running statement on abort and waits for that before discarding', async () => {
    const { engine, events } = fakeEngine();
    const controller = new AbortController();
    const work = withConnection(engine, controller.signal, async () => {
      controller.abort();
      await Promise.resolve();
      throw new Error('canceling statement due to user request');
    });
    await expect(work).rejects.toThrow(/canceling statement/);
    expect(events).toEqual(['listen 1', 'cancel 1', 'discard 1', 'unlisten 1']);
  });

  it('reports an abort before the work as a cancellation, without a connection', async () => {
    const { engine, events } = fakeEngine();
    const controller = new AbortController();
    controller.abort();
    const run = readOnlyRunner(engine, {
      begin: () => Promise.resolve(),
      step: 'extract',
      password: undefined,
    });
    await expect(run('count t', controller.signal, () => Promise.resolve(1))).rejects.toBeInstanceOf(
      CancelledError,
    );
    expect(events).toEqual([]);
  });
});

describe('startStreamedRead', () => {
  function read(engine: SqlEngine<Conn>, signal: AbortSignal, streams = new OpenStreams()) {
    let source: PassThrough | undefined;
    const started = startStreamedRead({
      engine,
      begin: () => Promise.resolve(),
      statement: () => Promise.resolve('SELECT 1'),
      open: () => (source = new PassThrough()),
      signal,
      logger,
      what: 'extract t',
      password: undefined,
      streams,
    });
    return { started, source: () => source! };
  }

  async function drain(stream: Readable): Promise<string> {
    let text = '';
    for await (const chunk of stream) text += String(chunk);
    return text;
  }

  it('commits and releases the connection once the rows have ended', async () => {
    const { engine, events } = fakeEngine();
    const { started, source } = read(engine, new AbortController().signal);
    const stream = await started;
    source().end('a\n1\n');
    expect(await drain(stream)).toBe('a\n1\n');
    await new Promise((resolve) => setImmediate(resolve));
    expect(events).toEqual(['listen 1', 'commit 1', 'unlisten 1', 'release 1']);
  });

  it('cancels the statement and discards the connection when the consumer stops early', async () => {
    const { engine, events } = fakeEngine();
    const streams = new OpenStreams();
    const { started } = read(engine, new AbortController().signal, streams);
    (await started).destroy();
    await streams.close('test over');
    expect(events).toEqual(['listen 1', 'cancel 1', 'unlisten 1', 'discard 1']);
  });

  it('fails the stream with a CancelledError naming the read on abort', async () => {
    const { engine, events } = fakeEngine();
    const controller = new AbortController();
    const streams = new OpenStreams();
    const { started } = read(engine, controller.signal, streams);
    const stream = await started;
    const failed = new Promise((resolve) => stream.once('error', resolve));
    controller.abort();
    expect(await failed).toMatchObject({ name: 'CancelledError', message: 'extract t: cancelled' });
    await streams.close('test over');
    expect(events).toContain('cancel 1');
    expect(events).toContain('discard 1');
  });

  it('discards the connection and wraps the error when the statement cannot start', async () => {
    const { engine, events } = fakeEngine();
    const failing = startStreamedRead({
      engine,
      begin: () => Promise.resolve(),
      statement: () => Promise.reject(driverError('F0001')),
      open: () => new PassThrough(),
      signal: new AbortController().signal,
      logger,
      what: 'extract t',
      password: undefined,
      streams: new OpenStreams(),
    });
    await expect(failing).rejects.toMatchObject({ code: 'SOURCE_NOT_FOUND', step: 'extract' });
    expect(events).toEqual(['listen 1', 'unlisten 1', 'discard 1']);
  });
});
