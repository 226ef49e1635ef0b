// Negotiate on Windows: SSPI's Negotiate package with the logon session of the user running VS Code, as Edge and
// `Invoke-RestMethod -UseDefaultCredentials` sign in. Nothing is typed or stored. The calls go through the
// prebuilt N-API binary of node-expose-sspi (only its `sspi` export; none of its JavaScript is shipped).
import { CmError } from '../errors';
import { loadNativeBinding } from './nativeBinding';
import { carriesCredential, type SecurityContext } from './securityContext';
import { sspiTargetName } from './servicePrincipal';
import * as l10n from '@vscode/l10n';

/** Handles are opaque to JavaScript; the binary hands them out and takes them back. */
export type SspiHandle = object;

export type SecurityStatus = 'SEC_E_OK' | 'SEC_I_CONTINUE_NEEDED' | 'SEC_I_COMPLETE_NEEDED' | 'SEC_I_COMPLETE_AND_CONTINUE';

export interface SecBufferDesc {
  readonly ulVersion: number;
  readonly buffers: ArrayBuffer[];
}

/** The part of node-expose-sspi's `sspi` export this uses, shaped as the binary's own typings (lib/sspi.d.ts). */
export interface SspiBinding {
  QuerySecurityPackageInfo(packageName: 'Negotiate'): { readonly cbMaxToken: number; readonly Name: string };
  AcquireCredentialsHandle(input: { packageName: 'Negotiate'; credentialUse: 'SECPKG_CRED_OUTBOUND' }): {
    readonly credential: SspiHandle;
    readonly tsExpiry: Date;
  };
  InitializeSecurityContext(input: {
    credential: SspiHandle;
    targetName: string;
    cbMaxToken?: number;
    SecBufferDesc?: SecBufferDesc;
    contextHandle?: SspiHandle;
    contextReq?: string[];
    targetDataRep?: 'SECURITY_NATIVE_DREP' | 'SECURITY_NETWORK_DREP';
    isFirstCall?: boolean;
  }): { readonly contextHandle: SspiHandle; readonly SECURITY_STATUS: SecurityStatus; readonly SecBufferDesc: SecBufferDesc };
  DeleteSecurityContext(contextHandle: SspiHandle): void;
  FreeCredentialsHandle(credential: SspiHandle): void;
}

let binding: SspiBinding | undefined;

/**
 * The binary exports { sspi, adsi, … }; loaded on first use, and only on Windows. It comes only with a build (npm
 * does not install its package outside Windows), so there is no development fallback.
 */
export function loadSspi(root?: string): SspiBinding {
  binding ??= loadNativeBinding<{ sspi: SspiBinding }>('node-expose-sspi.node', undefined, 'sspi', root).sspi;
  return binding;
}

/**
 * Mutual authentication makes the server prove itself with Kerberos (its answer comes with the 200); the rest is
 * what an HTTP client over one connection asks of SSPI. An LDAP bind over TLS asks for mutual authentication
 * only: a directory refuses a SASL bind that would sign or seal inside TLS (MS-ADTS 5.1.1.1.2).
 */
const REQUIREMENTS = {
  http: ['ISC_REQ_CONNECTION', 'ISC_REQ_MUTUAL_AUTH', 'ISC_REQ_REPLAY_DETECT', 'ISC_REQ_SEQUENCE_DETECT'],
  ldapOverTls: ['ISC_REQ_MUTUAL_AUTH'],
} as const;

export function sspiContext(
  servicePrincipal: string,
  sspi: SspiBinding = loadSspi(),
  use: keyof typeof REQUIREMENTS = 'http',
): SecurityContext {
  const targetName = sspiTargetName(servicePrincipal);
  let credential: SspiHandle | undefined;
  let contextHandle: SspiHandle | undefined;
  let cbMaxToken: number | undefined;
  let disposed = false;
  const release = (): void => {
    const [context, handle] = [contextHandle, credential];
    contextHandle = undefined;
    credential = undefined;
    try {
      if (context !== undefined) {
        sspi.DeleteSecurityContext(context);
      }
    } finally {
      if (handle !== undefined) {
        sspi.FreeCredentialsHandle(handle);
      }
    }
  };
  return {
    next(serverToken) {
      if (disposed) {
        return Promise.reject(new Error('The SSPI context was already released.'));
      }
      try {
        if (credential === undefined) {
          cbMaxToken = sspi.QuerySecurityPackageInfo('Negotiate').cbMaxToken;
          credential = sspi.AcquireCredentialsHandle({ packageName: 'Negotiate', credentialUse: 'SECPKG_CRED_OUTBOUND' }).credential;
        }
        const result = sspi.InitializeSecurityContext({
          credential,
          targetName,
          cbMaxToken,
          contextReq: [...REQUIREMENTS[use]],
          targetDataRep: 'SECURITY_NATIVE_DREP',
          isFirstCall: contextHandle === undefined,
          ...(contextHandle === undefined ? {} : { contextHandle }),
          ...(serverToken === undefined ? {} : { SecBufferDesc: { ulVersion: 0, buffers: [toArrayBuffer(serverToken)] } }),
        });
        contextHandle = result.contextHandle;
        const output = result.SecBufferDesc.buffers[0];
        const token = output === undefined || output.byteLength === 0 ? undefined : Buffer.from(output);
        switch (result.SECURITY_STATUS) {
          case 'SEC_I_CONTINUE_NEEDED':
            return Promise.resolve({ token, complete: false, carriesCredential: carriesCredential(token) });
          case 'SEC_E_OK':
            return Promise.resolve({ token, complete: true, carriesCredential: carriesCredential(token) });
          default:
            // Only Digest and DCE-style contexts ask for CompleteAuthToken, which the binary does not offer.
            throw new Error(`InitializeSecurityContext: ${String(result.SECURITY_STATUS)}`);
        }
      } catch (error) {
        return Promise.reject(sspiError(error, targetName, serverToken !== undefined));
      }
    },
    dispose() {
      if (!disposed) {
        disposed = true;
        release();
      }
    },
  };
}

