import { compareFrench } from '../../domain/french.ts';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { AppContext, TypedApp } from '../../platform/app-context.ts';
import { checkedRows } from '../../db/database.ts';
import { stade } from '../../domain/cooperation.ts';
import { html } from '../../web/html.ts';
import { sendPage } from '../../web/forms.ts';
import { breadcrumb } from '../../web/layout.ts';
import { badRequest } from '../../web/errors.ts';
import { optionalParam, typedText } from '../../platform/params.ts';
import { choroplethSvg, choroplethTable } from '../atlas/map/choropleth.ts';
import { needCoverage, type NeedCoverage } from './coverage.ts';
import type { OrientationDataCache } from '../orientation/service.ts';

const querySchema = z.object({
  stade: optionalParam(stade.schema).default('emergence').describe('Stade de coopération'),
  niveau: optionalParam(z.enum(['departement', 'region']))
    .default('departement')
    .describe('Maille territoriale'),
  besoin: optionalParam(z.string().regex(/^[a-z_]{1,80}$/, 'code de besoin invalide')).describe('Un seul besoin (code)'),
  porteur: optionalParam(typedText(200, 'le nom du porteur ne peut dépasser 200 caractères')).describe('Seulement les dispositifs de ce porteur (nom exact)'),
});

const coverageSchema = z.object({
  stade: stade.schema,
  libelle_stade: z.string(),
  niveau: z.enum(['departement', 'region']),
  porteur: z.string().nullable(),
  besoins: z.array(
    z.object({
      code: z.string(),
      type: z.enum(['accompagnement', 'financement']),
      libelle: z.string(),
      regle: z.string(),
      zones_blanches: z.number().int().describe('Nombre de territoires où aucun dispositif ne répond à ce besoin'),
      territoires: z.array(z.object({ code: z.string(), nom: z.string(), dispositifs: z.number().int() })),
    }),
  ),
  dispositifs_sans_couverture_connue: z.array(z.string()).describe('Dispositifs dont la source ne donne pas la couverture : comptés partout, à vérifier'),
  regle_couverture: z.string().describe('La règle qui décide où un dispositif compte, la même que celle de l’orientation'),
  version_regles: z.number().int().describe('La version des règles de besoins utilisée (lisible sur /orientation/regles?version=N)'),
});

function cartographyPage(coverage: NeedCoverage, selected: string | undefined, porteurs: string[]) {
  const need = coverage.besoins.find((b) => b.code === selected) ?? coverage.besoins[0];
  const counts = new Map(need?.territoires.map((t) => [t.code, t.dispositifs]) ?? []);
  const url = (extra: Record<string, string | undefined>) => {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries({ stade: coverage.stade, niveau: coverage.niveau, porteur: coverage.porteur ?? undefined, ...extra }))
      if (v) params.set(k, v);
    return `/cartographie?${params}`;
  };
  return html`${breadcrumb([{ href: '/', label: 'Accueil' }, { label: 'Cartographie des besoins couverts' }])}
<h1>Où les besoins des coopérations sont-ils couverts ?</h1>
<p>Pour chaque besoin des matrices du Labo de l’ESS (document 001) au stade « ${coverage.libelle_stade} », le nombre de dispositifs
du catalogue qui y répondent sur chaque ${coverage.niveau === 'departement' ? 'département' : 'région'}. Les zones blanches sont les territoires où aucun dispositif n’y répond.
</p>
<p id="regle-couverture"><strong>Règle :</strong> ${coverage.regle_couverture} Dispositifs sans couverture connue à ce stade : ${coverage.dispositifs_sans_couverture_connue.length}.</p>
<form method="get" action="/cartographie" class="search-form">
  <div class="field"><label for="stade">Stade</label><select id="stade" name="stade">${Object.entries(stade.labels).map(([c, l]) => html`<option value="${c}" ${c === coverage.stade ? html`selected` : ''}>${l}</option>`)}</select></div>
  <div class="field"><label for="niveau">Maille</label><select id="niveau" name="niveau"><option value="departement" ${coverage.niveau === 'departement' ? html`selected` : ''}>Départements</option><option value="region" ${coverage.niveau === 'region' ? html`selected` : ''}>Régions</option></select></div>
  <div class="field"><label for="porteur">Porteur (facultatif)</label><select id="porteur" name="porteur"><option value="">Tous les porteurs</option>${porteurs.map((p) => html`<option value="${p}" ${p === coverage.porteur ? html`selected` : ''}>${p}</option>`)}</select></div>
  <button class="button" type="submit">Afficher</button>
</form>
<h2>Besoins et zones blanches</h2>
<table class="table"><caption>Besoins au stade « ${coverage.libelle_stade} » : territoires sans aucun dispositif</caption>
<thead><tr><th scope="col">Besoin</th><th scope="col">Type</th><th scope="col" class="number">Zones blanches</th></tr></thead>
<tbody>${coverage.besoins.map((b) => html`<tr><td><a href="${url({ besoin: b.code })}" ${b.code === need?.code ? html`aria-current="true"` : ''}>${b.libelle}</a></td><td>${b.type}</td><td class="number">${b.zones_blanches} / ${b.territoires.length}</td></tr>`)}</tbody></table>
${
  need
    ? html`<h2>« ${need.libelle} »</h2>
