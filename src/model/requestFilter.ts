import { requestFlagNames, requestStatusName, requestTypeName } from '../cm/codes';
import { ZERO_GUID } from '../cm/guid';
import type { CmRequest, ReceivedRequest } from '../cm/schemas';
import { boundedJson } from '../cm/serverText';
import { formatCmDate, NOT_COMPLETED, type DateFormatter } from './cmDates';
import { MAX_FIELD_TEXT, requestLabel } from './requestSummary';
import { templateKey } from './templateNames';
import {
  FILTER_FIELDS,
  fieldTerm,
  PERSON_FIELDS,
  type FieldReader,
  type FieldTerm,
  type PersonField,
  type PersonTerm,
} from './filterFields';

/** A request's fields for `status:`/`type:`/`template:` terms; `status` when the caller knows it better. */
export function fieldsOf({ request }: ReceivedRequest, status?: string): FieldReader {
  return (field) =>
    fieldTerm(
      field === 'status'
        ? (status ?? requestStatusName(request.Status))
        : field === 'type'
          ? requestTypeName(request.RequestType)
          : (templateKey(request.ProfileTemplateUuid) ?? ''),
    );
}

/** Takes each part of a request's searchable text, in turn. */
export interface PartSink {
  add(part: string): void;
  /** A part that many requests hold: a decoded code, a number, true or false. */
  addCommon(part: string): void;
}

/**
 * A request's decoded parts (label, status, flags, dates as displayed), remembered per code: the 200k requests of
 * a load hold a few dozen distinct ones, and decoding (translated, cleaned text) costs microseconds each.
 * `templateName` must give the same name for the same template text.
 */
export class DecodedParts {
  private readonly statuses = new Map<unknown, string>();
  private readonly flags = new Map<unknown, string>();
  private readonly labels = new Map<unknown, Map<string, string>>();
  private notCompleted: string | undefined;

  constructor(
    private readonly formatDate: DateFormatter,
    private readonly templateName: (received: ReceivedRequest) => string | undefined = () => undefined,
  ) {}

  label(received: ReceivedRequest): string {
    const { RequestType: type, ProfileTemplateUuid: template } = received.request;
    // Without a template the label shows the request's own GUID.
    if (typeof template !== 'string' || template === '' || template === ZERO_GUID) {
      return requestLabel(received, this.templateName(received));
    }
    let byTemplate = this.labels.get(type);
    if (byTemplate === undefined) {
      byTemplate = new Map();
      this.labels.set(type, byTemplate);
    }
    let label = byTemplate.get(template);
    if (label === undefined) {
      label = requestLabel(received, this.templateName(received));
      byTemplate.set(template, label);
    }
    return label;
  }

  status(value: CmRequest['Status']): string {
    return remembered(this.statuses, value, requestStatusName);
  }

  flagNames(value: CmRequest['Flags']): string {
    return remembered(this.flags, value, requestFlagNames);
  }

  date(value: string | null | undefined): string {
    if (value === NOT_COMPLETED) {
      this.notCompleted ??= formatCmDate(value, this.formatDate);
      return this.notCompleted;
    }
    return formatCmDate(value, this.formatDate);
  }
}

function remembered<K>(texts: Map<unknown, string>, key: K, decode: (key: K) => string): string {
  let text = texts.get(key);
  if (text === undefined) {
    text = decode(key);
    texts.set(key, text);
  }
  return text;
}

/**
 * What a filter looks in for one request, part by part, as sent (not yet lower case): its label, decoded status
 * and flags, dates as displayed, and every field's value as the server sent it (objects as compact JSON). A word
 * matches a request when it is inside one of its parts. Built far more cheaply than the tooltip's summary, since
 * 200k of them are built after a load.
 */
export function searchableParts(received: ReceivedRequest, decoded: DecodedParts, sink: PartSink): void {
  const { request, raw } = received;
  sink.addCommon(decoded.label(received));
  sink.addCommon(decoded.status(request.Status));
  sink.addCommon(decoded.flagNames(request.Flags));
  sink.add(decoded.date(request.Completed));
  if (typeof request.Submitted === 'string' && request.Submitted !== '') {
    sink.add(decoded.date(request.Submitted));
  }
  const fields = raw as Record<string, unknown>;
  // for…in, not Object.values(): records parsed from JSON share a shape, whose keys V8 then reads from a cache
  // without an array per record; it takes a third off indexing 200k requests. The parsed objects inherit no
  // enumerable keys, so the values are the same.
  for (const key in fields) {
    const value = fields[key];
    if (typeof value === 'string') {
      sink.add(value.length > MAX_FIELD_TEXT ? value.slice(0, MAX_FIELD_TEXT) : value);
    } else if (typeof value === 'number' || typeof value === 'boolean') {
      sink.addCommon(String(value));
    } else if (value !== null && value !== undefined) {
      sink.add(fieldJson(value));
    }
  }
}

/** Every part of searchableParts in one lower-case text, joined by newlines, which no filter word contains. */
export function searchableText(received: ReceivedRequest, formatDate: DateFormatter, templateName?: string): string {
  const joined = new JoinedText();
  searchableParts(received, new DecodedParts(formatDate, () => templateName), joined);
  return joined.text.toLowerCase();
}

class JoinedText implements PartSink {
  text = '';

  add(part: string): void {
    // += rather than an array and join(): half the time.
    this.text += `\n${part}`;
  }

  addCommon(part: string): void {
    this.add(part);
  }
}

/**
 * A field's value as compact JSON, bounded. A data collection (a short list of name/value pairs) is written by
 * JSON.stringify, several times faster than boundedJson, which walks any value safely (deep nesting, huge
 * lists) and is kept for every other shape.
 */
