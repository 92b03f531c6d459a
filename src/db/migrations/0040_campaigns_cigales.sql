-- Citizen investment and loan campaigns, and Cigales clubs (issue 18, item 2). Amounts are integer cents; dates
-- are Paris calendar dates. No payment goes through Maillage: an intention is a pledge the structure follows.

-- A campaign of one structure: an organisation or a cooperation, run by its members.
create table campagne (
  id bigint generated always as identity primary key,
  organisation_id bigint references organisation (id) on delete cascade,
  cooperation_id bigint references cooperation (id) on delete cascade,
  titre text not null check (length(titre) between 1 and 200),
  objet text not null check (length(objet) between 1 and 5000),
  montant_recherche bigint not null check (montant_recherche > 0),
  instrument text not null check (instrument in ('parts_sociales', 'pret', 'don')),
  debut date not null,
  fin date not null,
  etat text not null default 'brouillon' check (etat in ('brouillon', 'ouverte', 'close')),
  created_by bigint references account (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (num_nonnulls(organisation_id, cooperation_id) = 1),
  check (fin >= debut)
);
create index campagne_organisation_idx on campagne (organisation_id);
create index campagne_cooperation_idx on campagne (cooperation_id);
create index campagne_etat_idx on campagne (etat, fin);

-- What a person intends to invest, lend or give. Their name, address and message are seen by the structure's
-- members only; account_id ties it to the account that recorded it (RGPD export and erasure).
create table campagne_intention (
  id bigint generated always as identity primary key,
  campagne_id bigint not null references campagne (id) on delete cascade,
  montant bigint not null check (montant > 0),
  nom text not null check (length(nom) between 1 and 200),
  email text not null check (length(email) between 3 and 254),
  message text check (length(message) <= 2000),
  account_id bigint references account (id) on delete set null,
  created_at timestamptz not null default now()
);
create index campagne_intention_campagne_idx on campagne_intention (campagne_id);
create index campagne_intention_account_idx on campagne_intention (account_id) where account_id is not null;

-- An organisation that is a Cigales club (Club d'Investisseurs pour une Gestion Alternative et Locale de
-- l'Épargne Solidaire), as its admins or the moderators of its région declare it.
create table club_cigales (
  organisation_id bigint primary key references organisation (id) on delete cascade,
  declared_by bigint references account (id) on delete set null,
  declared_at timestamptz not null default now()
);

-- An investment of a club's members in an enterprise, recorded by the club's members.
create table investissement_cigales (
  id bigint generated always as identity primary key,
  club_id bigint not null references club_cigales (organisation_id) on delete cascade,
  entreprise_id bigint not null references organisation (id) on delete cascade,
  montant bigint not null check (montant > 0),
  date_investissement date not null,
  instrument text not null check (instrument in ('parts_sociales', 'compte_courant', 'pret')),
  created_by bigint references account (id) on delete set null,
  created_at timestamptz not null default now(),
  check (club_id <> entreprise_id)
);
create index investissement_cigales_club_idx on investissement_cigales (club_id);
create index investissement_cigales_entreprise_idx on investissement_cigales (entreprise_id);
