-- A pooled offer or request is published for a structure its author belongs to (the publishing form of the pages);
-- the members of that structure confirm or decline its bookings too, so the offer outlives its author's account.
-- Entries published through the API without naming a structure keep none.
alter table mutualisation add column organisation_id bigint references organisation (id) on delete set null;
create index mutualisation_organisation_idx on mutualisation (organisation_id) where organisation_id is not null;
create index reservation_account_idx on reservation (account_id) where account_id is not null;
