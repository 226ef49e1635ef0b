import * as assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tls from 'node:tls';
import { CmClient } from '../../src/cm/client';
import { resolveEndpoint } from '../../src/cm/endpoint';
import { CmError } from '../../src/cm/errors';
import { expandHome, readCaFile, readClientCertificate, trustedCertificates, type ClientCertificate } from '../../src/cm/tlsOptions';
import { generateRequests } from '../../tools/cm-simulator/data';
import { CmSimulator } from '../../tools/cm-simulator/server';
import { RecordingLogger, rejection } from './helpers';
import { createTestPki, type TestPki } from './pki';

describe('TLS with a corporate CA', function () {
  this.timeout(20_000);
  let pki: TestPki;
  const running: CmSimulator[] = [];
  const clients: CmClient[] = [];

  before(() => {
    pki = createTestPki();
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
    await Promise.all(running.splice(0).map((simulator) => simulator.stop()));
  });
  after(() => pki.remove());

  async function httpsSimulator(certificate: { key: Buffer; cert: Buffer }, clientCa?: Buffer): Promise<string> {
    const simulator = new CmSimulator({ requests: generateRequests(10, 1), tls: { ...certificate, clientCa } });
    running.push(simulator);
    return simulator.start(0);
  }

  function list(url: string, ca: string[] | undefined, clientCertificate?: ClientCertificate) {
    const resolved = resolveEndpoint(url, '/CertificateManagement/api/v1.0');
    assert.ok(resolved.ok);
    const client = new CmClient({
      endpoint: resolved.endpoint,
      targetUser: 'all',
      timeoutSeconds: 5,
      logger: new RecordingLogger(),
      ca,
      clientCertificate,
    });
    clients.push(client);
    return client.listRequests('Approved', new AbortController().signal);
  }

  function trustingTheCa(): string[] | undefined {
    const pem = readCaFile(pki.caFile);
    assert.equal(typeof pem, 'string');
    return trustedCertificates(pem as string, { osBundleFiles: [] }).ca;
  }

  it('explains a certificate from a CA this machine does not trust, pointing at mimcm.tls.caFile', async () => {
    const url = (await httpsSimulator(pki.localhost)).replace('127.0.0.1', 'localhost');
    const error = await rejection(() => list(url, undefined));
    assert.ok(error instanceof CmError && error.kind === 'tls', String(error));
    assert.match(error.message, /CA this machine does not trust/);
    assert.match(error.hint, /mimcm\.tls\.caFile/);
  });

  it('works once the CA is trusted through mimcm.tls.caFile', async () => {
    const url = (await httpsSimulator(pki.localhost)).replace('127.0.0.1', 'localhost');
    const result = await list(url, trustingTheCa());
    assert.ok(result.requests.length > 0);
  });

  it('explains a certificate issued for another host name', async () => {
    const url = await httpsSimulator(pki.otherHost);
    const error = await rejection(() => list(url, trustingTheCa()));
    assert.ok(error instanceof CmError && error.kind === 'tls', String(error));
    assert.match(error.message, /does not name this host/);
    assert.match(error.hint, /host name the certificate was issued for/);
  });

  it("trusts a CA installed into the OS store on Linux, read from the distribution's bundle file", async () => {
    const bundle = path.join(pki.dir, 'os-bundle.crt');
    writeFileSync(bundle, readFileSync(pki.caFile));
    const trust = trustedCertificates(undefined, { osBundleFiles: [path.join(pki.dir, 'absent.crt'), bundle] });
    assert.equal(trust.sources.at(-1), bundle, 'the log names the bundle file');
    const url = (await httpsSimulator(pki.localhost)).replace('127.0.0.1', 'localhost');
    const result = await list(url, trust.ca);
    assert.ok(result.requests.length > 0);
  });

  it("keeps Node's defaults when there is neither an OS bundle nor a CA file", () => {
    assert.deepEqual(trustedCertificates(undefined, { osBundleFiles: [path.join(pki.dir, 'absent.crt')] }), {
      ca: undefined,
      sources: ["Node's default CAs"],
    });
  });

  it('uses the OS store Node reads itself, where it can, plus the CA file', () => {
    const stores = { default: ['default-root'], system: ['os-root'] } as Record<string, string[]>;
    const trust = trustedCertificates('corporate-ca', { getCACertificates: (store) => stores[store] ?? [], osBundleFiles: [] });
    assert.deepEqual(trust.ca, ['default-root', 'os-root', 'corporate-ca']);
  });

  it('keeps the public roots when a CA file is added', () => {
    const trusted = trustingTheCa() ?? [];
    assert.ok(trusted.length > tls.rootCertificates.length);
    assert.ok(tls.rootCertificates.every((root) => trusted.includes(root)));
  });

  it('reads "~/" in a path as the home folder', () => {
    assert.equal(expandHome('~/certs/ca.pem'), path.join(os.homedir(), 'certs', 'ca.pem'));
    assert.equal(expandHome('/etc/ssl/ca.pem'), '/etc/ssl/ca.pem');
  });

  it('explains a CA file that is missing or not PEM', () => {
    const missing = readCaFile(path.join(pki.dir, 'nope.pem'));
    assert.ok(missing instanceof CmError);
    assert.match(missing.message, /cannot be read \(ENOENT\)/);
    const der = path.join(pki.dir, 'ca.der');
    writeFileSync(der, Buffer.from([0x30, 0x82, 0x01, 0x0a]));
    const notPem = readCaFile(der);
    assert.ok(notPem instanceof CmError);
    assert.match(notPem.hint, /PEM/);
  });

  describe('a site that requires a client certificate', () => {
    const clientCa = () => readFileSync(pki.caFile);
    const certificate = (file: string, passphrase?: string): ClientCertificate => {
      const read = readClientCertificate(file, passphrase);
      assert.ok(!(read instanceof CmError), read instanceof CmError ? read.describe() : '');
      return read;
    };

    it('without a certificate, the dropped connection hints at mimcm.tls.clientCertificate', async () => {
      const url = (await httpsSimulator(pki.localhost, clientCa())).replace('127.0.0.1', 'localhost');
      const error = await rejection(() => list(url, trustingTheCa()));
      assert.ok(error instanceof CmError && error.kind === 'connectionReset', String(error));
      assert.match(error.hint, /mimcm\.tls\.clientCertificate/);
    });

    it('works with a PFX and its passphrase', async () => {
      const url = (await httpsSimulator(pki.localhost, clientCa())).replace('127.0.0.1', 'localhost');
      const result = await list(url, trustingTheCa(), certificate(pki.client.pfxFile, pki.client.pfxPassphrase));
      assert.ok(result.requests.length > 0);
    });

    it('works with a PEM file holding the certificate and its key', async () => {
      const url = (await httpsSimulator(pki.localhost, clientCa())).replace('127.0.0.1', 'localhost');
      const result = await list(url, trustingTheCa(), certificate(pki.client.pemFile));
      assert.ok(result.requests.length > 0);
    });

    it('asks for the passphrase when it is missing or wrong, before connecting', () => {
      for (const passphrase of [undefined, 'wrong']) {
        const read = readClientCertificate(pki.client.pfxFile, passphrase);
        assert.ok(read instanceof CmError && read.action === 'enterPassphrase', String(read));
        assert.match(read.message, passphrase === undefined ? /protected by a passphrase/ : /passphrase .* is wrong/);
      }
    });

    it('explains a PEM file without a private key', () => {
      const read = readClientCertificate(pki.caFile, undefined);
      assert.ok(read instanceof CmError);
      assert.match(read.message, /no private key/);
    });
  });
});
