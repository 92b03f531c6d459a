-- Each SIRENE import starts by reading every stored line digest (0043) with its SIRET. From the table, that read
-- goes through whole rows (a digest is the thirtieth column of rows of about 400 bytes); carried in the SIRET's
-- unique index, it is an index-only scan of a structure ten times smaller. The key stays the SIRET alone: the
-- merge's `on conflict (siret)` still finds it, and the digest rides along as a non-key column.
create unique index organisation_siret_digest_key on organisation (siret) include (import_line_digest);
alter table organisation drop constraint organisation_siret_key;
alter table organisation add constraint organisation_siret_key unique using index organisation_siret_digest_key;
