-- Instruction of applications (second part): the evaluation grid of a call, its reviewers, conflicts of
-- interest, private annotations, score sheets, the thread between applicant and instructors, the notification
-- of results, and the funding follow-up of laureates. Instructors themselves are account_role rows
-- (role 'instructor', scope 'appel', code = the call's id): no table here.

-- The evaluation grid: criteria with a weight and a whole-number scale. `source` cites the document a criterion
-- comes from; null when it is Maillage's.
create table grille_critere (
  id bigint generated always as identity primary key,
  appel_id bigint not null references appel (id) on delete cascade,
  position integer not null,
  label text not null check (length(label) between 1 and 300),
  description text check (length(description) <= 2000),
  poids numeric(6, 2) not null check (poids > 0),
  echelle_min integer not null default 0,
  echelle_max integer not null check (echelle_max > echelle_min),
  source text,
  unique (appel_id, position)
);

-- Reviewers (évaluateurs) named by the instructors of a call.
create table appel_evaluateur (
  appel_id bigint not null references appel (id) on delete cascade,
  account_id bigint not null references account (id) on delete cascade,
  assigned_by bigint references account (id) on delete set null,
  assigned_at timestamptz not null default now(),
  primary key (appel_id, account_id)
);

-- A reviewer's declared conflict of interest: from then on, the application does not exist for them.
create table conflit_interet (
  candidature_id bigint not null references candidature (id) on delete cascade,
  account_id bigint not null references account (id) on delete cascade,
  motif text check (length(motif) <= 2000),
  declared_at timestamptz not null default now(),
  primary key (candidature_id, account_id)
);

-- Private notes of the instructors on an application: never shown to the applicant nor to reviewers.
create table candidature_annotation (
  id bigint generated always as identity primary key,
  candidature_id bigint not null references candidature (id) on delete cascade,
  author_id bigint references account (id) on delete set null,
  author_label text not null check (length(author_label) <= 200),
  body text not null check (length(body) between 1 and 5000),
  created_at timestamptz not null default now()
);
create index candidature_annotation_idx on candidature_annotation (candidature_id, created_at);

-- One score sheet per person per application; its notes are checked against the grid's scales by the domain.
create table evaluation (
  id bigint generated always as identity primary key,
  candidature_id bigint not null references candidature (id) on delete cascade,
  account_id bigint not null references account (id) on delete cascade,
  evaluator_label text not null check (length(evaluator_label) <= 200),
  commentaire text check (length(commentaire) <= 5000),
  updated_at timestamptz not null default now(),
  unique (candidature_id, account_id)
);

create table evaluation_note (
  evaluation_id bigint not null references evaluation (id) on delete cascade,
  critere_id bigint not null references grille_critere (id) on delete cascade,
  note integer not null,
  primary key (evaluation_id, critere_id)
);

-- The thread of an application between its applicant and the instructors.
create table candidature_message (
  id bigint generated always as identity primary key,
  candidature_id bigint not null references candidature (id) on delete cascade,
  author_id bigint references account (id) on delete set null,
  author_label text not null check (length(author_label) <= 200),
  cote text not null check (cote in ('candidat', 'instruction')),
  body text not null check (length(body) between 1 and 5000),
  created_at timestamptz not null default now()
);
create index candidature_message_idx on candidature_message (candidature_id, created_at);

-- Results told to the applicant by the bulk notification: one row per application and decision state, so that
-- running it twice (or twice at once) never tells anyone twice.
create table candidature_notification (
  candidature_id bigint not null references candidature (id) on delete cascade,
  statut text not null,
  notified_by bigint references account (id) on delete set null,
  notified_at timestamptz not null default now(),
  primary key (candidature_id, statut)
);

-- What a call's agreements usually look like (the AMI PTCE: 100 000 € over 2 years, a possible year 3), used
-- to pre-fill a laureate's agreement. `mois` = months after the start of the agreement; montant null = not stated.
create table appel_tranche_modele (
  appel_id bigint not null references appel (id) on delete cascade,
  position integer not null,
  label text not null check (length(label) between 1 and 300),
  montant numeric(14, 2) check (montant > 0),
  mois integer not null default 0 check (mois >= 0),
  conditionnelle boolean not null default false,
  condition text,
  source text,
  primary key (appel_id, position)
);

-- The funding agreement of a laureate application.
create table convention (
  id bigint generated always as identity primary key,
  candidature_id bigint not null unique references candidature (id) on delete cascade,
  debut date not null,
  created_by bigint references account (id) on delete set null,
  created_at timestamptz not null default now()
);

-- Its tranches; a conditional one is paid only once its condition is recorded as met, and a tranche whose
-- amount is not set yet takes no payment.
create table convention_tranche (
  id bigint generated always as identity primary key,
  convention_id bigint not null references convention (id) on delete cascade,
  position integer not null,
  label text not null check (length(label) between 1 and 300),
  montant numeric(14, 2) check (montant > 0),
  echeance date not null,
  conditionnelle boolean not null default false,
  condition text,
  condition_levee_at timestamptz,
  unique (convention_id, position)
);

-- Payments; never more than the tranche (checked by the domain under a lock of the tranche row).
create table versement (
  id bigint generated always as identity primary key,
  tranche_id bigint not null references convention_tranche (id) on delete cascade,
  montant numeric(14, 2) not null check (montant > 0),
  verse_le date not null,
  recorded_by bigint references account (id) on delete set null,
  created_at timestamptz not null default now()
);
create index versement_tranche_idx on versement (tranche_id);

-- Reporting due dates (rapport d'étape, rapport final…); « en retard » is computed from the date.
create table rapport_echeance (
  id bigint generated always as identity primary key,
  convention_id bigint not null references convention (id) on delete cascade,
  label text not null check (length(label) between 1 and 300),
  echeance date not null,
  remis_le date,
  valide boolean not null default false
);
create index rapport_echeance_idx on rapport_echeance (convention_id, echeance);
