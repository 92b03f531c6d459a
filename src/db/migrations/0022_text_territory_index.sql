-- A search with text and a territory (« jardin » in the Finistère) is the Atlas's most common question.
-- With one index for the words and one per territory level, PostgreSQL read both lists whole and intersected
-- them: for a common word 11 000 entries, and 7 000 for the département, to keep 270. One GIN index over the
-- territory codes and the words (btree_gin indexes the codes) intersects them inside the index. Conditions on
-- any subset of its columns use it as well as before, so it replaces the words-only index and the three
-- territory btrees, whose upkeep an import paid. Measured by `npm run bench` (never-seen searches).
create extension if not exists btree_gin;

create index organisation_territory_search_idx on organisation
  using gin (region_code, departement_code, epci_code, search_vector);
drop index organisation_search_idx;
drop index organisation_region_idx;
drop index organisation_departement_idx;
drop index organisation_epci_idx;
