/**
 * The deployment guide's examples, tried as an operator copies them: its production settings pass the start-up
 * checks, its systemd units pass `systemd-analyze verify`, its nginx site passes `nginx -t`, and its Caddyfile
 * runs in front of a real instance (one of its two upstreams down), answers every read and keeps /metriques
 * closed, leaving Maillage's own French refusal to an oversized body.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { loadConfig } from '../src/config.ts';
import { createServerDatabase } from './support/databases.ts';
import { guideExample } from './support/deployment-guide.ts';
import { executable, freePort, newDataDir, removeDataDir, startServe, stopProcess, type ServeProcess } from './support/processes.ts';

const TOOLS = { caddy: '/usr/bin/caddy', nginx: '/usr/sbin/nginx', systemdAnalyze: '/usr/bin/systemd-analyze', openssl: '/usr/bin/openssl' };
const missing = Object.entries(TOOLS)
  .filter(([, path]) => !executable(path))
  .map(([name]) => name);
const MISSING = missing.length ? `outils absents (${missing.join(', ')}) : paquets Debian caddy, nginx-light, systemd, openssl, installés par .ci/run.` : false;
if (MISSING && process.env.E2E_REQUIRED === '1') throw new Error(MISSING);

/** The settings of the guide's environment file, its placeholder token replaced by a real one. */
function guideSettings(): Record<string, string> {
  const lines = guideExample('/etc/maillage/maillage.env').split('\n');
  const pairs = lines.filter((line) => /^[A-Z_]+=/.test(line)).map((line) => line.split(/=(.*)/s).slice(0, 2) as [string, string]);
  return Object.fromEntries(pairs.map(([key, value]) => [key, key === 'METRICS_TOKEN' ? randomBytes(32).toString('hex') : value]));
}

