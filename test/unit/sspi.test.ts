import * as assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { CmClient } from '../../src/cm/client';
import { resolveEndpoint } from '../../src/cm/endpoint';
import { CmError } from '../../src/cm/errors';
import { sspiContext } from '../../src/cm/negotiate/sspiContext';
import { FakeSspi, type FakeSspiScript } from './fakeSspi';
import { RecordingLogger, rejection } from './helpers';

const TICKET = Buffer.from('YIIC-ap-req-kerberos-ticket');
const PROOF = Buffer.from('oYG-ap-rep-mutual-authentication');

/**
 * An IIS-like site with Windows Authentication (Negotiate): a 401 offering Negotiate, then the ticket answered
 * with 200 and the server's mutual-authentication token. `proof` lets a test play an impostor.
 */
async function negotiateSite(
  proof = PROOF,
): Promise<{ url: string; sockets: Socket[]; headers: (string | undefined)[]; stop(): Promise<void> }> {
  const sockets: Socket[] = [];
  const headers: (string | undefined)[] = [];
  const server: Server = createServer((request: IncomingMessage, response) => {
    sockets.push(request.socket);
    headers.push(request.headers.authorization);
    const token = /^Negotiate (\S+)$/.exec(request.headers.authorization ?? '')?.[1];
    if (token !== undefined && Buffer.from(token, 'base64').equals(TICKET)) {
      response.writeHead(200, { 'content-type': 'application/json', 'www-authenticate': `Negotiate ${proof.toString('base64')}` });
      response.end('[]');
      return;
    }
    response.writeHead(401, { 'www-authenticate': ['Negotiate', 'NTLM'], 'content-type': 'text/html' });
    response.end('<h1>401 - Unauthorized</h1>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    sockets,
    headers,
    stop: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

function sspiClient(url: string, sspi: FakeSspi, method: 'negotiate' | 'auto' = 'negotiate'): CmClient {
  const resolved = resolveEndpoint(url, '/CertificateManagement/api/v1.0');
  assert.ok(resolved.ok);
  return new CmClient({
    endpoint: resolved.endpoint,
    targetUser: 'all',
    timeoutSeconds: 5,
    logger: new RecordingLogger(),
    credentials: { method, servicePrincipal: 'HTTP@cm.contoso.test' },
    negotiate: (spn) => sspiContext(spn, sspi),
  });
}

describe('Windows sign-in through SSPI (a fake shaped like the node-expose-sspi binary)', () => {
  let site: Awaited<ReturnType<typeof negotiateSite>>;
  afterEach(() => site?.stop());

  const list = (client: CmClient) => client.listRequests('Pending', new AbortController().signal);

  it('signs in with the logon session: the ticket goes out, and the server must prove itself before its answer counts', async () => {
    site = await negotiateSite();
    const sspi = new FakeSspi({ kind: 'kerberos', ticket: TICKET, serverProof: PROOF });
    const client = sspiClient(site.url, sspi);
    assert.deepEqual(await list(client), { requests: [], invalid: [] });
    assert.deepEqual(
      sspi.isc.map((call) => [call.targetName, call.isFirstCall, call.sameContext, call.input?.toString()]),
      [
        ['HTTP/cm.contoso.test', true, false, undefined],
        ['HTTP/cm.contoso.test', false, true, PROOF.toString()],
      ],
      'SSPI gets the SPN form, then the server token on the same context',
    );
    assert.ok(sspi.isc[0]?.contextReq.includes('ISC_REQ_MUTUAL_AUTH'));
    assert.equal(site.headers[0], `Negotiate ${TICKET.toString('base64')}`, 'no anonymous round trip first');
    assert.equal(sspi.liveContexts.size + sspi.liveCredentials.size, 0, 'every handle is given back');
    await client.close();
  });

  it('refuses an answer whose mutual authentication does not verify', async () => {
    site = await negotiateSite(Buffer.from('impostor'));
    const sspi = new FakeSspi({ kind: 'kerberos', ticket: TICKET, serverProof: PROOF });
    const client = sspiClient(site.url, sspi);
    const error = await rejection(() => list(client));
    assert.ok(error instanceof CmError && error.kind === 'auth', String(error));
    assert.match(error.message, /SEC_E_MESSAGE_ALTERED/);
    assert.match(error.message, /not the server the ticket was for/);
    assert.equal(sspi.liveContexts.size + sspi.liveCredentials.size, 0);
    await client.close();
  });

  const failures: [string, FakeSspiScript, RegExp, RegExp][] = [
    [
      'a session without a domain logon',
      { kind: 'fail', at: 'InitializeSecurityContext', code: 0x8009030e },
      /\(SEC_E_NO_CREDENTIALS, 0x8009030e\): .*not signed in with a domain account/,
      /ntlm/,
    ],
    [
      'an SPN the domain does not know',
      { kind: 'fail', at: 'InitializeSecurityContext', code: 0x80090303 },
      /does not know the service principal HTTP\/cm\.contoso\.test/,
      /mimcm\.kerberos\.servicePrincipal/,
    ],
    ['no domain controller', { kind: 'fail', at: 'InitializeSecurityContext', code: 0x80090311 }, /No domain controller/, /VPN/],
    ['a skewed clock', { kind: 'fail', at: 'InitializeSecurityContext', code: 0x80090324 }, /clock/, /w32tm/],
    [
      'credentials that cannot be acquired',
      { kind: 'fail', at: 'AcquireCredentialsHandle', code: 0x8009030e },
      /SEC_E_NO_CREDENTIALS/,
      /domain account/,
    ],
    [
      'an unknown status code',
      { kind: 'fail', at: 'InitializeSecurityContext', code: 0x80091234 },
      /could not start .*0x80091234/,
      /domain/,
    ],
    ['a status that wants CompleteAuthToken', { kind: 'status', status: 'SEC_I_COMPLETE_NEEDED' }, /SEC_I_COMPLETE_NEEDED/, /domain/],
  ];
  for (const [name, script, message, hint] of failures) {
    it(`explains ${name}, sends nothing and frees what it acquired`, async () => {
      site = await negotiateSite();
      const sspi = new FakeSspi(script);
      const client = sspiClient(site.url, sspi);
      const error = await rejection(() => list(client));
      assert.ok(error instanceof CmError && error.kind === 'auth', String(error));
      assert.match(error.message, message);
      assert.match(error.hint, hint);
      assert.doesNotMatch(error.message, /\ufffd|\u0000/, "the binary's stray bytes stay out");
      assert.equal(site.headers.length, 0, 'nothing reached the server');
      assert.equal(sspi.liveContexts.size + sspi.liveCredentials.size, 0);
      await client.close();
    });
  }

  it('with auto, asks without credentials first and answers the offer of Negotiate with the logon session', async () => {
    site = await negotiateSite();
    const sspi = new FakeSspi({ kind: 'kerberos', ticket: TICKET, serverProof: PROOF });
    const client = sspiClient(site.url, sspi, 'auto');
    assert.deepEqual(await list(client), { requests: [], invalid: [] });
    assert.deepEqual(site.headers, [undefined, `Negotiate ${TICKET.toString('base64')}`]);
    await list(client);
    assert.equal(site.headers[2], `Negotiate ${TICKET.toString('base64')}`, 'once chosen, later calls open with Negotiate');
    await client.close();
  });

  it('with auto and no domain logon, says the server wants a sign-in and which methods it offers', async () => {
    site = await negotiateSite();
    const client = sspiClient(site.url, new FakeSspi({ kind: 'fail', at: 'InitializeSecurityContext', code: 0x8009030e }), 'auto');
    const error = await rejection(() => list(client));
    assert.ok(error instanceof CmError && error.kind === 'unauthorized', String(error));
    assert.equal(error.action, 'signIn');
    assert.deepEqual(error.offeredSchemes, ['Negotiate', 'NTLM']);
    assert.match(error.message, /asks you to sign in .*offers Negotiate, NTLM\. Windows sign-in was not possible/);
    assert.deepEqual(site.headers, [undefined], 'only the anonymous call went out');
    await client.close();
  });
});
