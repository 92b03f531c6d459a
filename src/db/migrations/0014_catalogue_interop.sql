-- Interoperability of the catalogue with the national open-data schema for aid schemes
-- (etalab/schema-dispositif-aide, version 0.0.1), both ways: `maillage import dispositifs-aide` and
-- GET /api/v1/dispositifs/schema-dispositif-aide.csv.

-- A scheme read from such a file keeps the file's identifier: importing the same file again updates it,
-- never duplicates it. Null for Maillage's own schemes (they are exported under their stable key).
alter table dispositif add column id_aide text check (length(id_aide) between 1 and 200);
create unique index dispositif_id_aide_idx on dispositif (id_aide);

-- The schema's columns Maillage has no place for (bénéficiaires, thématiques, programmes, taux…), and the
-- file's own wording of those Maillage reads through its vocabularies (types d'aides, zone…): kept as given,
-- so that exporting an imported scheme gives them back unchanged. Keys are the schema's column names.
alter table dispositif add column champs_interop jsonb not null default '{}';

-- The SIREN a source gives for a porteur, even when no organisation of the Atlas carries it.
alter table dispositif_porteur add column siren text check (siren ~ '^.{9}$');
