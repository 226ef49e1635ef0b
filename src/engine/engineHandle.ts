// The extension host's end of one server engine: starts its worker thread and turns calls into messages. Plain
// Node (no `vscode`), so tests drive a real worker too.
import type { Worker } from 'node:worker_threads';
import { CmError } from '../cm/errors';
import type { CmLogger } from '../cm/logger';
import type { EngineEventMessage, EngineLogMessage, EngineOp, EngineOps, EngineReplyMessage, EngineRequestMessage } from './protocol';
import * as l10n from '@vscode/l10n';

interface Pending {
  resolve(value: unknown): void;
  reject(error: CmError): void;
}

export class EngineHandle {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  /** Called when the worker stopped by itself (a crash): the owner configures the next one again. */
  onUnexpectedExit: (() => void) | undefined;
  /** Called with what the engine tells unasked (the directory's state, names that arrived). */
  onEvent: ((event: EngineEventMessage) => void) | undefined;

  constructor(
    private readonly workerFile: string,
    private readonly logger: CmLogger,
    /** VS Code's translations (vscode.l10n.bundle): the engine's messages are in the user's language too. */
    private readonly l10nBundle?: Readonly<Record<string, string>>,
  ) {}

  call<K extends EngineOp>(op: K, arg: EngineOps[K][0]): Promise<EngineOps[K][1]> {
    const worker = this.start();
    const id = this.nextId++;
    // Referenced only while an answer is awaited: an idle engine never keeps VS Code or a test process alive.
    worker.ref();
    return new Promise<EngineOps[K][1]>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve, reject });
      worker.postMessage({ id, op, arg } satisfies EngineRequestMessage<K>);
    });
  }

  /** Ends the worker, and with it every connection and all the data it held. */
  dispose(): void {
    const worker = this.worker;
    this.worker = undefined;
    this.failAll(l10n.t('The MIM CM engine for this server was stopped.'));
    void worker?.terminate();
  }

  private start(): Worker {
    if (this.worker !== undefined) {
      return this.worker;
    }
    // Loaded with the first engine, not with the extension: node:worker_threads costs about a millisecond.
    const { Worker: WorkerThread } = process.getBuiltinModule('node:worker_threads');
    const worker = new WorkerThread(this.workerFile, { workerData: { l10nBundle: this.l10nBundle } });
    worker.on('message', (message: EngineReplyMessage | EngineLogMessage | EngineEventMessage) => {
      if ('log' in message) {
        this.logger[message.log](message.message);
        return;
      }
      if ('event' in message) {
        this.onEvent?.(message);
        return;
      }
      const waiting = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (this.pending.size === 0) {
        worker.unref();
      }
      if (message.ok) {
        waiting?.resolve(message.value);
      } else {
        waiting?.reject(new CmError(message.error));
      }
    });
    worker.on('error', (error) => this.logger.error(`The MIM CM engine failed: ${error.message}`));
    worker.on('exit', (code) => {
      if (this.worker !== worker) {
        return;
      }
      this.worker = undefined;
      this.logger.error(`The MIM CM engine stopped unexpectedly (exit code ${code}); it restarts with the next request.`);
      this.failAll(l10n.t('The MIM CM engine stopped unexpectedly; retry.'));
      this.onUnexpectedExit?.();
    });
    this.worker = worker;
    return worker;
  }

  private failAll(message: string): void {
    const error = new CmError({ kind: 'network', message, hint: l10n.t('The log has details.'), action: 'retry' });
    for (const waiting of this.pending.values()) {
      waiting.reject(error);
    }
    this.pending.clear();
  }
}
