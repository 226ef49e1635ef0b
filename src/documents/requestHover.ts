import * as vscode from 'vscode';
import { requestStatusName } from '../cm/codes';
import type { CmRequest } from '../cm/schemas';
import type { DateFormatter } from '../model/cmDates';
import { failureHints, type CorrelationLog } from '../model/failureHints';
import { requestAddress } from './requestUri';
import * as l10n from '@vscode/l10n';

/**
 * On a Failed request's "Status" line: where the reason is logged (a Failed request carries none in the REST
 * API), with its time window, template, type and target, and the correlation ids of calls that failed.
 */
export class RequestHover implements vscode.HoverProvider {
  constructor(
    private readonly formatDate: DateFormatter,
    private readonly templateName: (serverId: string | undefined, templateId: string) => string | undefined,
    private readonly correlations: CorrelationLog,
  ) {}

  provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const address = requestAddress(document.uri);
    if (address === undefined || !/^ {2}"Status": /.test(document.lineAt(position.line).text)) {
      return undefined;
    }
    let record: CmRequest;
    try {
      record = JSON.parse(document.getText()) as CmRequest;
    } catch {
      return undefined;
    }
    if (requestStatusName(record.Status) !== 'Failed') {
      return undefined;
    }
    const template =
      typeof record.ProfileTemplateUuid === 'string' ? this.templateName(address.serverId, record.ProfileTemplateUuid) : undefined;
    const rows = failureHints({ id: address.requestId, request: record, raw: record }, this.formatDate, template, this.correlations.recent);
    const text = new vscode.MarkdownString(l10n.t('**Where the reason for this failure is**\n\n| | |\n|---|---|\n'));
    for (const [label, value] of rows) {
      text.appendMarkdown(`| ${escape(label)} | ${escape(value)} |\n`);
    }
    return new vscode.Hover(text, document.lineAt(position.line).range);
  }
}

function escape(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&').replace(/\r?\n/g, ' ');
}
