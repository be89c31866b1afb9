import { describe, expect, it } from 'vitest';
import { CancelledError, TerminalError, TransientError } from '@dxa/errors';
import { asValidateStepError } from './validate-step-error.js';

describe('asValidateStepError', () => {
  it('turns the load step code into VALIDATION_ERROR, keeping terminal or transient', () => {
    const terminal = asValidateStepError(
      new TerminalError('LOAD_ERROR', 'counting t failed', { step: 'load' }),
    );
    expect(terminal).toBeInstanceOf(TerminalError);
    expect(terminal).toMatchObject({
      code: 'VALIDATION_ERROR',
      step: 'validate',
      message: 'counting t failed',
    });
    const transient = asValidateStepError(new TransientError('LOAD_ERROR', 'file locked'));
    expect(transient).toBeInstanceOf(TransientError);
    expect(transient).toMatchObject({ code: 'VALIDATION_ERROR', step: 'validate' });
  });

  it('keeps other codes, naming the validate step', () => {
    const refused = new TerminalError('BAD_SQL', 'syntax', { step: 'validate' });
    expect(asValidateStepError(refused)).toBe(refused);
    const down = asValidateStepError(new TransientError('CONNECTION_FAILED', 'refused', { step: 'load' }));
    expect(down).toBeInstanceOf(TransientError);
    expect(down).toMatchObject({ code: 'CONNECTION_FAILED', step: 'validate' });
    const cancelled = new CancelledError();
    expect(asValidateStepError(cancelled)).toBe(cancelled);
    const plain = new Error('boom');
    expect(asValidateStepError(plain)).toBe(plain);
  });
});
