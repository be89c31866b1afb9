import { CancelledError, HandBackError } from '@dxa/errors';
import { describe, expect, it } from 'vitest';
import { ActiveJobs, STOP_REASONS, stopError } from './active-jobs.js';

describe('ActiveJobs', () => {
  it('routes stop requests to the jobs running here only', () => {
    const active = new ActiveJobs();
    const stopped: string[] = [];
    active.add('b', { stop: (r) => stopped.push(`b:${r}`) });
    active.add('a', { stop: (r) => stopped.push(`a:${r}`) });
    expect(active.ids()).toEqual(['a', 'b']);
    expect(active.stop('a', STOP_REASONS.cancel)).toBe(true);
    expect(active.stop('elsewhere', STOP_REASONS.cancel)).toBe(false);
    active.remove('a');
    active.stopAll(STOP_REASONS.handBack);
    expect(stopped).toEqual(['a:dxa:cancel', 'b:dxa:hand-back']);
    expect(active.size).toBe(1);
  });
});

describe('stopError', () => {
  it('turns abort reasons into the errors classifyError understands', () => {
    expect(stopError(STOP_REASONS.handBack)).toBeInstanceOf(HandBackError);
    expect(stopError(STOP_REASONS.cancel)).toBeInstanceOf(CancelledError);
    expect(stopError(undefined)).toBeInstanceOf(CancelledError);
    const own = new HandBackError('x');
    expect(stopError(own)).toBe(own);
  });
});
