/**
 * A person reads sentences: every message of the proposal forms, whatever was posted (a code not in the list,
 * a value posted twice, a number where a text goes, a text too long), is a French sentence that says what to
 * do, never Zod's generic text naming codes and types (« Option invalide : une valeur parmi "…"|… »).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { z } from 'zod';
import { contributionKind } from '../src/domain/contribution.ts';
import { PROPOSAL_FIELDS, proposalSchema } from '../src/features/contributions/schemas.ts';
import { loadTerritoryIndex, type TerritoryIndex } from '../src/platform/territory-index.ts';
import { buildTestApp, type TestApp } from './support/app.ts';
import { validSiret } from './support/siret.ts';

z.config(z.locales.fr());

/** What a crafted or mistaken post can hold in any field. */
const HOSTILE: unknown[] = ['zzz', ['a', 'b'], 12, { x: 1 }, 'x'.repeat(5000), '\u0007', '-3.5', [{ role: 'inconnu' }], [{}, 'texte']];

const SENTENCE = /^[A-ZÀÂÇÉÈÊÎÔÙÛ«\d].*[.!?)»]$/u;
const GENERIC = /^(Entrée|Option|Chaîne|Nombre|Clé|Élément|Format|Valeur) invalide|^Trop (grand|petit)|attendu|une valeur parmi|"[a-z_]+"\|/;

describe('Messages des formulaires de proposition', () => {
  let t: TestApp;
  let territories: TerritoryIndex;
  before(async () => {
    t = await buildTestApp();
    territories = await loadTerritoryIndex(t.database.db);
  });
  after(() => t.close());

  test('chaque erreur, pour chaque champ et chaque valeur hostile, est une phrase', () => {
    for (const kind of contributionKind.codes) {
      for (const action of ['creation', 'modification'] as const) {
        const schema = proposalSchema(kind, action, territories);
        for (const field of PROPOSAL_FIELDS[kind]) {
          for (const value of HOSTILE) {
            const parsed = schema.safeParse({ nom: 'Nom', modele: 'PTCE', commune: '26281', siret: validSiret('3560000000004'), [field]: value });
            for (const issue of parsed.success ? [] : parsed.error.issues) {
              const where = `${kind}/${action}, ${field} = ${JSON.stringify(value).slice(0, 40)} → ${issue.path.join('.')}`;
              assert.match(issue.message, SENTENCE, `${where} : « ${issue.message} » n’est pas une phrase`);
              assert.doesNotMatch(issue.message, GENERIC, `${where} : « ${issue.message} » est un message générique`);
            }
          }
        }
      }
    }
  });

  test('le formulaire de structure ne montre jamais le texte brut de validation', async () => {
    const { signedInAs } = await import('./support/accounts.ts');
    const author = await signedInAs(t.app, t.database.db, []);
    const sent = await author.client.post('/contributions/nouvelle/structure', {
      _csrf: author.csrf,
      nom: 'Essai',
      siret: validSiret('3560000000004'),
      commune: '26281',
      statut_ess: 'structure',
      secteur: 'inconnu',
    });
    assert.equal(sent.statusCode, 400);
    assert.match(sent.body, /Choisissez le statut ESS dans la liste proposée\./);
    assert.match(sent.body, /Choisissez le secteur dans la liste proposée\./);
    assert.doesNotMatch(sent.body, /Option invalide|une valeur parmi/);
    const unknownType = await author.client.get('/contributions/nouvelle/structures');
    assert.doesNotMatch(unknownType.body, /Option invalide|une valeur parmi/);
  });
});
