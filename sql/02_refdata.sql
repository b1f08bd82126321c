-- Reference data: the loader of the bundled files, the change trigger and
-- the invalidation of the lookups' backend cache (src/refdata.c). The
-- postcode part of the cache is tested with its lookups in 11_postcode.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS value_ext;

-- the internal loader reads only bundled files, by plain name, and only for its owner
SELECT value_ext_load_refdata('imd_lsoa', '../../../../etc/passwd');
SELECT value_ext_load_refdata('imd_lsoa', '.hidden.csv');
CREATE ROLE regress_value_ext_user;
SET ROLE regress_value_ext_user;
SELECT value_ext_load_refdata('imd_lsoa', 'imd2019_lsoa11_england.csv');
-- everyone may read the reference tables
SELECT count(*) AS readable FROM imd_lsoa WHERE edition = 2025;
RESET ROLE;
DROP ROLE regress_value_ext_user;
-- the cache trigger is for triggers only
SELECT value_ext_refdata_changed();

-- the cache follows changes to imd_lsoa, in this backend at once and after a rollback
BEGIN;
UPDATE imd_lsoa SET imd_decile = 1, imd_rank = 1 WHERE edition = 2019 AND lsoa_code = 'E01000001';
SELECT imd_decile('E01000001') AS changed_decile, imd_rank('E01000001') AS changed_rank;
ROLLBACK;
SELECT imd_decile('E01000001') AS restored_decile, imd_rank('E01000001') AS restored_rank;
