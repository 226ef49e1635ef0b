import { requestFlagNames, requestStatusName, requestTypeName } from '../cm/codes';
import { ZERO_GUID } from '../cm/guid';
import { cleanServerText } from '../cm/serverText';
import { formatCmDate, type DateFormatter } from './cmDates';

/** A decoded value to show after a line of a request's JSON, where the raw value alone says little. */
export interface Annotation {
  readonly line: number;
  /** Just after the value. */
  readonly character: number;
  readonly label: string;
}

/** A top-level `"Key": value` line as requestJson writes it (two-space indent), with a number or string value. */
const TOP_LEVEL_VALUE = /^ {2}"([^"\\]+)": (-?\d+(?:\.\d+)?|"(?:[^"\\]|\\.)*")/;

/**
 * The decodings the tooltip shows, placed in the JSON itself: status and type names for their codes, flag
 * names, dates in local time, "not completed" for .NET's minimum date, "none" for all-zero GUIDs.
 */
export function annotateRequestJson(text: string, formatDate: DateFormatter): Annotation[] {
  const annotations: Annotation[] = [];
  text.split('\n').forEach((line, index) => {
    const match = TOP_LEVEL_VALUE.exec(line);
    if (match === null || match[1] === undefined || match[2] === undefined) {
      return;
    }
    const value = parseValue(match[2]);
    const decoded = value === undefined ? undefined : annotationFor(match[1], value, formatDate);
    // A server that sends names instead of codes needs no translation.
    if (decoded !== undefined && value !== undefined && decoded.toLowerCase() !== String(value).toLowerCase()) {
      annotations.push({ line: index, character: match[0].length, label: cleanServerText(decoded, MAX_HINT) });
    }
  });
  return annotations;
}

/** A hint is a few words beside a value, whatever the value holds. */
const MAX_HINT = 120;

function parseValue(text: string): number | string | undefined {
  try {
    return JSON.parse(text) as number | string;
  } catch {
    return undefined;
  }
}

function annotationFor(key: string, value: number | string, formatDate: DateFormatter): string | undefined {
  switch (key) {
    case 'Status':
      return requestStatusName(value);
    case 'RequestType':
      return requestTypeName(value);
    case 'Flags':
      // The JSON already shows the number next to it.
      return requestFlagNames(value).replace(/ \(\d+\)$/, '');
    case 'Submitted':
    case 'Completed': {
      if (typeof value !== 'string') {
        return undefined;
      }
      const shown = formatCmDate(value, formatDate);
      return key === 'Submitted' && shown === 'not completed' ? 'not set' : shown;
    }
    default:
      return key.endsWith('Uuid') && value === ZERO_GUID ? 'none' : undefined;
  }
}
