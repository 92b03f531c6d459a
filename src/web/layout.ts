import { AsyncLocalStorage } from 'node:async_hooks';
import { assetUrl } from './assets.ts';
import { html, type HtmlValue, type SafeHtml } from './html.ts';

/**
 * The signed-in person a page is rendered for: the name, the CSRF token of the header's sign-out form, and the
 * powers that add a link to the header (moderation queue, administration).
 */
export interface PageAccount {
  displayName: string;
  csrfToken: string;
  moderator?: boolean;
  instructor?: boolean;
  /** Instructs a call or may create one (scheme publishers). */
  callManager?: boolean;
  platformAdmin?: boolean;
}

/**
 * What the layout knows of the request being answered, set by the accounts feature around each handler, so
 * that every page's header says who is signed in without each route passing it.
 */
export interface PageRequestContext {
  account: PageAccount | null;
  /** The path of a GET page, for the « Se connecter » link to come back to it. */
  returnPath?: string;
}

export const pageRequestContext = new AsyncLocalStorage<PageRequestContext>();

export interface PageOptions {
  title: string;
  main: HtmlValue;
  /** Path of the current section, to mark the navigation link (aria-current). */
  currentPath?: string;
  /** Pages with a map load MapLibre and the map script. */
  withMap?: boolean;
  description?: string;
  /** Who is signed in (null: nobody); when absent, taken from the request being answered (pageRequestContext). */
  account?: PageAccount | null;
}

const NAV = [
  { href: '/recherche?type=cooperations', label: 'Coopérations', section: '/cooperations' },
  { href: '/recherche?type=organisations', label: 'Structures', section: '/organisations' },
  { href: '/territoires', label: 'Territoires', section: '/territoires' },
  { href: '/dispositifs', label: 'Dispositifs', section: '/dispositifs' },
  { href: '/orientation', label: 'Orientation', section: '/orientation' },
  { href: '/appels', label: 'Appels à projets', section: '/appels' },
  { href: '/campagnes', label: 'Campagnes', section: '/campagnes' },
  { href: '/ressources', label: 'Ressources', section: '/ressources' },
  { href: '/mutualisation', label: 'Mutualisation', section: '/mutualisation' },
  { href: '/observatoire', label: 'Observatoire', section: '/observatoire' },
  { href: '/api', label: 'API et données', section: '/api' },
];

function accountNav(account: PageAccount | null, returnPath: string | undefined, currentPath: string | undefined): SafeHtml {
  const currentIf = (section: string) => (currentPath === section ? html`aria-current="page"` : '');
  const current = currentIf('/compte');
  if (!account) {
    const back = returnPath && returnPath !== '/' && !returnPath.startsWith('/compte') ? `?retour=${encodeURIComponent(returnPath)}` : '';
    return html`<nav aria-label="Compte" class="account-nav"><ul class="nav"><li><a href="/compte/connexion${back}" ${current}>Se connecter</a></li></ul></nav>`;
  }
  return html`<nav aria-label="Compte" class="account-nav"><ul class="nav">
    ${account.moderator ? html`<li><a href="/moderation" ${currentIf('/moderation')}>Modération</a></li>` : ''}
    ${account.instructor ? html`<li><a href="/instruction" ${currentIf('/instruction')}>Instruction</a></li>` : ''}
    ${account.callManager ? html`<li><a href="/gestion/appels" ${currentIf('/gestion')}>Mes appels (gestion)</a></li>` : ''}
    ${account.platformAdmin ? html`<li><a href="/admin" ${currentIf('/admin')}>Administration</a></li>` : ''}
    <li><a href="/compte" ${current}>Mon compte</a></li>
    <li><form method="post" action="/compte/deconnexion"><input type="hidden" name="_csrf" value="${account.csrfToken}"><button type="submit" class="button">Se déconnecter</button></form></li>
  </ul></nav>`;
}

export function page(options: PageOptions): string {
  const context = pageRequestContext.getStore();
  const account = options.account !== undefined ? options.account : (context?.account ?? null);
  const nav = NAV.map(
    (item) => html`<li><a href="${item.href}" ${options.currentPath === item.section ? html`aria-current="page"` : ''}>${item.label}</a></li>`,
  );
  return `<!doctype html>${html`<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
${account ? html`<meta name="csrf-token" content="${account.csrfToken}">` : ''}
<title>${options.title} — Maillage</title>
${options.description ? html`<meta name="description" content="${options.description}">` : ''}
<link rel="icon" href="/favicon.ico" sizes="16x16 32x32 48x48"><link rel="icon" href="${assetUrl('favicon.svg')}" type="image/svg+xml">
<link rel="stylesheet" href="${assetUrl('app.css')}">
<script type="module" src="${assetUrl('app.js')}"></script>
${options.withMap ? html`<link rel="stylesheet" href="${assetUrl('map.css')}"><script type="module" src="${assetUrl('map.js')}"></script>` : ''}
</head>
<body>
<a class="skip-link" href="#contenu">Aller au contenu</a>
<header class="site-header">
  <div class="container header-inner">
    <a class="brand" href="/">Maillage<span class="brand-tagline">Coopérations économiques territoriales</span></a>
    <nav aria-label="Navigation principale"><ul class="nav">${nav}</ul></nav>
    ${accountNav(account, context?.returnPath, options.currentPath)}
  </div>
</header>
<main id="contenu" class="container" tabindex="-1">
${options.main}
</main>
<footer class="site-footer">
  <div class="container">
    <p>Maillage, logiciel libre pour la coopération économique territoriale dans l’économie sociale et solidaire.</p>
    <p>Données publiées sous <a href="https://www.etalab.gouv.fr/licence-ouverte-open-licence/">Licence Ouverte Etalab 2.0</a>.
    Géographie : COG de l’INSEE via <code>@etalab/decoupage-administratif</code>. Cartes des départements et régions : <code>@svg-maps</code> (CC BY 4.0).
    Les fiches marquées « exemple » reprennent uniquement ce que disent les documents sources.</p>
  </div>
</footer>
</body>
</html>`}`;
}

export function errorPage(status: number, title: string, detail: string): string {
  return page({
    title,
    main: html`<h1>${title}</h1>
<div class="alert" role="alert"><p>${detail}</p></div>
<p>Code ${status}. <a href="/">Retour à l’accueil</a></p>`,
  });
}

/** A breadcrumb trail; the last item is the current page. */
export function breadcrumb(items: { href?: string; label: string }[]): SafeHtml {
  return html`<nav aria-label="Fil d’Ariane" class="breadcrumb"><ol>${items.map((item) =>
    item.href ? html`<li><a href="${item.href}">${item.label}</a></li>` : html`<li aria-current="page">${item.label}</li>`,
  )}</ol></nav>`;
}
