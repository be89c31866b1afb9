import { secretValues, type DxaConfig } from '@dxa/config';

const URL_CREDENTIALS = /([a-z][a-z0-9+.-]*:\/\/)([^\s:@/]*):([^\s@/]+)@/gi;

/** Masks the configuration's secret values and any credentials embedded in URLs. */
export function createMasker(config: DxaConfig): (text: string) => string {
  // Longest first, so a secret that contains another is masked whole.
  const secrets = secretValues(config).sort((a, b) => b.length - a.length);
  return (text) => {
    let out = text.replace(URL_CREDENTIALS, '$1$2:***@');
    for (const secret of secrets) out = out.split(secret).join('***');
    return out;
  };
}
