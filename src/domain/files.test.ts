import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canReadApplicationFile, contentDisposition, fileRules, kindOfMime, kindsText, safeFileName, sizeText } from './files.ts';
import { checkDefinition, formDefinitionSchema } from './form.ts';

test('règles d’un champ fichier : types par défaut, taille du champ plafonnée par celle de la plateforme', () => {
  assert.deepEqual(fileRules({}, 10), { kinds: ['pdf', 'png', 'jpeg', 'odt', 'docx', 'ods', 'xlsx'], maxBytes: 10 * 1024 * 1024 });
  assert.deepEqual(fileRules({ types: ['pdf'], taille_max_mo: 2 }, 10), { kinds: ['pdf'], maxBytes: 2 * 1024 * 1024 });
  assert.equal(fileRules({ taille_max_mo: 50 }, 10).maxBytes, 10 * 1024 * 1024);
  assert.equal(kindsText(['pdf', 'png', 'jpeg']), 'PDF, image PNG ou image JPEG');
  assert.equal(kindsText(['pdf']), 'PDF');
  assert.equal(sizeText(10 * 1024 * 1024), '10 Mo');
  assert.equal(sizeText(1536 * 1024), '1,5 Mo');
  assert.equal(sizeText(2048), '2 Ko');
  assert.equal(kindOfMime('application/pdf'), 'pdf');
  assert.equal(kindOfMime('application/x-msdownload'), undefined);
});

test('nom gardé : sans dossier, sans caractère de contrôle, avec l’extension du type reconnu', () => {
  assert.equal(safeFileName('../../etc/passwd', 'pdf'), 'passwd.pdf');
  assert.equal(safeFileName('C:\\Users\\moi\\Statuts signés.PDF', 'pdf'), 'Statuts signés.PDF');
  assert.equal(safeFileName('<script>alert(1)</script>.pdf', 'pdf'), 'script_.pdf');
  assert.equal(safeFileName('<img src=x onerror="alert(1)">.pdf', 'pdf'), '_img src=x onerror=_alert(1)__.pdf');
  assert.equal(safeFileName('photo.pdf', 'png'), 'photo.pdf.png');
  assert.equal(safeFileName('  ..\u0000\u202e ', 'pdf'), 'fichier.pdf');
  assert.equal(safeFileName('a\u0007b\nc.jpg', 'jpeg'), 'abc.jpg');
  assert.ok(safeFileName(`${'é'.repeat(400)}.pdf`, 'pdf').length <= 200);
});

test('Content-Disposition (RFC 6266) : repli ASCII et nom exact en filename*', () => {
  assert.equal(
    contentDisposition('Budget prévisionnel "2021".pdf'),
    'attachment; filename="Budget previsionnel _2021_.pdf"; filename*=UTF-8\'\'Budget%20pr%C3%A9visionnel%20%222021%22.pdf',
  );
  assert.equal(contentDisposition("l'état (v2).odt"), "attachment; filename=\"l'etat (v2).odt\"; filename*=UTF-8''l%27%C3%A9tat%20%28v2%29.odt");
});

test('lecture d’un fichier : la personne qui candidate ; une fois déposée, l’instruction de l’appel, l’administration, les évaluateurs sans conflit', () => {
  const application = { accountId: 7, appelId: 3, statut: 'deposee' as const };
  const none = { assigned: false, conflict: false };
  const actor = (id: number, roles: { role: string; scopeKind: string; scopeCode: string }[] = []) => ({ id, emailVerified: true, roles: roles as never });
  assert.equal(canReadApplicationFile(null, application, none), false);
  assert.equal(canReadApplicationFile(actor(7), application, none), true);
  assert.equal(canReadApplicationFile(actor(8), application, none), false);
  assert.equal(canReadApplicationFile(actor(8, [{ role: 'instructor', scopeKind: 'appel', scopeCode: '3' }]), application, none), true);
  assert.equal(canReadApplicationFile(actor(8, [{ role: 'instructor', scopeKind: 'appel', scopeCode: '4' }]), application, none), false);
  assert.equal(canReadApplicationFile(actor(8, [{ role: 'platform_admin', scopeKind: 'platform', scopeCode: '' }]), application, none), true);
  assert.equal(canReadApplicationFile(actor(8, [{ role: 'regional_moderator', scopeKind: 'region', scopeCode: '84' }]), application, none), false);
  // Reviewers named on the call: not with a conflict on this application, not on a draft.
  assert.equal(canReadApplicationFile(actor(9), application, { assigned: true, conflict: false }), true);
  assert.equal(canReadApplicationFile(actor(9), application, { assigned: true, conflict: true }), false);
  assert.equal(canReadApplicationFile(actor(9), { ...application, statut: 'brouillon' }, { assigned: true, conflict: false }), false);
  assert.equal(canReadApplicationFile(null, application, { assigned: true, conflict: false }), false);
  // A draft is its owner's alone: neither the call's instructors nor the admins read its files.
  const draft = { ...application, statut: 'brouillon' as const };
  assert.equal(canReadApplicationFile(actor(7), draft, none), true);
  assert.equal(canReadApplicationFile(actor(8, [{ role: 'instructor', scopeKind: 'appel', scopeCode: '3' }]), draft, none), false);
  assert.equal(canReadApplicationFile(actor(8, [{ role: 'platform_admin', scopeKind: 'platform', scopeCode: '' }]), draft, none), false);
});

test('définition : types et taille réservés aux fichiers, pas de fichier dans un groupe, types connus', () => {
  const def = (champs: object[]) => ({ sections: [{ titre: 'S', champs }] }) as never;
  assert.deepEqual(checkDefinition(def([{ cle: 'f', type: 'fichier', libelle: 'F', types: ['pdf'], taille_max_mo: 2 }])), []);
  assert.match(checkDefinition(def([{ cle: 't', type: 'texte', libelle: 'T', types: ['pdf'] }])).join(), /n’est pas un fichier/);
  assert.match(
    checkDefinition(def([{ cle: 'g', type: 'groupe', libelle: 'G', champs: [{ cle: 'f', type: 'fichier', libelle: 'F' }] }])).join(),
    /ne peut pas contenir de fichier/,
  );
  const many = Array.from({ length: 21 }, (_, i) => ({ cle: `f${i}`, type: 'fichier', libelle: 'F' }));
  assert.match(checkDefinition(def(many)).join(), /20 au plus/);
  assert.equal(formDefinitionSchema.safeParse(def([{ cle: 'f', type: 'fichier', libelle: 'F', types: ['exe'] }])).success, false);
  assert.equal(formDefinitionSchema.safeParse(def([{ cle: 'f', type: 'fichier', libelle: 'F', taille_max_mo: 0 }])).success, false);
});
