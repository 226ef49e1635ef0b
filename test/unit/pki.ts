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
  /** A user's client certificate from the CA, as PEM (certificate and key in one file) and as a PFX. */
  readonly client: { pemFile: string; pfxFile: string; pfxPassphrase: string };
  remove(): void;
}

export function createTestPki(): TestPki {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mimcm-pki-'));
  const file = (name: string): string => path.join(dir, name);
  const openssl = (...args: string[]): void => {
    execFileSync('openssl', args, { stdio: 'ignore' });
  };
  openssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '2',
    '-subj',
    '/CN=MIM CM Test Root CA',
    '-keyout',
    file('ca.key'),
    '-out',
    file('ca.pem'),
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  );
  const issue = (name: string, extensions: string) => {
    writeFileSync(file(`${name}.ext`), extensions);
    openssl('req', '-newkey', 'rsa:2048', '-nodes', '-subj', `/CN=${name}`, '-keyout', file(`${name}.key`), '-out', file(`${name}.csr`));
    openssl(
      'x509',
      '-req',
      '-in',
      file(`${name}.csr`),
      '-CA',
      file('ca.pem'),
      '-CAkey',
      file('ca.key'),
      '-CAcreateserial',
      '-days',
      '1',
      '-out',
      file(`${name}.pem`),
      '-extfile',
      file(`${name}.ext`),
    );
    return { key: readFileSync(file(`${name}.key`)), cert: readFileSync(file(`${name}.pem`)) };
  };
  const issueClient = () => {
    const user = issue('jdoe', 'extendedKeyUsage=clientAuth\n');
    writeFileSync(file('jdoe-combined.pem'), Buffer.concat([user.cert, user.key]));
    const pfxPassphrase = 'pfx-Pa55';
    openssl(
      'pkcs12',
      '-export',
      '-in',
      file('jdoe.pem'),
      '-inkey',
      file('jdoe.key'),
      '-out',
      file('jdoe.pfx'),
      '-passout',
      `pass:${pfxPassphrase}`,
    );
    return { pemFile: file('jdoe-combined.pem'), pfxFile: file('jdoe.pfx'), pfxPassphrase };
  };
  return {
    dir,
    caFile: file('ca.pem'),
    localhost: issue('localhost', 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n'),
    otherHost: issue('cm.contoso.test', 'subjectAltName=DNS:cm.contoso.test\nextendedKeyUsage=serverAuth\n'),
    client: issueClient(),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
