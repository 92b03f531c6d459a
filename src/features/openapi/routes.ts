import type { TypedApp } from '../../platform/app-context.ts';
import { html } from '../../web/html.ts';
import { sendPage } from '../../web/forms.ts';

interface OpenApiOperation {
  summary?: string;
  description?: string;
  parameters?: { name: string; in: string; description?: string; required?: boolean }[];
}

/** The OpenAPI 3.1 document, generated from the routes' Zod schemas, and a readable page of it. */
export async function registerOpenApiDocs(app: TypedApp) {
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  app.get('/api', { schema: { hide: true } }, async (_request, reply) => {
    const document = app.swagger() as { paths?: Record<string, Record<string, OpenApiOperation>> };
    const operations = Object.entries(document.paths ?? {}).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({ path, method: method.toUpperCase(), operation })),
    );
    const main = html`<h1>API et données ouvertes</h1>
<p>Toutes les données publiques de Maillage sont accessibles par une API HTTP documentée au format
<a href="/api/openapi.json">OpenAPI 3.1 (openapi.json)</a>, sous <a href="https://www.etalab.gouv.fr/licence-ouverte-open-licence/">Licence Ouverte Etalab 2.0</a>.
Les territoires sont désignés par leurs codes officiels (COG de l’INSEE), les structures par leur SIRET.
Les erreurs sont décrites au format <code>application/problem+json</code> (RFC 9457), en français.</p>
<h2>Points d’accès</h2>
${operations.map(
  ({ path, method, operation }) => html`<section class="endpoint">
  <h3><code>${method} ${path}</code></h3>
  ${operation.summary ? html`<p>${operation.summary}</p>` : ''}
  ${operation.description ? html`<p>${operation.description}</p>` : ''}
  ${
    operation.parameters?.length
      ? html`<table class="table"><caption class="visually-hidden">Paramètres de ${method} ${path}</caption>
    <thead><tr><th scope="col">Paramètre</th><th scope="col">Où</th><th scope="col">Description</th></tr></thead>
    <tbody>${operation.parameters.map((p) => html`<tr><td><code>${p.name}</code>${p.required ? ' (obligatoire)' : ''}</td><td>${p.in === 'query' ? 'requête' : 'chemin'}</td><td>${p.description ?? ''}</td></tr>`)}</tbody></table>`
      : ''
  }
</section>`,
)}`;
    return sendPage(reply, { title: 'API et données', main, currentPath: '/api' });
  });
}
