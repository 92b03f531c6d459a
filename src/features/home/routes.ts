import { sql } from 'drizzle-orm';
import type { AppContext, TypedApp } from '../../platform/app-context.ts';
import { checkedRows, checkedFirstRow } from '../../db/database.ts';
import { modele } from '../../domain/cooperation.ts';
import { formatNumber, html } from '../../web/html.ts';
import { sendPage } from '../../web/forms.ts';
import { searchForm } from '../atlas/views.ts';
import { searchPageUrl } from '../atlas/urls.ts';
import { z } from 'zod';

const countsRow = z.object({ cooperations: z.number(), organisations: z.number(), departements: z.number(), ess: z.number() });

const modelCountRow = z.object({ modele: z.string(), n: z.number() });

export async function registerHome(app: TypedApp, { database }: AppContext) {
  const db = database.db;
  app.get('/', { schema: { hide: true } }, async (_request, reply) => {
    const [figures, models] = await Promise.all([
      checkedFirstRow(
        db,
        countsRow,
        sql`select
        (select count(*)::int from cooperation) as cooperations,
        (select count(*)::int from organisation) as organisations,
        (select count(*)::int from organisation where statut_ess in ('ess_de_droit', 'ess_commerciale', 'agrement_esus')) as ess,
        (select count(distinct departement_code)::int from cooperation) as departements`,
      ),
      checkedRows(db, modelCountRow, sql`select modele, count(*)::int as n from cooperation group by modele order by n desc, modele`),
    ]);
    const f = figures!;
    const main = html`<section class="hero" aria-labelledby="titre-accueil">
  <h1 id="titre-accueil">Les coopérations économiques territoriales de l’ESS, sur une carte</h1>
  <p class="lead">PTCE, Territoires zéro chômeur, tiers-lieux, SCIC, CUMA… Trouvez qui coopère sur votre territoire,
  avec qui, et à quel stade.</p>
  ${searchForm('cooperations', {})}
</section>
<section aria-labelledby="titre-chiffres">
  <h2 id="titre-chiffres">Chiffres clés</h2>
  <ul class="figures">
    <li><strong>${formatNumber(f.cooperations)}</strong> coopérations recensées</li>
    <li><strong>${formatNumber(f.organisations)}</strong> structures, dont ${formatNumber(f.ess)} de l’ESS</li>
    <li><strong>${formatNumber(f.departements)}</strong> départements où une coopération est recensée</li>
  </ul>
</section>
<section aria-labelledby="titre-modeles">
  <h2 id="titre-modeles">Par modèle de coopération</h2>
  <ul class="model-list">${models.map((m) => html`<li><a href="${searchPageUrl('cooperations', { modele: m.modele as never })}">${modele.label(m.modele)}</a> : ${formatNumber(m.n)}</li>`)}</ul>
</section>
<section aria-labelledby="titre-orientation">
  <h2 id="titre-orientation">Être accompagné, être financé</h2>
  <p><a href="/orientation">Orientation</a> : décrivez votre coopération, Maillage en déduit ses besoins et les dispositifs qui y répondent sur votre territoire.
  Voir aussi le <a href="/dispositifs">catalogue des dispositifs</a> et la <a href="/cartographie">cartographie des besoins non couverts</a>.</p>
</section>
<section aria-labelledby="titre-territoires">
  <h2 id="titre-territoires">Par territoire</h2>
  <p><a href="/territoires">Explorer les régions, départements, intercommunalités et communes</a> : ce qui existe ici, structure par structure.
  <a href="/carte">Cartes par département et par région</a>.</p>
</section>`;
    return sendPage(reply, { title: 'Accueil', main });
  });
}
