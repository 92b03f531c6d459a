/**
 * Where an import's time goes: the built command (dist/maillage.js) run under `node --cpu-prof` on a
 * generated SIRENE pair, then the top functions by self time of its profile, with the command's wall time. The
 * database is the embedded server of a temporary data folder, held by this process; the command joins it.
 *
 *   node scripts/build.mjs && node --import tsx bench/import-profile.ts [--lignes 500000] [--ess 0.05] [--fermes 0.35]
 *     [--deux-fois] (profiles a re-import of the same files) [--haut 25]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openDatabase } from '../src/db/database.ts';
import { stopServer } from '../src/db/embedded-server.ts';
import { writeSireneFiles } from './sirene-files.ts';

const { values } = parseArgs({
  options: {
    lignes: { type: 'string', default: '500000' },
    ess: { type: 'string', default: '0.05' },
    fermes: { type: 'string', default: '0.35' },
    'deux-fois': { type: 'boolean', default: false },
    haut: { type: 'string', default: '25' },
  },
});

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Self time per function (summed over its call sites), in milliseconds, largest first. */
function selfTimes(profile: Profile): { name: string; ms: number; share: number }[] {
  const byNode = new Map<number, number>();
  profile.samples.forEach((id, i) => void byNode.set(id, (byNode.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const byFunction = new Map<string, number>();
  let total = 0;
  for (const node of profile.nodes) {
    const micros = byNode.get(node.id) ?? 0;
    total += micros;
    const { functionName, url, lineNumber } = node.callFrame;
    const file = url.replace(/^.*\/(dist|src|node_modules)\//, '$1/');
    const name = `${functionName || '(anonyme)'} ${file ? `${file}:${lineNumber + 1}` : ''}`.trim();
    byFunction.set(name, (byFunction.get(name) ?? 0) + micros);
  }
  return [...byFunction]
    .map(([name, micros]) => ({ name, ms: Math.round(micros / 1000), share: Math.round((micros / total) * 1000) / 10 }))
    .sort((a, b) => b.ms - a.ms);
}

const root = join(import.meta.dirname, '..');
const work = mkdtempSync(join(tmpdir(), 'maillage-import-profile-'));
const dataDir = mkdtempSync(join(tmpdir(), 'maillage-import-profile-data-'));
const { DATABASE_URL: _ignored, ...inherited } = process.env;
const env = { ...inherited, MAILLAGE_DATA_DIR: dataDir, LOG_LEVEL: 'silent' };
const database = await openDatabase({ dataDir, poolSize: 1 });
try {
  const command = (args: string[], node: string[] = []) => {
    const started = performance.now();
    const result = spawnSync(process.execPath, [...node, join(root, 'dist', 'maillage.js'), ...args], { env, cwd: root, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`maillage ${args.join(' ')} : ${result.stderr.slice(-800)}`);
    return (performance.now() - started) / 1000;
  };
  command(['migrate']);
  const lines = Number(values.lignes);
  const files = await writeSireneFiles(work, { establishments: lines, essShare: Number(values.ess), closedShare: Number(values.fermes), seed: 1 });
  const args = ['import', 'sirene', files.etablissements, files.unitesLegales, '--rapport', join(work, 'rejets.csv')];
  if (values['deux-fois']) console.log(`Premier import : ${command(args).toFixed(1)} s`);
  const profileDir = join(work, 'profil');
  const seconds = command(args, ['--cpu-prof', '--cpu-prof-dir', profileDir]);
  const profile = JSON.parse(readFileSync(join(profileDir, readdirSync(profileDir)[0]!), 'utf8')) as Profile;
  console.log(
    `${lines.toLocaleString('fr-FR')} lignes (${files.kept.toLocaleString('fr-FR')} gardées) en ${seconds.toFixed(1)} s : ${Math.round(lines / seconds).toLocaleString('fr-FR')} lignes/s`,
  );
  console.table(selfTimes(profile).slice(0, Number(values.haut)));
} finally {
  await database.close();
  await stopServer(dataDir).catch(() => {});
  rmSync(work, { recursive: true, force: true });
  rmSync(dataDir, { recursive: true, force: true });
}
