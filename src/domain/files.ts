/**
 * Files attached to an application, as pure rules: the kinds a form's file field may accept (recognised from
 * the bytes, never from the name), the size limit of a field, the name kept for display and for downloads,
 * and who may read a file. No I/O here: detection and storage live in features/files.
 */
import type { StatutCandidature } from './application.ts';
import type { Actor } from './authorization.ts';
import { roleOnApplication } from './instruction-rules.ts';
import { defineEnum, type EnumCode } from './enum.ts';

/** The kinds a file field may accept, by their usual name. */
export const typeFichier = defineEnum({
  pdf: 'PDF',
  png: 'image PNG',
  jpeg: 'image JPEG',
  odt: 'texte OpenDocument (ODT)',
  docx: 'texte Word (DOCX)',
  ods: 'tableur OpenDocument (ODS)',
  xlsx: 'tableur Excel (XLSX)',
});
export type TypeFichier = EnumCode<typeof typeFichier>;

/** The media type file-type reports for each kind, and the extensions that go with it. */
export const FILE_KINDS: Record<TypeFichier, { mime: string; extensions: string[] }> = {
  pdf: { mime: 'application/pdf', extensions: ['pdf'] },
  png: { mime: 'image/png', extensions: ['png'] },
  jpeg: { mime: 'image/jpeg', extensions: ['jpg', 'jpeg'] },
  odt: { mime: 'application/vnd.oasis.opendocument.text', extensions: ['odt'] },
  docx: { mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', extensions: ['docx'] },
  ods: { mime: 'application/vnd.oasis.opendocument.spreadsheet', extensions: ['ods'] },
  xlsx: { mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', extensions: ['xlsx'] },
};

/** Accepted when a field says nothing: the documents an application usually joins. */
export const DEFAULT_FILE_KINDS: readonly TypeFichier[] = typeFichier.codes;

/** At most this many files in one application (one per file field), whatever its form says. */
export const MAX_FILES_PER_APPLICATION = 20;

/** The kind of a detected media type, if it is one Maillage knows. */
export function kindOfMime(mime: string | undefined): TypeFichier | undefined {
  return typeFichier.codes.find((code) => FILE_KINDS[code].mime === mime);
}

export interface FileRules {
  kinds: readonly TypeFichier[];
  maxBytes: number;
}

/**
 * What a field accepts: its own kinds (or the defaults), and its own size limit in Mo capped by the
 * platform's (MAX_UPLOAD_MB), so that a form never allows more than the server receives.
 */
export function fileRules(field: { types?: readonly TypeFichier[]; taille_max_mo?: number }, platformMaxMb: number): FileRules {
  const mb = Math.min(field.taille_max_mo ?? platformMaxMb, platformMaxMb);
  return { kinds: field.types?.length ? field.types : DEFAULT_FILE_KINDS, maxBytes: Math.floor(mb * 1024 * 1024) };
}

/** « PDF, image PNG ou image JPEG » */
export function kindsText(kinds: readonly TypeFichier[]): string {
  const labels = kinds.map((k) => typeFichier.label(k));
  return labels.length > 1 ? `${labels.slice(0, -1).join(', ')} ou ${labels.at(-1)}` : (labels[0] ?? '');
}

/** « 10 Mo », « 500 Ko », « 1,5 Mo » */
export function sizeText(bytes: number): string {
  if (bytes < 1024 * 1024) return `${Math.max(1, Math.round(bytes / 1024))} Ko`;
  return `${(Math.round((bytes / (1024 * 1024)) * 10) / 10).toLocaleString('fr-FR')} Mo`;
}

const NAME_MAX = 200;

/**
 * The name a file keeps: the last segment of what the browser sent (no folder, so no path to traverse),
 * without control or invisible characters nor those Windows refuses, never empty, and ending with an
 * extension of the kind detected (« statuts » → « statuts.pdf »; a PNG named « x.pdf » → « x.pdf.png »),
 * so that whoever downloads it opens it with the right program. It is shown escaped and never used on disk.
 */
export function safeFileName(sent: string, kind: TypeFichier): string {
  const last = sent.normalize('NFC').split(/[/\\]/).pop() ?? '';
  let name = last
    .replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, '')
    .replace(/[<>:"|?*]/g, '_')
    .replace(/\s+/g, ' ')
    .replace(/^[\s.]+|[\s.]+$/g, '');
  if (!name) name = 'fichier';
  const extension = name.includes('.') ? name.slice(name.lastIndexOf('.') + 1).toLowerCase() : '';
  const suffix = FILE_KINDS[kind].extensions.includes(extension) ? '' : `.${FILE_KINDS[kind].extensions[0]}`;
  return [...name].slice(0, NAME_MAX - suffix.length).join('') + suffix;
}

/**
 * Content-Disposition of a download (RFC 6266): an ASCII fallback in `filename` (accents dropped, quotes and
 * backslashes replaced) and the exact name in `filename*` (RFC 8187, UTF-8 percent-encoded).
 */
export function contentDisposition(name: string): string {
  const ascii = name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\x20-\x7e]|["\\%]/g, '_');
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/**
 * May download a file of an application: the person who applies, and those who take part in its instruction
 * (roleOnApplication: the instructors of its call, platform admins, the reviewers the call names without a
 * conflict of interest on it) once it is submitted: a draft, with its files, is its owner's alone. Anyone
 * else is told the file does not exist.
 */
export function canReadApplicationFile(
  actor: Actor | null,
  application: { accountId: number; appelId: number; statut: StatutCandidature },
  reviewer: { assigned: boolean; conflict: boolean },
): boolean {
  if (!actor) return false;
  return actor.id === application.accountId || roleOnApplication(actor, application, reviewer) !== null;
}
