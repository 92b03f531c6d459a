-- The supplier search within a radius reads B-trees instead of the GiST indexes of 0029: the activity, then the
-- latitude band of the radius's box, then its longitudes, all in the index with the id (index-only scan). Around
-- Paris (16 000 associations of one activity within 50 km in the bench) the B-tree reads the box in half the time
-- of the GiST index, although it also walks the band's longitudes outside it. Measured by
-- `npm run bench -- --mesures fournisseurs`.
drop index organisation_supplier_naf_idx;
drop index organisation_supplier_secteur_idx;

create index organisation_supplier_naf_idx on organisation (naf_code, latitude, longitude) include (id)
  where statut_ess in ('ess_de_droit', 'ess_commerciale', 'agrement_esus') and latitude is not null and longitude is not null;

create index organisation_supplier_secteur_idx on organisation (secteur, latitude, longitude) include (id)
  where statut_ess in ('ess_de_droit', 'ess_commerciale', 'agrement_esus') and latitude is not null and longitude is not null;
