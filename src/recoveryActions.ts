import type { RecoveryAction } from './cm/errors';
import { COMMANDS } from './commandIds';
import * as l10n from '@vscode/l10n';

export interface RecoveryCommand {
  readonly command: string;
  readonly title: string;
  readonly icon: string;
}

/** The command behind each way out of a failure, shared by error nodes and notifications. */
export const recoveryCommands = (): Readonly<Record<RecoveryAction, RecoveryCommand>> => ({
  retry: { command: COMMANDS.refresh, title: l10n.t('Retry'), icon: 'refresh' },
  openSettings: { command: COMMANDS.openSettings, title: l10n.t('Open Settings'), icon: 'settings-gear' },
  showLog: { command: COMMANDS.showLog, title: l10n.t('Show Log'), icon: 'output' },
  signIn: { command: COMMANDS.signIn, title: l10n.t('Sign In'), icon: 'sign-in' },
  signInToProxy: { command: COMMANDS.signInToProxy, title: l10n.t('Sign In to Proxy'), icon: 'sign-in' },
  enterPassphrase: {
    command: COMMANDS.enterClientCertificatePassphrase,
    title: l10n.t('Enter Client Certificate Passphrase'),
    icon: 'key',
  },
});
