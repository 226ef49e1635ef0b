import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { MessageNode, GroupNode, RequestsTreeNode } from '../../src/tree/nodes';
import {
  directoryUrl,
  activateExtension,
  isGroup,
  isLoadMore,
  isRequest,
  isServer,
  secondSimulatorUrl,
  kerberosLab,
  API_PATH,
  EXTENSION_ID,
  label,
  rootNodes,
  serverRecords,
  setSetting,
  simulatorCalls,
  simulatorUrl,
  stageFault,
  waitFor,
  type TestApi,
} from './helpers';

const STATUSES = ['Pending', 'Approved', 'Executing', 'Completed', 'Failed', 'Denied', 'Canceled', 'None'];
const DOCUMENTED_ID = 'a9b4b42c-cc50-4c9b-89d1-bbc0bcd5a099';

/** Root groups once they show the expected counts (a refresh runs after every settings change). */
async function groupsMatching(api: TestApi, expected: Map<string, number>): Promise<GroupNode[]> {
  return waitFor(`groups with counts ${JSON.stringify([...expected])}`, async () => {
    const groups = (await rootNodes(api)).filter(isGroup);
    const counts = new Map(groups.map((group) => [group.status, Number(group.description)]));
    return [...expected].every(([status, count]) => counts.get(status as GroupNode['status']) === count) ? groups : undefined;
  });
}

async function serverCounts(extraQuery = ''): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const status of STATUSES) {
    counts.set(status, (await serverRecords(`status=${status}${extraQuery}`)).length);
  }
  return counts;
}

async function errorNode(api: TestApi): Promise<MessageNode> {
  return waitFor('an error node', async () => {
    const first = (await rootNodes(api))[0];
    return first !== undefined && first.id === 'root:error' ? first : undefined;
  });
}

