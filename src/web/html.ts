/**
 * HTML templates that escape by default: every value interpolated in html`…` is escaped unless it is
 * itself the result of html`…` (or of `trustedHtml`, for markup Maillage generated, such as an SVG map).
 */
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export type HtmlValue = SafeHtml | string | number | boolean | null | undefined | readonly HtmlValue[];

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

function render(value: HtmlValue): string {
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  if (value === null || value === undefined || value === false || value === true) return '';
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0]!;
  values.forEach((value, i) => {
    out += render(value) + strings[i + 1]!;
  });
  return new SafeHtml(out);
}

/** Markup produced by Maillage itself (never user text). */
export function trustedHtml(markup: string): SafeHtml {
  return new SafeHtml(markup);
}

/** Built once: making an Intl.NumberFormat costs about 0.2 ms, formatting with it about 1 µs. */
const frenchNumber = new Intl.NumberFormat('fr-FR');

/** Numbers the French way: 12 345 (narrow no-break space as thousands separator). */
export function formatNumber(n: number): string {
  return frenchNumber.format(n);
}
