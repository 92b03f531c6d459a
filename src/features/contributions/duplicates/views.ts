/**
 * Pages of the duplicates: the likely pairs of the moderator's régions, the comparison of two records with the
 * merge form (one choice per field that differs), and the notices shown on a proposal of a new record.
 */
import type { FastifyRequest } from 'fastify';
import { reasonLabel, type DuplicateReason, type PlannedField } from '../../../domain/duplicates.ts';
import { formField, formMessages } from '../../../web/form-fields.ts';
import { html, type SafeHtml } from '../../../web/html.ts';
import { breadcrumb } from '../../../web/layout.ts';
import { csrfField } from '../../../platform/http/csrf.ts';
import { displayValue, fieldLabel } from '../form.ts';
import { objectUrl } from '../objects.ts';
import type { DuplicateCandidate, DuplicateKind, DuplicatePair } from './queries.ts';
import type { PairRecord } from './service.ts';

/** URL segment of each kind, as on the record pages. */
export const DUPLICATE_PATHS: Record<DuplicateKind, 'organisations' | 'cooperations'> = { organisation: 'organisations', cooperation: 'cooperations' };
const KIND_TITLES: Record<DuplicateKind, string> = { organisation: 'Structures', cooperation: 'Coopérations' };

export const compareUrl = (kind: DuplicateKind, id: number, otherId: number) => `/moderation/doublons/${DUPLICATE_PATHS[kind]}/${id}/${otherId}`;

const trail = (items: { href?: string; label: string }[]) =>
  breadcrumb([{ href: '/', label: 'Accueil' }, { href: '/moderation', label: 'Modération' }, ...items]);

export interface DuplicatesModel {
  scope: string;
  pairs: Record<DuplicateKind, DuplicatePair[]>;
  communeName(code: string | null): string;
  message?: string;
}

function pairTable(kind: DuplicateKind, pairs: DuplicatePair[], communeName: (code: string | null) => string): SafeHtml {
  const titleId = `doublons-${DUPLICATE_PATHS[kind]}`;
  return html`<h2 id="${titleId}">${KIND_TITLES[kind]} (${pairs.length})</h2>
${
  pairs.length === 0
    ? html`<p>Aucun doublon probable.</p>`
    : html`<table class="table" aria-labelledby="${titleId}">
  <thead><tr><th scope="col">Première fiche</th><th scope="col">Seconde fiche</th><th scope="col">Commune</th><th scope="col">Raison</th><th scope="col">Examiner</th></tr></thead>
  <tbody>${pairs.map(
    (p) => html`<tr>
    <td><a href="${objectUrl(kind, p.a.id)}">${p.a.nom}</a> (n° ${p.a.id})</td>
    <td><a href="${objectUrl(kind, p.b.id)}">${p.b.nom}</a> (n° ${p.b.id})</td>
    <td>${communeName(p.commune_code)}</td>
    <td>${reasonLabel({ type: 'nom', similarity: p.similarity })}</td>
    <td><a href="${compareUrl(kind, p.a.id, p.b.id)}">Comparer<span class="visually-hidden"> les fiches n° ${p.a.id} et n° ${p.b.id}</span></a></td></tr>`,
  )}
  </tbody></table>`
}`;
}

export function duplicatesPage(model: DuplicatesModel): SafeHtml {
  return html`${trail([{ label: 'Doublons probables' }])}
<h1>Doublons probables</h1>
<p>${model.scope}</p>
${formMessages({ notice: model.message })}
<p>Deux fiches sont listées quand leurs noms sont proches dans la même commune, qu’elles viennent d’un import (SIRENE ou CSV), d’une
contribution ou des données de démonstration. Comparez-les, puis fusionnez-les ou indiquez qu’elles ne sont pas un doublon :
elles ne seront plus proposées.</p>
${pairTable('organisation', model.pairs.organisation, model.communeName)}
${pairTable('cooperation', model.pairs.cooperation, model.communeName)}`;
}

export interface CompareModel {
  kind: DuplicateKind;
  records: [PairRecord, PairRecord];
  reason: DuplicateReason | null;
  /** The plan relative to the record kept by default. */
  plan: PlannedField[];
  keptId: number;
  communeName(code: string | null): string;
}

const shown = (kind: DuplicateKind, field: string, value: unknown, communeName: (code: string | null) => string) => {
  if (field === 'commune' && typeof value === 'string') return `${communeName(value)} (${value})`;
  return displayValue(kind, field, value) || '(vide)';
};

