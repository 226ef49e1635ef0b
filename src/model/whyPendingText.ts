// "MIM CM: Why Is This Pending?" as a Markdown document: the request in one line, then what its template's
// workflow policy asks for, and plainly what the REST API cannot tell.
import { requestStatusName, requestTypeName } from '../cm/codes';
import type { ReceivedRequest } from '../cm/schemas';
import { cleanServerText } from '../cm/serverText';
import { formatCmDate, type DateFormatter } from './cmDates';
import { formatAge } from './requestAge';
import { cmTime } from './cmDates';
import * as l10n from '@vscode/l10n';

export function whyPendingMarkdown(
  received: ReceivedRequest,
  reasons: readonly (readonly [string, string])[],
  context: { readonly templateName?: string; readonly hostLabel: string; readonly formatDate: DateFormatter; readonly now?: number },
): string {
  const { request } = received;
  const status = requestStatusName(request.Status);
  const type = requestTypeName(request.RequestType);
  const submitted = cmTime(request.Submitted);
  const waiting = submitted === undefined ? '' : l10n.t`, waiting ${formatAge((context.now ?? Date.now()) - submitted)}`;
  const lines = [
    l10n.t`# Why is request ${received.id.slice(0, 8)} pending?`,
    '',
    l10n.t`${md(type)} of **${md(context.templateName ?? request.ProfileTemplateUuid ?? l10n.t('no template'))}** on ${md(context.hostLabel)}, ` +
      l10n.t`submitted ${md(request.Submitted ? formatCmDate(request.Submitted, context.formatDate) : l10n.t('at an unknown time'))}${waiting}.`,
    '',
  ];
  if (status !== 'Pending') {
    lines.push(l10n.t`> This request is **${md(status)}** now, not Pending: what follows is what its policy asked for.`, '');
  }
  lines.push('| | |', '|---|---|');
  for (const [topic, text] of reasons) {
    lines.push(`| ${md(topic)} | ${md(text)} |`);
  }
  lines.push(
    '',
    l10n.t('A Pending request waits for approvals (approvers approve in the CM portal), for the data its policy collects, ') +
      l10n.t('or for an enrollment agent. The REST API offers no approve or deny.'),
    '',
  );
  return lines.join('\n');
}

/**
 * Server text inside Markdown that is read as source too: cleaned, one line, with only the characters that would
 * change what renders escaped (emphasis, code, links, HTML, table cells), so "127.0.0.1" stays readable.
 */
function md(text: string): string {
  return cleanServerText(text, 500)
    .replace(/\\(?=[`*_[\]<>|])/g, '\\\\')
    .replace(/[`*_[\]<>|]/g, '\\$&')
    .replace(/\r?\n/g, ' ');
}
