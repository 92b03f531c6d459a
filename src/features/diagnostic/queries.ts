/**
 * What the PTCE diagnostic reads and writes: the cooperation with its members (and what the recorded
 * structures among them say of themselves), the declarations of its admins; a declaration is written with its
 * audit entry in one transaction.
 */
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { checkedRows, column, type Db } from '../../db/database.ts';
import type { Declaration, DiagnosticInput } from '../../domain/ptce-diagnostic.ts';
import { recordAudit } from '../../platform/audit.ts';

const cooperationRow = z.object({
  id: z.number(),
  name: z.string(),
  modele: z.string(),
  departement_code: z.string().nullable(),
  region_code: z.string().nullable(),
  founded_year: z.number().nullable(),
  shared_resources: z.string().nullable(),
  governance: z.string().nullable(),
});

const memberRow = z.object({
  role: z.string(),
  statut_ess: z.string().nullable(),
  legal_form: z.string().nullable(),
  departement_code: z.string().nullable(),
  region_code: z.string().nullable(),
});

const declarationRow = z.object({
  critere_code: z.string(),
  rempli: z.boolean(),
  texte: z.string(),
  lien: z.string().nullable(),
  fichier_id: z.string().nullable(),
  fichier_nom: z.string().nullable(),
  declared_at: column.instant,
});

export interface DiagnosedCooperation {
  id: number;
  nom: string;
  modele: string;
  /** The régions whose moderators may declare for it. */
  regionCodes: string[];
  /** The id of each criterion's evidence file, to link it. */
  fichiers: Record<string, string>;
  input: DiagnosticInput;
}

// Made once: building a formatter costs more than using it.
const parisDate = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Paris' });
const parisDay = (instant: Date) => parisDate.format(instant);
const parisYear = (now: Date) => Number(parisDay(now).slice(0, 4));

/** The cooperation and everything its diagnostic needs, or null for an unknown id. */
export async function loadDiagnosed(db: Db, id: number, now = new Date()): Promise<DiagnosedCooperation | null> {
  // Three reads at once: a cooperation that does not exist has no members nor declarations either.
  const [[cooperation], members, declared] = await Promise.all([
    checkedRows(
      db,
      cooperationRow,
      sql`select id::int as id, name, modele, departement_code, region_code, founded_year, shared_resources, governance
      from cooperation where id = ${id}`,
    ),
    checkedRows(
      db,
      memberRow,
      sql`select m.role, o.statut_ess, o.legal_form, o.departement_code, o.region_code
      from cooperation_member m left join organisation o on o.id = m.organisation_id
      where m.cooperation_id = ${id}`,
    ),
    checkedRows(
      db,
      declarationRow,
      sql`select critere_code, rempli, texte, lien, fichier_id, fichier_nom, declared_at
      from ptce_declaration where cooperation_id = ${id}`,
    ),
  ]);
  if (!cooperation) return null;
  const declarations: Record<string, Declaration> = {};
  const fichiers: Record<string, string> = {};
  for (const d of declared) {
    declarations[d.critere_code] = { rempli: d.rempli, texte: d.texte, lien: d.lien, fichier: d.fichier_nom, date: parisDay(new Date(d.declared_at)) };
    if (d.fichier_id) fichiers[d.critere_code] = d.fichier_id;
  }
  // Members' régions too: a cooperation across régions is moderated by each of them.
  const regionCodes = [...new Set([cooperation.region_code, ...members.map((m) => m.region_code)].filter((code): code is string => !!code))];
  return {
    id: cooperation.id,
    nom: cooperation.name,
    modele: cooperation.modele,
    regionCodes,
    fichiers,
    input: {
      departementCode: cooperation.departement_code,
      regionCode: cooperation.region_code,
      foundedYear: cooperation.founded_year,
      sharedResources: cooperation.shared_resources,
      governance: cooperation.governance,
      members: members.map((m) => ({
        role: m.role,
        statutEss: m.statut_ess,
        legalForm: m.legal_form,
        departementCode: m.departement_code,
        regionCode: m.region_code,
      })),
      declarations,
      year: parisYear(now),
    },
  };
}

export interface DeclarationInput {
  rempli: boolean;
  texte: string;
  lien: string | null;
}

export interface StoredEvidenceFile {
  id: string;
  nom: string;
  type: string;
  taille: number;
}

/**
 * Writes the declaration of a criterion (replacing the previous one) and its audit entry in one transaction;
 * returns the evidence file it no longer keeps, for the caller to remove once committed.
 */
export async function saveDeclaration(
  db: Db,
  actor: { id: number; displayName: string },
  cooperationId: number,
  critere: string,
  declaration: DeclarationInput,
  file: StoredEvidenceFile | null,
): Promise<string | null> {
  return db.transaction(async (tx) => {
    const [previous] = await checkedRows(
      tx,
      z.object({ fichier_id: z.string().nullable() }),
      sql`select fichier_id from ptce_declaration where cooperation_id = ${cooperationId} and critere_code = ${critere} for update`,
    );
    // Without a new file, the evidence file already given stays with the declaration.
    const keptFile = file ? null : (previous?.fichier_id ?? null);
    await tx.execute(sql`insert into ptce_declaration
      (cooperation_id, critere_code, rempli, texte, lien, fichier_id, fichier_nom, fichier_type, fichier_taille, declared_by, declared_at)
      values (${cooperationId}, ${critere}, ${declaration.rempli}, ${declaration.texte}, ${declaration.lien},
        ${file?.id ?? null}, ${file?.nom ?? null}, ${file?.type ?? null}, ${file?.taille ?? null}, ${actor.id}, now())
      on conflict (cooperation_id, critere_code) do update set rempli = excluded.rempli, texte = excluded.texte, lien = excluded.lien,
        fichier_id = coalesce(excluded.fichier_id, ptce_declaration.fichier_id),
        fichier_nom = coalesce(excluded.fichier_nom, ptce_declaration.fichier_nom),
        fichier_type = coalesce(excluded.fichier_type, ptce_declaration.fichier_type),
        fichier_taille = coalesce(excluded.fichier_taille, ptce_declaration.fichier_taille),
        declared_by = excluded.declared_by, declared_at = excluded.declared_at`);
    await recordAudit(tx, {
      actor,
      action: 'ptce.declare',
      object: { kind: 'cooperation', id: cooperationId },
      details: { critere, rempli: declaration.rempli, fichier: !!(file ?? keptFile) },
    });
    return file && previous?.fichier_id ? previous.fichier_id : null;
  });
}

/** The evidence file of a criterion's declaration, to serve it. */
export async function evidenceFile(db: Db, cooperationId: number, critere: string, fileId: string): Promise<StoredEvidenceFile | undefined> {
  const [found] = await checkedRows(
    db,
    z.object({ id: z.string(), nom: z.string(), type: z.string(), taille: z.number() }),
    sql`select fichier_id as id, fichier_nom as nom, fichier_type as type, fichier_taille as taille from ptce_declaration
    where cooperation_id = ${cooperationId} and critere_code = ${critere} and fichier_id = ${fileId}`,
  );
  return found;
}
