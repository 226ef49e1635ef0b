// What makes ADFS settings usable, checked before a browser opens (host) and before any call (engine).
import type { AdfsSettings } from '../settings/settings';
import { isLoopback } from './endpoint';
import { cleanServerText } from './serverText';
import * as l10n from '@vscode/l10n';

/**
 * Why these ADFS settings cannot be used, or undefined. The authority must be https; plain http only on this
 * machine's loopback (a test provider), since the tokens travel over it.
 */
export function adfsSettingsProblem(adfs: AdfsSettings): string | undefined {
  if (adfs.authority === '') {
    return l10n.t('mimcm.adfs.authority is not set (e.g. https://adfs.contoso.com/adfs).');
  }
  const problem = endpointProblem(adfs.authority);
  if (problem !== undefined) {
    return `mimcm.adfs.authority ${problem}`;
  }
  return adfs.clientId === ''
    ? l10n.t('mimcm.adfs.clientId is not set (the client identifier of the native application in ADFS).')
    : undefined;
}

export function endpointProblem(address: string): string | undefined {
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    return l10n.t`"${cleanServerText(address, 80)}" is not a URL.`;
  }
  if (url.protocol === 'https:' || (url.protocol === 'http:' && isLoopback(url.hostname))) {
    return url.username === '' && url.password === '' ? undefined : l10n.t('must not carry a user name or password.');
  }
  return l10n.t`"${cleanServerText(address, 80)}" must use https.`;
}
