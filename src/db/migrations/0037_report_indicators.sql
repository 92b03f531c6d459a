-- Reporting due dates of a funding agreement name the indicators expected (issue 16, item 2): the call's
-- instructors choose them (reference or the call's own) with the period the report covers; the funded
-- cooperation's admins report against them, each value an entry of indicateur_saisie linked to its due date,
-- validated by the call's instructors.
alter table rapport_echeance add column periode text check (periode ~ '^\d{4}(-T[1-4])?$');

create table rapport_indicateur (
  rapport_id bigint not null references rapport_echeance (id) on delete cascade,
  indicateur_code text not null check (indicateur_code ~ '^[a-z][a-z0-9_]{1,59}$'),
  primary key (rapport_id, indicateur_code)
);

alter table indicateur_saisie add column rapport_id bigint references rapport_echeance (id) on delete set null;
create index indicateur_saisie_rapport_idx on indicateur_saisie (rapport_id, indicateur_code) where rapport_id is not null;

-- A due date that expects indicators is « remis » while each of them has a value that is not refused (the date
-- the last one came in), and no longer once one is refused; a validated report stays as it is. Kept by
-- triggers, in the transaction of the entry, the decision or the choice of indicators that changes it.
create function rapport_echeance_suivre(rapport bigint) returns void language sql as $$
  update rapport_echeance r set remis_le = case
      when exists (
        select 1 from rapport_indicateur ri where ri.rapport_id = r.id and not exists (
          select 1 from indicateur_saisie s where s.rapport_id = r.id and s.indicateur_code = ri.indicateur_code and s.statut <> 'refusee'))
      then null
      else coalesce(r.remis_le, (now() at time zone 'Europe/Paris')::date)
    end
  where r.id = rapport and not r.valide and exists (select 1 from rapport_indicateur ri where ri.rapport_id = r.id);
$$;

create function indicateur_saisie_suivre_rapport() returns trigger language plpgsql as $$
begin
  if tg_op <> 'INSERT' and old.rapport_id is not null then perform rapport_echeance_suivre(old.rapport_id); end if;
  if tg_op <> 'DELETE' and new.rapport_id is not null then perform rapport_echeance_suivre(new.rapport_id); end if;
  return null;
end $$;
create trigger indicateur_saisie_rapport after insert or update of statut, rapport_id or delete on indicateur_saisie
  for each row execute function indicateur_saisie_suivre_rapport();

create function rapport_indicateur_suivre_rapport() returns trigger language plpgsql as $$
begin
  perform rapport_echeance_suivre(case when tg_op = 'DELETE' then old.rapport_id else new.rapport_id end);
  return null;
end $$;
create trigger rapport_indicateur_rapport after insert or delete on rapport_indicateur
  for each row execute function rapport_indicateur_suivre_rapport();
