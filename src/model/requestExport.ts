// What "Export Requests..." writes for one request: the columns an administrator puts in a report, decoded as
// the view shows them. Plain Node; the engine builds the text in chunks so 200k rows never block anything.
import { priorityText, requestStatusName, requestTypeName } from '../cm/codes';
import type { ReceivedRequest } from '../cm/schemas';
import { cleanServerText } from '../cm/serverText';
import { csvLine } from './csv';
import type { Lookup } from '../directory/directoryEntry';

export const EXPORT_FORMATS = ['csv', 'json'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

// Not user text: column names stay the same in every language, so scripts and spreadsheets can rely on them.
export const EXPORT_COLUMNS = [
  'Group',
  'Request',
  'Status',
  'Type',
  'Template',
  'Template GUID',
  'Submitted',
  'Completed',
  'Priority',
  'Target user',
  'Target user name',
  'Target user account',
  'Originator',
  'Originator name',
  'Originator account',
  'Smart card',
  'Comment',
] as const;

/** Longest cell written; CM comments are short, a runaway field is cut with a note. */
const MAX_CELL = 2000;

/** Record fields are strings, numbers or booleans once checked; anything else is written empty. */
const text = (value: unknown): string =>
  typeof value === 'string'
    ? cleanServerText(value, MAX_CELL)
    : typeof value === 'number' || typeof value === 'boolean'
      ? String(value)
      : '';

/** The directory's name and account of a user, as export cells: empty while unknown, said when it has none. */
function personCells(lookup: Lookup | undefined): [string, string] {
  if (lookup === null) {
    // Not user text: export values stay the same in every language, like the column names.
    return ['not in the directory', ''];
  }
  return [text(lookup?.name ?? lookup?.upn ?? ''), text(lookup?.account ?? '')];
}

/**
 * One request's cells, in EXPORT_COLUMNS order (dates as the server wrote them, ISO 8601); `people` gives what the
 * directory said of a user GUID.
 */
export function exportCells(
  group: string,
  { id, request }: ReceivedRequest,
  templateName: string | undefined,
  people: (guid: string) => Lookup | undefined = () => undefined,
): string[] {
  const person = (value: unknown): [string, string] => (typeof value === 'string' && value !== '' ? personCells(people(value)) : ['', '']);
  const completed = typeof request.Completed === 'string' && request.Completed.startsWith('0001-01-01') ? '' : text(request.Completed);
  return [
    text(group),
    id,
    requestStatusName(request.Status),
    requestTypeName(request.RequestType),
    text(templateName ?? ''),
    text(request.ProfileTemplateUuid),
    text(request.Submitted),
    completed,
    request.Priority === null || request.Priority === undefined ? '' : priorityText(request.Priority).replace(/ \(.*\)$/, ''),
    text(request.TargetUserUuid),
    ...person(request.TargetUserUuid),
    text(request.OriginatorUserUuid),
    ...person(request.OriginatorUserUuid),
    request.IsSmartcard === true ? 'yes' : request.IsSmartcard === false ? 'no' : '',
    text(request.Comment),
  ];
}

export function exportHeader(format: ExportFormat): string {
  return format === 'csv' ? csvLine(EXPORT_COLUMNS) : '[\n';
}

/** One row of the file; `first` matters for JSON's commas. */
export function exportRow(format: ExportFormat, cells: readonly string[], first: boolean): string {
  if (format === 'csv') {
    return csvLine(cells);
  }
  const record = Object.fromEntries(EXPORT_COLUMNS.map((column, index) => [column, cells[index] ?? '']));
  return `${first ? '' : ',\n'}  ${JSON.stringify(record)}`;
}

export function exportFooter(format: ExportFormat, empty: boolean): string {
  return format === 'csv' ? '' : `${empty ? '' : '\n'}]\n`;
}

// Not user text: column names, as above.
export const PIVOT_COLUMNS = ['Status', 'Type', 'Template', 'Template GUID', 'Requests'] as const;

/**
 * The dashboard's pivot (status × type × template → count) as a whole file: it has at most a few thousand
 * rows, so it is written at once. Sorted by status, type, then template name.
 */
export function pivotExport(
  pivot: readonly (readonly [string, string, string, number])[],
  templates: Readonly<Record<string, string>>,
  format: ExportFormat,
): string {
  const rows = pivot
    .map(([status, type, template, count]) => [status, type, text(templates[template] ?? template), template, String(count)])
    .sort((a, b) => a.slice(0, 3).join('\u0000').localeCompare(b.slice(0, 3).join('\u0000')));
  if (format === 'csv') {
    return csvLine(PIVOT_COLUMNS) + rows.map(csvLine).join('');
  }
  const records = rows.map((cells) =>
    Object.fromEntries(PIVOT_COLUMNS.map((column, index) => [column, column === 'Requests' ? Number(cells[index]) : (cells[index] ?? '')])),
  );
  return `${JSON.stringify(records, null, 2)}\n`;
}
