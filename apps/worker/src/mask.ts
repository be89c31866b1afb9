import { secretValues, type DxaConfig } from '@dxa/config';
import { maskSecretsInText, registerSecrets } from '@dxa/logger';

/**
 * The masking applied to error messages before they reach a job record or a log line: the
 * configuration's secrets (registered with the logger, which masks them in every log line too)
 * plus credentials in URLs and connection strings.
 */
export function createMasker(config: DxaConfig): (text: string) => string {
  registerSecrets(secretValues(config));
  return maskSecretsInText;
}
