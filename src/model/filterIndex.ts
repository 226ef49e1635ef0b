import { ZERO_GUID } from '../cm/guid';
import type { ReceivedRequest } from '../cm/schemas';
import { NOT_COMPLETED, type DateFormatter } from './cmDates';
import type { FieldReader, FieldTerm, PersonTerm } from './filterFields';
import { DecodedParts, personKey, searchableParts, type PartSink, type RequestFilter } from './requestFilter';

/** The GUIDs (lower case) whose names in the directory hold a word; nothing when there is no directory. */
export type NamedHolding = (word: string) => ReadonlySet<string>;

/**
 * Parts longer than this are kept once per distinct value. Shorter ones are mostly GUIDs that only their request
 * holds (its own, its profile's, its card's): looking each up in a table would cost more than it saves.
 */
const SHARED_LENGTH = 64;

/**
 * What the engine's filter searches, for every request of one load. Most of a request's text is what many others
 * send too: its security descriptor and data collection, empty GUIDs, decoded codes, numbers. Those parts are
 * kept once per distinct value, and each request holds ids into that table; the rest (its GUIDs and dates) is its
 * own short lower-case text. A new word is looked for in each distinct shared part once, not in 200k copies of
 * it. In the bench's data a filter reads 267 characters a request instead of 690; a real server's SDDL runs to
 * hundreds of characters more. It finds exactly what RequestFilter.matches finds, request by request (a property
 * test holds it to that).
 */
export class FilterIndex implements PartSink {
  /** Each request's own parts, lower case, joined by newlines (which no word contains). */
  private readonly ownTexts: string[];
  /** The shared parts of request i are ids[starts[i]] … ids[starts[i + 1] - 1]. */
  private ids = new Uint32Array(1 << 16);
  private readonly starts: Uint32Array;
  private idCount = 0;
  /** Distinct shared parts as sent, to their id. */
  private readonly dictionary = new Map<string, number>();
  /** Distinct shared parts, lower case, by id. */
  private readonly parts: string[] = [];
  /** By part id, the last request (plus one) that holds it: a part twice in a request (empty GUIDs) is kept once. */
  private lastHolder = new Uint32Array(1 << 12);
  private built = 0;
  private ownText = '';
  private lastOwn: string | undefined;
  private readonly decoded: DecodedParts;

  /** `templateName` must give the same name for the same template text. */
  constructor(
    private readonly requests: readonly ReceivedRequest[],
    formatDate: DateFormatter,
    templateName: (request: ReceivedRequest) => string | undefined,
  ) {
    this.decoded = new DecodedParts(formatDate, templateName);
    this.ownTexts = new Array<string>(requests.length);
    this.starts = new Uint32Array(requests.length + 1);
  }

  get complete(): boolean {
    return this.built === this.requests.length;
  }

  /** How many requests, from the first, are indexed. */
  get size(): number {
    return this.built;
  }

  /** Indexes the next request (in the order of the list given). */
  addNext(): void {
    const index = this.built;
    const received = this.requests[index];
    if (received === undefined) {
      return;
    }
    const firstId = this.idCount;
    this.ownText = '';
    this.lastOwn = undefined;
    try {
      searchableParts(received, this.decoded, this);
    } catch {
      // A record the filter cannot read is still found by its GUID, and never hides the rest of its group.
      this.idCount = firstId;
      this.ownText = received.id;
    }
    this.ownTexts[index] = this.ownText.toLowerCase();
    this.built = index + 1;
    this.starts[this.built] = this.idCount;
  }

  add(part: string): void {
    if (part.length > SHARED_LENGTH || part === ZERO_GUID || part === NOT_COMPLETED) {
      this.shared(part);
    } else if (part !== this.lastOwn) {
      // Skipping a part equal to the one before it (the target user is most often the originator) finds the same.
      this.ownText += `\n${part}`;
      this.lastOwn = part;
    }
  }

  addCommon(part: string): void {
    this.shared(part);
  }

  private shared(part: string): void {
    let id = this.dictionary.get(part);
    if (id === undefined) {
      id = this.parts.length;
      this.parts.push(part.toLowerCase());
      this.dictionary.set(part, id);
      if (id === this.lastHolder.length) {
        this.lastHolder = grown(this.lastHolder);
      }
    }
    const holder = this.built + 1;
    if (this.lastHolder[id] === holder) {
      return;
    }
    this.lastHolder[id] = holder;
    if (this.idCount === this.ids.length) {
      this.ids = grown(this.ids);
    }
    this.ids[this.idCount++] = id;
  }

