import { assetUrl } from './assets.ts';
import { html, type HtmlValue, type SafeHtml } from './html.ts';

export interface PageOptions {
  title: string;
  main: HtmlValue;
  /** Path of the current section, to mark the navigation link (aria-current). */
  currentPath?: string;
  /** Pages with a map load MapLibre and the map script. */
  withMap?: boolean;
  description?: string;
}

const NAV = [
  { href: '/recherche?type=cooperations', label: 'Coopérations', section: '/cooperations' },
  { href: '/recherche?type=organisations', label: 'Structures', section: '/organisations' },
  { href: '/territoires', label: 'Territoires', section: '/territoires' },
  { href: '/dispositifs', label: 'Dispositifs', section: '/dispositifs' },
  { href: '/orientation', label: 'Orientation', section: '/orientation' },
  { href: '/api', label: 'API et données', section: '/api' },
];

export function page(options: PageOptions): string {
  const nav = NAV.map(
    (item) => html`<li><a href="${item.href}" ${options.currentPath === item.section ? html`aria-current="page"` : ''}>${item.label}</a></li>`,
  );
  return `<!doctype html>${html`<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${options.title} — Maillage</title>
${options.description ? html`<meta name="description" content="${options.description}">` : ''}
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
