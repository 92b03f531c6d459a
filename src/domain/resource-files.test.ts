import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ensureProposalFilesMayChange, ensureRoomForFiles, MAX_FILES_PER_RESOURCE } from './resource-files.ts';
import { RuleError } from './rule-error.ts';

describe('fichiers d’une ressource', () => {
  test('une ressource tient au plus MAX_FILES_PER_RESOURCE fichiers ; au-delà, le refus nomme le champ s’il y en a un', () => {
    ensureRoomForFiles(MAX_FILES_PER_RESOURCE);
    assert.throws(
      () => ensureRoomForFiles(MAX_FILES_PER_RESOURCE + 1, 'fichier'),
      (error: RuleError) =>
        error instanceof RuleError &&
        error.code === 'trop_de_fichiers' &&
        error.field === 'fichier' &&
        error.kind === 'invalid' &&
        /au plus/.test(error.message),
    );
    // Without a field (a moderator accepting a proposal): a conflict, not bad input.
    assert.throws(
      () => ensureRoomForFiles(MAX_FILES_PER_RESOURCE + 3),
      (error: RuleError) => error instanceof RuleError && error.kind === 'conflict' && /elle en aurait 23/.test(error.message),
    );
  });

  test('les fichiers d’une proposition ne changent que tant qu’elle attend', () => {
    ensureProposalFilesMayChange('en_attente');
    for (const status of ['acceptee', 'refusee', 'modifiee_acceptee'] as const)
      assert.throws(
        () => ensureProposalFilesMayChange(status),
        (error: RuleError) => error instanceof RuleError && error.code === 'proposition_decidee' && error.kind === 'conflict',
      );
  });
});
