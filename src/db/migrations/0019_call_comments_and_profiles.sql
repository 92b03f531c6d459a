-- Calls, applicant side and co-construction.

-- The profile an applicant declares when starting an application (stade, modele, finalite, modele_economique,
-- in the words of the orientation form): a groupement, or a cooperation not in the Atlas, has no other place
-- that says it. The call's eligibility is checked against it at the start and again at submission. Null when
-- the application names a cooperation of the Atlas that says it all, or was started before this migration.
alter table candidature add column profil jsonb check (profil is null or jsonb_typeof(profil) = 'object');

-- Comments on a call shown for concertation (co-construction, 001: funders co-construct calls with the actors).
-- Public with their author's display name; the call's managers answer (one reply, shown under the comment) or
-- hide an abusive one with a reason (it leaves the public page; the audit log keeps the action). After the
-- call leaves concertation the comments stay readable. When the author's account is deleted the comment stays,
-- anonymised (account_id set to null, shown as « Compte supprimé »).
create table appel_commentaire (
  id bigint generated always as identity primary key,
  appel_id bigint not null references appel (id) on delete cascade,
  account_id bigint references account (id) on delete set null,
  -- The part of the call the comment is about.
  section text not null default 'general' check (section in ('general', 'eligibilite', 'phases', 'formulaire', 'grille')),
  body text not null check (length(btrim(body)) between 1 and 4000),
  created_at timestamptz not null default now(),
  reply text check (reply is null or length(btrim(reply)) between 1 and 4000),
  replied_by bigint references account (id) on delete set null,
  replied_at timestamptz,
  hidden_at timestamptz,
  hidden_reason text check (hidden_reason is null or length(btrim(hidden_reason)) between 1 and 1000),
  check ((reply is null) = (replied_at is null)),
  check ((hidden_at is null) = (hidden_reason is null))
);
create index appel_commentaire_appel_idx on appel_commentaire (appel_id, created_at);
create index appel_commentaire_account_idx on appel_commentaire (account_id);
create index appel_commentaire_replied_by_idx on appel_commentaire (replied_by);
