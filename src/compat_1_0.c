/*-------------------------------------------------------------------------
 *
 * compat_1_0.c
 *	  The C symbols that release 1.0's install script names and 1.1 renamed.
 *
 * 1.1 gave the support functions one naming scheme (_trans, _combine,
 * _final) and made C names equal SQL names; the 1.0 -> 1.1 upgrade script
 * renames the SQL functions and points them at the new symbols. The old
 * symbols stay exported, each a call of its new name, because a 1.0
 * catalogue still names them until ALTER EXTENSION value_ext UPDATE runs:
 * a database restored or pg_upgraded from 1.0, and CREATE EXTENSION
 * value_ext VERSION '1.0' (the upgrade test), load them. Drop this file in
 * the release that stops supporting upgrades from 1.0.
 *
 * Copyright (c) 2025-2026, value_ext contributors (PostgreSQL Licence)
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "fmgr.h"

#define VALUE_EXT_1_0_SYMBOL(old_name, new_name) \
	extern Datum new_name(PG_FUNCTION_ARGS);     \
	PG_FUNCTION_INFO_V1(old_name);               \
	Datum old_name(PG_FUNCTION_ARGS)             \
	{                                            \
		return new_name(fcinfo);                 \
	}

/* clang-format off */
VALUE_EXT_1_0_SYMBOL(concentration_index_finalfn, concentration_index_final)
VALUE_EXT_1_0_SYMBOL(concentration_index_transfn, concentration_index_trans)
VALUE_EXT_1_0_SYMBOL(count_ratio_combinefn, count_ratio_combine)
VALUE_EXT_1_0_SYMBOL(crude_rate_finalfn, crude_rate_final)
VALUE_EXT_1_0_SYMBOL(crude_rate_transfn, crude_rate_trans)
VALUE_EXT_1_0_SYMBOL(dsr_combinefn, dsr_combine)
VALUE_EXT_1_0_SYMBOL(dsr_finalfn, dsr_final)
VALUE_EXT_1_0_SYMBOL(dsr_nonind_combinefn, dsr_nonind_combine)
VALUE_EXT_1_0_SYMBOL(dsr_nonind_finalfn, dsr_nonind_final)
VALUE_EXT_1_0_SYMBOL(dsr_nonind_transfn, dsr_nonind_trans)
VALUE_EXT_1_0_SYMBOL(dsr_transfn, dsr_trans)
VALUE_EXT_1_0_SYMBOL(imd_decile_rank, imd_decile)
VALUE_EXT_1_0_SYMBOL(imd_quintile_rank, imd_quintile)
VALUE_EXT_1_0_SYMBOL(imd_rank_lsoa, imd_rank)
VALUE_EXT_1_0_SYMBOL(imd_score_lsoa, imd_score)
VALUE_EXT_1_0_SYMBOL(inequality_combinefn, inequality_combine)
VALUE_EXT_1_0_SYMBOL(isr_combinefn, isr_combine)
VALUE_EXT_1_0_SYMBOL(isr_finalfn, isr_final)
VALUE_EXT_1_0_SYMBOL(isr_rate_finalfn, isr_rate_final)
VALUE_EXT_1_0_SYMBOL(isr_rate_transfn, isr_rate_trans)
VALUE_EXT_1_0_SYMBOL(isr_transfn, isr_trans)
VALUE_EXT_1_0_SYMBOL(life_expectancy_combinefn, life_expectancy_combine)
VALUE_EXT_1_0_SYMBOL(life_expectancy_finalfn, life_expectancy_final)
VALUE_EXT_1_0_SYMBOL(life_expectancy_transfn, life_expectancy_trans)
VALUE_EXT_1_0_SYMBOL(mean_ci_combinefn, mean_ci_combine)
VALUE_EXT_1_0_SYMBOL(mean_ci_finalfn, mean_ci_final)
VALUE_EXT_1_0_SYMBOL(mean_ci_transfn, mean_ci_trans)
VALUE_EXT_1_0_SYMBOL(proportion_finalfn, proportion_final)
VALUE_EXT_1_0_SYMBOL(proportion_transfn, proportion_trans)
VALUE_EXT_1_0_SYMBOL(sii_finalfn, sii_final)
VALUE_EXT_1_0_SYMBOL(sii_transfn, sii_trans)
/* clang-format on */