function fieldJson(value: unknown): string {
  if (isShortFlatList(value)) {
    const json = JSON.stringify(value);
    if (json.length <= MAX_FIELD_TEXT) {
      return json;
    }
  }
  return boundedJson(value, MAX_FIELD_TEXT);
}

/** A list of up to 64 items, none of them holding a list or object. */
function isShortFlatList(value: unknown): boolean {
  if (!Array.isArray(value) || value.length > 64) {
    return false;
  }
  for (const item of value as unknown[]) {
    if (item !== null && typeof item === 'object') {
      if (Array.isArray(item)) {
        return false;
      }
      for (const key in item) {
        const field: unknown = (item as Record<string, unknown>)[key];
        if (field !== null && typeof field === 'object') {
          return false;
        }
      }
    }
  }
  return true;
}

/**
 * A text filter over what the tooltip shows of a request: every word must appear somewhere in it (its GUID,
 * type, template name, user, profile and card GUIDs, comment, data collection, dates as displayed, extra
 * fields). Requests carry GUIDs, so a GUID or its first digits is the usual thing to type; braces are ignored.
 * `a OR b` (OR in capitals) matches requests that match either side: "Show Related Requests" writes its filter
 * that way, so the user sees and can edit what it asks. `status:`, `type:` and `template:` terms match that field
 * exactly (`status:pending type:enroll template:none`): a dashboard pivot cell filters the tree that way.
 */
export class RequestFilter {
  /** Alternatives (OR) of terms that must all match (AND): a word to find, a field's exact value, or a person. */
  readonly alternatives: readonly (readonly FilterTerm[])[];

  private constructor(
    readonly text: string,
    private readonly formatDate: DateFormatter,
  ) {
    this.alternatives = text
      .split(/\s+OR\s+/)
      .map((alternative) =>
        alternative
          .toLowerCase()
          .split(/\s+/)
          .map((term) => term.replace(/^\{|\}$/g, ''))
          .filter((term) => term !== '')
          .map(parseTerm),
      )
      .filter((terms) => terms.length > 0);
  }

  /** Undefined for blank text, which means "no filter". */
  static parse(text: string, formatDate: DateFormatter): RequestFilter | undefined {
    const filter = new RequestFilter(text.trim(), formatDate);
    return filter.alternatives.length === 0 ? undefined : filter;
  }

  /**
   * One request, on its own (the engine keeps an index of every loaded request instead: see FilterIndex, which
   * must find exactly what this finds). `people` gives the names the directory knows of a GUID.
   */
  matches(received: ReceivedRequest, people: PeopleNames = () => undefined): boolean {
    let text: string;
    try {
      text = searchableText(received, this.formatDate);
    } catch {
      // A record the summary cannot read is still found by its GUID, and never hides the rest of its group.
      text = received.id;
    }
    const target = personKey(received.request.TargetUserUuid);
    const originator = personKey(received.request.OriginatorUserUuid);
    const named = (key: string | undefined, word: string): boolean => key !== undefined && (people(key)?.includes(word) ?? false);
    return this.alternatives.some((terms) =>
      terms.every((term) => {
        if (typeof term === 'string') {
          return text.includes(term) || named(target, term) || named(originator, term);
        }
        if ('person' in term) {
          const key = term.person === 'user' ? target : originator;
          return key !== undefined && (key.startsWith(term.value) || named(key, term.value));
        }
        return fieldsOf(received)(term.field) === term.value;
      }),
    );
  }

  /** `fields` answers `status:`/`type:`/`template:` terms (without it, those terms match nothing); people, nothing. */
  matchesText(text: string, fields?: FieldReader): boolean {
    return this.alternatives.some((terms) =>
      terms.every((term) => (typeof term === 'string' ? text.includes(term) : 'field' in term && fields?.(term.field) === term.value)),
    );
  }
}

/** A word to find, a field's exact value, or a person by GUID prefix or name. */
export type FilterTerm = string | FieldTerm | PersonTerm;

/** The names the directory gave a person's GUID, lower case (see searchableNames); undefined when none. */
export type PeopleNames = (guid: string) => string | undefined;

/** A user GUID field as the filter compares it: lower case, without braces. */
export function personKey(value: string | null | undefined): string | undefined {
  return typeof value === 'string' && value !== '' ? value.replace(/^\{|\}$/g, '').toLowerCase() : undefined;
}

/** `status:Pending` names a field, `user:alice` a person; any other word (`vendor:x` too) is text to find. */
function parseTerm(term: string): FilterTerm {
  const colon = term.indexOf(':');
  if (colon === -1 || colon === term.length - 1) {
    return term;
  }
  const name = term.slice(0, colon);
  const person = PERSON_FIELDS.find((candidate): candidate is PersonField => candidate === name);
  if (person !== undefined) {
    return { person, value: term.slice(colon + 1) };
  }
  const field = FILTER_FIELDS.find((candidate) => candidate === name);
  return field === undefined ? term : { field, value: fieldTerm(term.slice(colon + 1)) };
}

/**
 * The filter "Show Related Requests" sets: the request's profiles, smart cards and target user, any of which
 * another request may share (all-zero GUIDs mean none).
 */
export function relatedFilterText({ request }: ReceivedRequest): string {
  const ids = [request.NewProfileUuid, request.OldProfileUuid, request.NewSmartcardUuid, request.OldSmartcardUuid, request.TargetUserUuid]
    .map((value) => (typeof value === 'string' ? value.replace(/^\{|\}$/g, '').toLowerCase() : ''))
    .filter(
      (id) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(id) && id !== '00000000-0000-0000-0000-000000000000',
    );
  return [...new Set(ids)].join(' OR ');
}
