// CSV as RFC 4180 says (CRLF line ends, fields with a comma, quote or line break quoted, quotes doubled), with
// cells a spreadsheet would run as a formula neutralised: server text is data, never a command in Excel.

/** A cell starting with one of these is a formula to Excel, LibreOffice and Google Sheets. */
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: string): string {
  // A leading apostrophe makes a spreadsheet show the text as text; the apostrophe itself is not shown.
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function csvLine(cells: readonly string[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}
