-- Issue 15, item 4: the RNA (Répertoire national des associations, « waldec » files) and ESS France list imports.

-- An association's RNA id: W, then the 3 characters of its greffe (« 751 », « 2A1 », « 9T1 »), then 6 digits.
-- One organisation per association: the unique index also finds the association when a file is imported again.
alter table organisation add column rna text check (rna ~ '^W[0-9][0-9A-Z][0-9]{7}$');
create unique index organisation_rna_idx on organisation (rna);

-- Digest of the fields the RNA import wrote (md5 of its columns as a uuid), apart from the SIRENE import's own
-- import_digest: an organisation both files describe is rewritten by neither when its source did not change.
alter table organisation add column rna_digest uuid;

-- Who says the organisation belongs to the ESS when a list did (« ESS France, liste des entreprises de l'ESS »);
-- null when its statut_ess comes from SIRENE, a contribution or the demo data.
alter table organisation add column ess_source text;

alter table import_run drop constraint import_run_kind_check;
alter table import_run add constraint import_run_kind_check check (kind in ('sirene', 'csv', 'communes', 'rna', 'ess_france'));
