-- Peers (transfert de savoir-faire, visites apprenantes, document 001): whether a cooperation welcomes peers
-- that are earlier on the same road. Set by its admins; only open cooperations are proposed as peers.
alter table cooperation add column ouverte_transfert boolean not null default false;
alter table cooperation add column ouverte_visites boolean not null default false;
