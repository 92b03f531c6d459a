-- The digest of the source line that last wrote an organisation (src/features/import/line-digest.ts): the raw
-- bytes of the fields its row is made of, and of its legal unit for SIRENE. A re-import reads them all once and
-- skips the lines whose digest did not change before converting them. Null for a row no such line wrote (other
-- imports, contributions): its line is converted and compared by import_digest as before.
alter table organisation add column import_line_digest bigint;
