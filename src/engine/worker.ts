// The entry of a server engine's worker thread: answers the extension host's requests (see protocol.ts) and
// forwards log lines. undici, zod and the Kerberos binding are loaded here, never on the extension host.
import { getHeapStatistics } from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';
import { CmError } from '../cm/errors';
import { discoverEndpoints, requestTokens } from '../cm/oauthClient';
import type { CmLogger } from '../cm/logger';
import type { EngineEventMessage, EngineLogMessage, EngineOp, EngineOps, EngineReplyMessage, EngineRequestMessage } from './protocol';
import { ServerEngine } from './serverEngine';
import * as l10n from '@vscode/l10n';

const port = parentPort;
if (port === null) {
  throw new Error('The MIM CM engine must run in a worker thread.');
}

const bundle = (workerData as { l10nBundle?: Record<string, string> } | null)?.l10nBundle;
if (bundle !== undefined) {
  l10n.config({ contents: bundle });
}

const log =
  (level: EngineLogMessage['log']) =>
  (message: string): void =>
    port.postMessage({ log: level, message } satisfies EngineLogMessage);
const logger: CmLogger = { trace: log('trace'), debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
const engine = new ServerEngine(logger, (event) => port.postMessage(event satisfies EngineEventMessage));

type Handlers = { [K in EngineOp]: (arg: EngineOps[K][0]) => EngineOps[K][1] | Promise<EngineOps[K][1]> };

const handlers: Handlers = {
  configure: (config) => engine.configure(config),
  load: ({ statuses }) => engine.load(statuses),
  filter: ({ text }) => engine.setFilter(text),
  view: (settings) => engine.setView(settings),
  page: ({ group, limit }) => engine.page(group, limit),
  details: ({ requestId, group }) => engine.details(requestId, group),
  fetch: ({ requestId }) => engine.fetch(requestId),
  document: (address) => engine.document(address),
  whyPending: ({ requestId }) => engine.whyPending(requestId),
  relatedFilter: ({ requestId }) => engine.relatedFilter(requestId),
  dashboard: ({ range, now }) => engine.dashboard(range, now),
  exportChunk: ({ format, from, limit }) => engine.exportChunk(format, from, limit),
  pollRow: ({ requestId }) => engine.pollRow(requestId),
  setStatus: ({ requestId, status }) => engine.setStatus(requestId, status),
  userAction: () => engine.userAction(),
  adfsEndpoints: ({ connection, secrets }) => discoverEndpoints(connection, secrets),
  adfsToken: ({ connection, secrets, form }) => requestTokens(connection, secrets, form),
  names: ({ keys }) => engine.names(keys),
  findPeople: ({ text }) => engine.findPeople(text),
  summary: () => engine.currentSummary(),
  indexed: () => engine.indexed().then(() => true),
  heap: () => {
    (globalThis as { gc?: () => void }).gc?.();
    return getHeapStatistics().used_heap_size;
  },
};

port.on('message', (message: EngineRequestMessage) => {
  const handler = handlers[message.op] as (arg: unknown) => unknown;
  Promise.resolve()
    .then(() => handler(message.arg))
    .then(
      (value) => port.postMessage({ id: message.id, ok: true, value } satisfies EngineReplyMessage),
      (error: unknown) =>
        port.postMessage({ id: message.id, ok: false, error: CmError.from(error).toDetails() } satisfies EngineReplyMessage),
    );
});
