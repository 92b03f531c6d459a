-- Every record has a first version. A record loaded by an import or the demo gets version 1 when it is
-- written, in the same transaction; no account wrote it, so the version names its source instead
-- (« Import SIRENE », « Données de démonstration »).
alter table object_version add column source_label text check (length(source_label) between 1 and 200);

-- A member of a cooperation named by its SIRET before any recensed structure holds it: the SIRET is kept,
-- so that the member can be shown (and linked) as that structure.
alter table cooperation_member add column siret text check (siret ~ '^\d{14}$');
