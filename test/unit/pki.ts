import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** A private CA and server certificates made with openssl at test time, like a corporate PKI. */
export interface TestPki {
  readonly dir: string;
  readonly caFile: string;
  /** Key and certificate for localhost and 127.0.0.1, issued by the CA. */
  readonly localhost: { key: Buffer; cert: Buffer };
  /** Key and certificate for another host name only, issued by the CA. */
  readonly otherHost: { key: Buffer; cert: Buffer };
  remove(): void;
}

export function createTestPki(): TestPki {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mimcm-pki-'));
  const file = (name: string): string => path.join(dir, name);
  const openssl = (...args: string[]): void => {
    execFileSync('openssl', args, { stdio: 'ignore' });
  };
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=MIM CM Test Root CA', '-keyout', file('ca.key'), '-out', file('ca.pem'),
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
  const issue = (name: string, subjectAltName: string) => {
    writeFileSync(file(`${name}.ext`), `subjectAltName=${subjectAltName}\nextendedKeyUsage=serverAuth\n`);
    openssl('req', '-newkey', 'rsa:2048', '-nodes', '-subj', `/CN=${name}`, '-keyout', file(`${name}.key`), '-out', file(`${name}.csr`));
    openssl('x509', '-req', '-in', file(`${name}.csr`), '-CA', file('ca.pem'), '-CAkey', file('ca.key'), '-CAcreateserial', '-days', '1', '-out', file(`${name}.pem`), '-extfile', file(`${name}.ext`));
    return { key: readFileSync(file(`${name}.key`)), cert: readFileSync(file(`${name}.pem`)) };
  };
  return {
    dir,
    caFile: file('ca.pem'),
    localhost: issue('localhost', 'DNS:localhost,IP:127.0.0.1'),
    otherHost: issue('cm.contoso.test', 'DNS:cm.contoso.test'),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
