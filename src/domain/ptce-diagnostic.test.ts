import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RuleError } from './rule-error.ts';
import { checkEvidence, CRITERE_CODES, critereOf, diagnosePtce, type DiagnosticInput, type DiagnosticMember } from './ptce-diagnostic.ts';

const member = (role: string, more: Partial<DiagnosticMember> = {}): DiagnosticMember => ({
  role,
  statutEss: null,
  legalForm: null,
  departementCode: null,
  regionCode: null,
  ...more,
});

const base: DiagnosticInput = {
  departementCode: null,
  regionCode: null,
  foundedYear: null,
  sharedResources: null,
  governance: null,
  members: [],
  declarations: {},
  year: 2026,
};

const statut = (input: DiagnosticInput, code: string) => diagnosePtce(input).criteres.find((c) => c.code === code)!;

// Pôle Sud Archer, as the demo data records it from documents 003 and 004: seven ESS members (groupe Archer,
// Urscop, Coorace, CRESS, Adie, France Active, La Nef), no collectivité, one shared place, since 2007, Drôme.
const poleSud: DiagnosticInput = {
  ...base,
  departementCode: '26',
  regionCode: '84',
  foundedYear: 2007,
  sharedResources: "Un même lieu pour ses membres ; dynamique collective d'échange, d'information et de mutualisation de services.",
  members: [
    member('entreprise_ess', { statutEss: 'ess_de_droit', departementCode: '26', regionCode: '84' }),
    ...Array.from({ length: 6 }, () => member('entreprise_ess')),
  ],
};

// Pôle de coopération de l'ESS du Parc du Canal (003, annex): the commune of Ramonville-Saint-Agne and the
// Sicoval are its two recorded members; a 4-hectare zone and a building are its shared resources.
const parcDuCanal: DiagnosticInput = {
  ...base,
  departementCode: '31',
  regionCode: '76',
  sharedResources: "Zone économique de près de 4 hectares ; bâtiment réservé à la création d'activités et d'entreprises.",
  members: [member('collectivite'), member('collectivite')],
};

test('19 critères : 8 incontournables, 6 à tester, 5 exclusions, chacun avec le passage qui le fonde', () => {
  const { criteres } = diagnosePtce(base);
  assert.equal(criteres.length, 19);
  const count = (famille: string) => criteres.filter((c) => c.famille === famille).length;
  assert.deepEqual([count('incontournable'), count('a_tester'), count('exclusion')], [8, 6, 5]);
  assert.equal(new Set(CRITERE_CODES).size, 19);
  for (const c of criteres) assert.match(c.source, /Document 003.*« .+ »/);
  assert.match(critereOf('partenariat_collectivite').source, /Loi du 31 juillet 2014.*document 002/);
});

test('Pôle Sud Archer : regroupement de 7 membres tous du même type, pas d’autre partie prenante, lieu partagé et durée remplis', () => {
  assert.equal(statut(poleSud, 'regroupement_significatif').statut, 'non_rempli');
  assert.match(statut(poleSud, 'regroupement_significatif').raison, /7 membres recensés, mais tous du même type/);
  assert.equal(statut(poleSud, 'ess_et_parties_prenantes').statut, 'non_rempli');
  assert.equal(statut(poleSud, 'engagement_economique').statut, 'rempli');
  assert.equal(statut(poleSud, 'engagement_longue_duree').statut, 'rempli');
  assert.match(statut(poleSud, 'engagement_longue_duree').raison, /créée en 2007, il y a 19 ans/);
  // A partnership need not be a membership: without a collectivité member, it is to be declared.
  assert.equal(statut(poleSud, 'partenariat_collectivite').statut, 'a_confirmer');
  assert.equal(statut(poleSud, 'integration_locale').statut, 'rempli');
  const { synthese } = diagnosePtce(poleSud);
  assert.equal(synthese.incontournables_remplis, 3);
  assert.equal(synthese.incontournables_total, 8);
  assert.equal(synthese.exclusions_constatees, 0);
  assert.match(synthese.conclusion, /^3 critères incontournables sur 8 remplis, 2 non remplis, .* reste à établir/);
});

test('Parc du Canal : deux collectivités membres, mais moins de 5 membres et aucun acteur de l’ESS recensé', () => {
  assert.equal(statut(parcDuCanal, 'partenariat_collectivite').statut, 'rempli');
  assert.match(statut(parcDuCanal, 'partenariat_collectivite').raison, /2 collectivités sont membres/);
  assert.equal(statut(parcDuCanal, 'regroupement_significatif').statut, 'non_rempli');
  assert.match(statut(parcDuCanal, 'regroupement_significatif').raison, /il en faut au moins 5/);
  assert.match(statut(parcDuCanal, 'ess_et_parties_prenantes').raison, /Aucun des 2 membres recensés n’est recensé comme acteur de l’ESS/);
  // Founded year unknown: the data cannot tell.
  assert.equal(statut(parcDuCanal, 'engagement_longue_duree').statut, 'a_confirmer');
});

