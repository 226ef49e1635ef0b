import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as l10n from '@vscode/l10n';
import { jwtUser } from '../../src/cm/auth';
import { countFormatter } from '../../src/model/countText';
import { pendingBadgeTooltip, statusBarText, type ServerState } from '../../src/model/statusBarText';
import { signedInUser } from '../../src/servers/serverSecrets';

const server = (overrides: Partial<ServerState> = {}): ServerState => ({
  name: 'cm.contoso.com',
  hostLabel: 'cm.contoso.com',
  method: 'ntlm',
  user: 'CONTOSO\\jdoe',
  pending: 3,
  loading: false,
  credentialsRejected: false,
  loadedAt: Date.UTC(2026, 10, 29, 9),
  ...overrides,
});
const time = (value: number): string => new Date(value).toISOString();
const count = countFormatter('en');
const jwt = (claims: object): string => `e30.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.sig`;

describe('the status bar', () => {
  it('names the server, the signed-in user and the Pending count; several servers are counted and summed', () => {
    const one = statusBarText([server()], time, count);
    assert.equal(one?.text, '$(shield) cm.contoso.com · CONTOSO\\jdoe · 3 pending');
    assert.match(
      one?.tooltip ?? '',
      /\*\*cm\\\.contoso\\\.com\*\* \(cm\\\.contoso\\\.com\) — NTLM as CONTOSO\\\\jdoe — 3 pending, loaded 2026-11-29T09:00:00\.000Z/,
    );
    assert.equal(one?.warning, false);
    const two = statusBarText(
      [server(), server({ name: 'Lab', hostLabel: 'cm.lab', method: 'none', user: undefined, pending: 1200 })],
      time,
      count,
    );
    assert.equal(two?.text, '$(shield) 2 servers · 1,203 pending');
    assert.match(two?.tooltip ?? '', /\*\*Lab\*\* \(cm\\\.lab\) — no sign-in — 1,200 pending/);
    assert.equal(statusBarText([], time, count), undefined, 'hidden with no server');
  });

  it("writes counts as VS Code's display language does, and copes with a language ICU does not know", () => {
    const lab = server({ name: 'Lab', hostLabel: 'cm.lab', pending: 23_986 });
    assert.equal(statusBarText([server(), lab], time, countFormatter('de'))?.text, '$(shield) 2 servers · 23.989 pending');
    assert.equal(countFormatter('en')(123_456), '123,456');
    assert.equal(countFormatter('not a language!')(7), '7');
  });

  it("says on the badge's hover how many requests wait, and where, in the display language's grammar", () => {
    assert.equal(pendingBadgeTooltip(1, count, [server()]), '1 pending request on cm.contoso.com');
    assert.equal(pendingBadgeTooltip(1_203, count, [server(), server()]), '1,203 pending requests on 2 servers');
    const german = readFileSync(path.join(__dirname, '..', '..', '..', 'l10n', 'bundle.l10n.de.json'), 'utf8');
    l10n.config({ contents: JSON.parse(german) as Record<string, string> });
    try {
      assert.equal(
        pendingBadgeTooltip(296, countFormatter('de'), [server(), server(), server()]),
        '296 ausstehende Anforderungen auf 3 Servern',
      );
    } finally {
      l10n.config({ contents: {} });
    }
  });

  it('shows loading, failures and a rejected sign-in, and never lets server text format or draw icons', () => {
    assert.match(statusBarText([server({ loading: true })], time, count)?.text ?? '', /^\$\(sync~spin\) /);
    const failed = statusBarText([server({ error: 'HTTP 500 [click](command:evil) **bold**' })], time, count);
    assert.equal(failed?.warning, true);
    assert.match(failed?.text ?? '', /^\$\(warning\) /);
    assert.ok(failed?.tooltip.includes('failed: HTTP 500 \\[click\\]\\(command:evil\\) \\*\\*bold\\*\\*'), failed?.tooltip);
    const rejected = statusBarText([server({ credentialsRejected: true })], time, count);
    assert.match(rejected?.tooltip ?? '', /sign-in rejected: sign in again/);
    assert.equal(statusBarText([server({ user: '$(bug) admin' })], time, count)?.text.includes('$(bug)'), false);
  });

  it('knows who is signed in from the stored user name or the bearer token, and nothing for Kerberos or none', () => {
    assert.equal(signedInUser('ntlm', { method: 'ntlm', username: 'CONTOSO\\jdoe', password: 'x' }), 'CONTOSO\\jdoe');
    assert.equal(signedInUser('basic', { method: 'ntlm', username: 'jdoe', password: 'x' }), undefined, 'a sign-in of another method');
    assert.equal(signedInUser('bearer', { method: 'bearer', token: jwt({ upn: 'jdoe@contoso.com', sub: 'x' }) }), 'jdoe@contoso.com');
    assert.equal(signedInUser('negotiate', undefined), undefined);
    assert.equal(signedInUser('none', undefined), undefined);
    assert.equal(jwtUser(jwt({ sub: 'a1b2' })), 'a1b2');
    assert.equal(jwtUser('opaque-token'), undefined);
    assert.equal(jwtUser(jwt({ upn: 'evil\u202e\u0000name' })), 'evilname');
  });
});
