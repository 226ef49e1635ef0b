import { readFileSync } from 'node:fs';
import * as tls from 'node:tls';
import { configError, type CmError } from './errors';

type CertificateStore = 'default' | 'system' | 'bundled' | 'extra';
const getCACertificates = (tls as { getCACertificates?: (store: CertificateStore) => string[] }).getCACertificates;

/**
 * The CAs to trust, or undefined to keep Node's defaults. A bundled undici does not get VS Code's system
 * certificate patching, so the OS store is added explicitly where the runtime can read it (Node 22.15+), and a
 * corporate CA bundle from mimcm.tls.caFile is added on top. Passing `ca` replaces Node's list, so the defaults
 * (Mozilla's roots plus NODE_EXTRA_CA_CERTS) are always included.
 */
export function trustedCertificates(caFilePem: string | undefined): string[] | undefined {
  if (getCACertificates !== undefined) {
    return [...getCACertificates('default'), ...getCACertificates('system'), ...(caFilePem === undefined ? [] : [caFilePem])];
  }
  if (caFilePem === undefined) {
    return undefined;
  }
  return [...tls.rootCertificates, ...readExtraCaCertificates(), caFilePem];
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

/** Reads a PEM bundle named by mimcm.tls.caFile, explaining what is wrong with it if it cannot be used. */
export function readCaFile(file: string): string | CmError {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as { code?: string }).code ?? String(error);
    return configError(`mimcm.tls.caFile "${file}" cannot be read (${code}).`, 'Point it at a PEM file with your organisation\'s CA certificate(s).');
  }
  if (!text.includes('-----BEGIN CERTIFICATE-----')) {
    return configError(`mimcm.tls.caFile "${file}" holds no PEM certificate.`, 'Export the CA certificate as Base-64 (PEM), not DER, and point the setting at it.');
  }
  return text;
}
