import { formatNumber, html, type SafeHtml } from './html.ts';

/**
 * The pages of a list: a link to the previous page, « Page n sur N » (the current one), a link to the next;
 * nothing when one page holds everything. `target` keeps the links inside an embedding frame.
 */
export function paginationNav(page: number, lastPage: number, href: (page: number) => string, target?: '_self'): SafeHtml {
  if (lastPage <= 1) return html``;
  const link = (to: number, rel: 'prev' | 'next', label: string) =>
    html`<li><a href="${href(to)}"${target ? html` target="${target}"` : ''} rel="${rel}">${label}</a></li>`;
  return html`<nav class="pagination" aria-label="Pagination"><ul>
  ${page > 1 ? link(page - 1, 'prev', 'Page précédente') : ''}
  <li><span aria-current="page">Page ${page} sur ${formatNumber(lastPage)}</span></li>
  ${page < lastPage ? link(page + 1, 'next', 'Page suivante') : ''}
</ul></nav>`;
}
