// Building the dashboard's DOM. Text goes in as text nodes, never as HTML: the figures carry names the server
// chose (template names), and a server's text must never become markup in the webview.
import { numberText } from './pageLanguage';

type Child = Node | string | number | undefined | false;

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Readonly<Record<string, string | undefined>> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value !== undefined) {
      element.setAttribute(name, value);
    }
  }
  append(element, children);
  return element;
}

export function append(parent: Element, children: readonly Child[]): void {
  for (const child of children) {
    if (child === undefined || child === false) {
      continue;
    }
    parent.append(typeof child === 'number' ? numberText(child) : child);
  }
}

/** A button that runs `action` (Enter and Space included, as every button does). */
export function button(label: string, attributes: Readonly<Record<string, string | undefined>>, action: () => void): HTMLButtonElement {
  const element = el('button', { type: 'button', ...attributes }, label);
  element.addEventListener('click', action);
  return element;
}

/** A theme colour (a CSS custom property of the page), resolved for drawing on a canvas. */
export function themeColor(property: string, fallback: string): string {
  const value = getComputedStyle(document.body).getPropertyValue(property).trim();
  return value === '' ? fallback : value;
}