function toArrayBuffer(bytes: Buffer): ArrayBuffer {
  const copy = new ArrayBuffer(bytes.length);
  new Uint8Array(copy).set(bytes);
  return copy;
}

interface StatusExplanation {
  readonly name: string;
  readonly message: (target: string) => string;
  readonly hint: () => string;
}

const SPN_HINT = (): string =>
  l10n.t(
    'Set mimcm.kerberos.servicePrincipal to the SPN registered for the CM site (setspn -Q HTTP/<host> lists it), or use the host name the SPN names.',
  );

/** The SECURITY_STATUS values SSPI answers a client with, and what each means for a CM admin at a domain desktop. */
const STATUSES: ReadonlyMap<number, StatusExplanation> = new Map([
  [
    0x8009030e,
    {
      name: 'SEC_E_NO_CREDENTIALS',
      message: () => l10n.t('Windows has no domain sign-in to use: this session is not signed in with a domain account.'),
      hint: () =>
        l10n.t(
          'Sign in to Windows with your domain account, or set mimcm.authentication to ntlm and sign in with your user name and password.',
        ),
    },
  ],
  [
    0x80090303,
    {
      name: 'SEC_E_TARGET_UNKNOWN',
      message: (target: string) => l10n.t`The domain does not know the service principal ${target}.`,
      hint: SPN_HINT,
    },
  ],
  [
    0x80090322,
    {
      name: 'SEC_E_WRONG_PRINCIPAL',
      message: (target: string) => l10n.t`The CM server is not the account that the domain registered ${target} for.`,
      hint: SPN_HINT,
    },
  ],
  [
    0x80090311,
    {
      name: 'SEC_E_NO_AUTHENTICATING_AUTHORITY',
      message: () => l10n.t('No domain controller could be reached to sign in.'),
      hint: () => l10n.t('Check the network connection to the domain (VPN), then Refresh.'),
    },
  ],
  [
    0x80090324,
    {
      name: 'SEC_E_TIME_SKEW',
      message: () => l10n.t("This computer's clock differs too much from the domain's for Kerberos."),
      hint: () => l10n.t('Synchronise the clock (w32tm /resync), then Refresh.'),
    },
  ],
  [
    0x8009030c,
    {
      name: 'SEC_E_LOGON_DENIED',
      message: () => l10n.t('The domain refused the sign-in of this Windows session.'),
      hint: () => l10n.t('Lock and unlock Windows to renew the sign-in (a changed password needs it), then Refresh.'),
    },
  ],
  [
    0x80090308,
    {
      name: 'SEC_E_INVALID_TOKEN',
      message: () => l10n.t("Windows could not read the CM server's sign-in answer."),
      hint: () => l10n.t('Something between you and the server may change the answer (a proxy); the log has details.'),
    },
  ],
  [
    0x8009030f,
    {
      name: 'SEC_E_MESSAGE_ALTERED',
      message: () => l10n.t("The CM server's sign-in answer did not verify: it was not the server the ticket was for."),
      hint: () => l10n.t('Check that mimcm.host names the CM server itself; the log has details.'),
    },
  ],
]);

/** "Cannot InitializeSecurityContext: secStatus = (error code: 0x8009030e)" and similar, from the binary. */
function statusCode(error: unknown): number | undefined {
  const text = error instanceof Error ? error.message : String(error);
  const hex = /0x([0-9a-f]{8})/i.exec(text)?.[1];
  return hex === undefined ? undefined : Number.parseInt(hex, 16);
}

function sspiError(error: unknown, targetName: string, answering: boolean): CmError {
  const code = statusCode(error);
  const known = code === undefined ? undefined : STATUSES.get(code);
  const shown = code === undefined ? '' : `0x${code.toString(16).padStart(8, '0')}`;
  if (known !== undefined) {
    return new CmError({
      kind: 'auth',
      message: l10n.t`Windows sign-in (SSPI) failed (${known.name}, ${shown}): ${known.message(targetName)}`,
      hint: known.hint(),
      action: 'retry',
      cause: error,
    });
  }
  // The binary's message ends in bytes of its own buffer: only the status code is worth showing.
  const detail = shown === '' ? (error instanceof Error ? error.message.slice(0, 80) : String(error).slice(0, 80)) : shown;
  return new CmError({
    kind: 'auth',
    message: answering
      ? l10n.t`Windows sign-in (SSPI) did not accept the CM server's answer for ${targetName} (${detail}).`
      : l10n.t`Windows sign-in (SSPI) could not start for ${targetName} (${detail}).`,
    hint: l10n.t(
      'Check that you are signed in to the domain; if the server uses another service name, set mimcm.kerberos.servicePrincipal.',
    ),
    action: 'retry',
    cause: error,
  });
}
