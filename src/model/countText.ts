/** A count as the display language writes it: "23,989" in English, "23.989" in German. */
export type CountFormatter = (count: number) => string;

/**
 * Counts in VS Code's display language, falling back to the runtime's when ICU does not know it. Groups of a
 * long-lived CM server hold tens of thousands of requests, which are hard to read without separators. Made on
 * first use, like the date formatter: ICU's locale data is not activation's cost.
 */
export function countFormatter(language: string): CountFormatter {
  let format: Intl.NumberFormat | undefined;
  return (count) => {
    format ??= numberFormat(language);
    return format.format(count);
  };
}

function numberFormat(language: string): Intl.NumberFormat {
  try {
    return new Intl.NumberFormat(language, { maximumFractionDigits: 0 });
  } catch {
    return new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
  }
}
