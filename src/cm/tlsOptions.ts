import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import * as path from 'node:path';
import * as tls from 'node:tls';
import { CmError, configError } from './errors';
import * as l10n from '@vscode/l10n';

// Not user text: the marker that starts a PEM certificate.
const PEM_CERTIFICATE = '-----BEGIN CERTIFICATE-----';

type CertificateStore = 'default' | 'system' | 'bundled' | 'extra';

/** What the runtime offers for reading the OS trust store; tests pass their own. */
export interface TrustRuntime {
  /** Node 22.15+ reads the OS store itself. */
  readonly getCACertificates?: (store: CertificateStore) => string[];
  readonly osBundleFiles: readonly string[];
}

/**
 * Where Linux distributions keep the OS trust store as one PEM file (what `update-ca-certificates` and
 * `update-ca-trust` write, so a corporate CA installed the usual way is in it). VS Code reads these same files
 * for its own system-certificate support.
 */
const OS_BUNDLE_FILES: readonly string[] = [
  '/etc/ssl/certs/ca-certificates.crt',
  '/etc/pki/tls/certs/ca-bundle.crt',
  '/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem',
  '/etc/ssl/ca-bundle.pem',
];

const THIS_RUNTIME: TrustRuntime = {
  getCACertificates: (tls as { getCACertificates?: (store: CertificateStore) => string[] }).getCACertificates,
  osBundleFiles: process.platform === 'linux' ? OS_BUNDLE_FILES : [],
};

export interface TrustedCertificates {
  /** The CAs to hand to undici, or undefined to keep Node's defaults. */
  readonly ca: string[] | undefined;
  /** Where they came from, for the log, so a TLS failure can be matched against what was trusted. */
  readonly sources: readonly string[];
}

/**
 * A bundled undici does not get VS Code's system-certificate patching, so the OS store is added explicitly:
 * through Node where it can read the store (22.15+), else from the Linux bundle file. A corporate CA bundle from
 * mimcm.tls.caFile goes on top. Passing `ca` replaces Node's list, so the defaults (Mozilla's roots plus
 * NODE_EXTRA_CA_CERTS) are always included.
 */
export function trustedCertificates(caFilePem: string | undefined, runtime: TrustRuntime = THIS_RUNTIME): TrustedCertificates {
  const { getCACertificates, osBundleFiles } = runtime;
  const fromSettings = caFilePem === undefined ? [] : [caFilePem];
  const settingsSource = caFilePem === undefined ? [] : ['mimcm.tls.caFile'];
  if (getCACertificates !== undefined) {
    return {
      ca: [...getCACertificates('default'), ...getCACertificates('system'), ...fromSettings],
      sources: [l10n.t("Node's default CAs"), l10n.t('the OS store'), ...settingsSource],
    };
  }
  const extra = readExtraCaCertificates();
  const osBundle = readFirstBundle(osBundleFiles);
  if (caFilePem === undefined && osBundle === undefined) {
    return { ca: undefined, sources: [l10n.t("Node's default CAs")] };
  }
  return {
    ca: [...tls.rootCertificates, ...extra, ...(osBundle === undefined ? [] : [osBundle.pem]), ...fromSettings],
    sources: [
      l10n.t("Node's built-in roots"),
      ...(extra.length > 0 ? ['NODE_EXTRA_CA_CERTS'] : []),
      ...(osBundle === undefined ? [] : [osBundle.file]),
      ...settingsSource,
    ],
  };
}

function readFirstBundle(files: readonly string[]): { file: string; pem: string } | undefined {
  for (const file of files) {
    try {
      const pem = readFileSync(file, 'utf8');
      if (pem.includes(PEM_CERTIFICATE)) {
        return { file, pem };
      }
    } catch {
      // Each distribution has one of these files; the others are simply absent.
    }
  }
  return undefined;
}

/** NODE_EXTRA_CA_CERTS as Node reads it at startup; it is not part of tls.rootCertificates. */
function readExtraCaCertificates(): string[] {
  const file = process.env.NODE_EXTRA_CA_CERTS;
  if (!file) {
    return [];
  }
  try {
    return [readFileSync(file, 'utf8')];
  } catch {
    return [];
  }
}

/** Settings hold paths as people type them: "~/certs/ca.pem" means the home folder, as in a shell. */
export function expandHome(file: string): string {
  return file === '~' || file.startsWith('~/') || file.startsWith('~\\') ? path.join(homedir(), file.slice(1)) : file;
}

/** Reads a PEM bundle named by mimcm.tls.caFile, explaining what is wrong with it if it cannot be used. */
export function readCaFile(file: string): string | CmError {
  let text: string;
  try {
    text = readFileSync(expandHome(file), 'utf8');
  } catch (error) {
    const code = (error as { code?: string }).code ?? String(error);
    return configError(
      l10n.t`mimcm.tls.caFile "${file}" cannot be read (${code}).`,
      l10n.t("Point it at a PEM file with your organisation's CA certificate(s)."),
    );
  }
  if (!text.includes(PEM_CERTIFICATE)) {
    return configError(
      l10n.t`mimcm.tls.caFile "${file}" holds no PEM certificate.`,
      l10n.t('Export the CA certificate as Base-64 (PEM), not DER, and point the setting at it.'),
    );
  }
  return text;
}

/** What undici's TLS connect options need to present a client certificate. */
export type ClientCertificate =
  { readonly pfx: Buffer; readonly passphrase?: string } | { readonly cert: string; readonly key: string; readonly passphrase?: string };

/**
 * Reads mimcm.tls.clientCertificate: a PKCS#12 file (.pfx/.p12) or a PEM file holding the certificate and its
 * key. The passphrase (from SecretStorage) is checked here, so a wrong one is explained before any connection.
 */
export function readClientCertificate(file: string, passphrase: string | undefined): ClientCertificate | CmError {
  let data: Buffer;
  try {
    data = readFileSync(expandHome(file));
  } catch (error) {
    const code = (error as { code?: string }).code ?? String(error);
    return configError(
      l10n.t`mimcm.tls.clientCertificate "${file}" cannot be read (${code}).`,
      l10n.t('Point it at your certificate as a .pfx/.p12 file, or a PEM file with the certificate and its private key.'),
    );
  }
  const text = data.toString('latin1');
  let certificate: ClientCertificate;
  if (text.includes(PEM_CERTIFICATE)) {
    if (!/-----BEGIN (ENCRYPTED |RSA |EC )?PRIVATE KEY-----/.test(text)) {
      return configError(
        l10n.t`mimcm.tls.clientCertificate "${file}" has a certificate but no private key.`,
        l10n.t('Use a PEM file that holds both, or the .pfx/.p12 export of the certificate with its key.'),
      );
    }
    certificate = { cert: text, key: text, passphrase };
  } else {
    certificate = { pfx: data, passphrase };
  }
  try {
    tls.createSecureContext(certificate);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    if (/mac verify failure|bad decrypt|bad password|passphrase/i.test(reason)) {
      return new CmError({
        kind: 'auth',
        message:
          passphrase === undefined
            ? l10n.t`The client certificate ${file} is protected by a passphrase.`
            : l10n.t`The passphrase for the client certificate ${file} is wrong.`,
        hint: l10n.t('Run "MIM CM: Enter Client Certificate Passphrase"; it is kept in VS Code\'s secret storage.'),
        action: 'enterPassphrase',
      });
    }
    return configError(
      l10n.t`mimcm.tls.clientCertificate "${file}" cannot be used: ${reason}.`,
      l10n.t('Export the certificate with its private key as .pfx/.p12, or as PEM.'),
    );
  }
  return certificate;
}