describe('MIM CM Requests in VS Code', function () {
  let api: TestApi;

  before(async () => {
    await stageFault('none');
    await setSetting('host', simulatorUrl());
    api = await activateExtension();
  });

  afterEach(async () => {
    await stageFault('none');
    await setSetting('targetUser', undefined);
    await setSetting('requestTimeoutSeconds', undefined);
    await setSetting('showEmptyGroups', undefined);
    await setSetting('showPendingBadge', undefined);
    await setSetting('statuses', undefined);
    await setSetting('autoRefreshSeconds', undefined);
    await setSetting('authentication', undefined);
    await setSetting('kerberos.servicePrincipal', undefined);
    await setSetting('tls.clientCertificate', undefined);
    await setSetting('servers', undefined);
    await setSetting('groupBy', undefined);
    await setSetting('sortOrder', undefined);
    await setSetting('agingWarningDays', undefined);
    await setSetting('directory.url', undefined);
    await setSetting('host', simulatorUrl());
    await vscode.commands.executeCommand('mimcm.clearFilter');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  describe('activation', () => {
    it('contributes the MIM CM container, the Requests view and the commands', async () => {
      const extension = vscode.extensions.getExtension(EXTENSION_ID);
      assert.ok(extension?.isActive);
      const contributes = extension.packageJSON.contributes;
      assert.equal(contributes.viewsContainers.activitybar[0].id, 'mimcm');
      assert.equal(contributes.viewsContainers.activitybar[0].title, 'MIM CM');
      assert.equal(contributes.views.mimcm[0].id, 'mimcm.requests');
      const commands = await vscode.commands.getCommands(true);
      const contributed = (contributes.commands as { command: string }[]).map((entry) => entry.command);
      for (const id of ['mimcm.refresh', 'mimcm.openRequest', 'mimcm.copyRequestId', 'mimcm.openSettings', ...contributed]) {
        assert.ok(commands.includes(id), `${id} is registered`);
      }
    });
  });

  describe('the tree', () => {
    it('shows every status in order, with the counts the server reports', async () => {
      const expected = await serverCounts();
      const groups = await groupsMatching(api, expected);
      assert.deepEqual(
        groups.map((group) => label(group)),
        STATUSES,
      );
      assert.ok([...expected.values()].some((count) => count > 0));
    });

    it("lists a group's requests newest first, labelled by type and template name, with age and GUID prefix", async () => {
      await groupsMatching(api, await serverCounts());
      const approved = (await rootNodes(api)).find((node) => isGroup(node) && node.status === 'Approved');
      assert.ok(approved);
      const children = (await api.requestsTree.getChildren(approved)) ?? [];
      const documented = children.find((node) => isRequest(node) && node.requestId === DOCUMENTED_ID);
      assert.ok(documented, 'the documented example request is listed under Approved');
      assert.equal(label(documented), 'Enroll · Contoso Virtual Smart Card');
      // Approved since 2015: past the 7-day warning.
      assert.match(String(documented.description), /^waiting \d+ y · a9b4b42c$/);
      assert.equal((documented.iconPath as vscode.ThemeIcon).id, 'warning');
      assert.equal(documented.id, `request:Approved:${DOCUMENTED_ID}`);
      assert.equal(documented.command?.arguments?.[0], DOCUMENTED_ID);
      assert.equal(children.at(-1), documented, 'the 2015 example is the oldest, so it comes last');
    });

    it('pages a large group: 200 requests, then "Load more" appends the rest', async () => {
      const counts = await serverCounts();
      const [bigStatus, bigCount] = [...counts].sort((a, b) => b[1] - a[1])[0] ?? ['', 0];
      assert.ok(bigCount > 200, `the runner's simulator needs a group over 200 (largest: ${bigStatus} ${bigCount})`);
      await groupsMatching(api, counts);
      const group = (await rootNodes(api)).find((node) => isGroup(node) && node.status === bigStatus);
      assert.ok(group);
      const firstPage = (await api.requestsTree.getChildren(group)) ?? [];
      assert.equal(firstPage.length, 201);
      const more = firstPage[200];
      assert.ok(more !== undefined && isLoadMore(more));
      assert.equal(label(more), `Load more (${bigCount - 200} remaining)`);
      await vscode.commands.executeCommand(more.command!.command, ...(more.command!.arguments ?? []));
      const everything = (await api.requestsTree.getChildren(group)) ?? [];
      assert.equal(everything.filter(isRequest).length, Math.min(bigCount, 400));
    });

    it('re-queries when a setting changes: targetUser "current" shows only the current user\'s requests', async () => {
      await setSetting('targetUser', 'current');
      const mine = await serverCounts('&targetuser=current');
      await groupsMatching(api, mine);
    });

    it('hides empty groups when showEmptyGroups is off', async () => {
      await setSetting('targetUser', 'current');
      const mine = await serverCounts('&targetuser=current');
      await groupsMatching(api, mine);
      await setSetting('showEmptyGroups', false);
      const nonEmpty = [...mine].filter(([, count]) => count > 0).map(([status]) => status);
      await waitFor('only non-empty groups', async () => {
        const shown = (await rootNodes(api)).map((node) => label(node));
        return JSON.stringify(shown) === JSON.stringify(nonEmpty) ? shown : undefined;
      });
    });

    it('says "No requests" instead of a blank view when empty groups are hidden and the server has none', async () => {
      await setSetting('showEmptyGroups', false);
      await stageFault('empty');
      await vscode.commands.executeCommand('mimcm.refresh');
      await waitFor('the empty-server node', async () => {
        const roots = await rootNodes(api);
        return roots.length === 1 && label(roots[0]) === 'No requests on this server' ? true : undefined;
      });
    });

    it('queries and shows only the statuses in mimcm.statuses, in the usual order', async () => {
      await setSetting('statuses', ['Failed', 'Pending']);
      await waitFor('only Pending and Failed', async () => {
        const shown = (await rootNodes(api)).map((node) => label(node));
        return JSON.stringify(shown) === JSON.stringify(['Pending', 'Failed']) ? shown : undefined;
      });
      const callsBefore = (await simulatorCalls()).length;
      await vscode.commands.executeCommand('mimcm.refresh');
      const calls = (await simulatorCalls()).slice(callsBefore);
      const lists = calls.filter((call) => call.split('?')[0]?.toLowerCase().endsWith('/requests'));
      const asked = new Set(lists.map((call) => new URLSearchParams(call.split('?')[1] ?? '').get('status')));
      assert.deepEqual([...asked].sort(), ['Failed', 'Pending']);
    });

    it('filters by text: groups with matches show "n of m", list only matching requests, and Clear Filter restores them', async () => {
      const all = await groupsMatching(api, await serverCounts());
      const user = '8f1590dc';
      const matching = new Map<string, number>();
      for (const status of STATUSES) {
        matching.set(
          status,
          (await serverRecords(`status=${status}`)).filter((record) => JSON.stringify(record).toLowerCase().includes(user)).length,
        );
      }
      await vscode.commands.executeCommand('mimcm.filter', `{${user.toUpperCase()}}`);
      const groups = (await rootNodes(api)).filter(isGroup);
      assert.deepEqual(
        groups.map((group) => `${group.status}: ${String(group.description)}`),
        STATUSES.filter((status) => (matching.get(status) ?? 0) > 0).map(
          (status) => `${status}: ${matching.get(status)} of ${all.find((group) => group.status === status)?.description}`,
        ),
      );
      for (const group of groups) {
        const children = ((await api.requestsTree.getChildren(group)) ?? []).filter(isRequest);
        assert.equal(children.length, matching.get(group.status ?? ''));
      }
      await vscode.commands.executeCommand('mimcm.clearFilter');
      await groupsMatching(api, await serverCounts());
      assert.equal(api.requestsTree.filterText, undefined);
    });

    it("filters on a request's target user from its context menu, and says so when nothing matches", async () => {
      const [approved] = (await rootNodes(api)).filter((node) => isGroup(node) && node.status === 'Approved');
      const request = ((await api.requestsTree.getChildren(approved)) ?? []).find(isRequest);
      assert.ok(request?.targetUserId !== undefined);
      await vscode.commands.executeCommand('mimcm.filterByTargetUser', request);
      assert.equal(api.requestsTree.filterText, request.targetUserId);
      assert.ok((await rootNodes(api)).some(isGroup));
      await vscode.commands.executeCommand('mimcm.filter', 'no-such-request-anywhere');
      const [only, ...rest] = await rootNodes(api);
      assert.equal(rest.length, 0);
      assert.equal(label(only), 'No requests match "no-such-request-anywhere"');
      await vscode.commands.executeCommand(only.command!.command);
      assert.ok((await rootNodes(api)).every(isGroup));
    });

    it('redraws without asking the server again when only a view setting changes', async () => {
      await groupsMatching(api, await serverCounts());
      await vscode.commands.executeCommand('mimcm.refresh');
      const before = (await simulatorCalls()).length;
      await setSetting('showPendingBadge', false);
      await setSetting('showEmptyGroups', false);
      await waitFor('the badge gone', () => (api.requestsTree.badge === undefined ? true : undefined));
      assert.deepEqual((await simulatorCalls()).slice(before), []);
    });

    it('puts the number of Pending requests on the activity-bar icon, unless showPendingBadge is off', async () => {
      const pending = (await serverRecords('status=Pending')).length;
      assert.ok(pending > 0, 'the simulator has Pending requests');
      await waitFor('the badge', () => (api.requestsTree.badge?.value === pending ? true : undefined));
      assert.match(api.requestsTree.badge?.tooltip ?? '', new RegExp(`^${pending} pending requests on 127\\.0\\.0\\.1:`));
      await setSetting('showPendingBadge', false);
      await waitFor('no badge', () => (api.requestsTree.badge === undefined ? true : undefined));
    });

    it('reloads by itself every autoRefreshSeconds: a request approved on the server moves groups with no click', async function () {
      this.timeout(60_000);
      const [request] = await serverRecords('status=Pending');
      assert.ok(request !== undefined);
      await groupsMatching(api, await serverCounts());
      await setSetting('autoRefreshSeconds', 10);
      await groupsMatching(api, await serverCounts());
      const approve = await fetch(`${simulatorUrl()}/__simulator/requests/${String(request.Uuid)}`, {
        method: 'PATCH',
        body: JSON.stringify({ Status: 3 }),
      });
      assert.equal(approve.status, 200);
      try {
        const moved = await serverCounts();
        await waitFor(
          'the counts after the approval',
          async () => {
            const groups = (await rootNodes(api)).filter(isGroup);
            return groups.every((group) => Number(group.description) === moved.get(group.status ?? '')) ? true : undefined;
          },
          30_000,
        );
      } finally {
        await fetch(`${simulatorUrl()}/__simulator/requests/${String(request.Uuid)}`, {
          method: 'PATCH',
          body: JSON.stringify({ Status: request.Status }),
        });
      }
    });

    it('shows nothing (so the welcome view explains) when no host is set', async () => {
      await setSetting('host', '');
      await waitFor('an empty tree', async () => ((await rootNodes(api)).length === 0 ? true : undefined));
    });

    it('explains a host setting that is not a URL, with Open Settings', async () => {
      await setSetting('host', 'cm.contoso.com');
      const node = await errorNode(api);
      assert.equal(label(node), 'Check the MIM CM connection settings');
      assert.match(String(node.description), /not a URL/);
      const actions = (await rootNodes(api)).map((item) => item.command?.command);
      assert.deepEqual(actions, ['mimcm.refresh', 'mimcm.openSettings', 'mimcm.showLog']);
    });

    it('explains a sign-in method it does not know above the groups it still loads', async () => {
      await setSetting('authentication', 'Kerberos');
      const problem = await waitFor('the settings problem', async () =>
        (await rootNodes(api)).find((node) => node.id?.startsWith('settings:problem')),
      );
      assert.match(label(problem), /mimcm\.authentication: "Kerberos" is not a method; .* "negotiate"/);
      assert.equal(problem.command?.command, 'mimcm.openSettings');
      // The change reloads: the groups come back below the warning, signed in with nothing as before.
      await groupsMatching(api, await serverCounts());
      assert.ok((await rootNodes(api)).some((node) => node.id?.startsWith('settings:problem')));
    });
  });

  describe('names from the directory', () => {
    const approvedChildren = async (): Promise<RequestsTreeNode[]> => {
      const approved = (await rootNodes(api)).find((node) => isGroup(node) && node.status === 'Approved');
      return approved === undefined ? [] : ((await api.requestsTree.getChildren(approved)) ?? []);
    };

    it("names each row's target user once the directory answered", async () => {
      await setSetting('directory.url', directoryUrl());
      await waitFor('a named row', async () => {
        const documented = (await approvedChildren()).find((node) => isRequest(node) && node.requestId === DOCUMENTED_ID);
        return /^Jane Doe · waiting \d+ y · a9b4b42c$/.test(String(documented?.description)) ? documented : undefined;
      });
    });

    it('with a directory that is down, the tree stays exactly as it was, plus one explained warning', async () => {
      const before = (await rootNodes(api)).map((node) => [label(node), node.description]);
      await setSetting('directory.url', 'ldap://127.0.0.1:9');
      const warning = await waitFor('the directory warning', async () =>
        (await rootNodes(api)).find((node) => node.contextValue === 'directoryWarning'),
      );
      assert.equal(label(warning), 'Names unavailable');
      assert.match(String(warning.tooltip), /127\.0\.0\.1:9 cannot be reached/);
      assert.equal(warning.command?.command, 'workbench.action.openSettings');
      const after = (await rootNodes(api))
        .filter((node) => node.contextValue !== 'directoryWarning')
        .map((node) => [label(node), node.description]);
      assert.deepEqual(after, before);
      const rows = await approvedChildren();
      assert.ok(rows.length > 0 && rows.every((node) => !String(node.description).startsWith('Jane Doe')), 'GUIDs only, no stale names');
      assert.equal((await rootNodes(api)).filter((node) => node.contextValue === 'directoryWarning').length, 1);
    });
  });

  describe('errors become explained nodes', () => {
    const cases: [string, string, RegExp][] = [
      ['403', 'Access refused (HTTP 403)', /refused access \(HTTP 403\).*Authorization has been denied/],
      ['500', 'CM server error (HTTP 500)', /failed with HTTP 500.*Correlation id: 6f1c2b9e/],
      ['html', 'The server did not answer with JSON', /web page \("Sign In"\) instead of JSON/],
    ];
    for (const [mode, summary, message] of cases) {
      it(`${mode}: an error node whose click retries, plus Show Log, and the last good groups stay`, async () => {
        await groupsMatching(api, await serverCounts());
        await stageFault(mode);
        await vscode.commands.executeCommand('mimcm.refresh');
        const node = await errorNode(api);
        assert.equal(label(node), summary);
        assert.match(String(node.description), message);
        assert.match(String(node.tooltip), /Click to retry/);
        assert.equal(node.command?.command, 'mimcm.refresh');
        const roots = await rootNodes(api);
        assert.ok(roots.some((item) => item.command?.command === 'mimcm.showLog'));
        assert.equal(roots.filter(isGroup).length, STATUSES.length, 'stale groups are kept');
        await stageFault('none');
        await vscode.commands.executeCommand('mimcm.refresh');
        await waitFor('recovery', async () => (isGroup((await rootNodes(api))[0]) ? true : undefined));
      });
    }

    it('reports records it cannot read in their group, and still lists the others', async () => {
      const counts = await serverCounts();
      await groupsMatching(api, counts);
      await stageFault('badrecord');
      await vscode.commands.executeCommand('mimcm.refresh');
      const pending = await waitFor('Pending with one unreadable record', async () => {
        const group = (await rootNodes(api)).find((node) => isGroup(node) && node.status === 'Pending');
        return group !== undefined && Number(group.description) === (counts.get('Pending') ?? 0) + 1 ? group : undefined;
      });
      const children = (await api.requestsTree.getChildren(pending)) ?? [];
      assert.equal(children.filter(isRequest).length, Math.min(counts.get('Pending') ?? 0, 200));
      const notice = children.at(-1);
      assert.equal(notice === undefined ? '' : label(notice), '1 request could not be read');
      assert.match(String(notice?.tooltip), /Uuid: not a GUID/);
      assert.equal(notice?.command?.command, 'mimcm.showLog');
    });

    it('timeout: names the timeout setting', async () => {
      await setSetting('requestTimeoutSeconds', 1);
      await stageFault('delay', 3000);
      await vscode.commands.executeCommand('mimcm.refresh');
      const node = await errorNode(api);
      assert.equal(label(node), 'No answer from the server (timeout)');
      assert.match(String(node.description), /did not answer within 1 s/);
      assert.match(String(node.tooltip), /mimcm\.requestTimeoutSeconds/);
    });
  });

  describe('signing in', () => {
    it("lists requests through a Negotiate-protected site with the user's Kerberos ticket", async () => {
      const lab = kerberosLab();
      const expected = await serverCounts();
      await setSetting('kerberos.servicePrincipal', lab.servicePrincipal);
      // Capitalized, as a hand-edited settings.json may have it.
      await setSetting('authentication', 'Negotiate');
      await setSetting('host', lab.url);
      await groupsMatching(api, expected);
    });

    it('with no method set, signs in with the Kerberos ticket because the site offers Negotiate', async () => {
      const lab = kerberosLab();
      const expected = await serverCounts();
      await setSetting('kerberos.servicePrincipal', lab.servicePrincipal);
      await setSetting('host', lab.url);
      await groupsMatching(api, expected);
    });

    it('explains a 401 with a Sign In node when mimcm.authentication is none', async () => {
      await setSetting('authentication', 'none');
      await setSetting('host', kerberosLab().url);
      const node = await errorNode(api);
      assert.equal(label(node), 'Sign-in required (HTTP 401)');
      assert.match(String(node.tooltip), /mimcm\.authentication to negotiate/);
      assert.ok((await rootNodes(api)).some((item) => item.command?.command === 'mimcm.signIn'));
    });

    it("honours VS Code's http.proxy setting", async () => {
      const http = vscode.workspace.getConfiguration('http');
      await http.update('proxy', 'http://127.0.0.1:9', vscode.ConfigurationTarget.Global);
      try {
        const node = await errorNode(api);
        assert.equal(label(node), 'Proxy problem');
        assert.match(String(node.description), /proxy http:\/\/127\.0\.0\.1:9 cannot be reached/);
      } finally {
        await http.update('proxy', undefined, vscode.ConfigurationTarget.Global);
      }
    });

    it('asks for the passphrase of a protected client certificate before connecting', async () => {
      // Fixture PFX (passphrase "fixture-Pa55"); tests run from out/test/integration.
      await setSetting('tls.clientCertificate', path.join(__dirname, '..', '..', '..', 'test', 'fixtures', 'client-certificate.pfx'));
      const node = await errorNode(api);
      assert.match(String(node.description), /client-certificate\.pfx is protected by a passphrase/);
      assert.ok((await rootNodes(api)).some((item) => item.command?.command === 'mimcm.enterClientCertificatePassphrase'));
    });

    it('asks for a sign-in, without calling the server, when basic has no stored credentials', async () => {
      await setSetting('authentication', 'basic');
      const node = await errorNode(api);
      assert.match(String(node.description), /Not signed in to 127\.0\.0\.1/);
      assert.ok((await rootNodes(api)).some((item) => item.command?.command === 'mimcm.signIn'));
    });
  });

  describe('several servers', () => {
    it('shows each server as a root with its own groups; a failing one shows its error and never hides the other', async () => {
      const lab = secondSimulatorUrl();
      await fetch(`${lab}/__simulator/fault`, { method: 'POST', body: JSON.stringify({ mode: '500' }) });
      try {
        await setSetting('servers', [
          { name: 'Production', host: simulatorUrl() },
          { name: 'Lab', host: lab },
        ]);
        const roots = await waitFor('two server nodes, both loaded', async () => {
          const nodes = await rootNodes(api);
          const servers = nodes.filter(isServer);
          return servers.length === 2 && servers.every((node) => !/loading|not loaded/.test(String(node.description)))
            ? servers
            : undefined;
        });
        assert.deepEqual(
          roots.map((node) => label(node)),
          ['Production', 'Lab'],
        );
        assert.match(String(roots[1]?.description), /CM server error \(HTTP 500\)/);
        const production = (await api.requestsTree.getChildren(roots[0])) ?? [];
        const pending = production.find((node) => isGroup(node) && node.status === 'Pending');
        assert.ok(pending, 'Production lists its groups');
        assert.equal(pending.id, 'Production/status:Pending', 'ids are unique across servers');
        assert.equal(Number(pending.description), (await serverRecords('status=Pending')).length);
        const labNodes = (await api.requestsTree.getChildren(roots[1])) ?? [];
        assert.equal(labNodes[0]?.id, 'Lab/root:error');
        assert.equal(
          api.requestsTree.badge?.value,
          (await serverRecords('status=Pending')).length,
          'the badge sums Pending over the servers that loaded',
        );
        const editor = await vscode.commands.executeCommand<vscode.TextEditor | undefined>(
          'mimcm.openRequest',
          DOCUMENTED_ID,
          'Production',
        );
        assert.ok(editor);
        assert.match(editor.document.getText(), /"Uuid": "a9b4b42c-cc50-4c9b-89d1-bbc0bcd5a099"/);
      } finally {
        await fetch(`${lab}/__simulator/fault`, { method: 'POST', body: JSON.stringify({ mode: 'none' }) });
      }
    });
  });

  describe('request JSON documents', () => {
    it('opens a request by GUID argument as JSON equal to the server record', async () => {
      const editor = await vscode.commands.executeCommand<vscode.TextEditor | undefined>('mimcm.openRequest', DOCUMENTED_ID);
      assert.ok(editor);
      const document = editor.document;
      assert.equal(document.uri.scheme, 'mimcm');
      assert.equal(document.languageId, 'json');
      const served = await (await fetch(`${simulatorUrl()}${API_PATH}/requests/${DOCUMENTED_ID}`)).json();
      assert.deepEqual(JSON.parse(document.getText()), served);
      assert.equal(
        document.getText().split('\n')[1],
        '  "Uuid": "a9b4b42c-cc50-4c9b-89d1-bbc0bcd5a099",',
        'two-space indent, server key order',
      );
    });

    it('reuses the tab for the same request given with braces in upper case', async () => {
      await vscode.commands.executeCommand('mimcm.openRequest', DOCUMENTED_ID);
      const again = await vscode.commands.executeCommand<vscode.TextEditor | undefined>(
        'mimcm.openRequest',
        `{${DOCUMENTED_ID.toUpperCase()}}`,
      );
      assert.ok(again);
      const tabs = vscode.window.tabGroups.all
        .flatMap((group) => group.tabs)
        .filter((tab) => tab.input instanceof vscode.TabInputText && tab.input.uri.scheme === 'mimcm');
      assert.equal(tabs.length, 1);
    });

    it("Refresh updates an open request document with the server's current record", async () => {
      const editor = await vscode.commands.executeCommand<vscode.TextEditor | undefined>('mimcm.openRequest', DOCUMENTED_ID);
      assert.ok(editor);
      const original = JSON.parse(editor.document.getText()) as Record<string, unknown>;
      const patch = await fetch(`${simulatorUrl()}/__simulator/requests/${DOCUMENTED_ID}`, {
        method: 'PATCH',
        body: JSON.stringify({ Comment: 'approved by integration test' }),
      });
      assert.equal(patch.status, 200);
      try {
        await vscode.commands.executeCommand('mimcm.refresh');
        await waitFor('the refreshed comment', () =>
          editor.document.getText().includes('approved by integration test') ? true : undefined,
        );
      } finally {
        await fetch(`${simulatorUrl()}/__simulator/requests/${DOCUMENTED_ID}`, {
          method: 'PATCH',
          body: JSON.stringify({ Comment: original.Comment }),
        });
      }
    });

    it('names the codes, dates and empty GUIDs next to their values in the JSON', async () => {
      const editor = await vscode.commands.executeCommand<vscode.TextEditor | undefined>('mimcm.openRequest', DOCUMENTED_ID);
      assert.ok(editor);
      const document = editor.document;
      const hints = await vscode.commands.executeCommand<vscode.InlayHint[]>(
        'vscode.executeInlayHintProvider',
        document.uri,
        new vscode.Range(0, 0, document.lineCount, 0),
      );
      const shown = hints.map(
        (hint) =>
          `${document.lineAt(hint.position.line).text.trim()} ${typeof hint.label === 'string' ? hint.label : hint.label.map((part) => part.value).join('')}`,
      );
      assert.ok(shown.includes('"Status": 3, Approved'), shown.join('\n'));
      assert.ok(shown.includes('"RequestType": 1, Enroll'), shown.join('\n'));
      assert.ok(shown.includes('"Completed": "0001-01-01T00:00:00", not completed'), shown.join('\n'));
    });

    it('opens nothing for a GUID the server does not know (204)', async () => {
      const editor = await vscode.commands.executeCommand<vscode.TextEditor | undefined>(
        'mimcm.openRequest',
        '00000000-1111-2222-3333-444444444444',
      );
      assert.equal(editor, undefined);
      assert.ok(vscode.workspace.textDocuments.every((document) => !document.uri.path.includes('00000000-1111')));
    });

    it('refuses a malformed GUID argument without calling the server', async () => {
      const before = (await simulatorCalls()).length;
      const editor = await vscode.commands.executeCommand<vscode.TextEditor | undefined>(
        'mimcm.openRequest',
        'a9b4b42ccc504c9b89d1bbc0bcd5a099',
      );
      assert.equal(editor, undefined);
      const after = (await simulatorCalls()).length;
      assert.equal(after, before);
    });
  });

  describe('the inspector', () => {
    const REQUEST_2 = '0c96d73f-967b-420e-854a-43ad2a1504bc';
    const TEMPLATE = 'a039b4d0-5ce8-4eff-8651-181c6576fda3';

    const hintsOf = async (document: vscode.TextDocument): Promise<string[]> => {
      const hints = await vscode.commands.executeCommand<vscode.InlayHint[]>(
        'vscode.executeInlayHintProvider',
        document.uri,
        new vscode.Range(0, 0, document.lineCount, 0),
      );
      return hints.map(
        (hint) =>
          `${document.lineAt(hint.position.line).text.trim()} ${typeof hint.label === 'string' ? hint.label : hint.label.map((part) => part.value).join('')}`,
      );
    };

    it('names the template next to its GUID, and links the template, profile and card GUIDs to their own documents', async () => {
      await groupsMatching(api, await serverCounts());
      const editor = await vscode.commands.executeCommand<vscode.TextEditor | undefined>('mimcm.openRequest', REQUEST_2);
      assert.ok(editor);
      const shown = await hintsOf(editor.document);
      assert.ok(shown.includes(`"ProfileTemplateUuid": "${TEMPLATE}", Contoso Virtual Smart Card`), shown.join('\n'));
      const links = await vscode.commands.executeCommand<vscode.DocumentLink[]>('vscode.executeLinkProvider', editor.document.uri);
      const targets = links.map((link) => link.target?.toString(true) ?? '');
      assert.deepEqual(
        targets.map((target) => target.replace(/\?.*$/, '')),
        [
          'mimcm:/profiles/b99ff38c-6653-471f-ae3c-325bb351a6bc.json',
          'mimcm:/profiles/b99ff38c-6653-471f-ae3c-325bb351a6bc.json',
          'mimcm:/smartcards/17cf063d-e337-4aa9-a822-346554ddd3c9.json',
          'mimcm:/smartcards/17cf063d-e337-4aa9-a822-346554ddd3c9.json',
          `mimcm:/profiletemplates/${TEMPLATE}.json`,
        ],
      );
      const templateLink = links.at(-1)?.target;
      assert.ok(templateLink);
      const template = await vscode.workspace.openTextDocument(templateLink);
      const document = JSON.parse(template.getText()) as Record<string, { Name?: string; ApprovalsNeeded?: number }>;
      assert.equal(document.ProfileTemplate?.Name, 'Contoso Virtual Smart Card');
      assert.equal(document['WorkflowPolicy (Unblock)']?.ApprovalsNeeded, 0);
      const card = await vscode.workspace.openTextDocument(links[2]?.target ?? templateLink);
      assert.ok((await hintsOf(card)).some((hint) => /"Status": \d+, \w+ \(inferred\)/.test(hint)));
    });

    it('groups by type and orders oldest first from the settings, without asking the server again', async () => {
      await groupsMatching(api, await serverCounts());
      const before = (await simulatorCalls()).length;
      await setSetting('groupBy', 'type');
      await setSetting('sortOrder', 'oldestFirst');
      const groups = await waitFor('groups by type', async () => {
        const roots = (await rootNodes(api)).filter(isGroup);
        return roots.some((node) => label(node) === 'Enroll') ? roots : undefined;
      });
      assert.ok(groups.every((node) => node.status === undefined));
      // The two settings arrive as two changes: wait for the second to be applied.
      const first = await waitFor('the oldest Enroll first', async () => {
        const enroll = (await rootNodes(api)).filter(isGroup).find((node) => label(node) === 'Enroll');
        const request = enroll === undefined ? undefined : ((await api.requestsTree.getChildren(enroll)) ?? []).find(isRequest);
        return request?.requestId === DOCUMENTED_ID ? request : undefined;
      });
      assert.equal(first.requestId, DOCUMENTED_ID, 'the 2015 example is the oldest Enroll');
      assert.deepEqual((await simulatorCalls()).slice(before), []);
    });

    it('explains why a request is pending, and shows the requests related to one', async () => {
      const [pending] = (await serverRecords('status=Pending')).filter((record) => record.ProfileTemplateUuid === TEMPLATE);
      assert.ok(pending !== undefined);
      const why = await vscode.commands.executeCommand<vscode.TextEditor | undefined>('mimcm.whyPending', String(pending.Uuid));
      assert.match(why?.document.getText() ?? '', /^# Why is request [0-9a-f]{8} pending\?[\s\S]*\| Approvals needed \| /);
      await groupsMatching(api, await serverCounts());
      const filter = await vscode.commands.executeCommand<string | undefined>('mimcm.showRelatedRequests', REQUEST_2);
      assert.equal(
        filter,
        'b99ff38c-6653-471f-ae3c-325bb351a6bc OR 17cf063d-e337-4aa9-a822-346554ddd3c9 OR 8f1590dc-d932-4b66-8e68-2e91c5880780',
      );
      assert.equal(api.requestsTree.filterText, filter);
    });

    it("says where a failed request's reason is logged when hovering its Status", async () => {
      const [failed] = await serverRecords('status=Failed');
      assert.ok(failed !== undefined);
      const editor = await vscode.commands.executeCommand<vscode.TextEditor | undefined>('mimcm.openRequest', String(failed.Uuid));
      assert.ok(editor);
      const line = editor.document
        .getText()
        .split('\n')
        .findIndex((text) => text.startsWith('  "Status": '));
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
        'vscode.executeHoverProvider',
        editor.document.uri,
        new vscode.Position(line, 5),
      );
      const text = hovers
        .flatMap((hover) => hover.contents)
        .map((content) => (typeof content === 'string' ? content : content.value))
        .join('\n');
      assert.match(text, /Where the reason for this failure is/);
      assert.match(text, /FIM Certificate Management/);
    });

    it("compares two selected requests in VS Code's diff of their JSON", async () => {
      const rows = [{ requestId: DOCUMENTED_ID }, { requestId: REQUEST_2 }];
      assert.equal(await vscode.commands.executeCommand('mimcm.compareRequests', rows[0], rows), true);
      const tab = await waitFor('the diff tab', () => {
        const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
        return input instanceof vscode.TabInputTextDiff ? input : undefined;
      });
      assert.equal(tab.original.toString(), `mimcm:/requests/${DOCUMENTED_ID}.json`);
      assert.equal(tab.modified.toString(), `mimcm:/requests/${REQUEST_2}.json`);
      assert.equal(vscode.window.tabGroups.activeTabGroup.activeTab?.label, 'a9b4b42c ↔ 0c96d73f');
    });

    it('copies every selected request id, one per line', async () => {
      const rows = [{ requestId: DOCUMENTED_ID }, { requestId: REQUEST_2 }];
      await vscode.commands.executeCommand('mimcm.copyRequestId', rows[0], rows);
      assert.equal(await vscode.env.clipboard.readText(), `${DOCUMENTED_ID}\n${REQUEST_2}`);
      await vscode.commands.executeCommand('mimcm.copyRequestId', rows[1]);
      assert.equal(await vscode.env.clipboard.readText(), REQUEST_2);
    });

    it('opens a dashboard per server from what is loaded, without asking the server again', async () => {
      await groupsMatching(api, await serverCounts());
      const before = (await simulatorCalls()).length;
      await vscode.commands.executeCommand('mimcm.openDashboard');
      const [server] = api.servers.all;
      assert.ok(server !== undefined);
      assert.deepEqual(api.dashboards.openServers, [server.id]);
      const dashboardTabs = (): vscode.Tab[] =>
        vscode.window.tabGroups.all.flatMap((group) => group.tabs).filter((tab) => tab.label === `CM Dashboard: ${server.name}`);
      const [tab] = await waitFor('a dashboard tab', () => Promise.resolve(dashboardTabs().length > 0 ? dashboardTabs() : undefined));
      assert.ok(tab?.input instanceof vscode.TabInputWebview && tab.input.viewType.endsWith('mimcm.dashboard'));
      await vscode.commands.executeCommand('mimcm.openDashboard');
      assert.equal(dashboardTabs().length, 1, 'the same server opens the same dashboard');
      assert.deepEqual((await simulatorCalls()).slice(before), []);
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    });

    it('cancels nothing while mimcm.enableRequestActions is off', async () => {
      const [pending] = await serverRecords('status=Pending');
      assert.ok(pending !== undefined);
      await vscode.commands.executeCommand('mimcm.cancelRequest', String(pending.Uuid));
      const after = (await (await fetch(`${simulatorUrl()}${API_PATH}/requests/${String(pending.Uuid)}`)).json()) as { Status?: number };
      assert.equal(after.Status, 16);
    });
  });
});
