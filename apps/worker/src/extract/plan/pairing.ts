import { pairingProblem } from '@dxa/connectors';
import type { FileFormat } from '@dxa/contracts';
import { TerminalError } from '@dxa/errors';
import type { ServiceContext } from '../../handlers/types.js';

/**
 * A target that cannot read this stage or format fails before any work is done. The gateway refuses
 * such a job at submit when it knows both connections; this covers connections only the workers hold.
 */
export function refuseUnsupportedPairing(
  ctx: ServiceContext,
  targetConnection: string,
  stageKind: string,
  format: FileFormat,
): void {
  const target = ctx.connectors.destination(targetConnection);
  const problem = pairingProblem(target.kind, stageKind, format);
  if (problem) {
    throw new TerminalError('CONFIG_ERROR', `target "${targetConnection}" (${target.kind}) ${problem}`, {
      step: 'plan',
    });
  }
}
