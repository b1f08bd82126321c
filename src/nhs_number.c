/*-------------------------------------------------------------------------
 *
 * nhs_number.c
 *	  NHS numbers: the accepted written forms and the Modulus 11 check.
 *
 * Owns nhs_number_is_valid(text) and nhs_number_normalize(text), and the
 * plain C parser behind them (nhs_number_parse, declared in nhs_number.h)
 * that pseudonym.c uses so that every display form of one number gives
 * one pseudonym.
 *
 * Accepted forms, after surrounding ASCII whitespace (space, tab, CR, LF)
 * is dropped: ten digits "9434765919", or the 3-3-4 display grouping with
 * one space or one hyphen between the groups, the same separator both
 * times: "943 476 5919", "943-476-5919". Anything else ("94 34 765919",
 * "943  476 5919", "943-476 5919", "+44...", full-width digits) is not an
 * NHS number: a looser parser would turn typing errors into other
 * people's valid numbers.
 *
 * Method (docs/methods.md 7.1): weights 10..2 on digits 1..9, c = 11 -
 * (sum mod 11), 11 -> 0, 10 -> no valid number, valid iff c equals the
 * tenth digit. No allocation-range check: 0000000000 passes Modulus 11.
 *
 * Copyright (c) 2025-2026, value_ext contributors (PostgreSQL Licence)
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "nhs_number.h"

#include "fmgr.h"
#include "utils/builtins.h"

static inline bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static inline bool
is_outer_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/*
 * Parse one written NHS number of len bytes (not NUL-terminated). On
 * success writes the ten digits and a NUL to out and returns true; returns
 * false for any other layout or a failed check digit.
 */
bool
nhs_number_parse(const char *s, size_t len, char out[NHS_NUMBER_LEN + 1])
{
	const char *end = s + len;
	size_t n;
	int sum = 0;
	int check;

	while (s < end && is_outer_space(*s))
		s++;
	while (end > s && is_outer_space(end[-1]))
		end--;
	n = (size_t) (end - s);

	if (n == NHS_NUMBER_LEN)
	{
		for (size_t i = 0; i < n; i++)
		{
			if (!is_digit(s[i]))
				return false;
			out[i] = s[i];
		}
	}
	else if (n == NHS_NUMBER_LEN + 2)
	{
		/* "DDD?DDD?DDDD" with ? one space or one hyphen, used both times */
		char sep = s[3];
		int k = 0;

		if ((sep != ' ' && sep != '-') || s[7] != sep)
			return false;
		for (size_t i = 0; i < n; i++)
		{
			if (i == 3 || i == 7)
				continue;
			if (!is_digit(s[i]))
				return false;
			out[k++] = s[i];
		}
	}
	else
		return false;
	out[NHS_NUMBER_LEN] = '\0';

	for (int i = 0; i < 9; i++)
		sum += (out[i] - '0') * (10 - i);
	check = 11 - (sum % 11);
	if (check == 11)
		check = 0;
	if (check == 10)
		return false;
	return check == out[9] - '0';
}

/* nhs_number_is_valid(text) -> boolean: accepted layout and check digit */
PG_FUNCTION_INFO_V1(nhs_number_is_valid);
Datum
nhs_number_is_valid(PG_FUNCTION_ARGS)
{
	text *t = PG_GETARG_TEXT_PP(0);
	char digits[NHS_NUMBER_LEN + 1];

	PG_RETURN_BOOL(
		nhs_number_parse(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t), digits));
}

/* nhs_number_normalize(text) -> text: the ten digits, or NULL if invalid */
PG_FUNCTION_INFO_V1(nhs_number_normalize);
Datum
nhs_number_normalize(PG_FUNCTION_ARGS)
{
	text *t = PG_GETARG_TEXT_PP(0);
	char digits[NHS_NUMBER_LEN + 1];

	if (!nhs_number_parse(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t), digits))
		PG_RETURN_NULL();
	PG_RETURN_TEXT_P(cstring_to_text_with_len(digits, NHS_NUMBER_LEN));
}
