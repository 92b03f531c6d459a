/**
 * RGPD: what each feature keeps about a person, and how it is erased. Features declare their sections and
 * steps; the composition root (app.ts) hands them to the account pages, which run them all in order.
 */
import type { Db } from '../db/database.ts';

export interface PersonalDataSection {
  /** The section's key in the downloaded document (French). */
  name: string;
  /** Only the person's own data: never another person's name or address. */
  query(db: Db, accountId: number): Promise<unknown>;
}

/** One erasure step, run inside the deletion's transaction. */
export interface ErasureStep {
  name: string;
  run(tx: Db, accountId: number): Promise<void>;
}

/** What the features other than accounts keep about a person. */
export interface PersonalDataOfFeatures {
  sections: PersonalDataSection[];
  erasure: ErasureStep[];
}
