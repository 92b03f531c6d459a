-- Needs rules edited on the site by platform admins: each save is a new version (the older ones stay, read-only);
-- who saved it (the account, anonymised with it if deleted) and why. Version 1, loaded from document 001, has neither.
alter table regle_besoin_version add column auteur_id bigint references account (id) on delete set null;
alter table regle_besoin_version add column motif text check (length(motif) between 1 and 500);
