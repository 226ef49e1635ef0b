import type { ReceivedRequest } from '../cm/schemas';
import { requestLabel, summarizeRequest, type DateFormatter } from './requestSummary';

/**
 * A text filter over what the tooltip shows of a request: every word must appear somewhere in it (its GUID,
 * type, user, template, profile and card GUIDs, comment, data collection, dates as displayed, extra fields).
 * Requests carry GUIDs, not names, so a GUID or its first digits is the usual thing to type; braces are ignored.
 */
export class RequestFilter {
  private readonly terms: readonly string[];

  /**
   * `searchable` caches each request's text across filters: building it (decoding and formatting every field)
   * is what costs, so a new filter text over 200k loaded requests is only a scan.
   */
  private constructor(
    readonly text: string,
    private readonly formatDate: DateFormatter,
    private readonly searchable: WeakMap<ReceivedRequest, string>,
  ) {
    this.terms = text
      .toLowerCase()
      .split(/\s+/)
      .map((term) => term.replace(/^\{|\}$/g, ''))
      .filter((term) => term !== '');
  }

  /** Undefined for blank text, which means "no filter". */
  static parse(text: string, formatDate: DateFormatter, searchable = new WeakMap<ReceivedRequest, string>()): RequestFilter | undefined {
    const filter = new RequestFilter(text.trim(), formatDate, searchable);
    return filter.terms.length === 0 ? undefined : filter;
  }

  matches(received: ReceivedRequest): boolean {
    const text = this.searchableText(received);
    return this.terms.every((term) => text.includes(term));
  }

  /** Built once per request and kept while the loaded data lives, so a big group is not re-summarised per filter. */
  private searchableText(received: ReceivedRequest): string {
    let text = this.searchable.get(received);
    if (text === undefined) {
      try {
        text = [requestLabel(received), ...summarizeRequest(received, this.formatDate).map(([, value]) => value)].join('\n').toLowerCase();
      } catch {
        // A record the summary cannot read is still found by its GUID, and never hides the rest of its group.
        text = received.id;
      }
      this.searchable.set(received, text);
    }
    return text;
  }
}
