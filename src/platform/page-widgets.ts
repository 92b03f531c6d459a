/**
 * Widgets that one feature shows on the pages of others. The composition root (app.ts) plugs them in once, so
 * that a results page does not import the feature that owns the widget (the floor stays a floor).
 */
import type { FastifyRequest } from 'fastify';
import type { AlertKind } from '../domain/alert.ts';
import { html, type SafeHtml } from '../web/html.ts';
import type { AppContext } from './app-context.ts';

export interface PageWidgets {
  /** « Créer une alerte » under a search or an orientation profile, with the parameters it would follow. */
  followForm(kind: AlertKind, params: Record<string, unknown>): SafeHtml;
  /** Sections of a cooperation's page drawn by other features (its peers), for the person reading it. */
  cooperationSections?(context: AppContext, request: FastifyRequest, cooperationId: number): Promise<SafeHtml>;
  /** Sections of an organisation's page drawn by other features (solidarity finance: Cigales, campaigns), for the person reading it. */
  organisationSections?(context: AppContext, request: FastifyRequest, organisationId: number): Promise<SafeHtml>;
  /** Sections of a dispositif's page drawn by other features (the knowledge base's resources about it). */
  dispositifSections?(context: AppContext, request: FastifyRequest, dispositifId: number): Promise<SafeHtml>;
}

/** One feature's section of another's page: given the app's context, the request and the object's id. */
export type PageSection = (context: AppContext, request: FastifyRequest, id: number) => Promise<SafeHtml>;

/** The sections of several features on one page, drawn in the order given. */
export function sectionsInOrder(...sections: PageSection[]): PageSection {
  return async (context, request, id) => html`${await Promise.all(sections.map((section) => section(context, request, id)))}`;
}

let installed: PageWidgets = { followForm: () => html`` };

export function installPageWidgets(widgets: PageWidgets): void {
  installed = widgets;
}

export function followForm(kind: AlertKind, params: Record<string, unknown>): SafeHtml {
  return installed.followForm(kind, params);
}

/** Given the app's context at each call, so that a widget reads the database of the app that serves the page. */
export async function cooperationSections(context: AppContext, request: FastifyRequest, cooperationId: number): Promise<SafeHtml> {
  return (await installed.cooperationSections?.(context, request, cooperationId)) ?? html``;
}

export async function organisationSections(context: AppContext, request: FastifyRequest, organisationId: number): Promise<SafeHtml> {
  return (await installed.organisationSections?.(context, request, organisationId)) ?? html``;
}

export async function dispositifSections(context: AppContext, request: FastifyRequest, dispositifId: number): Promise<SafeHtml> {
  return (await installed.dispositifSections?.(context, request, dispositifId)) ?? html``;
}
