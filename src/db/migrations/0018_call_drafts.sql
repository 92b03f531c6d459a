-- Calls prepared in the interface: funders create a call, configure it in private, then show it for
-- comments (concertation) or publish it. A new state 'brouillon' (« En préparation ») comes before the others
-- and is where a new call starts; only the call's managers see it. Existing calls (the demo AMI, published)
-- keep their state.
alter table appel drop constraint appel_statut_check;
alter table appel add constraint appel_statut_check
  check (statut in ('brouillon', 'brouillon_concertation', 'publie', 'clos'));
alter table appel alter column statut set default 'brouillon';

-- An organiser may be named with its SIRET: kept as typed (the funder may not be in the Atlas yet), and linked
-- to the Atlas organisation (organisation_id) when one has it.
alter table appel_organisateur add column siret text check (siret ~ '^\d{14}$');