/** One field: the common value when both agree, else a choice between both values (the plan's default checked). */
function fieldChoice(model: CompareModel, p: PlannedField): SafeHtml {
  const { kind, keptId, records } = model;
  const otherId = records[0].id === keptId ? records[1].id : records[0].id;
  const label = fieldLabel(kind, p.field);
  const value = (v: unknown) => shown(kind, p.field, v, model.communeName);
  if (value(p.kept) === value(p.other)) {
    return html`<div class="field"><p><strong>${label}</strong> : ${value(p.kept)} <span class="hint">(identique sur les deux fiches)</span></p></div>`;
  }
  const choices = [
    { value: String(keptId), label: `Fiche n° ${keptId} : ${value(p.kept)}` },
    { value: String(otherId), label: `Fiche n° ${otherId} : ${value(p.other)}` },
  ];
  return formField({ name: `choix_${p.field}`, label, kind: 'radios', choices, value: String(p.source === 'conservee' ? keptId : otherId) });
}

export function comparePage(request: FastifyRequest, model: CompareModel): SafeHtml {
  const {
    kind,
    records: [a, b],
  } = model;
  const url = compareUrl(kind, a.id, b.id);
  const title = `Comparer les fiches n° ${a.id} et n° ${b.id}`;
  return html`${trail([{ href: '/moderation/doublons', label: 'Doublons probables' }, { label: title }])}
<h1>${title}</h1>
<ul>
  <li>Fiche n° ${a.id} : <a href="${objectUrl(kind, a.id)}">${a.name}</a> — ${model.communeName(a.commune_code)}</li>
  <li>Fiche n° ${b.id} : <a href="${objectUrl(kind, b.id)}">${b.name}</a> — ${model.communeName(b.commune_code)}</li>
</ul>
<p>${model.reason ? `Doublon probable : ${reasonLabel(model.reason)}.` : 'Ces deux fiches ne sont pas signalées comme doublon probable.'}</p>
<h2>Fusionner</h2>
<p>La fiche conservée prend, pour chaque champ, la valeur cochée ; l’autre fiche disparaît de la recherche et son adresse mène à la
fiche conservée. Ses membres, contributions, signalements et revendications passent à la fiche conservée, et l’historique de
celle-ci montre ce que la fusion a changé.</p>
<form method="post" action="${url}/fusionner" class="stacked-form">${csrfField(request)}
  ${formField({
    name: 'conserver',
    label: 'Fiche conservée',
    kind: 'radios',
    value: String(model.keptId),
    choices: [a, b].map((r) => ({ value: String(r.id), label: `Fiche n° ${r.id} : ${r.name}` })),
  })}
  ${model.plan.map((p) => fieldChoice(model, p))}
  <button type="submit" class="button">Fusionner les deux fiches</button>
</form>
<h2>Pas un doublon</h2>
<form method="post" action="${url}/pas-un-doublon">${csrfField(request)}
  <p>Ces deux fiches décrivent deux ${kind === 'organisation' ? 'structures' : 'coopérations'} différentes : elles ne seront plus proposées comme doublon.</p>
  <button type="submit" class="button">Ce n’est pas un doublon</button>
</form>`;
}

function candidateList(kind: DuplicateKind, candidates: DuplicateCandidate[], communeName: (code: string | null) => string): SafeHtml {
  return html`<ul>${candidates.map(
    (c) => html`<li><a href="${objectUrl(kind, c.id)}">${c.nom}</a> (fiche n° ${c.id}, ${communeName(c.commune_code)}) :
    ${reasonLabel(c.reason)}</li>`,
  )}</ul>`;
}

/** On a moderator's decision page: the records a proposed new one would likely duplicate. */
export function proposalDuplicatesSection(kind: DuplicateKind, candidates: DuplicateCandidate[], communeName: (code: string | null) => string): SafeHtml {
  return html`<h2>Doublons probables</h2>
${
  candidates.length === 0
    ? html`<p>Aucune fiche publiée ne semble décrire la même ${kind === 'organisation' ? 'structure' : 'coopération'}.</p>`
    : html`
<p>Des fiches publiées semblent décrire la même ${kind === 'organisation' ? 'structure' : 'coopération'} :</p>
${candidateList(kind, candidates, communeName)}
<p>Si c’est le cas, refusez la proposition en indiquant la fiche existante, ou acceptez-la puis fusionnez les deux fiches depuis
<a href="/moderation/doublons">les doublons probables</a>.</p>`
}`;
}

/** On the author's confirmation page: a warning, the proposal is sent all the same. */
export function authorDuplicatesWarning(kind: DuplicateKind, candidates: DuplicateCandidate[], communeName: (code: string | null) => string): SafeHtml | '' {
  if (!candidates.length) return '';
  return html`<div class="notice"><h2>Des fiches proches existent déjà</h2>
${candidateList(kind, candidates, communeName)}
<p>Si votre proposition décrit l’une d’elles, la modération pourra les réunir ; vous pouvez aussi proposer une modification de la
fiche existante.</p></div>`;
}
