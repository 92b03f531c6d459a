import { formatParisDateTime } from '../../domain/calendar.ts';
import { formatNumber, html, type SafeHtml } from '../../web/html.ts';
import { breadcrumb } from '../../web/layout.ts';
import type { DumpFormat, DumpInfo } from './dumps.ts';
import { DATASET_INFO, DATASET_NAMES, LICENCE, type DatasetName } from './table-schemas.ts';

export const dumpUrl = (name: DatasetName, format: DumpFormat) => `/donnees/${name}.${format}.gz`;

/** A size as people read it: « 1,2 Mo », « 830 octets ». */
export function readableSize(bytes: number): string {
  if (bytes < 1024) return `${formatNumber(bytes)} octets`;
  const [value, unit] = bytes < 1024 * 1024 ? [bytes / 1024, 'ko'] : [bytes / 1024 / 1024, 'Mo'];
  return `${new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 1 }).format(value)} ${unit}`;
}

function dumpCell(name: DatasetName, format: DumpFormat, info: DumpInfo | undefined): SafeHtml {
  const link = html`<a href="${dumpUrl(name, format)}" download>${format.toUpperCase()} compressé (gzip)<span class="visually-hidden"> : ${DATASET_INFO[name].title}</span></a>`;
  if (!info) return html`<td>${link}<br>Pas encore produit : il le sera à la première demande</td>`;
  return html`<td>${link}<br>${readableSize(info.size_bytes)}, produit le ${formatParisDateTime(new Date(info.generated_at))}</td>`;
}

export function openDataPage(infos: readonly DumpInfo[]): SafeHtml {
  const find = (name: DatasetName, format: DumpFormat) => infos.find((info) => info.dataset === name && info.format === format);
  return html`${breadcrumb([{ href: '/', label: 'Accueil' }, { label: 'Données ouvertes' }])}
<h1>Données ouvertes</h1>
<p>Chaque jeu de données public de Maillage, décrit par son schéma (<a href="https://specs.frictionlessdata.io/table-schema/" hreflang="en">Table Schema</a>,
JSON, à une adresse stable), en fichier complet CSV et JSON compressés (gzip), refaits chaque jour par une tâche planifiée, à côté de l’API paginée
(<a href="/api">documentation de l’API</a>). Les chiffres agrégés sont sur l’<a href="/observatoire">observatoire</a>.</p>
<p><strong>Licence :</strong> <a href="${LICENCE.path}">${LICENCE.title}</a> (Etalab), rappelée dans chaque fichier : sur la première ligne
des CSV, commençant par « # » (le caractère de commentaire de leur dialecte), et dans le membre <code>licence</code> des JSON.
Les CSV sont en UTF-8, séparateur virgule, fins de ligne CRLF, nombres avec un point ; les JSON donnent les enregistrements dans <code>donnees</code>.</p>
<table class="table">
<caption>Jeux de données publics</caption>
<thead><tr><th scope="col">Jeu de données</th><th scope="col" class="number">Lignes</th><th scope="col">Fichier CSV</th><th scope="col">Fichier JSON</th><th scope="col">Schéma</th><th scope="col">API</th></tr></thead>
<tbody>${DATASET_NAMES.map((name) => {
    const csv = find(name, 'csv');
    return html`<tr><th scope="row">${DATASET_INFO[name].title}<br><span class="hint">${DATASET_INFO[name].description}</span></th>
<td class="number">${csv ? formatNumber(csv.row_count) : '—'}</td>${dumpCell(name, 'csv', csv)}${dumpCell(name, 'json', find(name, 'json'))}
<td><a href="/donnees/schemas/${name}.json">${name}.json<span class="visually-hidden"> (schéma de ${DATASET_INFO[name].title})</span></a></td>
<td><a href="${DATASET_INFO[name].api}">${DATASET_INFO[name].api}</a></td></tr>`;
  })}</tbody>
</table>`;
}