<div class="choropleth-layout">
${choroplethSvg(coverage.niveau, counts, (code) => `/dispositifs?${coverage.niveau}=${code}&stade=${coverage.stade}`, `Dispositifs répondant au besoin « ${need.libelle} »`, { noun: ['dispositif', 'dispositifs'] })}
${choroplethTable(coverage.niveau, counts, (code) => `/dispositifs?${coverage.niveau}=${code}&stade=${coverage.stade}`, `Dispositifs par ${coverage.niveau === 'departement' ? 'département' : 'région'}`, { noun: ['dispositif', 'dispositifs'] })}
</div>`
    : html`<p>Aucun besoin à ce stade.</p>`
}
<p>Établi avec les <a href="/orientation/regles?version=${coverage.version_regles}">règles de besoins, version ${coverage.version_regles}</a>.
<a href="/api/v1/cartographie?stade=${coverage.stade}&niveau=${coverage.niveau}">Ces chiffres en JSON</a></p>`;
}

const porteursOfRow = z.object({ id: z.number(), name: z.string() });

export async function registerCartography(app: TypedApp, { database, territories }: AppContext, data: OrientationDataCache) {
  const db = database.db;
  const porteursOf = async () => {
    const list = await checkedRows(db, porteursOfRow, sql`select dispositif_id::int as id, name from dispositif_porteur`);
    const byScheme = new Map<number, string[]>();
    for (const p of list) byScheme.set(p.id, [...(byScheme.get(p.id) ?? []), p.name]);
    return byScheme;
  };
  const compute = async (query: z.infer<typeof querySchema>) => {
    const porteurs = await porteursOf();
    const known = new Set([...porteurs.values()].flat());
    if (query.porteur && !known.has(query.porteur)) throw badRequest(`Porteur inconnu du catalogue : ${query.porteur}.`);
    const coverage = needCoverage(await data.get(), territories, { ...query }, porteurs);
    if (query.besoin && coverage.besoins.length === 0) throw badRequest(`Besoin inconnu à ce stade : ${query.besoin}.`);
    return { coverage, porteurs: [...known].sort((a, b) => compareFrench(a, b)) };
  };

  app.get(
    '/api/v1/cartographie',
    {
      schema: {
        tags: ['Orientation'],
        summary: 'Couverture des besoins par territoire (zones blanches)',
        querystring: querySchema,
        response: { 200: coverageSchema },
      },
    },
    async (request) => (await compute(request.query)).coverage,
  );

  app.get('/cartographie', { schema: { hide: true, querystring: querySchema } }, async (request, reply) => {
    const { coverage, porteurs } = await compute({ ...request.query, besoin: undefined });
    return sendPage(reply, {
      title: 'Cartographie des besoins couverts',
      main: cartographyPage(coverage, request.query.besoin, porteurs),
      currentPath: '/dispositifs',
    });
  });
}
