import { barChart } from '../../web/charts.ts';
import { formField } from '../../web/form-fields.ts';
import { html, type SafeHtml } from '../../web/html.ts';
import { breadcrumb } from '../../web/layout.ts';
import { USAGE_KINDS, type UsageKind } from './kinds.ts';
import type { DailyCount, UsagePeriod } from './queries.ts';

const ACTIONS: UsageKind[] = ['recherche', 'recherche_dispositifs', 'orientation', 'candidature_commencee', 'candidature_deposee'];
const VIEWS = (Object.keys(USAGE_KINDS) as UsageKind[]).filter((kind) => kind.startsWith('vue_'));

const csvUrl = (period: UsagePeriod) => `/admin/statistiques.csv?du=${period.du}&au=${period.au}`;

function totalsOf(counts: readonly DailyCount[]): Map<UsageKind, number> {
  const totals = new Map<UsageKind, number>();
  for (const row of counts) totals.set(row.kind, (totals.get(row.kind) ?? 0) + row.count);
  return totals;
}

/** Every day of the period, those without any count included (a quiet day is a figure too). */
function daysOf(period: UsagePeriod): string[] {
  const days: string[] = [];
  for (let day = new Date(`${period.du}T00:00:00Z`); day <= new Date(`${period.au}T00:00:00Z`); day.setUTCDate(day.getUTCDate() + 1)) {
    days.push(day.toISOString().slice(0, 10));
  }
  return days;
}

export function statisticsPage(period: UsagePeriod, counts: readonly DailyCount[]): SafeHtml {
  const totals = totalsOf(counts);
  const bars = (kinds: UsageKind[]) => kinds.map((kind) => ({ label: USAGE_KINDS[kind].replace('Pages vues : ', ''), value: totals.get(kind) ?? 0 }));
  const searchesByDay = new Map(counts.filter((row) => row.kind === 'recherche').map((row) => [row.day, row.count]));
  const footer = html`<p><a href="${csvUrl(period)}" download>Télécharger les comptes par jour (CSV)</a></p>`;
  return html`${breadcrumb([{ href: '/admin', label: 'Administration' }, { label: 'Statistiques d’usage' }])}
<h1>Statistiques d’usage</h1>
<p>Des comptes par jour et rien d’autre : ni cookie, ni outil tiers, ni adresse IP, ni identifiant de personne. Chaque instance compte en
mémoire et ajoute ses comptes à la base chaque minute : la dernière minute des autres instances n’y est pas encore.</p>
<form method="get" action="/admin/statistiques" class="search-form">
${formField({ name: 'du', label: 'Du', kind: 'date', value: period.du })}
${formField({ name: 'au', label: 'Au (inclus)', kind: 'date', value: period.au, hint: 'Une année au plus.' })}
<button class="button" type="submit">Afficher</button>
</form>
<h2>Du ${period.du} au ${period.au}</h2>
${barChart({ id: 'actions', title: 'Recherches, orientations et candidatures', bars: bars(ACTIONS), labelHeading: 'Action', valueLabel: 'Nombre', footer })}
${barChart({ id: 'pages', title: 'Pages vues par sorte de page', bars: bars(VIEWS), labelHeading: 'Sorte de page', valueLabel: 'Pages vues', footer })}
${barChart({
  id: 'recherches-par-jour',
  title: 'Recherches dans l’Atlas par jour',
  bars: daysOf(period).map((day) => ({ label: day, value: searchesByDay.get(day) ?? 0 })),
  labelHeading: 'Jour',
  valueLabel: 'Recherches',
  footer,
})}`;
}
