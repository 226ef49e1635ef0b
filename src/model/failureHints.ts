// A Failed request carries no reason in the CM REST API: the reason is logged on the CM server and the CA. What
// the extension can do is say where to look, and narrow the search to the request's time window and identity.
import { requestTypeName } from '../cm/codes';
import type { CmLogger } from '../cm/logger';
import type { ReceivedRequest } from '../cm/schemas';
import { cleanServerText } from '../cm/serverText';
import { formatCmDate, type DateFormatter } from './cmDates';
import * as l10n from '@vscode/l10n';

/** A correlation id a CM error page named, and when it was seen. */
export interface Correlation {
  readonly id: string;
  readonly at: number;
}

const CORRELATION = /correlation\s*id\s*[:=]?\s*\{?([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/gi;

/** The correlation ids in a line of text (CM's 500 pages end in "Correlation ID: …"). */
export function correlationIdsIn(text: string): string[] {
  return [...text.matchAll(CORRELATION)].map((match) => (match[1] ?? '').toLowerCase());
}

/** Remembers the last correlation ids this server's failed calls named, for the Failed-request hints. */
export class CorrelationLog {
  private readonly seen: Correlation[] = [];

  constructor(private readonly keep = 10) {}

  note(text: string, at = Date.now()): void {
    for (const id of correlationIdsIn(text)) {
      if (!this.seen.some((entry) => entry.id === id)) {
        this.seen.push({ id, at });
      }
    }
    this.seen.splice(0, Math.max(0, this.seen.length - this.keep));
  }

  get recent(): readonly Correlation[] {
    return this.seen;
  }
}

/** A logger that also notes the correlation ids its warnings and errors name. */
export function notingCorrelations(logger: CmLogger, correlations: CorrelationLog): CmLogger {
  const note =
    (write: (message: string) => void) =>
    (message: string): void => {
      correlations.note(message);
      write(message);
    };
  return { ...logger, warn: note(logger.warn.bind(logger)), error: note(logger.error.bind(logger)) };
}

/** Where the reason for a failed request is, as tooltip rows. */
export function failureHints(
  { request }: ReceivedRequest,
  formatDate: DateFormatter,
  templateName: string | undefined,
  correlations: readonly Correlation[],
): [string, string][] {
  const from = request.Submitted ? formatCmDate(request.Submitted, formatDate) : l10n.t('its submission');
  const to = formatCmDate(request.Completed, formatDate);
  const template = cleanServerText(templateName ?? request.ProfileTemplateUuid ?? l10n.t('its template'), 120);
  const target = cleanServerText(request.TargetUserUuid ?? l10n.t('unknown'), 60);
  const rows: [string, string][] = [
    [l10n.t('Why it failed'), l10n.t('The CM REST API does not say: CM logs the reason on its server and on the CA.')],
    [l10n.t('Look between'), to === l10n.t('not completed') ? l10n.t`${from} and now` : l10n.t`${from} and ${to}`],
    [l10n.t('For'), l10n.t`${cleanServerText(requestTypeName(request.RequestType), 60)} of ${template}, target user ${target}`],
    [
      l10n.t('On the CM server'),
      l10n.t('Event Viewer → Applications and Services Logs → FIM Certificate Management (and the CM trace log, if tracing is on)'),
    ],
    [
      l10n.t('On the CA'),
      l10n.t('The "FIM Certificate Management" event log of the issuing CA (the CM policy and exit modules log there)'),
    ],
  ];
  if (correlations.length > 0) {
    rows.push([
      l10n.t('Correlation ids'),
      correlations.map((entry) => `${entry.id} (${formatDate(new Date(entry.at))})`).join(', ') +
        l10n.t(' — from failed calls this session; search the CM server logs for them'),
    ]);
  }
  return rows;
}
