-- Issue 15: the digest of the fields an import wrote to an organisation (md5 of the provided columns as a
-- uuid), so that a re-import compares one value per row and rewrites only the rows whose source changed.
alter table organisation add column import_digest uuid;
