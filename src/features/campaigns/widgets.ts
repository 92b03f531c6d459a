/**
 * What the composition root lends to the pages of structures: the « Finance solidaire » section of an organisation
 * (Cigales investments and campaigns), and a cooperation's campaigns.
 */
import type { FastifyRequest } from 'fastify';
import { declaresCigalesClub, recordsInvestmentsOf } from '../../domain/campaign-cigales.ts';
import { runsCampaignsOf } from '../../domain/campaign.ts';
import type { AppContext } from '../../platform/app-context.ts';
import { html, type SafeHtml } from '../../web/html.ts';
import { clubOrganisation, investmentsOf } from './cigales-queries.ts';
import { structureSection } from './cigales-views.ts';
import { campaignsOfStructure } from './queries.ts';
import { campaignsSection } from './views.ts';

export async function financeSection(context: AppContext, request: FastifyRequest, organisationId: number): Promise<SafeHtml> {
  const db = context.database.db;
  const actor = request.account ?? null;
  const organisation = await clubOrganisation(db, organisationId);
  const runs = runsCampaignsOf(actor, { kind: 'organisation', id: organisation.id, siret: organisation.siret });
  const [investments, campaigns] = await Promise.all([
    investmentsOf(db, organisation),
    campaignsOfStructure(db, { kind: 'organisation', id: organisation.id }, runs),
  ]);
  const manageLink = organisation.club || declaresCigalesClub(actor, organisation) || recordsInvestmentsOf(actor, organisation);
  return html`${structureSection(`/organisations/${organisation.id}`, investments, campaigns, { manageLink })}`;
}

/** A cooperation's campaigns (its drafts too, for its admins): a section of its page. */
export async function cooperationCampaigns(context: AppContext, request: FastifyRequest, cooperationId: number): Promise<SafeHtml> {
  const runs = runsCampaignsOf(request.account ?? null, { kind: 'cooperation', id: cooperationId });
  return html`${campaignsSection(await campaignsOfStructure(context.database.db, { kind: 'cooperation', id: cooperationId }, runs))}`;
}
