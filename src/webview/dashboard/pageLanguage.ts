// Numbers and dates on the page in VS Code's display language, as the tree writes them: the page's own
// navigator.language is the browser's in a web window, not VS Code's.

let language: string | undefined;

/** A tag Intl does not take (or none) leaves the page's own language in force. */
export function setPageLanguage(tag: string | undefined): void {
  try {
    language = tag === undefined || tag === '' ? undefined : new Intl.NumberFormat(tag).resolvedOptions().locale;
  } catch {
    language = undefined;
  }
}

export function pageLanguage(): string | undefined {
  return language;
}

export function numberText(value: number, options?: Intl.NumberFormatOptions): string {
  return value.toLocaleString(language, options);
}
