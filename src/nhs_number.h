/*-------------------------------------------------------------------------
 *
 * nhs_number.h
 *	  Parsing NHS numbers (nhs_number.c).
 *
 * Copyright (c) 2025-2026, value_ext contributors (PostgreSQL Licence)
 *
 *-------------------------------------------------------------------------
 */
#ifndef NHS_NUMBER_H
#define NHS_NUMBER_H

/* the accepted written forms of an NHS number, Modulus 11 checked */
#define NHS_NUMBER_LEN 10
extern bool nhs_number_parse(const char *s, size_t len,
							 char out[NHS_NUMBER_LEN + 1]);

#endif /* NHS_NUMBER_H */
