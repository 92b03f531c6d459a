/** The logs carry what went wrong in the code, never what a person typed nor the values of a row. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { errorLogSerializer } from '../src/platform/http/logging.ts';
import { openTestDatabase, type TestDatabase } from './support/databases.ts';

let database: TestDatabase;
before(async () => {
  database = await openTestDatabase();
});
after(() => database.dispose());

test('une erreur SQL journalisée garde son code et sa requête, pas les valeurs ni le détail', async () => {
  const insert = (email: string, name: string) =>
    database.db.execute(sql`insert into account (email, password_hash, display_name)
    values (${email}, 'x', ${name})`);
  await insert('camille.secret@exemple.fr', 'Camille Secret');
  const error = await insert('camille.secret@exemple.fr', 'Réponse confidentielle').then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.ok(error instanceof Error);
  const logged = JSON.stringify(errorLogSerializer(error));
  assert.match(logged, /insert into account/);
  assert.match(logged, /"code":"23505"/);
  for (const secret of ['camille.secret', 'Réponse confidentielle', 'Camille Secret']) assert.ok(!logged.includes(secret), `${secret} dans ${logged}`);
});

test('une valeur refusée par PostgreSQL n’est pas recopiée', async () => {
  const error = await database.db.execute(sql`select ${'Mon adresse personnelle'}::int`).then(
    () => undefined,
    (e: unknown) => e,
  );
  const logged = JSON.stringify(errorLogSerializer(error));
  assert.match(logged, /"code":"22P02"/);
  assert.ok(!logged.includes('Mon adresse personnelle'), logged);
});

test('une valeur qui n’est pas une erreur n’est pas recopiée', () => {
  assert.deepEqual(errorLogSerializer({ mot_de_passe: 'x' }), { type: 'object', message: '(valeur non journalisée)', stack: '' });
});
