-- Searches without text list results by name: an index on (name, id) gives the first page without sorting
-- the whole table (300 000 structures at national scale).
create index organisation_name_idx on organisation (name, id);
create index cooperation_name_idx on cooperation (name, id);
