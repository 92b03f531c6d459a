#!/usr/bin/env node
/**
 * The `maillage` command: serve, migrate, seed, import, backups. `npm start` runs `serve`;
 * `npm run maillage -- <command>` bundles the sources and runs the others.
 * Each command loads its own modules when it runs (the bundle is split at these dynamic imports): an import
 * does not wait for the web server, the spreadsheet writer and the mail client to load (a second of start-up).
 */
import v8 from 'node:v8';
import { loadConfig } from '../config.ts';
import { openPreparedDatabase } from '../startup.ts';

const USAGE = `Usage : maillage <commande>
  serve                       démarre Maillage (base embarquée, ou PostgreSQL si DATABASE_URL est défini)
  migrate                     applique les migrations et charge le COG
  seed                        charge les données de démonstration si la base n'en a pas
  import <type> <fichiers…>   importe des données (maillage import --help)
  import dispositifs-aide F   importe des dispositifs d'aide au schéma national (maillage import dispositifs-aide --help)
  territoire-projet …         crée ou remplace un territoire de projet (maillage territoire-projet --help)
  admin accorder <email> <rôle> [portée]   accorde un rôle, par exemple le premier platform_admin (maillage admin --help)
  sauvegarde FICHIER          sauvegarde la base et les fichiers joints, même pendant que Maillage tourne
  restauration FICHIER        restaure une sauvegarde dans une base vide (MAILLAGE_DATA_DIR neuf, ou DATABASE_URL)`;

async function main(argv: string[]) {
  const [command, ...args] = argv;
  const config = loadConfig();
  switch (command) {
    case 'serve':
      return (await import('./serve.ts')).serve(config);
    case 'migrate':
    case 'seed': {
      const database = await openPreparedDatabase(config, { withDemo: command === 'seed' });
      await database.close();
      console.log(command === 'seed' ? 'Base à jour, données de démonstration chargées.' : 'Base à jour.');
      return;
    }
    case 'import': {
      // An import streams its rows through once and holds little, so it keeps its old generation low (npm run bench):
      // a heap that grows by half between collections instead of up to several times. (At 20 %, the first import of
      // 300 000 rows ran a full collection every quarter of a second: 10 MB less at its peak for 1 to 2 s more of
      // processor. The young generation's size cannot be changed here: V8 reads it only at start-up.)
      v8.setFlagsFromString('--heap-growing-percent=50');
      const database = await openPreparedDatabase(config, { withDemo: false });
      try {
        process.exitCode =
          args[0] === 'dispositifs-aide'
            ? await (await import('../features/catalogue-interop/cli.ts')).runSchemeImport(database, args.slice(1))
            : await (await import('../features/import/cli.ts')).runImport(database, args);
      } finally {
        await database.close();
      }
      return;
    }
    case 'territoire-projet': {
      const database = await openPreparedDatabase(config, { withDemo: false });
      try {
        process.exitCode = await (await import('../features/territories/cli.ts')).runTerritoireProjet(database.db, args);
      } finally {
        await database.close();
      }
      return;
    }
    case 'admin': {
      const database = await openPreparedDatabase(config, { withDemo: false });
      try {
        process.exitCode = await (await import('../features/admin/cli.ts')).runAdmin(database.db, args);
      } finally {
        await database.close();
      }
      return;
    }
    case 'sauvegarde':
      process.exitCode = await (await import('./backup.ts')).runBackup(config, args);
      return;
    case 'restauration':
      process.exitCode = await (await import('./backup.ts')).runRestore(config, args);
      return;
    default:
      console.log(USAGE);
      process.exitCode = command === undefined || command === '--help' ? 0 : 2;
  }
}

// Everything Maillage writes under its data folder (mail in development, application files) is its own.
process.umask(0o077);

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
