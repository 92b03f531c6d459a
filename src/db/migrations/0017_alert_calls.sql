-- Alerts may follow a search of calls for proposals: a new call matching it goes into the digest.
alter table alert drop constraint alert_kind_check;
alter table alert add constraint alert_kind_check
  check (kind in ('recherche_cooperations', 'recherche_organisations', 'recherche_dispositifs', 'profil_orientation', 'recherche_appels'));
