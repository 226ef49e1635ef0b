import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Socket } from 'node:net';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import type { Credentials } from '../../src/cm/auth';
import { CmClient, type CmClientOptions } from '../../src/cm/client';
import type { RequestStatusName } from '../../src/cm/codes';
import { resolveEndpoint } from '../../src/cm/endpoint';
import { CmError } from '../../src/cm/errors';
import { CodeTableWarnings, loadSnapshot } from '../../src/model/requestSnapshot';
import { createTestPki } from './pki';
import { head, startRawServer, type RawHandler, type RawServer } from './rawServer';
import { readFixture, RecordingLogger, rejection } from './helpers';

const API = '/CertificateManagement/api/v1.0';
const RECORD = readFixture('get-request-1.json') as Record<string, unknown>;
const MB = 1024 * 1024;

function assertCmError(error: unknown, kind: CmError['kind']): CmError {
  assert.ok(error instanceof CmError, `expected a CmError, got ${String(error)}`);
  assert.equal(error.kind, kind, error.describe());
  return error;
}

/** Nothing a server sends may reach a message or a log line as a control, escape or direction override. */
function assertClean(text: string): void {
  assert.doesNotMatch(text, /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/, 'control, escape or bidi character');
}

describe('fault matrix: a misbehaving server on raw sockets', function () {
  this.timeout(20_000);
  let server: RawServer | undefined;
  let logger: RecordingLogger;
  const clients: CmClient[] = [];

  beforeEach(() => {
    logger = new RecordingLogger();
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
    await server?.stop();
    server = undefined;
  });

  const serve = async (handler: RawHandler): Promise<RawServer> => {
    server = await startRawServer(handler);
    return server;
  };
  const client = (url: string, options: Partial<CmClientOptions> = {}): CmClient => {
    const resolved = resolveEndpoint(url, API);
    assert.ok(resolved.ok);
    const created = new CmClient({ endpoint: resolved.endpoint, targetUser: 'all', timeoutSeconds: 5, logger, ...options });
    clients.push(created);
    return created;
  };
  const list = (url: string, options: Partial<CmClientOptions> = {}) =>
    client(url, options).listRequests('Pending', new AbortController().signal);
  const json =
    (body: string | Buffer, headers: Record<string, string | number> = {}): RawHandler =>
    (socket) => {
      const bytes = typeof body === 'string' ? Buffer.from(body) : body;
      socket.write(head('200 OK', { 'content-type': 'application/json; charset=utf-8', 'content-length': bytes.length, ...headers }));
      socket.write(bytes);
    };

  describe('bounded reads', () => {
    it('stops reading an endless body at the cap and says the answer is too large', async () => {
      let written = 0;
      const running = await serve((socket) => {
        socket.write(head('200 OK', { 'content-type': 'application/json', 'transfer-encoding': 'chunked' }));
        const chunk = Buffer.alloc(64 * 1024, 0x20);
        const pump = (): void => {
          while (!socket.destroyed && socket.write(`${chunk.length.toString(16)}\r\n${chunk.toString()}\r\n`)) {
            written += chunk.length;
          }
          if (!socket.destroyed) {
            socket.once('drain', pump);
          }
        };
        pump();
      });
      const error = assertCmError(await rejection(() => list(running.url, { maxResponseBytes: MB })), 'tooLarge');
      assert.match(error.message, /larger than 1 MB/);
      assert.match(error.hint, /mimcm\.statuses/);
      assert.ok(written < 64 * MB, `the server could push ${written} bytes before the client hung up`);
    });

    it('refuses a body whose Content-Length is over the cap without reading it', async () => {
      const running = await serve((socket) =>
        socket.write(head('200 OK', { 'content-type': 'application/json', 'content-length': 600 * MB })),
      );
      assertCmError(await rejection(() => list(running.url, { maxResponseBytes: MB })), 'tooLarge');
    });

    it('counts the cap after decompression, so a small gzip bomb is stopped too', async () => {
      const bomb = gzipSync(Buffer.alloc(50 * MB, 0x20));
      const running = await serve(json(bomb, { 'content-encoding': 'gzip' }));
      assertCmError(await rejection(() => list(running.url, { maxResponseBytes: MB })), 'tooLarge');
    });

    for (const [encoding, compress] of [
      ['gzip', gzipSync],
      ['deflate', deflateSync],
      ['br', brotliCompressSync],
    ] as const) {
      it(`reads a ${encoding}-compressed answer`, async () => {
        const running = await serve(json(compress(Buffer.from(JSON.stringify([RECORD]))), { 'content-encoding': encoding }));
        const result = await list(running.url);
        assert.equal(result.requests[0]?.id, 'a9b4b42c-cc50-4c9b-89d1-bbc0bcd5a099');
      });
    }

    it('explains a damaged gzip body', async () => {
      const running = await serve(
        json(Buffer.concat([gzipSync(Buffer.from('[1,2,3]')).subarray(0, 12), Buffer.from('not gzip at all')]), {
          'content-encoding': 'gzip',
        }),
      );
      const error = assertCmError(await rejection(() => list(running.url)), 'encoding');
      assert.match(error.message, /damaged/);
    });

    it('explains a compression it cannot undo', async () => {
      const running = await serve(json('[]', { 'content-encoding': 'zstd' }));
      const error = assertCmError(await rejection(() => list(running.url)), 'encoding');
      assert.match(error.message, /"zstd"/);
    });

    it('decodes a declared windows-1252 or UTF-16 charset, and a UTF-8 byte-order mark', async () => {
      const record = { ...RECORD, Comment: 'Zertifikat für Müller' };
      const text = JSON.stringify([record]);
      for (const [body, type] of [
        [Buffer.from(text, 'latin1'), 'application/json; charset=windows-1252'],
        [Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]), 'application/json; charset=utf-16'],
        [Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]), 'application/json'],
      ] as const) {
        const running = await startRawServer(json(body, { 'content-type': type }));
        try {
          const result = await list(running.url);
          assert.equal(result.requests[0]?.request.Comment, 'Zertifikat für Müller', type);
        } finally {
          await running.stop();
        }
      }
    });

    it('explains a charset it cannot decode instead of calling the answer cut short', async () => {
      const running = await serve(json('[]', { 'content-type': 'application/json; charset=x-klingon' }));
      const error = assertCmError(await rejection(() => list(running.url)), 'encoding');
      assert.match(error.message, /x-klingon/);
    });
  });

  describe('server text is data', () => {
    const hostile = `\u001b[31mALERT\u001b[0m\r\nfake log line\u202egnp.exe\u0007${'A'.repeat(5 * MB)}`;

    it('a 5 MB error Message with escapes, line breaks and a bidi override becomes one short clean line', async () => {
      const body = JSON.stringify({ Message: hostile, CorrelationId: `{6f1c2b9e-0d4a-4c1e-9b7a-3e2f1d0c9b8a}` });
      const running = await serve((socket) => {
        socket.write(head('500 Internal Server Error', { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }));
        socket.write(body);
      });
      const error = assertCmError(await rejection(() => list(running.url)), 'server');
      assert.ok(error.message.length <= 1000, `message of ${error.message.length} characters`);
      assertClean(error.message);
      assert.match(error.message, /ALERT fake log linegnp\.exeA+… [\d,]+ more characters/);
      assert.equal(error.correlationId, '6f1c2b9e-0d4a-4c1e-9b7a-3e2f1d0c9b8a');
      for (const line of logger.lines) {
        assert.ok(line.length < 4000, `log line of ${line.length} characters`);
        assertClean(line);
      }
    });

    it('a 2 MB page title is cut in the message', async () => {
      const page = `<html><head><title>${'Sign in '.repeat(256 * 1024)}</title></head></html>`;
      const running = await serve((socket) => {
        socket.write(head('200 OK', { 'content-type': 'text/html', 'content-length': page.length }));
        socket.write(page);
      });
      const error = assertCmError(await rejection(() => list(running.url)), 'notJson');
      assert.ok(error.message.length < 400, `message of ${error.message.length} characters`);
      assert.match(error.message, /more characters/);
    });

    it('a redirect to another origin is not followed, carries no credentials there, and hides its user:password', async () => {
      const elsewhere = await startRawServer((socket) => socket.end(head('200 OK', { 'content-length': 2 }) + '[]'));
      try {
        const running = await serve((socket) =>
          socket.write(head('302 Found', { location: `${elsewhere.url.replace('//', '//admin:s3cret@')}/steal`, 'content-length': 0 })),
        );
        const error = assertCmError(
          await rejection(() => list(running.url, { credentials: { method: 'basic', username: 'CONTOSO\\jdoe', password: 'Pa55' } })),
          'httpStatus',
        );
        assert.match(error.message, /redirected to http:\/\/127\.0\.0\.1:\d+\/steal/);
        assert.doesNotMatch(error.message + logger.lines.join('\n'), /s3cret|admin:/);
        assertClean(error.message);
        assert.equal(elsewhere.requests.length, 0, 'nothing may be sent to the redirect target');
      } finally {
        await elsewhere.stop();
      }
    });

    it('a redirect from https to plain http is reported, not followed', async () => {
      const pki = createTestPki();
      try {
        server = await startRawServer(
          (socket) => socket.write(head('301 Moved Permanently', { location: 'http://127.0.0.1:1/requests', 'content-length': 0 })),
          pki.localhost,
        );
        const url = server.url.replace('127.0.0.1', 'localhost');
        const error = assertCmError(await rejection(() => list(url, { ca: [readFileSync(pki.caFile, 'utf8')] })), 'httpStatus');
        assert.equal(error.summary, 'Redirected (HTTP 301)');
        assert.match(error.message, /http:\/\/127\.0\.0\.1:1\/requests/);
      } finally {
        pki.remove();
      }
    });
  });

  describe('slow, broken and cancelled connections', () => {
    it('a server that trickles its headers slower than the timeout times out', async () => {
      const running = await serve((socket) => {
        const text = head('200 OK', { 'content-type': 'application/json', 'content-length': 2 }) + '[]';
        let index = 0;
        const timer = setInterval(() => {
          if (socket.destroyed || index >= text.length) {
            clearInterval(timer);
            return;
          }
          socket.write(text.charAt(index++));
        }, 100);
        socket.on('close', () => clearInterval(timer));
      });
      assertCmError(await rejection(() => list(running.url, { timeoutSeconds: 1 })), 'timeout');
    });

    it('a body trickled byte by byte never outlasts the timeout, even though each byte comes in time', async () => {
      const running = await serve((socket) => {
        socket.write(head('200 OK', { 'content-type': 'application/json', 'content-length': 100_000 }));
        const timer = setInterval(() => (socket.destroyed ? clearInterval(timer) : socket.write(' ')), 50);
        socket.on('close', () => clearInterval(timer));
      });
      assertCmError(await rejection(() => list(running.url, { timeoutSeconds: 1 })), 'timeout');
    });

    it('a reset in the middle of the body says the answer was cut short', async () => {
      const running = await serve((socket) => {
        socket.write(head('200 OK', { 'content-type': 'application/json', 'content-length': 10_000 }));
        socket.write('[{"Uuid":');
        setTimeout(() => socket.resetAndDestroy(), 50);
      });
      assertCmError(await rejection(() => list(running.url)), 'truncated');
    });

    it('a reset before any answer says the connection was dropped', async () => {
      const running = await serve((socket: Socket) => socket.resetAndDestroy());
      assertCmError(await rejection(() => list(running.url)), 'connectionReset');
    });

    it('cancel ends a load stuck in the TLS handshake at once, not at the timeout', async () => {
      const pki = createTestPki();
      try {
        server = await startRawServer(() => undefined, { ...pki.localhost, handshake: 'hang' });
        const controller = new AbortController();
        const pending = client(server.url, { timeoutSeconds: 60 }).listRequests('Pending', controller.signal);
        setTimeout(() => controller.abort(), 200);
        // Without the fix this waits the full 60 s connect timeout, past this test's own timeout.
        assertCmError(await rejection(() => pending), 'canceled');
      } finally {
        pki.remove();
      }
    });
  });

  describe('credentials the server rejects are not replayed', () => {
    const statuses: RequestStatusName[] = ['Pending', 'Approved', 'Executing', 'Completed', 'Failed', 'Denied', 'Canceled', 'None'];
    const alwaysRejects =
      (scheme: string): RawHandler =>
      (socket) =>
        socket.write(
          head('401 Unauthorized', {
            'www-authenticate': `${scheme} realm="CM"`,
            'content-type': 'application/json',
            'content-length': 2,
          }) + '{}',
        );
    const load = (cm: CmClient) => loadSnapshot(cm, new AbortController().signal, new CodeTableWarnings(logger), statuses);
    const withAuthorization = (running: RawServer) =>
      running.requests.filter((request) => request.headers.authorization !== undefined).length;

    for (const [method, scheme, credentials] of [
      ['basic', 'Basic', { method: 'basic', username: 'CONTOSO\\jdoe', password: 'wrong' }],
      ['bearer', 'Bearer', { method: 'bearer', token: 'expired.or.wrong' }],
    ] as [string, string, Credentials][]) {
      it(`${method}: a refresh of eight statuses sends a rejected credential once, and a timer never again`, async () => {
        const running = await serve(alwaysRejects(scheme));
        const cm = client(running.url, { credentials });
        const error = assertCmError(await rejection(() => load(cm)), 'unauthorized');
        assert.match(error.message, /rejected your credentials/);
        assert.equal(withAuthorization(running), 1, 'one failed logon for the whole refresh');
        // What a timer does: load again with no user action in between.
        const again = assertCmError(await rejection(() => load(cm)), 'unauthorized');
        assert.ok(again.notSent);
        assert.match(again.message, /not sent again/);
        assert.equal(withAuthorization(running), 1, 'a timer sends nothing');
        // A user's Refresh may try once more.
        cm.guard?.allowOneAttempt();
        await rejection(() => load(cm));
        assert.equal(withAuthorization(running), 2);
      });
    }

    it('the first query goes alone: the other statuses are asked only after it worked', async () => {
      let firstAnswered = false;
      let askedTooEarly = 0;
      const running = await serve((socket, request, index) => {
        if (index === 0) {
          setTimeout(() => {
            firstAnswered = true;
            json('[]')(socket, request, index);
          }, 200);
          return;
        }
        askedTooEarly += firstAnswered ? 0 : 1;
        json('[]')(socket, request, index);
      });
      await load(client(running.url, { credentials: { method: 'basic', username: 'u', password: 'p' } }));
      assert.equal(running.requests.length, 8);
      assert.equal(askedTooEarly, 0);
    });

    it('says the server does not offer the configured method, instead of "rejected your credentials"', async () => {
      const running = await serve((socket) => {
        socket.write(
          head('401 Unauthorized', { 'www-authenticate': 'Negotiate', 'content-length': 0 }).replace(
            '\r\n\r\n',
            '\r\nWWW-Authenticate: NTLM\r\n\r\n',
          ),
        );
      });
      const error = assertCmError(
        await rejection(() => list(running.url, { credentials: { method: 'basic', username: 'u', password: 'p' } })),
        'wrongMethod',
      );
      assert.equal(error.message, 'The CM server offers Negotiate, NTLM; mimcm.authentication is basic.');
      assert.equal(error.action, 'openSettings');
      assert.doesNotMatch(error.message, /rejected/);
    });

    it('a proxy that rejects its sign-in is asked once per user action too', async () => {
      const proxy = await serve((socket) =>
        socket.write(head('407 Proxy Authentication Required', { 'proxy-authenticate': 'Basic realm="proxy"', 'content-length': 0 })),
      );
      const cm = client('https://cm.contoso.test', { proxy: { url: proxy.url, authorization: 'Basic dTpw', strictSSL: true } });
      const error = assertCmError(await rejection(() => load(cm)), 'proxy');
      assert.equal(error.status, 407);
      await rejection(() => load(cm));
      assert.equal(proxy.requests.filter((request) => request.headers['proxy-authorization'] !== undefined).length, 1);
    });
  });
});
