// The names of one CM server's users and groups, looked up in its directory in the background: batched (one OR
// filter for many GUIDs), a few searches at a time, each bounded, kept across refreshes and renewed at most once an
// hour. Nothing waits for it: the tree, counts and badge show at once and names fill in as they arrive. A directory
// that fails is said once, as one explained warning, and nothing more is asked of it until the next load.
import { CmError, type CmErrorDetails } from '../cm/errors';
import type { CmLogger } from '../cm/logger';
import { canonicalGuid, canonicalSid } from './adIdentifiers';
import type { DirectoryEntry, Lookup } from './directoryEntry';
import type { DirectorySession } from './directorySession';
import * as l10n from '@vscode/l10n';

type ErrorDetails = Omit<CmErrorDetails, 'cause'>;

/** GUIDs or SIDs per search: one OR filter of 16-byte values stays far below any directory's filter limit. */
const BATCH = 50;
/** Searches at a time: a directory serves many clients. */
const IN_FLIGHT = 2;
/** A name is renewed on the next load once it is this old. */
const RENEW_AFTER_MS = 60 * 60_000;
/** Names changes are told at most this often (the tree redraws for each). */
const TELL_EVERY_MS = 250;

export type DirectoryState =
  { readonly state: 'off' } | { readonly state: 'working' | 'ready' } | { readonly state: 'failed'; readonly error: ErrorDetails };

interface Known {
  readonly lookup: Lookup;
  readonly at: number;
}

/** The key a GUID or SID is cached under: canonical text (GUIDs lower case, SIDs as S-1-…). */
export function nameKey(text: string): string | undefined {
  return text.startsWith('S-') || text.startsWith('s-') ? canonicalSid(text) : canonicalGuid(text);
}

export class DirectoryNames {
  private readonly known = new Map<string, Known>();
  private readonly queue: string[] = [];
  private readonly queued = new Set<string>();
  private inFlight = 0;
  private session: DirectorySession | undefined;
  private stateValue: DirectoryState = { state: 'off' };
  private idle: (() => void)[] = [];
  private tellTimer: ReturnType<typeof setTimeout> | undefined;
  /** Bumped by every new session: answers of an older one are dropped. */
  private generation = 0;

  constructor(
    private readonly tell: (state: DirectoryState) => void,
    private readonly logger: CmLogger,
    private readonly now: () => number = Date.now,
  ) {}

  get state(): DirectoryState {
    return this.stateValue;
  }

  /**
   * A new way to the directory (or none: names off). What is known stays (until renewed) when it is the same
   * directory reached another way (a sign-in now accepted); another directory's names go.
   */
  use(session: DirectorySession | undefined, sameDirectory = false): void {
    this.session?.close();
    if (!sameDirectory) {
      this.known.clear();
    }
    this.session = session;
    this.generation++;
    this.queue.length = 0;
    this.queued.clear();
    this.setState(session === undefined ? { state: 'off' } : { state: 'ready' });
    this.wakeIdle();
  }

  /** A load happened: a failed directory may be asked again, and names older than an hour are renewed when asked. */
  loaded(): void {
    if (this.stateValue.state === 'failed') {
      this.stateValue = { state: 'ready' };
    }
    const stale = this.now() - RENEW_AFTER_MS;
    for (const [key, entry] of this.known) {
      if (entry.at < stale) {
        this.known.delete(key);
      }
    }
  }

  /** What the directory said of a GUID or SID; undefined while unknown (asked, or never asked). */
  lookup(text: string): Lookup | undefined {
    const key = nameKey(text);
    return key === undefined ? undefined : this.known.get(key)?.lookup;
  }

  entry(text: string): DirectoryEntry | undefined {
    return this.lookup(text) ?? undefined;
  }

  /** Every GUID or SID whose known names hold `word` (lower case). */
  holding(word: string, names: (entry: DirectoryEntry) => string): Set<string> {
    const found = new Set<string>();
    for (const [key, { lookup }] of this.known) {
      if (lookup !== null && names(lookup).includes(word)) {
        found.add(key);
      }
    }
    return found;
  }

