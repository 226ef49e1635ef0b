import type { RecoveryAction } from './cm/errors';

export interface RecoveryCommand {
  readonly command: string;
  readonly title: string;
  readonly icon: string;
}

/** The command behind each way out of a failure, shared by error nodes and notifications. */
export const RECOVERY_COMMANDS: Readonly<Record<RecoveryAction, RecoveryCommand>> = {
  retry: { command: 'mimcm.refresh', title: 'Retry', icon: 'refresh' },
  openSettings: { command: 'mimcm.openSettings', title: 'Open Settings', icon: 'settings-gear' },
  showLog: { command: 'mimcm.showLog', title: 'Show Log', icon: 'output' },
  signIn: { command: 'mimcm.signIn', title: 'Sign In', icon: 'sign-in' },
  signInToProxy: { command: 'mimcm.signInToProxy', title: 'Sign In to Proxy', icon: 'sign-in' },
  enterPassphrase: { command: 'mimcm.enterClientCertificatePassphrase', title: 'Enter Client Certificate Passphrase', icon: 'key' },
};