describe('Le guide de déploiement, essayé', { skip: MISSING }, () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'maillage-guide-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('les réglages de production du guide passent les vérifications du démarrage ; sans SMTP, refusés', () => {
    const settings = guideSettings();
    assert.equal(settings.NODE_ENV, 'production');
    assert.equal(loadConfig(settings).BASE_URL, 'https://maillage.exemple-cress.fr');
    const { SMTP_URL: _smtp, ...withoutMail } = settings;
    assert.throws(() => loadConfig(withoutMail), /SMTP_URL : obligatoire en production/);
  });

  test('les unités systemd et le script de sauvegarde sont acceptés par systemd-analyze et sh', () => {
    const script = join(dir, 'maillage-sauvegarde');
    writeFileSync(script, guideExample('/usr/local/bin/maillage-sauvegarde'));
    chmodSync(script, 0o755);
    execFileSync('/bin/sh', ['-n', script]);
    const units = join(dir, 'systemd');
    mkdirSync(units);
    writeFileSync(join(units, 'maillage@.service'), guideExample('/etc/systemd/system/maillage@.service'));
    // The script lives in the test's folder, not in /usr/local/bin: systemd checks that ExecStart exists.
    const backup = guideExample('/etc/systemd/system/maillage-sauvegarde.service').replace('/usr/local/bin/maillage-sauvegarde', script);
    writeFileSync(join(units, 'maillage-sauvegarde.service'), backup);
    writeFileSync(join(units, 'maillage-sauvegarde.timer'), guideExample('/etc/systemd/system/maillage-sauvegarde.timer'));
    for (const unit of ['maillage@.service', 'maillage-sauvegarde.service', 'maillage-sauvegarde.timer']) {
      const result = spawnSync(TOOLS.systemdAnalyze, ['verify', join(units, unit)], { encoding: 'utf8' });
      assert.equal(result.status, 0, `${unit} : ${result.stderr}`);
      assert.doesNotMatch(result.stderr, /maillage/i, `${unit} : ${result.stderr}`);
    }
  });

  test('le site nginx du guide passe « nginx -t » (certificat de test à la place de celui de Let’s Encrypt)', () => {
    const nginxDir = join(dir, 'nginx');
    mkdirSync(nginxDir);
    const [certificate, key] = [join(nginxDir, 'fullchain.pem'), join(nginxDir, 'privkey.pem')];
    execFileSync(
      TOOLS.openssl,
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=maillage.exemple-cress.fr', '-keyout', key, '-out', certificate],
      {
        stdio: 'ignore',
      },
    );
    const site = guideExample('/etc/nginx/sites-available/maillage')
      .replace('/etc/letsencrypt/live/maillage.exemple-cress.fr/fullchain.pem', certificate)
      .replace('/etc/letsencrypt/live/maillage.exemple-cress.fr/privkey.pem', key);
    writeFileSync(join(nginxDir, 'site.conf'), site);
    writeFileSync(
      join(nginxDir, 'nginx.conf'),
      `pid ${nginxDir}/nginx.pid;\nerror_log ${nginxDir}/error.log;\nevents {}\nhttp {\n  client_body_temp_path ${nginxDir};\n  proxy_temp_path ${nginxDir};\n  include ${nginxDir}/site.conf;\n}\n`,
    );
    const result = spawnSync(TOOLS.nginx, ['-t', '-p', nginxDir, '-c', join(nginxDir, 'nginx.conf'), '-e', join(nginxDir, 'error.log')], { encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stderr, /syntax is ok/);
  });

  describe('le Caddyfile du guide devant une instance, l’autre arrêtée', () => {
    let database: { url: string; drop(): Promise<void> };
    let dataDir: string;
    let serve: ServeProcess;
    let caddy: ChildProcess;
    let proxy: string;
    let output = '';
    const token = randomBytes(32).toString('hex');

    before(async () => {
      database = await createServerDatabase(process.env.TEST_DATABASE_URL!, 'maillage_caddy');
      dataDir = newDataDir();
      const port = await freePort();
      proxy = `http://127.0.0.1:${port}`;
      serve = await startServe(dataDir, {
        DATABASE_URL: database.url,
        DATABASE_POOL_SIZE: '2',
        BASE_URL: proxy,
        TRUST_PROXY: '127.0.0.1',
        METRICS_TOKEN: token,
      });
      const stopped = `127.0.0.1:${await freePort()}`;
      // Served on plain http at a test port (no certificate to obtain), the admin endpoint off; the rest as written.
      const caddyfile = `{\n  admin off\n}\n${guideExample('/etc/caddy/Caddyfile')
        .replace('maillage.exemple-cress.fr {', `${proxy} {`)
        .replace('127.0.0.1:3000 127.0.0.1:3001', `${stopped} ${new URL(serve.base).host}`)}`;
      const caddyDir = join(dir, 'caddy');
      mkdirSync(caddyDir);
      writeFileSync(join(caddyDir, 'Caddyfile'), caddyfile);
      caddy = spawn(TOOLS.caddy, ['run', '--config', join(caddyDir, 'Caddyfile'), '--adapter', 'caddyfile'], {
        env: { ...process.env, HOME: caddyDir, XDG_DATA_HOME: caddyDir, XDG_CONFIG_HOME: caddyDir },
      });
      caddy.stderr!.on('data', (chunk) => (output += chunk));
      for (
        let attempt = 0;
        !(await fetch(`${proxy}/sante/vivant`).then(
          (r) => r.ok,
          () => false,
        ));
        attempt++
      ) {
        if (caddy.exitCode !== null || attempt > 100) throw new Error(`Caddy ne répond pas :\n${output}`);
        await new Promise((done) => setTimeout(done, 100));
      }
    });

    after(async () => {
      if (caddy) await stopProcess(caddy);
      if (serve) await stopProcess(serve.child);
      await database?.drop();
      if (dataDir) await removeDataDir(dataDir);
    });

    test('chaque lecture répond, même quand la répartition choisit l’instance arrêtée', async () => {
      for (let request = 0; request < 12; request++) {
        for (const path of ['/', '/recherche?q=jardin', '/sante/pret']) {
          const response = await fetch(`${proxy}${path}`);
          const body = await response.text();
          assert.equal(response.status, 200, `${path} : ${response.status} ${body.slice(0, 300)}\n${output.slice(-2000)}`);
        }
      }
    });

    test('/metriques reste fermé à travers le mandataire, ouvert sur l’instance', async () => {
      const headers = { authorization: `Bearer ${token}` };
      assert.equal((await fetch(`${proxy}/metriques`, { headers })).status, 404);
      assert.equal((await fetch(`${serve.base}/metriques`, { headers })).status, 200);
    });

    test('un corps trop gros traverse Caddy jusqu’au refus de Maillage : 413, en français', async () => {
      const body = Buffer.alloc(13 * 1024 * 1024, 97);
      const response = await fetch(`${proxy}/connexion`, { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      assert.equal(response.status, 413);
      assert.match(await response.text(), /trop volumineux/);
    });
  });
});
