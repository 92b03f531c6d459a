-- Treasury plans of structures (issue 18, item 1): private to the members of the organisation. The plan is kept
-- as the API receives it (amounts in integer cents, months « YYYY-MM », Paris calendar dates); the forecast is
-- computed from it on each reading, with the tranches of the structure's funding agreements (convention_tranche)
-- when asked.
create table plan_tresorerie (
  id bigint generated always as identity primary key,
  organisation_id bigint not null references organisation (id) on delete cascade,
  nom text not null check (length(nom) between 1 and 200),
  plan jsonb not null check (jsonb_typeof(plan) = 'object'),
  avec_conventions boolean not null default true,
  created_by bigint references account (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index plan_tresorerie_organisation_idx on plan_tresorerie (organisation_id);
