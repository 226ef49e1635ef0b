// Where the native sign-in libraries come from. A VSIX carries only its own platform's, in
// dist/native/<platform>-<arch>/ next to the engine's bundle (scripts/package.mjs); a development checkout finds
// them in node_modules. When the running platform's is missing, the explanation names the VSIX to install.
import { existsSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { CmError } from '../errors';
import { cleanServerText } from '../serverText';
import * as l10n from '@vscode/l10n';

/** The platform VS Code runs on, as VSIX targets name it: win32-x64, linux-x64, darwin-arm64, … */
export const RUNNING_TARGET = `${process.platform}-${process.arch}`;

/** The VSIX targets that carry Negotiate, and with what. */
export const NEGOTIATE_TARGETS: readonly string[] = ['win32-x64', 'linux-x64'];

/** Next to the bundle in a package; absent when running from the compiled sources (tests). */
const NATIVE_ROOT = path.join(__dirname, 'native');

/** The targets whose natives this build carries: one in a platform VSIX, none in the universal one. */
export function carriedTargets(root = NATIVE_ROOT): string[] {
  try {
    return readdirSync(root).filter((entry) => /^[a-z0-9]+-[a-z0-9]+$/.test(entry));
  } catch {
    return [];
  }
}

/**
 * Loads a native module: `packaged` inside this platform's folder of a build, or `development` through
 * node_modules when running from the compiled sources. Throws the explained CmError when it does not load.
 */
export function loadNativeBinding<T>(packaged: string, development: string | undefined, library: NativeLibrary, root = NATIVE_ROOT): T {
  const inPackage = path.join(root, RUNNING_TARGET, packaged);
  const candidate = existsSync(root) ? inPackage : development;
  try {
    if (candidate === undefined) {
      throw new Error(`no ${packaged} in this build`);
    }
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(candidate) as T;
  } catch (error) {
    throw missingBinding(library, error, carriedTargets(root), existsSync(inPackage));
  }
}

/** GSSAPI's binding (Linux, macOS) or SSPI's (Windows). */
export type NativeLibrary = 'kerberos' | 'sspi';

/** Why Negotiate cannot run in this build on this platform, and which VSIX would. */
function missingBinding(library: NativeLibrary, failure: unknown, carried: readonly string[], present: boolean): CmError {
  const reason = cleanServerText(failure instanceof Error ? failure.message : String(failure), 200);
  const vsix = NEGOTIATE_TARGETS.includes(RUNNING_TARGET) ? `mimcm-requests-${RUNNING_TARGET}.vsix` : undefined;
  const otherMethods = l10n.t('Or set mimcm.authentication to ntlm (user name and password), basic or adfs.');
  if (present) {
    // The file is there but did not load: a system library it needs is missing.
    return new CmError({
      kind: 'auth',
      message:
        library === 'sspi'
          ? l10n.t`Windows Integrated Authentication (Negotiate) is not available: the Windows security library (SSPI) did not load (${reason}).`
          : l10n.t`Windows Integrated Authentication (Negotiate) is not available: the Kerberos library did not load (${reason}).`,
      hint:
        process.platform === 'win32'
          ? l10n.t`Reinstall this extension from mimcm-requests-win32-x64.vsix. ${otherMethods}`
          : l10n.t`Install the system's Kerberos library (Debian and Ubuntu: libgssapi-krb5-2; Fedora: krb5-libs). ${otherMethods}`,
      action: 'openSettings',
      cause: failure,
    });
  }
  return new CmError({
    kind: 'auth',
    message:
      carried.length === 0
        ? l10n.t`Windows Integrated Authentication (Negotiate) is not available in the universal build of MIM CM Requests (running on ${RUNNING_TARGET}).`
        : l10n.t`Windows Integrated Authentication (Negotiate) is not available here: this is the ${carried.join(', ')} build of MIM CM Requests, running on ${RUNNING_TARGET}.`,
    hint:
      vsix === undefined
        ? l10n.t`Negotiate is built for Windows x64 and Linux x64 only. ${otherMethods}`
        : l10n.t`Install ${vsix} (Extensions → … → Install from VSIX...). ${otherMethods}`,
    action: 'openSettings',
    cause: failure,
  });
}
