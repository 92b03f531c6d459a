-- Files attached to a resource proposal by its author. While the proposal waits, its files are rows of
-- ressource_fichier without a resource (never public: its author and the moderators of its région read them);
-- its acceptance gives them the resource, and they keep the proposal's number (the author's RGPD export lists
-- them); deleting the proposal (refused, or erased with its author's account) deletes the ones still waiting.
alter table ressource_fichier alter column ressource_id drop not null;
alter table ressource_fichier add column proposal_id bigint references ressource_proposal (id) on delete cascade;
alter table ressource_fichier add constraint ressource_fichier_owner_check check (ressource_id is not null or proposal_id is not null);
create index ressource_fichier_proposal_idx on ressource_fichier (proposal_id, created_at) where proposal_id is not null;

-- The bytes leave the disk however a row goes (a file removed, a proposal refused, an account erased, a resource
-- deleted): queued in the deleting transaction, as application files are (migration 0016), for the file sweep.
create trigger ressource_fichier_erasure after delete on ressource_fichier
  for each row execute function candidature_fichier_queue_erasure();
