/*-------------------------------------------------------------------------
 *
 * postcode.h
 *	  Parsing UK postcodes (postcode.c).
 *
 * Copyright (c) 2025-2026, value_ext contributors (PostgreSQL Licence)
 *
 *-------------------------------------------------------------------------
 */
#ifndef POSTCODE_H
#define POSTCODE_H

/*
 * A written UK postcode (any Unicode spacing, case, full-width
 * forms) to its compact form, 5..7 upper-case ASCII letters and digits
 * without the space; returns the length, or 0 when it is not a postcode.
 */
#define POSTCODE_COMPACT_MAX 7
extern int postcode_parse(const char *s, int len,
						  char out[POSTCODE_COMPACT_MAX + 1]);

#endif /* POSTCODE_H */
