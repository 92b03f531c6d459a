-- Local complementary currencies (monnaies locales complémentaires, issue 18 item 2) and the organisations that
-- accept them. No reference list with a source was at hand: the entries are created by platform admins and
-- regional moderators, and the demo holds none. The slug is the Atlas filter's value (?monnaie_locale=).
create table monnaie_locale (
  id bigint generated always as identity primary key,
  slug text not null unique check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' and length(slug) <= 80),
  nom text not null unique check (length(nom) between 1 and 120),
  territoire text not null check (length(territoire) between 1 and 200),
  site_web text check (site_web is null or (site_web ~ '^https?://' and length(site_web) <= 500)),
  created_by bigint references account (id) on delete set null,
  created_at timestamptz not null default now()
);

create table organisation_monnaie_locale (
  organisation_id bigint not null references organisation (id) on delete cascade,
  monnaie_locale_id bigint not null references monnaie_locale (id) on delete cascade,
  primary key (organisation_id, monnaie_locale_id)
);
-- The Atlas filter looks organisations up by currency.
create index organisation_monnaie_locale_currency_idx on organisation_monnaie_locale (monnaie_locale_id, organisation_id);

-- Accepting a currency changes what the Atlas finds: its answers kept in memory are renewed (0020).
create trigger organisation_monnaie_locale_search_generation after insert or update or delete or truncate on organisation_monnaie_locale
  for each statement execute function bump_search_generation();
create trigger monnaie_locale_search_generation after insert or update or delete or truncate on monnaie_locale
  for each statement execute function bump_search_generation();
