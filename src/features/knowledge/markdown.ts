/**
 * The strict Markdown subset of the knowledge base, rendered by hand so that nothing a contributor writes can
 * become markup: every text goes through the escaping `html` template, links are only http(s) or site paths.
 * Blocks: paragraphs, `##`/`###` headings, `-` and `1.` lists, `>` quotes. Inline: **strong**, *emphasis*,
 * `code`, [text](url). Anything else is shown as the text it is.
 */
import { html, type SafeHtml } from '../../web/html.ts';

const SAFE_URL = /^(https?:\/\/[^\s<>"]+|\/[^\s<>"]*)$/;

/** Inline marks of one line of text, each piece escaped. */
export function renderInline(text: string): SafeHtml[] {
  const out: SafeHtml[] = [];
  const pattern = /\*\*([^*]+)\*\*|\*([^*]+)\*|`([^`]+)`|\[([^\]]+)\]\(([^)\s]+)\)/g;
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    out.push(html`${text.slice(last, match.index)}`);
    const [whole, strong, em, code, label, url] = match;
    if (strong !== undefined) out.push(html`<strong>${strong}</strong>`);
    else if (em !== undefined) out.push(html`<em>${em}</em>`);
    else if (code !== undefined) out.push(html`<code>${code}</code>`);
    else if (label !== undefined && url !== undefined && SAFE_URL.test(url)) out.push(html`<a href="${url}">${label}</a>`);
    else out.push(html`${whole}`);
    last = match.index + whole.length;
  }
  out.push(html`${text.slice(last)}`);
  return out;
}

type Block = { kind: 'p' | 'h2' | 'h3' | 'quote'; lines: string[] } | { kind: 'ul' | 'ol'; items: string[] };

function blocks(source: string): Block[] {
  const result: Block[] = [];
  let current = null as Block | null;
  const close = () => {
    if (current) result.push(current);
    current = null;
  };
  for (const raw of source.replace(/\r\n?/g, '\n').split('\n')) {
    const line = raw.trim();
    let m: RegExpExecArray | null;
    if (line === '') close();
    else if ((m = /^(#{2,3})\s+(.*)$/.exec(line))) {
      close();
      result.push({ kind: m[1]!.length === 2 ? 'h2' : 'h3', lines: [m[2]!] });
    } else if ((m = /^[-*]\s+(.*)$/.exec(line)) || (m = /^\d+[.)]\s+(.*)$/.exec(line))) {
      const kind = /^\d/.test(line) ? 'ol' : 'ul';
      if (current?.kind !== kind) {
        close();
        current = { kind, items: [] };
      }
      (current as { items: string[] }).items.push(m[1]!);
    } else if ((m = /^>\s?(.*)$/.exec(line))) {
      if (current?.kind !== 'quote') {
        close();
        current = { kind: 'quote', lines: [] };
      }
      (current as { lines: string[] }).lines.push(m[1]!);
    } else {
      if (current?.kind !== 'p') {
        close();
        current = { kind: 'p', lines: [] };
      }
      (current as { lines: string[] }).lines.push(line);
    }
  }
  close();
  return result;
}

/** The HTML of a resource's Markdown body; `#` titles are lowered to h2, the page's h1 being the resource's title. */
export function renderMarkdown(source: string): SafeHtml {
  return html`${blocks(source).map((b) => {
    switch (b.kind) {
      case 'h2':
        return html`<h2>${renderInline(b.lines[0]!)}</h2>`;
      case 'h3':
        return html`<h3>${renderInline(b.lines[0]!)}</h3>`;
      case 'quote':
        return html`<blockquote><p>${renderInline(b.lines.join(' '))}</p></blockquote>`;
      case 'ul':
        return html`<ul>${b.items.map((i) => html`<li>${renderInline(i)}</li>`)}</ul>`;
      case 'ol':
        return html`<ol>${b.items.map((i) => html`<li>${renderInline(i)}</li>`)}</ol>`;
      default:
        return html`<p>${renderInline(b.lines.join(' '))}</p>`;
    }
  })}`;
}
