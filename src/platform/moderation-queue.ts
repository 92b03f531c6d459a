/**
 * Queues that other features add to the moderation page (/moderation): each draws its own section for the
 * régions the moderator holds. The composition root (app.ts) installs them once, so that the moderation does
 * not import the features whose proposals it lists (as page-widgets.ts does for results pages).
 */
import type { Db } from '../db/database.ts';
import { html, type SafeHtml } from '../web/html.ts';

export interface ModerationQueueSection {
  /** Its section of the page (a titled list) for these régions: 'all' for a platform admin, national proposals included. */
  render(db: Db, regions: 'all' | string[], regionName: (code: string) => string): Promise<SafeHtml>;
}

let installed: readonly ModerationQueueSection[] = [];

export function installModerationQueueSections(sections: readonly ModerationQueueSection[]): void {
  installed = sections;
}

/** The installed sections, drawn one after the other. */
export async function moderationQueueSections(db: Db, regions: 'all' | string[], regionName: (code: string) => string): Promise<SafeHtml> {
  return html`${await Promise.all(installed.map((section) => section.render(db, regions, regionName)))}`;
}
