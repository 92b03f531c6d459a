/**
 * The codes of an organisation checked by the database (migration 0046): each check accepts exactly the ASCII
 * values the regular expression it replaced accepted, and refuses digits of other scripts, which no INSEE code has.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { openTestDatabase, type TestDatabase } from './support/databases.ts';

/** The rules as 0002_atlas.sql wrote them, the reference for ASCII values. */
const FORMER = {
  siret: '^\\d{14}$',
  siren: '^\\d{9}$',
  legal_form: '^\\d{2}(\\d{2})?$',
  naf_code: '^\\d{2}\\.\\d{2}[A-Z]$',
} as const;

const VALID = { siret: '12345678900011', siren: '123456789', legal_form: '5710', naf_code: '88.99B' };

const CANDIDATES: Record<keyof typeof FORMER, string[]> = {
  siret: ['12345678900011', '00000000000000', '1234567890001', '123456789000111', '1234567890001a', ' 2345678900011', '12345678900011\n', '', '1234567890.011'],
  siren: ['123456789', '000000000', '12345678', '1234567890', '12345678a', '-12345678', '12345678 ', '1e3456789'],
  legal_form: ['57', '5710', '5', '571', '57100', '5a', '57 0', '', '+7'],
  naf_code: ['88.99B', '01.11Z', '88.99b', '88.9B', '8.899B', '889.9B', '88,99B', '88.99', '88.99BB', '88.99É', 'A8.99B', '88999B', '.8899B', ' 88.99B'],
};

const NON_ASCII_DIGITS = { siret: '١٢٣٤٥٦٧٨٩٠٠٠١١', siren: '１２３４５６７８９', legal_form: '٥٧', naf_code: '٨٨.99B' };

describe('Codes d’une organisation vérifiés par la base', () => {
  let database: TestDatabase;

  before(async () => {
    database = await openTestDatabase();
  });
  after(async () => {
    await database.dispose();
  });

  /** Whether the table takes an organisation with this value in this column (the other codes valid). */
  async function accepted(column: keyof typeof FORMER, value: string): Promise<boolean> {
    const client = await database.pool.connect();
    try {
      await client.query('begin');
      const row = { ...VALID, [column]: value };
      await client.query(`insert into organisation (siret, siren, legal_form, naf_code, name, source) values ($1, $2, $3, $4, 'Essai des contrôles', 'test')`, [
        row.siret,
        row.siren,
        row.legal_form,
        row.naf_code,
      ]);
      return true;
    } catch (error) {
      assert.equal((error as { code?: string }).code, '23514', `${column} = ${JSON.stringify(value)} : ${(error as Error).message}`);
      return false;
    } finally {
      await client.query('rollback');
      client.release();
    }
  }

  for (const column of Object.keys(FORMER) as (keyof typeof FORMER)[]) {
    test(`${column} : les mêmes valeurs ASCII qu’avant, aucun chiffre d’une autre écriture`, async () => {
      for (const value of CANDIDATES[column]) {
        const { rows } = await database.pool.query<{ matches: boolean }>('select $1::text ~ $2 as matches', [value, FORMER[column]]);
        assert.equal(await accepted(column, value), rows[0]!.matches, `${column} = ${JSON.stringify(value)}`);
      }
      assert.equal(await accepted(column, NON_ASCII_DIGITS[column]), false, `${column} = ${NON_ASCII_DIGITS[column]}`);
    });
  }
});
