import { capabilities, type DestinationKind } from '@dxa/connectors';
import type { FileFormat } from '@dxa/contracts';
import { TerminalError } from '@dxa/errors';
import type { ServiceContext } from '../../handlers/types.js';

/** A target that cannot read this stage or format fails before any work is done. */
export function refuseUnsupportedPairing(
  ctx: ServiceContext,
  targetConnection: string,
  stageKind: string,
  format: FileFormat,
): void {
  const target = ctx.connectors.destination(targetConnection);
  const caps = capabilities[target.kind as DestinationKind];
  if (!caps) return;
  const problem = !caps.stages.includes(stageKind)
    ? `cannot load from a ${stageKind} stage (it loads from: ${caps.stages.join(', ')})`
    : !caps.formats.includes(format)
      ? `cannot load ${format} files (it loads: ${caps.formats.join(', ')})`
      : undefined;
  if (problem) {
    throw new TerminalError('CONFIG_ERROR', `target "${targetConnection}" (${target.kind}) ${problem}`, {
      step: 'plan',
    });
  }
}
