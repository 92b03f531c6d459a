-- Knowledge base (capitalisation et transfert de savoir-faire, document 001): experiences, methods, tools and
-- technical sheets, tagged by theme, stage, model and territory, searched in French full text with the `fr`
-- configuration of the Atlas, linked to cooperations and schemes.

create table ressource (
  id bigint generated always as identity primary key,
  titre text not null check (length(titre) between 1 and 300),
  type text not null check (type in ('experience', 'methode', 'outil', 'fiche_technique')),
  resume text not null check (length(resume) between 1 and 1000),
  corps text not null check (length(corps) <= 100000),   -- Markdown, strict subset (features/knowledge/markdown.ts)
  themes text[] not null default '{}',
  stades text[] not null default '{}',                   -- stades of cooperation it speaks to
  modeles text[] not null default '{}',                  -- models of cooperation it speaks to
  region_code text references region (code),             -- the territory it comes from, when it has one
  departement_code text references departement (code),
  is_example boolean not null default false,             -- taken from a source document
  source text,                                           -- the document and passage it comes from
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  search_vector tsvector generated always as (
    setweight(to_tsvector('fr', titre), 'A') || setweight(to_tsvector('fr', resume), 'B') || setweight(to_tsvector('fr', corps), 'C')
  ) stored
);
create index ressource_search_idx on ressource using gin (search_vector);
create index ressource_tags_idx on ressource using gin (themes, stades, modeles);

create table ressource_cooperation (
  ressource_id bigint not null references ressource (id) on delete cascade,
  cooperation_id bigint not null references cooperation (id) on delete cascade,
  primary key (ressource_id, cooperation_id)
);
create index ressource_cooperation_cooperation_idx on ressource_cooperation (cooperation_id);

create table ressource_dispositif (
  ressource_id bigint not null references ressource (id) on delete cascade,
  dispositif_id bigint not null references dispositif (id) on delete cascade,
  primary key (ressource_id, dispositif_id)
);
