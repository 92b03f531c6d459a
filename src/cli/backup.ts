/** `maillage sauvegarde FICHIER` and `maillage restauration FICHIER`: 0 done, 1 refused (nothing changed), 2 usage. */
import { resolve } from 'node:path';
import type { Config } from '../config.ts';
import { backup, BackupError } from '../platform/backup.ts';
import { openBackup, restoreBackup } from '../platform/restore.ts';
import { sizeText } from '../domain/files.ts';
import { filesDir } from '../features/calls/files/routes.ts';
import { openConfiguredDatabase } from '../startup.ts';
import { formatNumber } from '../web/html.ts';

const attachments = (n: number) => `${formatNumber(n)} ${n > 1 ? 'fichiers joints' : 'fichier joint'}`;
const seconds = (ms: number) => `${(ms / 1000).toLocaleString('fr-FR', { maximumFractionDigits: 1 })} s`;

function fileArgument(command: string, args: string[]): string | undefined {
  if (args.length === 1 && !args[0]!.startsWith('-')) return resolve(args[0]!);
  console.error(`Usage : maillage ${command} FICHIER`);
  return undefined;
}

/** A refusal is told in French; anything else is a fault, left to the caller. */
function refusal(error: unknown): number {
  if (!(error instanceof BackupError)) throw error;
  console.error(error.message);
  return 1;
}

export async function runBackup(config: Config, args: string[]): Promise<number> {
  const file = fileArgument('sauvegarde', args);
  if (!file) return 2;
  const database = await openConfiguredDatabase(config);
  try {
    const saved = await backup(database, file, filesDir(config));
    console.log(
      `Sauvegarde écrite dans ${file} :\n` +
        `  ${saved.migrations} migrations, ${saved.tables} tables, ${formatNumber(saved.rows)} lignes, ` +
        `${attachments(saved.files)}${saved.files ? ` (${sizeText(saved.fileBytes)})` : ''}\n` +
        `  taille ${sizeText(saved.bytes)} (compressée), durée ${seconds(saved.ms)}`,
    );
    if (saved.missingFiles.length) {
      const many = saved.missingFiles.length > 1;
      console.error(
        `Attention : ${attachments(saved.missingFiles.length)} que nomme la base ${many ? 'manquent' : 'manque'} dans ${filesDir(config)}, ` +
          `donc aussi dans la sauvegarde : ${saved.missingFiles.join(', ')}`,
      );
    }
    return 0;
  } catch (error) {
    return refusal(error);
  } finally {
    await database.close();
  }
}

export async function runRestore(config: Config, args: string[]): Promise<number> {
  const file = fileArgument('restauration', args);
  if (!file) return 2;
  let opened;
  try {
    opened = await openBackup(file); // before the database: a wrong file initialises no data folder
  } catch (error) {
    return refusal(error);
  }
  let database;
  try {
    database = await openConfiguredDatabase(config);
    const restored = await restoreBackup(database, opened, filesDir(config));
    console.log(
      `Sauvegarde du ${new Date(opened.header.createdAt).toLocaleString('fr-FR', { timeZone: 'Europe/Paris' })} restaurée :\n` +
        `  ${restored.migrations} migrations, ${restored.tables} tables, ${formatNumber(restored.rows)} lignes, ` +
        `${attachments(restored.files)}, durée ${seconds(restored.ms)}` +
        (restored.newerMigrations ? `\n  Au prochain démarrage, Maillage appliquera ses ${restored.newerMigrations} migrations plus récentes.` : ''),
    );
    return 0;
  } catch (error) {
    return refusal(error);
  } finally {
    opened.close();
    await database?.close();
  }
}
