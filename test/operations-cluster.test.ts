/**
 * Maillage as a CRESS runs it once one instance is not enough: two `maillage serve` on one PostgreSQL
 * (DATABASE_URL, an empty database they migrate together under the advisory lock), behind nginx (the Debian
 * package, configured here in a folder of the test's own) that spreads the requests and sends an idempotent
 * request to the other instance when one fails or stops. A load crosses both instances; a person signs in on
 * one and goes on on the other; a write on one is found at once by a search on the other; jobs run exactly
 * once; one instance stops during the load and no read fails.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { checkedRows, openDatabase, textArray, type Database } from '../src/db/database.ts';
import { createServerDatabase } from './support/databases.ts';
import { bracedBlock, guideExample } from './support/deployment-guide.ts';
import { executable, freePort, newDataDir, removeDataDir, signUpOverHttp, startServe, stopProcess, type ServeProcess } from './support/processes.ts';

const NGINX = [process.env.NGINX_PATH, '/usr/sbin/nginx', '/usr/bin/nginx'].find((path) => path && executable(path));
const NGINX_MISSING =
  'nginx est introuvable (paquet Debian nginx-light, installé par .ci/run) : le test de plusieurs instances derrière un mandataire ne peut pas tourner.';
if (!NGINX && process.env.E2E_REQUIRED === '1') throw new Error(NGINX_MISSING);

const METRICS_TOKEN = randomBytes(24).toString('hex');
const GUIDE_SITE = '/etc/nginx/sites-available/maillage';
const JOBS = 24;

/** The deployment guide's upstream block, its two example instances replaced by the test's. */
function guideUpstream(upstreams: string[]): string {
  const block = bracedBlock(guideExample(GUIDE_SITE), 'upstream maillage {');
  const servers = block.match(/^\s*server 127\.0\.0\.1:3000 (.*)$/m)!;
  const ours = upstreams.map((address) => `server ${address} ${servers[1]}`).join('\n    ');
  return block.replace(/^\s*server 127\.0\.0\.1:300[01] .*\n/gm, '').replace('{', `{\n    ${ours}`);
}

/**
 * The guide's `location /`, as written, but for two test needs: the Host header keeps its port (the test's
 * proxy is not on 443) and each answer names the instance that served it.
 */
function guideLocation(): string {
  const block = bracedBlock(guideExample(GUIDE_SITE), 'location / {');
  assert.match(block, /proxy_set_header Host \$host;/);
  return block.replace('proxy_set_header Host $host;', 'proxy_set_header Host $http_host;\n        add_header X-Upstream $upstream_addr always;');
}

/** nginx in the foreground, all its files in `dir`: the guide's round robin over the instances, idempotent requests retried once elsewhere. */
async function startNginx(dir: string, port: number, upstreams: string[]): Promise<{ child: ChildProcess; log(): string }> {
  for (const sub of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) mkdirSync(join(dir, sub));
  writeFileSync(
    join(dir, 'nginx.conf'),
    `${process.getuid?.() === 0 ? 'user root;' : ''}
daemon off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 512; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  ${guideUpstream(upstreams)}
  server {
    listen 127.0.0.1:${port};
    ${guideLocation()}
  }
}
`,
  );
  const child = spawn(NGINX!, ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'error.log')], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const errorLog = join(dir, 'error.log');
  const log = () => `${output}${existsSync(errorLog) ? readFileSync(errorLog, 'utf8') : ''}`;
  for (let attempt = 0; ; attempt++) {
    if (child.exitCode !== null) throw new Error(`nginx s’est arrêté :\n${log()}`);
    const up = await fetch(`http://127.0.0.1:${port}/sante/vivant`).then(
      (response) => response.ok,
      () => false,
    );
    if (up) return { child, log };
    if (attempt > 100) throw new Error(`nginx ne répond pas :\n${log()}`);
    await new Promise((done) => setTimeout(done, 100));
  }
}

