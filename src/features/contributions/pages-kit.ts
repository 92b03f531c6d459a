/** What the contribution pages share: the page sender and the names of the objects they speak of. */
import type { FastifyReply } from 'fastify';
import type { Db } from '../../db/database.ts';
import type { ContributionKind } from '../../domain/contribution.ts';
import { notFound } from '../../web/errors.ts';
import { sendPage } from '../../web/forms.ts';
import type { SafeHtml } from '../../web/html.ts';
import { objectName } from './objects.ts';

export const NOT_FOUND: Record<ContributionKind, (id: number) => string> = {
  organisation: (id) => `Aucune structure ne porte l'identifiant ${id}.`,
  cooperation: (id) => `Aucune coopération ne porte l'identifiant ${id}.`,
  dispositif: (id) => `Aucun dispositif ne porte l'identifiant ${id}.`,
};

export const render = (reply: FastifyReply, status: number, title: string, main: SafeHtml, currentPath?: string) =>
  sendPage(reply, { status, title, main, currentPath });

/** The name of an object a page speaks of; 404 when there is none. */
export async function existingName(db: Db, kind: ContributionKind, id: number): Promise<string> {
  const name = await objectName(db, kind, id);
  if (name === undefined) throw notFound(NOT_FOUND[kind](id));
  return name;
}
