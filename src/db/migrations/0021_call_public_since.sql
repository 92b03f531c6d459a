-- When a call was first shown to the public (left 'brouillon' for concertation or publication). Alerts announce
-- a call when it becomes public, not when its funder started preparing it in private: a call created in
-- January and published in March is news in March. Set by a trigger, so that every writer (the management
-- pages, the demo loader, tests) gets it right; going back to 'brouillon' keeps the first date.
alter table appel add column public_since timestamptz;
update appel set public_since = created_at where statut <> 'brouillon';

create function appel_mark_public() returns trigger language plpgsql as $$
begin
  if new.statut <> 'brouillon' and new.public_since is null then
    new.public_since := now();
  end if;
  return new;
end $$;

create trigger appel_public_since before insert or update of statut on appel
  for each row execute function appel_mark_public();

create index appel_public_since_idx on appel (public_since);