/** A browser's cookie jar over fetch, on any of the addresses of the site. */
class Browser {
  readonly cookies = new Map<string, string>();
  private keep(response: Response): Response {
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(';');
      const [name, value] = pair!.split('=') as [string, string];
      if (value === '' || /max-age=0/i.test(cookie)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return response;
  }
  private header(): Record<string, string> {
    return this.cookies.size ? { cookie: [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ') } : {};
  }
  async get(url: string): Promise<Response> {
    return this.keep(await fetch(url, { redirect: 'manual', headers: this.header() }));
  }
  /** Submits the form of `page` (its CSRF field) to `action`, which may be on another instance. */
  async submit(page: string, action: string, fields: Record<string, string>): Promise<Response> {
    const token = (await (await this.get(page)).text()).match(/name="_csrf" value="([^"]+)"/)?.[1];
    assert.ok(token, `pas de champ _csrf sur ${page}`);
    return this.keep(
      await fetch(action, {
        method: 'POST',
        redirect: 'manual',
        headers: { ...this.header(), 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ _csrf: token, ...fields }).toString(),
      }),
    );
  }
}

/** `count` GET requests through `base`, `concurrency` at a time; what each answered and which instance served it. */
async function load(base: string, paths: string[], count: number, concurrency = 6, during?: (done: number) => Promise<void> | void) {
  const answers: { path: string; status: number; upstream: string; error?: string }[] = [];
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const path = paths[next++ % paths.length]!;
      await during?.(answers.length);
      try {
        const response = await fetch(`${base}${path}`);
        await response.arrayBuffer();
        answers.push({ path, status: response.status, upstream: response.headers.get('x-upstream') ?? '' });
      } catch (error) {
        answers.push({ path, status: 0, upstream: '', error: String(error) });
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return answers;
}

const READS = ['/', '/recherche?q=jardin', '/api/v1/organisations?q=jardin', '/api/v1/cooperations', '/territoires/region/84', '/sante/pret'];

describe('Plusieurs instances sur une base PostgreSQL, derrière nginx', { skip: NGINX ? false : NGINX_MISSING }, () => {
  let serverDatabase: { url: string; drop(): Promise<void> };
  let database: Database;
  let dataDir: string;
  let nginxDir: string;
  let nginx: { child: ChildProcess; log(): string } | undefined;
  let first: ServeProcess;
  let second: ServeProcess;
  let proxy: string;

  before(async () => {
    const adminUrl = process.env.TEST_DATABASE_URL;
    assert.ok(adminUrl, 'ce test se lance par scripts/test.ts, qui démarre le serveur PostgreSQL');
    serverDatabase = await createServerDatabase(adminUrl, 'maillage_cluster');
    dataDir = newDataDir();
    nginxDir = mkdtempSync(join(tmpdir(), 'maillage-nginx-'));
    const proxyPort = await freePort();
    proxy = `http://127.0.0.1:${proxyPort}`;
    const settings = {
      DATABASE_URL: serverDatabase.url,
      DATABASE_POOL_SIZE: '4',
      BASE_URL: proxy,
      TRUST_PROXY: '127.0.0.1',
      JOBS_POLL_SECONDS: '1',
      LOG_LEVEL: 'info',
      METRICS_TOKEN,
    };
    // Started together on an empty database: one migrates and loads the data, the other waits for the lock.
    [first, second] = await Promise.all([startServe(dataDir, settings), startServe(dataDir, settings)]);
    nginx = await startNginx(nginxDir, proxyPort, [new URL(first.base).host, new URL(second.base).host]);
    database = await openDatabase({ url: serverDatabase.url, poolSize: 2 });
  });

  after(async () => {
    if (nginx) await stopProcess(nginx.child, 'SIGQUIT');
    for (const serve of [first, second]) if (serve) await stopProcess(serve.child, 'SIGKILL');
    await database?.close();
    await serverDatabase?.drop();
    if (dataDir) await removeDataDir(dataDir);
    if (nginxDir) rmSync(nginxDir, { recursive: true, force: true });
  });

  test('démarrées ensemble sur une base vide : migrations appliquées une fois, chacune prête', async () => {
    const applied = await checkedRows(
      database.db,
      z.object({ name: z.string(), n: z.number() }),
      sql`select name, count(*)::int as n from schema_migration group by name`,
    );
    assert.ok(applied.length > 20, `${applied.length} migrations`);
    assert.deepEqual(
      applied.filter((row) => row.n !== 1),
      [],
    );
    for (const serve of [first, second]) {
      const response = await fetch(`${serve.base}/sante/pret`);
      assert.equal(response.status, 200);
      assert.deepEqual(await response.json(), { statut: 'pret', base: 'ok', migrations: 'ok', taches: 'ok' });
    }
  });

  test('une charge à travers le mandataire passe par les deux instances, sans échec', async () => {
    const answers = await load(proxy, READS, 120);
    assert.deepEqual(
      answers.filter((a) => a.status !== 200),
      [],
    );
    const upstreams = new Set(answers.map((a) => a.upstream));
    assert.deepEqual([...upstreams].sort(), [new URL(first.base).host, new URL(second.base).host].sort());
  });

  test('connexion sur une instance, suite du parcours sur l’autre', async () => {
    const email = `cress-${randomBytes(4).toString('hex')}@exemple.fr`;
    assert.equal(await signUpOverHttp(first.base, email, '203.0.113.7'), 303);
    await database.db.execute(sql`update account set email_verified_at = now() where email = ${email}`);
    const browser = new Browser();
    // The form comes from the second instance, the sign-in goes to the first: the CSRF key is the database's.
    const signedIn = await browser.submit(`${second.base}/compte/connexion`, `${first.base}/compte/connexion`, {
      email,
      mot_de_passe: 'une phrase de passe assez longue',
    });
    assert.equal(signedIn.status, 303, await signedIn.text());
    const onSecond = await browser.get(`${second.base}/compte`);
    assert.equal(onSecond.status, 200, 'la session ouverte sur la première instance vaut sur la seconde');
    assert.match(await onSecond.text(), new RegExp(email.replace('.', '\\.')));
    // And a signed-in form post on the second instance, with the session's token read from the first.
    const alert = await browser.submit(`${first.base}/compte/deconnexion`, `${second.base}/compte/alertes`, {
      type: 'recherche_cooperations',
      requete: 'region=84',
    });
    assert.equal(alert.status, 303, await alert.text());
  });

  test('une écriture sur une instance est trouvée aussitôt par une recherche sur l’autre', async () => {
    const email = `moderation-${randomBytes(4).toString('hex')}@exemple.fr`;
    assert.equal(await signUpOverHttp(second.base, email, '203.0.113.8'), 303);
    await database.db.execute(sql`update account set email_verified_at = now() where email = ${email}`);
    await database.db.execute(sql`insert into account_role (account_id, role, scope_kind, scope_code)
      select id, 'platform_admin', 'platform', '' from account where email = ${email}`);
    const browser = new Browser();
    const signedIn = await browser.submit(`${first.base}/compte/connexion`, `${first.base}/compte/connexion`, {
      email,
      mot_de_passe: 'une phrase de passe assez longue',
    });
    assert.equal(signedIn.status, 303);
    const [cooperation] = await checkedRows(database.db, z.object({ id: z.number() }), sql`select id::int as id from cooperation order by id limit 1`);
    const word = `Ornithorynque${randomBytes(3).toString('hex')}`;
    const search = async () =>
      ((await (await fetch(`${second.base}/api/v1/cooperations?q=${word}`)).json()) as { total: number; resultats: { id: number }[] }).resultats.map(
        (r) => r.id,
      );
    assert.deepEqual(await search(), [], 'rien avant l’écriture (et la réponse est gardée en mémoire par la seconde instance)');
    const edited = await browser.submit(`${first.base}/cooperations/${cooperation!.id}/modifier`, `${first.base}/cooperations/${cooperation!.id}/modifier`, {
      nom: `Coopération ${word}`,
      modele: 'PTCE',
      commune: '26362',
    });
    assert.equal(edited.status, 303, await edited.text());
    assert.deepEqual(await search(), [cooperation!.id]);
  });

  test('des tâches mises en file sont faites une fois et une seule par les deux instances', async () => {
    const subjects = Array.from({ length: JOBS }, (_, i) => `Tache ${i} ${randomBytes(3).toString('hex')}`);
    await database.db.execute(sql`insert into job (kind, payload, max_attempts)
      select 'mail.send', jsonb_build_object('purpose', 'test', 'to', 'exploitation@exemple.fr', 'subject', subject, 'text', 'Texte', 'html', '<p>Texte</p>'), 1
      from unnest(${textArray(subjects)}) as subject`);
    const done = z.object({ done: z.number(), attempts: z.number() });
    for (let waited = 0; ; waited += 200) {
      const [row] = await checkedRows(
        database.db,
        done,
        sql`select count(*) filter (where done_at is not null)::int as done, coalesce(max(attempts), 0)::int as attempts
          from job where kind = 'mail.send' and payload->>'to' = 'exploitation@exemple.fr'`,
      );
      if (row!.done === JOBS) {
        assert.equal(row!.attempts, 1, 'aucune tâche reprise');
        break;
      }
      assert.ok(waited < 60_000, `${row!.done} tâches faites sur ${JOBS} après une minute`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const mailDir = join(dataDir, 'mail');
    const sent = readdirSync(mailDir).map((name) => readFileSync(join(mailDir, name), 'utf8').match(/^Subject: (.*)$/m)?.[1] ?? '');
    for (const subject of subjects) assert.equal(sent.filter((s) => s === subject).length, 1, subject);
  });

  test('une instance arrêtée pendant la charge : aucune lecture n’échoue', async () => {
    let stopping: Promise<void> | undefined;
    const answers = await load(proxy, READS, 240, 6, (done) => {
      if (done === 60 && !stopping) stopping = stopProcess(second.child);
    });
    await stopping;
    assert.equal(second.child.exitCode, 0, second.output());
    assert.deepEqual(
      answers.filter((a) => a.status !== 200),
      [],
    );
    const late = answers.slice(-60);
    assert.ok(
      late.every((a) => a.upstream.endsWith(new URL(first.base).host)),
      'après l’arrêt, la première instance sert tout',
    );
  });

  test('journaux en JSON avec l’identifiant de requête du mandataire, sans donnée personnelle ; métriques par modèle de route', async () => {
    const response = await fetch(`${proxy}/sante/vivant`);
    const id = response.headers.get('x-request-id');
    assert.match(id ?? '', /^[0-9a-f]{32}$/, 'l’identifiant de nginx ($request_id) revient dans la réponse');
    await new Promise((resolve) => setTimeout(resolve, 200));
    const lines = first
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { reqId?: string; msg?: string });
    assert.ok(lines.length > 100, 'chaque ligne de journal est un objet JSON');
    assert.ok(
      lines.some((line) => line.reqId === id),
      `une ligne porte ${id}`,
    );
    assert.ok(!/@exemple\.fr|phrase de passe/.test(first.output()), 'ni adresse ni mot de passe dans les journaux');

    const metrics = await (await fetch(`${first.base}/metriques`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();
    assert.match(metrics, /maillage_http_requests_total\{method="GET",route="\/territoires\/:type\/:code",status="200"\} \d+/);
    assert.doesNotMatch(metrics, /route="\/territoires\/region/);
    assert.match(metrics, /maillage_jobs_due\{kind="mail\.send"\} 0/);
    assert.match(metrics, /maillage_database_up 1/);
  });
});
