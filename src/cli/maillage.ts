#!/usr/bin/env node
/**
 * The `maillage` command: serve, migrate, seed, import, backups. `npm start` runs `serve`;
 * `npm run maillage -- <command>` bundles the sources and runs the others.
 */
import v8 from 'node:v8';
import { build } from '../app.ts';
import { loadConfig } from '../config.ts';
import { openPreparedDatabase } from '../startup.ts';
import { runImport } from '../features/import/cli.ts';
import { runSchemeImport } from '../features/catalogue-interop/cli.ts';
import { runAdmin } from '../features/admin/cli.ts';
import { runTerritoireProjet } from '../features/territories/cli.ts';
import { runBackup, runRestore } from './backup.ts';
import { startJobWorker } from '../platform/jobs/worker.ts';

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
    case 'serve': {
      const database = await openPreparedDatabase(config, { serving: true });
      const app = await build({ config, database });
      // The worker belongs to serving instances only: tests and the other commands build no timer.
      const worker = config.JOBS_POLL_SECONDS > 0
        ? startJobWorker(database.db, app.jobHandlers, { intervalSeconds: config.JOBS_POLL_SECONDS, log: app.log })
        : null;
      const close = async () => {
        await worker?.stop();
        await app.close();
        await database.close();
        process.exit(0);
      };
      process.once('SIGINT', close);
      process.once('SIGTERM', close);
      try {
        await app.listen({ port: config.PORT, host: config.HOST });
      } catch (error) {
        await worker?.stop();
        await app.close();
        await database.close();
        throw listenError(error, config.PORT);
      }
      console.log(`Maillage est prêt : ${config.BASE_URL}`);
      return;
    }
    case 'migrate':
    case 'seed': {
      const database = await openPreparedDatabase(config, { withDemo: command === 'seed' });
      await database.close();
      console.log(command === 'seed' ? 'Base à jour, données de démonstration chargées.' : 'Base à jour.');
      return;
    }
    case 'import': {
      // An import streams its rows through once and holds little, so it keeps its memory low (npm run bench):
      // a heap that grows by 20 % between collections instead of up to several times.
      v8.setFlagsFromString('--heap-growing-percent=20');
      const database = await openPreparedDatabase(config, { withDemo: false });
      try {
        process.exitCode = args[0] === 'dispositifs-aide' ? await runSchemeImport(database, args.slice(1)) : await runImport(database, args);
      } finally {
        await database.close();
      }
      return;
    }
    case 'territoire-projet': {
      const database = await openPreparedDatabase(config, { withDemo: false });
      try {
        process.exitCode = await runTerritoireProjet(database.db, args);
      } finally {
        await database.close();
      }
      return;
    }
    case 'admin': {
      const database = await openPreparedDatabase(config, { withDemo: false });
      try {
        process.exitCode = await runAdmin(database.db, args);
      } finally {
        await database.close();
      }
      return;
    }
    case 'sauvegarde':
      process.exitCode = await runBackup(config, args);
      return;
    case 'restauration':
      process.exitCode = await runRestore(config, args);
      return;
    default:
      console.log(USAGE);
      process.exitCode = command === undefined || command === '--help' ? 0 : 2;
  }
}

function listenError(error: unknown, port: number): Error {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE') return new Error(`Le port ${port} est déjà utilisé par un autre programme : arrêtez-le, ou choisissez un autre port (PORT=3001 npm start).`);
  if (code === 'EACCES') return new Error(`Le port ${port} est réservé à l’administrateur : choisissez un port au-dessus de 1024 (PORT=3000).`);
  return error instanceof Error ? error : new Error(String(error));
}

// Everything Maillage writes under its data folder (mail in development, application files) is its own.
process.umask(0o077);

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