  /** Asks for these GUIDs and SIDs (the most wanted first); what is known or asked already is skipped. */
  want(texts: Iterable<string>): void {
    if (this.session === undefined || this.stateValue.state === 'failed') {
      return;
    }
    for (const text of texts) {
      const key = nameKey(text);
      if (key !== undefined && !this.known.has(key) && !this.queued.has(key)) {
        this.queued.add(key);
        this.queue.push(key);
      }
    }
    this.pump();
  }

  /** Resolves once nothing is asked or being looked up (at once with no directory). */
  settled(): Promise<void> {
    if (this.queue.length === 0 && this.inFlight === 0) {
      return Promise.resolve();
    }
    return new Promise((resolve) => this.idle.push(resolve));
  }

  /** People matching typed text, straight from the directory (Show Requests for User). */
  async findPeople(text: string): Promise<{ guid: string; entry: DirectoryEntry }[]> {
    if (this.session === undefined) {
      throw new CmError({
        kind: 'config',
        message: this.stateValue.state === 'failed' ? this.stateValue.error.message : l10n.t('No directory is known for this CM server.'),
        hint: l10n.t('Set mimcm.directory.url to your domain controller (ldaps://dc01.contoso.com).'),
        action: 'openSettings',
      });
    }
    const found = await this.session.findPeople(text);
    for (const { guid, entry } of found) {
      this.known.set(guid, { lookup: entry, at: this.now() });
    }
    return found;
  }

  /** A user asked for something: a password the directory refused may be tried once more. */
  userAction(): void {
    this.session?.userAction();
  }

  dispose(): void {
    clearTimeout(this.tellTimer);
    this.use(undefined);
  }

  private pump(): void {
    while (this.inFlight < IN_FLIGHT && this.queue.length > 0 && this.session !== undefined && this.stateValue.state !== 'failed') {
      const batch = this.nextBatch();
      this.inFlight++;
      this.setState({ state: 'working' });
      void this.run(this.session, batch, this.generation);
    }
    if (this.queue.length === 0 && this.inFlight === 0) {
      if (this.stateValue.state === 'working') {
        this.setState({ state: 'ready' });
      }
      this.wakeIdle();
    }
  }

  /** Up to BATCH keys of one kind (GUIDs or SIDs), in the order asked. */
  private nextBatch(): string[] {
    const sids = (this.queue[0] ?? '').startsWith('S-');
    const batch: string[] = [];
    for (let index = 0; index < this.queue.length && batch.length < BATCH;) {
      const key = this.queue[index] ?? '';
      if (key.startsWith('S-') === sids) {
        batch.push(key);
        this.queue.splice(index, 1);
      } else {
        index++;
      }
    }
    return batch;
  }

  private async run(session: DirectorySession, batch: readonly string[], generation: number): Promise<void> {
    try {
      const answers = (batch[0] ?? '').startsWith('S-') ? await session.lookupSids(batch) : await session.lookupGuids(batch);
      if (generation !== this.generation) {
        return;
      }
      const at = this.now();
      for (const [key, lookup] of answers) {
        this.known.set(key, { lookup, at });
      }
      this.tellSoon();
    } catch (error) {
      if (generation === this.generation && this.stateValue.state !== 'failed') {
        const failure = CmError.from(error);
        this.logger.warn(`Names from the directory stopped: ${failure.describe()}`);
        this.queue.length = 0;
        this.setState({ state: 'failed', error: failure.toDetails() });
      }
    } finally {
      for (const key of batch) {
        this.queued.delete(key);
      }
      this.inFlight--;
      this.pump();
    }
  }

  private setState(state: DirectoryState): void {
    // A new session's names go too, and the host redraws for them.
    const changed = state.state !== this.stateValue.state || state.state === 'ready';
    this.stateValue = state;
    if (changed) {
      clearTimeout(this.tellTimer);
      this.tellTimer = undefined;
      this.tell(state);
    }
  }

  /** New names: told after a short pause, so many batches make one redraw. */
  private tellSoon(): void {
    this.tellTimer ??= setTimeout(() => {
      this.tellTimer = undefined;
      this.tell(this.stateValue);
    }, TELL_EVERY_MS);
  }

  private wakeIdle(): void {
    const waiting = this.idle;
    this.idle = [];
    for (const resolve of waiting) {
      resolve();
    }
  }
}
