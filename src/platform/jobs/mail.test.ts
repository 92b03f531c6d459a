import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mailErrorCode } from './mail.ts';

test('un échec d’envoi est gardé par son code seul, jamais par le texte du serveur', () => {
  const refused = Object.assign(new Error('Can’t send mail - all recipients were rejected: 550 <camille@exemple.fr> inconnue'), {
    code: 'EENVELOPE',
    responseCode: 550,
  });
  assert.equal(mailErrorCode(refused), 'EENVELOPE 550');
  assert.equal(mailErrorCode(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:25'), { code: 'ECONNECTION' })), 'ECONNECTION');
  assert.equal(mailErrorCode(Object.assign(new Error("EROFS: read-only file system, open '/var/mail/x.eml'"), { code: 'EROFS' })), 'EROFS');
  assert.equal(mailErrorCode(Object.assign(new Error('x'), { code: 'camille@exemple.fr' })), 'ERREUR');
  assert.equal(mailErrorCode('texte'), 'ERREUR');
  assert.equal(mailErrorCode(undefined), 'ERREUR');
});
