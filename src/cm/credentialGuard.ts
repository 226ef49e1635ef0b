// Domain accounts lock after a few failed logons, so a credential the server rejected must not be sent again
// by a refresh that fans out, a document that reloads, or a timer. One guard per credential (see CmConnection).
import { CmError } from './errors';
import * as l10n from '@vscode/l10n';

/** What an exchange learned about the credential it carried. */
export type CredentialVerdict = { readonly accepted: true } | { readonly accepted: false; readonly rejection: CmError };

/** Lets an exchange tell the guard what the server said about the credential, as soon as it knows. */
export type ReportVerdict = (verdict: CredentialVerdict) => void;

/**
 * Lets credentials reach the server only while they are not known to be bad:
 * - until the server has accepted them, one exchange at a time carries them (the probe); the others wait for
 *   its verdict instead of each sending a failed logon of their own;
 * - once the server rejected them, nothing carries them again, except one exchange per user action
 *   (`allowOneAttempt`: Sign In, Refresh, Open Request) — never a timer.
 * A change of credentials or connection settings gets a new guard.
 */
export class CredentialGuard {
  private state: 'unproven' | 'accepted' | 'rejected' = 'unproven';
  private rejection: CmError | undefined;
  private probe: Promise<void> | undefined;
  private attemptAllowed = false;
  private sentCount = 0;

  /** The server's rejection while the credential is known to be bad; undefined otherwise. */
  get rejected(): CmError | undefined {
    return this.state === 'rejected' ? this.rejection : undefined;
  }

  /** The server took the credential: it is proven, and may go where it is needed next (the directory). */
  get accepted(): boolean {
    return this.state === 'accepted';
  }

  /** How many exchanges carried the credential (for tests and the log). */
  get sent(): number {
    return this.sentCount;
  }

  /** A user asked for something: a rejected credential may be tried once more. */
  allowOneAttempt(): void {
    if (this.state === 'rejected') {
      this.attemptAllowed = true;
    }
  }

  /** Runs `exchange` when the credential may be sent; throws the remembered rejection when it may not. */
  async run<T>(exchange: (report: ReportVerdict) => Promise<T>): Promise<T> {
    for (;;) {
      if (this.state === 'accepted') {
        return this.send(exchange);
      }
      if (this.probe !== undefined) {
        await this.probe;
        continue;
      }
      if (this.state === 'rejected') {
        if (!this.attemptAllowed) {
          throw notSentAgain(this.rejection);
        }
        this.attemptAllowed = false;
      }
      let settle = (): void => undefined;
      this.probe = new Promise<void>((resolve) => {
        settle = resolve;
      });
      try {
        return await this.send(exchange);
      } finally {
        this.probe = undefined;
        settle();
      }
    }
  }

  private send<T>(exchange: (report: ReportVerdict) => Promise<T>): Promise<T> {
    this.sentCount++;
    return exchange((verdict) => {
      if (verdict.accepted) {
        this.state = 'accepted';
        this.rejection = undefined;
      } else {
        this.state = 'rejected';
        this.rejection = verdict.rejection;
        this.attemptAllowed = false;
      }
    });
  }
}

/** The rejection again, saying that nothing was sent, so the user knows why and what unlocks it. */
function notSentAgain(rejection: CmError | undefined): CmError {
  return new CmError({
    kind: rejection?.kind ?? 'unauthorized',
    status: rejection?.status,
    url: rejection?.url,
    message: l10n.t`${rejection?.message ?? l10n.t('The server rejected your credentials.')} They were not sent again, so that your account is not locked out.`,
    hint: rejection?.hint ?? l10n.t('Run "MIM CM: Sign In" to enter them again.'),
    action: rejection?.action ?? 'signIn',
    notSent: true,
  });
}
