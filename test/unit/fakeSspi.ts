// A stand-in for node-expose-sspi's binary, shaped exactly like the part of its API the adapter uses (lib/sspi.d.ts:
// synchronous calls, opaque handle objects, statuses as strings, failures thrown as "Cannot <Function>: secStatus =
// (error code: 0x…)" followed by stray bytes, as the real binary does). What it produces is scripted per test.
import type { SecBufferDesc, SecurityStatus, SspiBinding, SspiHandle } from '../../src/cm/negotiate/sspiContext';
import { authenticateMessage, negotiateMessage, parseChallengeMessage } from '../../src/cm/ntlm/messages';

export type FakeSspiScript =
  /** SSPI's Negotiate falling back to NTLM: raw NEGOTIATE, then AUTHENTICATE for this logon session's account. */
  | { readonly kind: 'ntlm'; readonly username: string; readonly password: string }
  /** Kerberos: the ticket in one leg, then the server's mutual-authentication token must equal `serverProof`. */
  | { readonly kind: 'kerberos'; readonly ticket: Buffer; readonly serverProof: Buffer }
  /** A call that fails with a SECURITY_STATUS code. */
  | { readonly kind: 'fail'; readonly at: 'AcquireCredentialsHandle' | 'InitializeSecurityContext'; readonly code: number }
  /** A status the adapter cannot continue from. */
  | { readonly kind: 'status'; readonly status: SecurityStatus };

export interface IscCall {
  readonly targetName: string;
  readonly isFirstCall: boolean | undefined;
  readonly contextReq: readonly string[];
  readonly input: Buffer | undefined;
  readonly sameContext: boolean;
}

/** The binary's way of failing: the message, then bytes of its own buffer. */
function secStatusError(name: string, code: number): Error {
  return new Error(`Cannot ${name}: secStatus = (error code: 0x${code.toString(16).padStart(8, '0')}) x\u0000\ufffd`);
}

const bufferOf = (bytes: Buffer): ArrayBuffer => {
  const copy = new ArrayBuffer(bytes.length);
  new Uint8Array(copy).set(bytes);
  return copy;
};

export class FakeSspi implements SspiBinding {
  readonly isc: IscCall[] = [];
  /** Handles handed out and not yet given back. */
  readonly liveCredentials = new Set<SspiHandle>();
  readonly liveContexts = new Set<SspiHandle>();
  private readonly legs = new WeakMap<SspiHandle, number>();

  constructor(private readonly script: FakeSspiScript) {}

  QuerySecurityPackageInfo(packageName: 'Negotiate'): { cbMaxToken: number; Name: string } {
    return { cbMaxToken: 48256, Name: packageName };
  }

  AcquireCredentialsHandle(input: { packageName: 'Negotiate'; credentialUse: 'SECPKG_CRED_OUTBOUND' }): {
    credential: SspiHandle;
    tsExpiry: Date;
  } {
    if (input.packageName !== 'Negotiate' || input.credentialUse !== 'SECPKG_CRED_OUTBOUND') {
      throw new Error('Cannot AcquireCredentialsHandle: unexpected input');
    }
    if (this.script.kind === 'fail' && this.script.at === 'AcquireCredentialsHandle') {
      throw secStatusError('AcquireCredentialsHandle', this.script.code);
    }
    const credential = {};
    this.liveCredentials.add(credential);
    return { credential, tsExpiry: new Date(Date.now() + 10 * 3_600_000) };
  }

  InitializeSecurityContext(input: Parameters<SspiBinding['InitializeSecurityContext']>[0]): {
    contextHandle: SspiHandle;
    SECURITY_STATUS: SecurityStatus;
    SecBufferDesc: SecBufferDesc;
  } {
    if (!this.liveCredentials.has(input.credential)) {
      throw secStatusError('InitializeSecurityContext', 0x80090301);
    }
    const received = input.SecBufferDesc?.buffers[0];
    const serverToken = received === undefined ? undefined : Buffer.from(received);
    const context = input.contextHandle ?? {};
    this.isc.push({
      targetName: input.targetName,
      isFirstCall: input.isFirstCall,
      contextReq: input.contextReq ?? [],
      input: serverToken,
      sameContext: input.contextHandle !== undefined && this.liveContexts.has(input.contextHandle),
    });
    const leg = (this.legs.get(context) ?? 0) + 1;
    this.legs.set(context, leg);
    // As SSPI: a call that fails hands out no new context.
    const answer = (status: SecurityStatus, token: Buffer | undefined) => {
      this.liveContexts.add(context);
      return {
        contextHandle: context,
        SECURITY_STATUS: status,
        SecBufferDesc: { ulVersion: 0, buffers: [bufferOf(token ?? Buffer.alloc(0))] },
      };
    };
    const script = this.script;
    switch (script.kind) {
      case 'fail':
        throw secStatusError('InitializeSecurityContext', script.code);
      case 'status':
        return answer(script.status, Buffer.from('partial'));
      case 'ntlm':
        if (leg === 1) {
          return answer('SEC_I_CONTINUE_NEEDED', negotiateMessage());
        }
        if (serverToken === undefined) {
          throw secStatusError('InitializeSecurityContext', 0x80090308);
        }
        return answer(
          'SEC_E_OK',
          authenticateMessage({ userName: script.username, password: script.password, challenge: parseChallengeMessage(serverToken) }),
        );
      case 'kerberos':
        if (leg === 1) {
          return answer('SEC_I_CONTINUE_NEEDED', script.ticket);
        }
        if (serverToken === undefined || !serverToken.equals(script.serverProof)) {
          throw secStatusError('InitializeSecurityContext', 0x8009030f);
        }
        return answer('SEC_E_OK', undefined);
    }
  }

  DeleteSecurityContext(contextHandle: SspiHandle): void {
    if (!this.liveContexts.delete(contextHandle)) {
      throw secStatusError('DeleteSecurityContext', 0x80090301);
    }
  }

  FreeCredentialsHandle(credential: SspiHandle): void {
    if (!this.liveCredentials.delete(credential)) {
      throw new Error('Cannot FreeCredentialsHandle: secStatus = (error code: 0x80090301)');
    }
  }
}