  /**
   * Which requests match, index for index (1 for a match); what is not yet indexed is indexed first.
   * `fields` gives a request's fields for `status:`/`type:`/`template:` terms; `named`, the people whose names
   * hold a word (a word finds a request whose target user or originator is named so).
   */
  matching(filter: RequestFilter, fields: (index: number) => FieldReader, named: NamedHolding = () => new Set()): Uint8Array {
    while (!this.complete) {
      this.addNext();
    }
    const result = new Uint8Array(this.built);
    for (const alternative of filter.alternatives) {
      const candidates = new Uint8Array(this.built).fill(1);
      // Each term only looks at the requests every earlier term left; words first, as reading fields costs more.
      const terms = [...alternative].sort((a, b) => Number(typeof a !== 'string') - Number(typeof b !== 'string'));
      for (const term of terms) {
        if (typeof term === 'string') {
          this.keepHolding(candidates, term, named(term));
        } else if ('person' in term) {
          this.keepPerson(candidates, term, named(term.value));
        } else {
          keepHaving(candidates, term, fields);
        }
      }
      for (let index = 0; index < this.built; index++) {
        result[index] |= candidates[index];
      }
    }
    return result;
  }

  /** Clears the candidates that do not hold the word in one of their parts, nor in their people's names. */
  private keepHolding(candidates: Uint8Array, word: string, people: ReadonlySet<string>): void {
    const partFound = this.partsHolding(word);
    for (let index = 0; index < this.built; index++) {
      if (
        candidates[index] === 1 &&
        !this.ownTexts[index].includes(word) &&
        !(partFound !== undefined && this.holdsPart(index, partFound)) &&
        !(people.size > 0 && this.namedPerson(index, people))
      ) {
        candidates[index] = 0;
      }
    }
  }

  /** Clears the candidates whose target user (or originator) neither starts with the term nor is named by it. */
  private keepPerson(candidates: Uint8Array, term: PersonTerm, people: ReadonlySet<string>): void {
    for (let index = 0; index < this.built; index++) {
      const request = this.requests[index]?.request;
      const key = personKey(term.person === 'user' ? request?.TargetUserUuid : request?.OriginatorUserUuid);
      if (candidates[index] === 1 && !(key !== undefined && (key.startsWith(term.value) || people.has(key)))) {
        candidates[index] = 0;
      }
    }
  }

  private namedPerson(index: number, people: ReadonlySet<string>): boolean {
    const request = this.requests[index]?.request;
    const target = personKey(request?.TargetUserUuid);
    const originator = personKey(request?.OriginatorUserUuid);
    return (target !== undefined && people.has(target)) || (originator !== undefined && people.has(originator));
  }

  /** Which distinct shared parts hold the word, by id; undefined when none does. */
  private partsHolding(word: string): Uint8Array | undefined {
    let found: Uint8Array | undefined;
    for (let id = 0; id < this.parts.length; id++) {
      if (this.parts[id].includes(word)) {
        found ??= new Uint8Array(this.parts.length);
        found[id] = 1;
      }
    }
    return found;
  }

  private holdsPart(index: number, partFound: Uint8Array): boolean {
    for (let at = this.starts[index], end = this.starts[index + 1]; at < end; at++) {
      if (partFound[this.ids[at]] === 1) {
        return true;
      }
    }
    return false;
  }
}

/** Clears the candidates whose field is not the term's value. */
function keepHaving(candidates: Uint8Array, term: FieldTerm, fields: (index: number) => FieldReader): void {
  for (let index = 0; index < candidates.length; index++) {
    if (candidates[index] === 1 && fields(index)(term.field) !== term.value) {
      candidates[index] = 0;
    }
  }
}

function grown(array: Uint32Array<ArrayBuffer>): Uint32Array<ArrayBuffer> {
  const larger = new Uint32Array(array.length * 2);
  larger.set(array);
  return larger;
}

/** The indices whose request was found, in their order. */
export function foundAmong(indices: Uint32Array, found: Uint8Array): Uint32Array {
  let count = 0;
  for (let at = 0; at < indices.length; at++) {
    count += found[indices[at]];
  }
  const kept = new Uint32Array(count);
  let next = 0;
  for (let at = 0; at < indices.length; at++) {
    const index = indices[at];
    if (found[index] === 1) {
      kept[next++] = index;
    }
  }
  return kept;
}
