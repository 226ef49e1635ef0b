import { cleanServerText, redactUrl } from './serverText';
import * as l10n from '@vscode/l10n';

/** What the user can do about a failure; the tree turns it into the error node's action. */
export type RecoveryAction = 'retry' | 'openSettings' | 'showLog' | 'signIn' | 'signInToProxy' | 'enterPassphrase';

export type CmErrorKind =
  | 'config'
  | 'unauthorized'
  | 'wrongMethod'
  | 'auth'
  | 'forbidden'
  | 'apiNotFound'
  | 'server'
  | 'httpStatus'
  | 'notJson'
  | 'malformedJson'
  | 'truncated'
  | 'tooLarge'
  | 'encoding'
  | 'timeout'
  | 'connectionRefused'
  | 'connectionReset'
  | 'dns'
  | 'tls'
  | 'proxy'
  | 'network'
  | 'canceled';

export interface CmErrorDetails {
  readonly kind: CmErrorKind;
  /** What happened, in one sentence a CM admin understands. */
  readonly message: string;
  /** What to do about it. */
  readonly hint: string;
  readonly action: RecoveryAction;
  readonly status?: number;
  readonly correlationId?: string;
  readonly url?: string;
  readonly cause?: unknown;
  /** Set when credentials known to be rejected were deliberately not sent (see CredentialGuard). */
  readonly notSent?: boolean;
  /** For a 401: the sign-in schemes the server offers (Negotiate, NTLM, Basic, Bearer), so Sign In can offer them first. */
  readonly offeredSchemes?: readonly string[];
}

/** Longest message kept: our sentence plus the bounded server text it quotes. */
const MAX_MESSAGE = 1000;

export class CmError extends Error {
  readonly kind: CmErrorKind;
  readonly hint: string;
  readonly action: RecoveryAction;
  readonly status: number | undefined;
  readonly correlationId: string | undefined;
  readonly url: string | undefined;
  readonly notSent: boolean;
  readonly offeredSchemes: readonly string[] | undefined;

  /** Message and URL are cleaned and bounded here, the one place every failure passes, whatever they quote. */
  constructor(details: CmErrorDetails) {
    super(cleanServerText(details.message, MAX_MESSAGE), details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'CmError';
    this.kind = details.kind;
    this.hint = details.hint;
    this.action = details.action;
    this.status = details.status;
    this.correlationId = details.correlationId === undefined ? undefined : cleanServerText(details.correlationId, 80);
    this.url = details.url === undefined ? undefined : redactUrl(details.url, 500);
    this.notSent = details.notSent ?? false;
    this.offeredSchemes = details.offeredSchemes?.slice(0, 10).map((scheme) => cleanServerText(scheme, 40));
  }

  /** What crosses from the engine's worker to the extension host (a class does not survive the trip). */
  toDetails(): Omit<CmErrorDetails, 'cause'> {
    return {
      kind: this.kind,
      message: this.message,
      hint: this.hint,
      action: this.action,
      status: this.status,
      correlationId: this.correlationId,
      url: this.url,
      notSent: this.notSent,
      offeredSchemes: this.offeredSchemes,
    };
  }

  /** Any failure as a CmError: CmErrors as they are, anything else (a defect) explained as unexpected. */
  static from(error: unknown): CmError {
    if (error instanceof CmError) {
      return error;
    }
    return new CmError({
      kind: 'network',
      message: l10n.t`Something failed unexpectedly: ${error instanceof Error ? error.message : String(error)}`,
      hint: l10n.t('The log has details; please report this.'),
      action: 'showLog',
      cause: error,
    });
  }

  /** Whether the way forward is a sign-in: a load stops there rather than send the same credentials again. */
  get needsSignIn(): boolean {
    return this.action === 'signIn' || this.action === 'signInToProxy' || this.kind === 'wrongMethod';
  }

  /** A few words for a narrow tree row; message and hint carry the whole story. */
  get summary(): string {
    const http = this.status !== undefined ? ` (HTTP ${this.status})` : '';
    switch (this.kind) {
      case 'config':
        return l10n.t('Check the MIM CM connection settings');
      case 'unauthorized':
        return l10n.t`Sign-in required${http}`;
      case 'wrongMethod':
        return l10n.t('Wrong sign-in method');
      case 'auth':
        return l10n.t('Sign-in failed');
      case 'forbidden':
        return l10n.t`Access refused${http}`;
      case 'apiNotFound':
        return l10n.t`CM REST API not found${http}`;
      case 'server':
        return l10n.t`CM server error${http}`;
      case 'httpStatus':
        return this.status !== undefined && this.status >= 300 && this.status < 400
          ? `Redirected${http}`
          : l10n.t`Unexpected answer${http}`;
      case 'notJson':
        return l10n.t('The server did not answer with JSON');
      case 'malformedJson':
        return l10n.t('Unreadable JSON from the server');
      case 'truncated':
        return l10n.t('Answer cut short');
      case 'tooLarge':
        return l10n.t('Answer too large');
      case 'encoding':
        return l10n.t('Unreadable answer encoding');
      case 'timeout':
        return l10n.t('No answer from the server (timeout)');
      case 'connectionRefused':
        return l10n.t('Connection refused');
      case 'connectionReset':
        return l10n.t('Connection dropped');
      case 'dns':
        return l10n.t('Host name not found');
      case 'tls':
        return l10n.t('Secure connection failed (TLS)');
      case 'proxy':
        return this.status === 407 ? l10n.t('Proxy sign-in required (HTTP 407)') : l10n.t`Proxy problem${http}`;
      case 'network':
        return l10n.t('Network error');
      case 'canceled':
        return l10n.t('Canceled');
    }
  }

  /** One line for logs and notifications: what happened, then what to do. */
  describe(): string {
    return `${this.message} ${this.hint}`;
  }
}

export function isCanceled(error: unknown): boolean {
  return error instanceof CmError && error.kind === 'canceled';
}

export function canceledError(url: string): CmError {
  return new CmError({ kind: 'canceled', message: l10n.t('The request was canceled.'), hint: '', action: 'retry', url });
}

export function configError(message: string, hint: string): CmError {
  return new CmError({ kind: 'config', message, hint, action: 'openSettings' });
}
