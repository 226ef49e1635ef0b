import { requestFlagNames, requestStatusName, requestTypeName } from '../cm/codes';
import type { ReceivedRequest } from '../cm/schemas';
import { boundedJson } from '../cm/serverText';
import { formatCmDate, type DateFormatter } from './cmDates';
import { MAX_FIELD_TEXT, requestLabel } from './requestSummary';
import { templateKey } from './templateNames';
import { FILTER_FIELDS, fieldTerm, type FieldReader, type FieldTerm } from './filterFields';

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

/**
 * What a filter looks in for one request, lower case: its label, decoded status and flags, dates as displayed,
 * and every field's value as the server sent it (objects as compact JSON). Built far more cheaply than the
 * tooltip's summary, since 200k of them are built after a load.
 */
export function searchableText(received: ReceivedRequest, formatDate: DateFormatter, templateName?: string): string {
  const { request, raw } = received;
  // Joined with += rather than an array and join(): half the time, for 200k texts after a load. Parts are joined
  // by newlines, which no filter word contains, so a word never matches across two fields.
  let text = `${requestLabel(received, templateName)}\n${requestStatusName(request.Status)}\n${requestFlagNames(request.Flags)}\n${formatCmDate(request.Completed, formatDate)}`;
  if (typeof request.Submitted === 'string' && request.Submitted !== '') {
    text += `\n${formatCmDate(request.Submitted, formatDate)}`;
  }
  for (const value of Object.values(raw as Record<string, unknown>)) {
    if (typeof value === 'string') {
      text += `\n${value.length > MAX_FIELD_TEXT ? value.slice(0, MAX_FIELD_TEXT) : value}`;
    } else if (typeof value === 'number' || typeof value === 'boolean') {
      text += `\n${String(value)}`;
    } else if (value !== null && value !== undefined) {
      text += `\n${fieldJson(value)}`;
    }
  }
  return text.toLowerCase();
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
  private readonly alternatives: readonly (readonly (string | FieldTerm)[])[];

  /**
   * `searchable` caches each request's text across filters: building it (decoding and formatting every field)
   * is what costs, so a new filter text over 200k loaded requests is only a scan.
   */
  private constructor(
    readonly text: string,
    private readonly formatDate: DateFormatter,
    private readonly searchable: WeakMap<ReceivedRequest, string>,
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
  static parse(text: string, formatDate: DateFormatter, searchable = new WeakMap<ReceivedRequest, string>()): RequestFilter | undefined {
    const filter = new RequestFilter(text.trim(), formatDate, searchable);
    return filter.alternatives.length === 0 ? undefined : filter;
  }

  /** Whether some term names a field: only then does matching need a request's fields, not just its text. */
  get usesFields(): boolean {
    return this.alternatives.some((terms) => terms.some((term) => typeof term !== 'string'));
  }

  matches(received: ReceivedRequest): boolean {
    return this.matchesText(this.searchableText(received), fieldsOf(received));
  }

  /**
   * For callers that keep the searchable text themselves (the engine, in arrays beside its groups); `fields`
   * answers `status:`/`type:`/`template:` terms (without it, those terms match nothing).
   */
  matchesText(text: string, fields?: FieldReader): boolean {
    return this.alternatives.some((terms) =>
      terms.every((term) => (typeof term === 'string' ? text.includes(term) : fields?.(term.field) === term.value)),
    );
  }

  /** Built once per request and kept while the loaded data lives, so a big group is not re-summarised per filter. */
  private searchableText(received: ReceivedRequest): string {
    let text = this.searchable.get(received);
    if (text === undefined) {
      try {
        text = searchableText(received, this.formatDate);
      } catch {
        // A record the summary cannot read is still found by its GUID, and never hides the rest of its group.
        text = received.id;
      }
      this.searchable.set(received, text);
    }
    return text;
  }
}

/** `status:Pending` names a field; any other word (`vendor:x` too) is text to find. */
function parseTerm(term: string): string | FieldTerm {
  const colon = term.indexOf(':');
  const field = FILTER_FIELDS.find((candidate) => candidate === term.slice(0, colon));
  return field === undefined || colon === term.length - 1 ? term : { field, value: fieldTerm(term.slice(colon + 1)) };
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
