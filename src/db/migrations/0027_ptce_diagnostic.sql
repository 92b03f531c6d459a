-- The PTCE self-diagnostic (document 003, annex section 6): what a cooperation's admins declare, with its
-- evidence, for a criterion the data cannot settle. One declaration per criterion, replaced by the next one;
-- who declared it and when are kept, and every declaration leaves an audit entry.
create table ptce_declaration (
  cooperation_id bigint not null references cooperation (id) on delete cascade,
  critere_code text not null check (critere_code ~ '^[a-z_]{1,60}$'),
  rempli boolean not null,
  texte text not null check (length(texte) between 1 and 2000),
  lien text check (lien ~* '^https?://' and length(lien) <= 1000),
  -- An evidence file in the file store (its random id), with the name and type it is served under.
  fichier_id text check (fichier_id ~ '^[A-Za-z0-9_-]{22}$'),
  fichier_nom text,
  fichier_type text,
  fichier_taille integer,
  declared_by bigint references account (id) on delete set null,
  declared_at timestamptz not null default now(),
  primary key (cooperation_id, critere_code),
  check ((fichier_id is null) = (fichier_nom is null))
);
