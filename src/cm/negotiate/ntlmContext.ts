// `ntlm` with a typed password: NEGOTIATE, then the AUTHENTICATE that answers the server's CHALLENGE (MS-NLMP),
// as a context like the platform's Negotiate, so one handshake loop in the client serves both.
import { CmError } from '../errors';
import { authenticateMessage, negotiateMessage, parseChallengeMessage } from '../ntlm/messages';
import { cleanServerText } from '../serverText';
import type { SecurityContext } from './securityContext';
import * as l10n from '@vscode/l10n';

export function ntlmContext(username: string, password: string, host: string): SecurityContext {
  let sentNegotiate = false;
  return {
    next(serverToken) {
      if (!sentNegotiate) {
        sentNegotiate = true;
        return Promise.resolve({ token: negotiateMessage(), complete: false, carriesCredential: false });
      }
      if (serverToken === undefined) {
        return Promise.resolve({ complete: true, carriesCredential: false });
      }
      try {
        const challenge = parseChallengeMessage(serverToken);
        const token = authenticateMessage({ userName: username, password, challenge });
        return Promise.resolve({ token, complete: true, carriesCredential: true });
      } catch (error) {
        return Promise.reject(
          new CmError({
            kind: 'auth',
            message: l10n.t`NTLM sign-in to ${host} failed: ${cleanServerText(error instanceof Error ? error.message : String(error))}.`,
            hint: l10n.t('Check that the site has Windows Authentication with the NTLM provider enabled, or use negotiate.'),
            action: 'signIn',
          }),
        );
      }
    },
    dispose() {
      sentNegotiate = true;
    },
  };
}
