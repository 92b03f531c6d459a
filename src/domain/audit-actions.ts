/**
 * French labels of the audit log's actions and object kinds. Actions are dotted verbs written by each feature
 * ('role.grant', 'moderation.refuse', 'claim.accept'…): the known ones have their own label, the others are
 * read as « family — verb » from two small vocabularies, and an unknown word is shown as it is written.
 */
const ACTIONS: Record<string, string> = {
  'role.grant': 'Attribution d’un rôle',
  'role.revoke': 'Retrait d’un rôle',
  'account.delete': 'Suppression d’un compte',
  'account.oidc_create': 'Création d’un compte par OpenID Connect',
  'account.oidc_link': 'Rattachement d’une identité OpenID Connect à un compte',
  'duplicate.merge': 'Fusion de deux fiches en doublon',
  'duplicate.dismiss': 'Paire écartée : « pas un doublon »',
  'appel.create': 'Création d’un appel à projets',
  'appel.update': 'Modification d’un appel à projets',
  'appel.statut': 'Changement d’état d’un appel à projets (concertation, publication, clôture)',
  'appel.assign_reviewer': 'Désignation d’un évaluateur ou d’une évaluatrice',
  'appel.remove_reviewer': 'Retrait d’un évaluateur ou d’une évaluatrice',
  'appel.grid_update': 'Modification de la grille d’évaluation',
  'appel.formulaire': 'Modification du formulaire de candidature',
  'appel.comment_reply': 'Réponse à un commentaire de concertation',
  'appel.comment_hide': 'Masquage d’un commentaire de concertation',
  'appel.notify_results': 'Notification des résultats aux candidats',
  'candidature.conflict': 'Déclaration d’un conflit d’intérêts',
  'candidature.decide': 'Étape d’instruction ou décision sur une candidature',
  'convention.create': 'Création d’une convention de financement',
  'convention.update': 'Modification d’une convention de financement',
  'convention.payment': 'Enregistrement d’un versement',
  'ptce.declare': 'Déclaration d’un critère de l’autodiagnostic PTCE',
  'indicateur.create': 'Définition d’un indicateur d’appel ou de réseau',
  'indicateur.update': 'Modification d’un indicateur d’appel ou de réseau',
  'indicateur.saisie': 'Saisie de la valeur d’un indicateur',
  'indicateur.validate': 'Validation de la valeur d’un indicateur',
  'indicateur.refuse': 'Refus de la valeur d’un indicateur',
  'regles_besoins.version': 'Nouvelle version des règles de besoins',
  'tresorerie.create': 'Création d’un plan de trésorerie',
  'tresorerie.update': 'Modification d’un plan de trésorerie',
  'tresorerie.delete': 'Suppression d’un plan de trésorerie',
  'organisation.charte_circuit_court': 'Déclaration de la charte du circuit court d’une structure',
  'organisation.monnaies_locales': 'Monnaies locales acceptées par une structure',
  'monnaie_locale.create': 'Ajout d’une monnaie locale à la liste',
  'ressource.fichier_ajout': 'Ajout d’un fichier à une ressource de la base de connaissances',
  'ressource.fichier_retrait': 'Retrait d’un fichier d’une ressource de la base de connaissances',
  'ressource_proposal.fichier_ajout': 'Ajout d’un fichier à une proposition de ressource',
  'ressource_proposal.fichier_retrait': 'Retrait d’un fichier d’une proposition de ressource',
  'cooperation.pairs_ouverture': 'Accueil des pairs d’une coopération (transfert de savoir-faire, visites apprenantes)',
  'mutualisation.publish': 'Publication d’une offre ou d’une demande de mutualisation',
  'mutualisation.reservation_decide': 'Réponse à une demande de réservation (mutualisation)',
  'campagne.create': 'Création d’une campagne citoyenne (brouillon)',
  'campagne.update': 'Modification d’une campagne citoyenne en brouillon',
  'campagne.open': 'Ouverture d’une campagne citoyenne',
  'campagne.close': 'Clôture d’une campagne citoyenne',
  'campagne.intention': 'Intention enregistrée sur une campagne citoyenne',
  'cigales.declare': 'Déclaration d’une structure comme club Cigales',
  'cigales.withdraw': 'Retrait de la déclaration de club Cigales',
  'cigales.investment': 'Investissement d’un club Cigales enregistré',
};

const FAMILIES: Record<string, string> = {
  role: 'Rôles',
  account: 'Comptes',
  moderation: 'Modération',
  claim: 'Revendication',
  contribution: 'Contribution',
  report: 'Signalement',
  appel: 'Appel à projets',
  candidature: 'Candidature',
  convention: 'Convention de financement',
};

const VERBS: Record<string, string> = {
  accept: 'acceptation',
  amend: 'acceptation avec modifications',
  refuse: 'refus',
  reject: 'refus',
  grant: 'attribution',
  revoke: 'retrait',
  create: 'création',
  update: 'modification',
  delete: 'suppression',
  publish: 'publication',
  handle: 'traitement',
  close: 'clôture',
  decide: 'décision',
  submit: 'dépôt',
};

export function auditActionLabel(action: string): string {
  const known = ACTIONS[action];
  if (known) return known;
  const [family = '', ...rest] = action.split('.');
  const verb = rest.join('.');
  if (!FAMILIES[family]) return action;
  return verb ? `${FAMILIES[family]} — ${VERBS[verb] ?? verb}` : FAMILIES[family];
}

const OBJECT_KINDS: Record<string, string> = {
  account: 'Compte',
  organisation: 'Structure',
  cooperation: 'Coopération',
  dispositif: 'Dispositif',
  contribution: 'Contribution',
  claim: 'Revendication',
  report: 'Signalement',
  ressource: 'Ressource',
  ressource_proposal: 'Proposition de ressource',
  appel: 'Appel à projets',
  candidature: 'Candidature',
  mutualisation: 'Offre ou demande de mutualisation',
  campagne: 'Campagne citoyenne',
  investissement_cigales: 'Investissement d’un club Cigales',
};

export function auditObjectLabel(kind: string): string {
  return OBJECT_KINDS[kind] ?? kind;
}
