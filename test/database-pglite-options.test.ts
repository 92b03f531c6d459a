/** The embedded database's options: a command may ask for a small buffer pool without changing the folder's settings. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { sql } from 'drizzle-orm';
import { firstRow, openDatabase } from '../src/db/database.ts';

const sharedBuffers = async (options: { pgliteDir: string; pgliteSharedBuffersMb?: number }) => {
  const database = await openDatabase(options);
  try {
    return (await firstRow<{ size: string }>(database.db, sql`select current_setting('shared_buffers') as size`))!.size;
  } finally {
    await database.close();
  }
};

test('un petit tampon partagé vaut pour cette ouverture seulement, pas pour le dossier', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'maillage-pglite-'));
  try {
    assert.equal(await sharedBuffers({ pgliteDir: dir, pgliteSharedBuffersMb: 16 }), '16MB');
    assert.equal(await sharedBuffers({ pgliteDir: dir }), '128MB', 'la réouverture suivante garde le réglage par défaut');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
