-- Speed of the Atlas search, measured by `npm run bench`.

-- The generation of the searchable data: a number bumped by every statement that writes a table a search
-- reads, inside the writing transaction. A search answer kept in memory is stored with the generation read
-- before it was computed and served only while the database still holds that generation, so no answer can
-- outlive the data it came from, whichever instance wrote (several instances may share one PostgreSQL).
-- A sequence would not do: nextval is not transactional, a reader could see the new number before the
-- writer commits and keep an answer computed from the old rows under it. The price of the single row is
-- that two transactions writing searchable tables at the same time take turns at their first such write.
create table search_generation (
  id boolean primary key default true check (id),
  generation bigint not null
);
insert into search_generation (generation) values (0);

create function bump_search_generation() returns trigger language plpgsql as $$
begin
  update search_generation set generation = generation + 1;
  return null;
end
$$;

-- One bump per statement, not per row: an import batch of 5 000 rows costs one update.
create trigger organisation_search_generation after insert or update or delete or truncate on organisation
  for each statement execute function bump_search_generation();
create trigger cooperation_search_generation after insert or update or delete or truncate on cooperation
  for each statement execute function bump_search_generation();
-- Membership filters (members of a PTCE, a cooperation's ESS status through its members).
create trigger cooperation_member_search_generation after insert or update or delete or truncate on cooperation_member
  for each statement execute function bump_search_generation();
-- Territory filters: a territoire de projet's communes, a commune's arrondissements.
create trigger territoire_projet_search_generation after insert or update or delete or truncate on territoire_projet
  for each statement execute function bump_search_generation();
create trigger territoire_projet_commune_search_generation after insert or update or delete or truncate on territoire_projet_commune
  for each statement execute function bump_search_generation();
create trigger commune_search_generation after insert or update or delete or truncate on commune
  for each statement execute function bump_search_generation();

-- A commune filter includes its arrondissements (code = X or parent_code = X): without this index the
-- condition scanned the 35 000 communes (7 ms) on every search of Paris, Lyon or Marseille.
create index commune_parent_idx on commune (parent_code) where parent_code is not null;

-- « région + statut ESS » read every row of the région (15 000 rows on 10 000 pages at national scale) to
-- keep 3 % of them; with this index the planner intersects both indexes first and reads about 500 pages.
create index organisation_statut_ess_idx on organisation (statut_ess);

