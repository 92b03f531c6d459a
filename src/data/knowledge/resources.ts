/**
 * The first resources of the knowledge base: only what the source documents (docs/SOURCES.md) describe as
 * reusable practice, each citing its document and passage, all marked as examples (is_example). The bodies
 * quote or closely restate the documents; nothing is invented.
 */
import type { EnumCode } from '../../domain/enum.ts';
import type { modele, stade } from '../../domain/cooperation.ts';
import type { ThemeRessource, TypeRessource } from '../../domain/knowledge.ts';

export interface SeedResource {
  titre: string;
  type: TypeRessource;
  resume: string;
  corps: string;
  themes: ThemeRessource[];
  stades: EnumCode<typeof stade>[];
  modeles: EnumCode<typeof modele>[];
  source: string;
}

export const seedResources: SeedResource[] = [
  {
    titre: 'Fiche technique : le circuit court au-delà de l’alimentation',
    type: 'fiche_technique',
    resume:
      'Définition du circuit court proposée par le Labo de l’ESS et les besoins qu’il sert, pour les centres de ressources ESS qui veulent le promouvoir dans d’autres secteurs que l’alimentation.',
    corps: `## Définition
> « Système transparent d'échanges, limité aux seuls intermédiaires qui y apportent une plus-value. Il facilite l'implication des citoyens et des entreprises locales dans l'organisation d'un projet économique. Ce dernier répond aux enjeux sociaux et environnementaux d'un territoire. Son financement et ses investissements s'inscrivent dans un cadre éthique. »

## Les besoins auxquels il répond
- le développement du territoire ;
- la prise en compte des enjeux écologiques ;
- la création de liens sociaux pour une société du « mieux vivre » ensemble ;
- l'éducation à la démocratie participative.

## Pour qui
Le document propose des fiches techniques distribuées dans les centres de ressources de l'ESS et les CRESS, avec une formation des personnes chargées d'information, pour faire de l'approche circuit court « une thématique à part entière ».

Chercher des fournisseurs de l'ESS proches : [recherche de fournisseurs](/fournisseurs).`,
    themes: ['circuit_court'],
    stades: ['emergence', 'creation'],
    modeles: [],
    source: '003 — « Le circuit court levier pour une autre approche économique », définition et proposition 4 (fiches techniques)',
  },
  {
    titre: 'Méthode : un critère « circuit court » dans les achats d’une collectivité',
    type: 'methode',
    resume:
      'Analyser d’abord les approvisionnements possibles dans un périmètre respectant les critères du circuit court, et inscrire un critère circuit court dans les appels d’offres publics.',
    corps: `## Deux étapes
1. Inciter l'ensemble des interlocuteurs économiques d'un territoire à **analyser en premier lieu les possibilités d'approvisionnement** (biens et services) dans un périmètre respectant les « critères circuit court ».
2. Faire que les appels d'offres publics contiennent **explicitement un critère « circuit court »**, afin d'inciter le respect du principe de subsidiarité ; les collectivités privilégient alors les réponses de structures utilisant les circuits courts.

## Pourquoi
Selon le document, de nombreuses collectivités et entreprises privilégient des fournisseurs très éloignés alors que d'autres acteurs du même territoire seraient en capacité de répondre à leur demande.

La liste des fournisseurs de l'ESS d'une activité autour d'une commune s'exporte pour être jointe à un appel d'offres : [recherche de fournisseurs](/fournisseurs).`,
    themes: ['circuit_court', 'achat_public'],
    stades: [],
    modeles: [],
    source: '003 — « Le circuit court levier pour une autre approche économique », propositions 1 et 2',
  },
  {
    titre: 'Outil : la charte des acteurs du circuit court',
    type: 'outil',
    resume:
      'Plutôt qu’un label ou une norme, une charte rédigée par les acteurs des circuits courts, en deux parties : les critères inaliénables du modèle, et une partie propre à chaque secteur.',
    corps: `## Le choix d'une charte
Dans un contexte d'inflation des labels, le document juge un label spécifique peu pertinent et une norme de type ISO trop lourde et coûteuse. Il propose une charte rédigée par les acteurs eux-mêmes, qui met en lumière les liens entre eux au-delà des secteurs d'activité.

## Sa structure
- une partie reprenant les critères « inaliénables au modèle circuit court » ;
- une partie adaptée au secteur d'activité, tous les critères n'étant pas pertinents dans toutes les branches.

En y adhérant, les signataires s'engagent moralement à respecter ces critères. Une structure signataire peut le déclarer sur Maillage : [la charte](/fournisseurs/charte).`,
    themes: ['circuit_court'],
    stades: [],
    modeles: [],
    source: '003 — « Le circuit court levier pour une autre approche économique », proposition 3',
  },
  {
    titre: 'Méthode : quatre leviers d’un territoire de projet pour l’ESS',
    type: 'methode',
    resume:
      'Les quatre leviers du projet TRESSONS (Avise, RTES, ANPP) : ingénierie d’accompagnement, financement des projets, mobilisation des habitants, installation des porteurs de projet.',
    corps: `## 1. Mettre en œuvre une ingénierie d'accompagnement
Espaces de concertation et événements participatifs (conseils de développement, comptoirs à initiatives, barcamps), structuration de la coopération entre acteurs locaux, programme d'accompagnement des porteurs de projet.

## 2. Contribuer au financement des projets
Aider aux dossiers d'aides nationales et européennes, faciliter l'accès à des locaux ou du foncier (loyers différés, exemption de taxe), mobiliser des programmes comme LEADER, lancer des appels à projets ESS, rapprocher le territoire de France Active.

## 3. Mobiliser les habitants
Campagnes de communication sur les projets, participation aux événements de l'ESS (Mois de l'ESS), dispositifs de participation citoyenne.

## 4. Encourager les porteurs de projet à s'installer
Accès au foncier pour les projets émergents, espaces de coworking, programmes d'appui à l'installation.`,
    themes: ['cooperation_territoriale', 'accompagnement', 'financement', 'mobilisation_citoyenne', 'foncier_locaux'],
    stades: ['emergence', 'creation'],
    modeles: [],
    source: '002 — « Les leviers pour impulser l’émergence d’initiatives de l’ESS » (projet TRESSONS)',
  },
  {
    titre: 'Méthode : accompagner une coopération par les pairs',
    type: 'methode',
    resume:
      'Pour une coopération qui suit un modèle existant : accompagnement par des pairs, visites apprenantes, partage de ressources et transfert de savoir-faire de pair à pair.',
    corps: `## Ce que dit l'étude
L'accompagnement des coopérations territoriales requiert des approches spécifiques : un appui « sur mesure », un accompagnant **facilitateur** plutôt que sachant, un collectif accompagné plutôt qu'une personne morale, et des **partages d'expériences et transferts de savoir-faire**.

## Pour une coopération modélisée
- accompagnement par des pairs, visites apprenantes ;
- partage de ressources ;
- soutien éventuel des réseaux ; financement de l'accompagnement par des pairs et des réseaux d'appui.

## Le transfert de savoir-faire
Un dispositif de professionnalisation de pair à pair, avec partage d'expérience et transfert de compétences ; l'étude propose de le multiplier en outillant les réseaux (récits d'expérience, outils pour l'émergence et la création).`,
    themes: ['accompagnement', 'cooperation_territoriale'],
    stades: ['emergence', 'creation', 'consolidation'],
    modeles: ['PTCE', 'TZCLD', 'tiers_lieu', 'SCIC', 'CUMA', 'AMAP', 'PAT', 'pole_ess', 'CAE', 'cluster'],
    source: '001 — accompagnement des coopérations territoriales, matrice des besoins (coopération modélisée) et proposition sur le transfert de savoir-faire',
  },
  {
    titre: 'Retour d’expérience : se grouper pour répondre aux appels et mutualiser',
    type: 'experience',
    resume:
      'Un atelier d’acteurs de l’ESS parisiens propose des réseaux territoriaux pour mutualiser les ressources et des groupements pour répondre ensemble aux appels à projets.',
    corps: `## Ce que l'atelier a proposé
- la création de **réseaux territoriaux d'acteurs** pour mutualiser les ressources ;
- le développement de **groupements** pour faciliter la réponse aux appels à projets ;
- des dispositifs de garantie publique pour la trésorerie et des subventions de fonctionnement plutôt que par projet ;
- une meilleure coordination des services publics pour faciliter l'accès aux ressources.`,
    themes: ['mutualisation', 'financement', 'cooperation_territoriale'],
    stades: ['emergence', 'consolidation'],
    modeles: [],
    source: '000 — compte rendu de l’atelier ESS de Paris Collectif, propositions',
  },
];
