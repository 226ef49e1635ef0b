import type { RecoveryAction } from './cm/errors';
import { COMMANDS } from './commandIds';

export interface RecoveryCommand {
  readonly command: string;
  readonly title: string;
  readonly icon: string;
}

/** The command behind each way out of a failure, shared by error nodes and notifications. */
export const RECOVERY_COMMANDS: Readonly<Record<RecoveryAction, RecoveryCommand>> = {
  retry: { command: COMMANDS.refresh, title: 'Retry', icon: 'refresh' },
  openSettings: { command: COMMANDS.openSettings, title: 'Open Settings', icon: 'settings-gear' },
  showLog: { command: COMMANDS.showLog, title: 'Show Log', icon: 'output' },
  signIn: { command: COMMANDS.signIn, title: 'Sign In', icon: 'sign-in' },
  signInToProxy: { command: COMMANDS.signInToProxy, title: 'Sign In to Proxy', icon: 'sign-in' },
  enterPassphrase: { command: COMMANDS.enterClientCertificatePassphrase, title: 'Enter Client Certificate Passphrase', icon: 'key' },
};