test('une coopération sans membre recensé : tout est à confirmer, rien n’est « non rempli » faute de données', () => {
  const result = diagnosePtce(base);
  assert.ok(result.criteres.every((c) => c.statut === 'a_confirmer'));
  assert.match(statut(base, 'regroupement_significatif').raison, /Aucun membre n’est recensé/);
  assert.equal(result.synthese.incontournables_remplis, 0);
});

test('une déclaration avec preuve remplit un critère que les données ne peuvent montrer, et la raison garde les deux', () => {
  const declared = {
    ...poleSud,
    declarations: {
      partenariat_collectivite: {
        rempli: true,
        texte: 'Convention avec la ville de Romans',
        lien: 'https://example.org/convention.pdf',
        fichier: null,
        date: '2026-12-01',
      },
      regroupement_significatif: { rempli: true, texte: 'Membres de statuts différents', lien: null, fichier: 'statuts.pdf', date: '2026-12-02' },
    },
  };
  const partenariat = statut(declared, 'partenariat_collectivite');
  assert.equal(partenariat.statut, 'rempli');
  assert.match(partenariat.raison, /^Déclaré .* le 01\/12\/2026 : Convention avec la ville de Romans \(preuve : https:\/\/example.org\/convention.pdf\)/);
  assert.match(partenariat.raison, /Données de Maillage : Aucune collectivité/);
  assert.match(statut(declared, 'regroupement_significatif').raison, /pièce jointe : statuts.pdf/);
  // What the data shows stays: a declaration does not replace a met criterion.
  const met = statut(
    { ...declared, declarations: { engagement_economique: { ...declared.declarations.partenariat_collectivite, rempli: false } } },
    'engagement_economique',
  );
  assert.equal(met.statut, 'rempli');
  assert.equal(met.declaration, null);
});

test('une exclusion déclarée constatée fait conclure que la coopération ne se caractérise pas comme PTCE', () => {
  const declaration = { rempli: true, texte: 'Nous sommes une CCI', lien: null, fichier: null, date: '2026-12-01' };
  const result = diagnosePtce({ ...poleSud, declarations: { agence_developpement_cci: declaration } });
  assert.equal(result.synthese.exclusions_constatees, 1);
  assert.match(result.synthese.conclusion, /ne se caractérise pas comme PTCE/);
  const denied = statut({ ...poleSud, declarations: { agence_developpement_cci: { ...declaration, rempli: false } } }, 'agence_developpement_cci');
  assert.equal(denied.statut, 'non_rempli');
});

test('tous les critères incontournables remplis et aucune exclusion : la coopération se caractérise comme PTCE', () => {
  const yes = { rempli: true, texte: 'Preuve', lien: null, fichier: null, date: '2026-12-01' };
  const no = { ...yes, rempli: false };
  const declarations = Object.fromEntries(CRITERE_CODES.map((code) => [code, critereOf(code).famille === 'exclusion' ? no : yes]));
  const result = diagnosePtce({ ...poleSud, declarations });
  assert.equal(result.synthese.incontournables_remplis, 8);
  assert.match(result.synthese.conclusion, /Les 8 critères incontournables sont remplis/);
});

test('les membres hors de son département ne font pas l’intégration locale', () => {
  const input = { ...poleSud, members: [member('entreprise_ess', { departementCode: '38' }), member('entreprise_ess', { departementCode: '26' })] };
  assert.equal(statut(input, 'integration_locale').statut, 'non_rempli');
  assert.match(statut(input, 'integration_locale').raison, /1 des 2 membres situés .* plus de la moitié/);
});

test('une preuve sans texte, trop longue ou au lien invalide est refusée en nommant le champ', () => {
  const refused = (input: { texte: string; lien: string | null }, field: string) =>
    assert.throws(
      () => checkEvidence(input),
      (e: unknown) => e instanceof RuleError && e.field === field && /[a-zé]/.test(e.message),
    );
  refused({ texte: '  ', lien: null }, 'texte');
  refused({ texte: 'x'.repeat(2001), lien: null }, 'texte');
  refused({ texte: 'ok', lien: 'javascript:alert(1)' }, 'lien');
  checkEvidence({ texte: 'ok', lien: 'https://example.org/a' });
  assert.throws(
    () => critereOf('inconnu'),
    (e: unknown) => e instanceof RuleError && e.kind === 'not_found',
  );
});
