import { CancelledError, HandBackError, TerminalError, TransientError, classifyError } from '@dxa/errors';
import { describe, expect, it } from 'vitest';
import { planFailure, retryDelayMs } from './outcome.js';

const now = new Date('2030-01-01T00:00:00.000Z');
const mask = (text: string) => text.replaceAll('hunter2', '***');
const attempt = (attemptsMade: number) => ({
  attemptsMade,
  maxAttempts: 3,
  backoff: { type: 'exponential', delay: 1000 },
});

describe('planFailure', () => {
  it('ends a terminal error at once, with code, step and masked message', () => {
    const err = new TerminalError('SOURCE_NOT_FOUND', 'no table t (password hunter2)', { step: 'describe' });
    const plan = planFailure(classifyError(err), attempt(0), now, mask);
    expect(plan.action).toBe('unrecoverable');
    expect(plan.patch).toEqual({
      state: 'failed',
      finished_at: now.toISOString(),
      error: {
        code: 'SOURCE_NOT_FOUND',
        message: 'step describe: no table t (password ***)',
        step: 'describe',
      },
    });
  });

  it('retries a transient error while attempts are left, with retry_at from the backoff', () => {
    const plan = planFailure(
      classifyError(new TransientError('CONNECTION_FAILED', 'reset')),
      attempt(1),
      now,
      mask,
    );
    expect(plan.action).toBe('retry');
    expect(plan.patch).toMatchObject({
      state: 'queued',
      retry_at: '2030-01-01T00:00:02.000Z',
      error: { code: 'CONNECTION_FAILED' },
    });
    expect(plan.patch.finished_at).toBeUndefined();
  });

  it('names the step and the file of a load that failed on every attempt', () => {
    const err = new TransientError(
      'CONNECTION_FAILED',
      'loading part-00002.csv.gz into public.t: connect ECONNREFUSED 127.0.0.1:5999',
      { step: 'load' },
    );
    const plan = planFailure(classifyError(err), attempt(2), now, mask);
    expect(plan.patch).toMatchObject({
      state: 'failed',
      error: {
        code: 'CONNECTION_FAILED',
        step: 'load',
        message: 'step load: loading part-00002.csv.gz into public.t: connect ECONNREFUSED 127.0.0.1:5999',
      },
    });
  });

  it('fails a transient error on the last attempt', () => {
    const plan = planFailure(classifyError(new TransientError('TIMEOUT', 'slow')), attempt(2), now, mask);
    expect(plan).toMatchObject({
      action: 'unrecoverable',
      patch: { state: 'failed', error: { code: 'TIMEOUT' } },
    });
  });

  it('cancels without retry and hands back without ending the job', () => {
    expect(planFailure(classifyError(new CancelledError()), attempt(0), now, mask)).toMatchObject({
      action: 'unrecoverable',
      patch: { state: 'cancelled', error: { code: 'CANCELLED' } },
    });
    expect(planFailure(classifyError(new HandBackError('shutdown')), attempt(0), now, mask)).toEqual({
      action: 'hand-back',
      patch: { state: 'queued' },
      message: 'shutdown',
    });
  });
});

describe('retryDelayMs', () => {
  it('follows BullMQ fixed and exponential backoff', () => {
    expect(retryDelayMs({ type: 'fixed', delay: 500 }, 4)).toBe(500);
    expect(retryDelayMs({ type: 'exponential', delay: 500 }, 0)).toBe(500);
    expect(retryDelayMs({ type: 'exponential', delay: 500 }, 2)).toBe(2000);
    expect(retryDelayMs(250, 1)).toBe(250);
    expect(retryDelayMs({ type: 'custom' }, 1)).toBeUndefined();
  });
});
