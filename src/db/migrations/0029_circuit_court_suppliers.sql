-- Circuit-court supplier search (document 003): ESS suppliers of an activity near a commune, ranked by distance.

-- A structure says it signed the charter of circuit-court actors that 003 proposes (« la rédaction d'une charte
-- par les acteurs des circuits courts »): the day it said so, null when it has not.
alter table organisation add column charte_circuit_court_signee_le date;

-- One GiST index per way of naming the activity (NAF code or sector), over the activity and the position, for
-- located ESS structures only: a search inside a radius reads the box around the commune for that activity and
-- nothing else. The index carries the id and coordinates, so that counting the suppliers of a dense box (16 000
-- associations within 50 km of Paris in the bench) and ranking them by exact distance never reads the table
-- (index-only scan); only the page's rows are read. Measured by `npm run bench -- --mesures fournisseurs`.
-- btree_gist indexes the text column.
create extension if not exists btree_gist;

create index organisation_supplier_naf_idx on organisation
  using gist (naf_code, point(longitude, latitude)) include (id, latitude, longitude)
  where statut_ess in ('ess_de_droit', 'ess_commerciale', 'agrement_esus') and latitude is not null and longitude is not null;

create index organisation_supplier_secteur_idx on organisation
  using gist (secteur, point(longitude, latitude)) include (id, latitude, longitude)
  where statut_ess in ('ess_de_droit', 'ess_commerciale', 'agrement_esus') and latitude is not null and longitude is not null;
