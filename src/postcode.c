/*-------------------------------------------------------------------------
 *
 * postcode.c
 *	  UK postcodes: ICU normalisation of dirty input and the postcode
 *	  grammar. Owns postcode_normalize(text, strict) and the plain C
 *	  parser behind it (postcode_parse, declared in postcode.h) that the
 *	  postcode lookups in deprivation.c use.
 *
 * Normalisation: Unicode NFKC (full-width letters and digits become ASCII,
 * the no-break space U+00A0 and the ideographic space become U+0020), then
 * full Unicode upper-casing in the root locale (never the server's locale),
 * then every code point that is white space, a separator (Zs, Zl, Zp), a
 * control (Cc, e.g. tab) or a format/default-ignorable character (Cf, e.g.
 * the zero-width space U+200B and the byte-order mark U+FEFF) is removed,
 * wherever it is. What remains must be 5 to 7 ASCII letters and digits that
 * match the grammar below; the result is written with one space before the
 * three-character inward code ("SR1 1AA").
 *
 * Pure ASCII input (the usual case, millions of rows) takes a fast path
 * that gives exactly what the ICU path would: NFKC and upper-casing leave
 * ASCII letters and digits alone apart from a-z -> A-Z, and the removed
 * ASCII characters are exactly the controls and the space.
 *
 * Grammar (Royal Mail, as documented by BS 7666 / the GOV.UK data
 * standard), A = letter, 9 = digit:
 *   outward  A9, A99, AA9, AA99, A9A, AA9A;  inward  9AA;  plus GIR 0AA.
 * Position rules enforced:
 *   1st letter      not Q, V, X
 *   2nd letter      (AA.. forms) not I, J, Z
 *   3rd letter      (A9A form) one of A B C D E F G H J K P S T U W
 *   4th letter      (AA9A form) one of A B E H M N P R V W X Y
 *   inward letters  not C, I, K, M, O, V
 * Not accepted: BFPO numbers, the overseas territories' codes (e.g.
 * ASCN 1ZZ, which break the grammar), and Santa's SAN TA1. Whether a
 * well-formed postcode exists is the lookup's business, not the grammar's.
 *
 * Volatility: declared IMMUTABLE. The result depends on ICU only through
 * NFKC and case mappings of assigned characters, which Unicode's stability
 * policies freeze, and through which characters count as spaces or
 * ignorable: we remove the union of White_Space, Z*, Cc, Cf and
 * Default_Ignorable_Code_Point, so a character moved between those classes
 * (U+180E went from Zs to Cf in Unicode 6.3) is removed either way. What
 * can differ between ICU versions is only input holding code points
 * unassigned in the older version; no postcode contains one. After a major
 * ICU upgrade REINDEX expression indexes on postcode_normalize, as for any
 * ICU collation.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "postcode.h"

#include "fmgr.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"

#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>

/* Why an input is not a postcode (for the strict form's error detail) */
typedef enum PostcodeFault
{
	PC_OK = 0,
	PC_EMPTY,
	PC_CHARACTER,     /* something other than a letter or digit */
	PC_LENGTH,        /* not 5..7 letters and digits */
	PC_INWARD,        /* inward code not 9AA */
	PC_INWARD_LETTER, /* inward letter C I K M O V */
	PC_OUTWARD,       /* outward code matches no form */
	PC_FIRST_LETTER,  /* Q V X first */
	PC_SECOND_LETTER, /* I J Z second */
	PC_THIRD_LETTER,  /* A9A with a bad letter */
	PC_FOURTH_LETTER  /* AA9A with a bad letter */
} PostcodeFault;

static inline bool
is_upper(char c)
{
	return c >= 'A' && c <= 'Z';
}

static inline bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/*
 * Check the grammar of a compact postcode (no space, upper case ASCII
 * letters and digits, n characters).
 */
static PostcodeFault
postcode_grammar(const char *s, int n)
{
	const char *in;
	int out_len;

	if (n < 5 || n > 7)
		return PC_LENGTH;
	if (n == 6 && memcmp(s, "GIR0AA", 6) == 0)
		return PC_OK;

	in = s + n - 3;
	if (!is_digit(in[0]) || !is_upper(in[1]) || !is_upper(in[2]))
		return PC_INWARD;
	if (strchr("CIKMOV", in[1]) || strchr("CIKMOV", in[2]))
		return PC_INWARD_LETTER;

	out_len = n - 3;
	if (!is_upper(s[0]))
		return PC_OUTWARD;
	if (strchr("QVX", s[0]))
		return PC_FIRST_LETTER;
	if (is_digit(s[1]))
	{
		/* A9, A99, A9A */
		if (out_len == 2)
			return PC_OK;
		if (out_len == 3 && is_digit(s[2]))
			return PC_OK;
		if (out_len == 3 && is_upper(s[2]))
			return strchr("ABCDEFGHJKPSTUW", s[2]) ? PC_OK : PC_THIRD_LETTER;
		return PC_OUTWARD;
	}
	if (!is_upper(s[1]) || out_len < 3 || !is_digit(s[2]))
		return PC_OUTWARD;
	/* AA9, AA99, AA9A */
	if (strchr("IJZ", s[1]))
		return PC_SECOND_LETTER;
	if (out_len == 3)
		return PC_OK;
	if (is_digit(s[3]))
		return PC_OK;
	if (is_upper(s[3]))
		return strchr("ABEHMNPRVWXY", s[3]) ? PC_OK : PC_FOURTH_LETTER;
	return PC_OUTWARD;
}

/* ASCII: drop controls and spaces, upper-case, keep letters and digits */
static PostcodeFault
postcode_compact_ascii(const char *s, int len, char *out, int *n)
{
	int i;

	*n = 0;
	for (i = 0; i < len; i++)
	{
		unsigned char c = (unsigned char) s[i];

		if (c <= 0x20 || c == 0x7f)
			continue;
		if (c >= 'a' && c <= 'z')
			c -= 'a' - 'A';
		if (!is_upper((char) c) && !is_digit((char) c))
			return PC_CHARACTER;
		if (*n == POSTCODE_COMPACT_MAX)
			return PC_LENGTH;
		out[(*n)++] = (char) c;
	}
	return PC_OK;
}

static void
icu_check(UErrorCode status, const char *what)
{
	if (U_FAILURE(status))
		ereport(ERROR,
				(errcode(ERRCODE_INTERNAL_ERROR),
				 errmsg("ICU %s failed: %s", what, u_errorName(status))));
}

/* Run a UTF-16 -> UTF-16 ICU transform with one retry on a short buffer */
typedef int32 (*UTransform)(UChar *dest, int32 cap, const UChar *src,
							int32 len, UErrorCode *status);

static const UNormalizer2 *nfkc = NULL;

static int32
do_nfkc(UChar *dest, int32 cap, const UChar *src, int32 len,
		UErrorCode *status)
{
	return unorm2_normalize(nfkc, src, len, dest, cap, status);
}

static int32
do_upper(UChar *dest, int32 cap, const UChar *src, int32 len,
		 UErrorCode *status)
{
	/* "" is ICU's root locale: no Turkish or Lithuanian special cases */
	return u_strToUpper(dest, cap, src, len, "", status);
}

static UChar *
icu_transform(UTransform fn, const UChar *src, int32 len, int32 *outlen,
			  const char *what)
{
	int32 cap = len + 16;
	UChar *dest = palloc(cap * sizeof(UChar));
	UErrorCode status = U_ZERO_ERROR;
	int32 n = fn(dest, cap, src, len, &status);

	if (status == U_BUFFER_OVERFLOW_ERROR)
	{
		pfree(dest);
		cap = n + 1;
		dest = palloc(cap * sizeof(UChar));
		status = U_ZERO_ERROR;
		n = fn(dest, cap, src, len, &status);
	}
	icu_check(status, what);
	*outlen = n;
	return dest;
}

static inline bool
is_removed(UChar32 c)
{
	int8 cat;

	if (u_isUWhiteSpace(c) ||
		u_hasBinaryProperty(c, UCHAR_DEFAULT_IGNORABLE_CODE_POINT))
		return true;
	cat = u_charType(c);
	return cat == U_SPACE_SEPARATOR || cat == U_LINE_SEPARATOR ||
		   cat == U_PARAGRAPH_SEPARATOR || cat == U_CONTROL_CHAR ||
		   cat == U_FORMAT_CHAR;
}

/* Any Unicode input (UTF-8): NFKC, upper-case, drop spaces/ignorables */
static PostcodeFault
postcode_compact_icu(const char *s, int len, char *out, int *n)
{
	UErrorCode status = U_ZERO_ERROR;
	UChar *u16;
	UChar *norm;
	UChar *upper;
	int32 u16len;
	int32 normlen;
	int32 upperlen;
	int32 i = 0;
	PostcodeFault fault = PC_OK;

	if (nfkc == NULL)
	{
		nfkc = unorm2_getNFKCInstance(&status);
		icu_check(status, "NFKC initialisation");
	}

	u16 = palloc((len + 1) * sizeof(UChar));
	u_strFromUTF8(u16, len + 1, &u16len, s, len, &status);
	icu_check(status, "UTF-8 conversion");
	norm = icu_transform(do_nfkc, u16, u16len, &normlen, "NFKC normalisation");
	upper = icu_transform(do_upper, norm, normlen, &upperlen, "upper-casing");

	*n = 0;
	while (i < upperlen && fault == PC_OK)
	{
		UChar32 c;

		U16_NEXT(upper, i, upperlen, c);
		if (is_removed(c))
			continue;
		if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')))
			fault = PC_CHARACTER;
		else if (*n == POSTCODE_COMPACT_MAX)
			fault = PC_LENGTH;
		else
			out[(*n)++] = (char) c;
	}
	pfree(u16);
	pfree(norm);
	pfree(upper);
	return fault;
}

static PostcodeFault
postcode_parse_fault(const char *s, int len, char *out, int *n)
{
	PostcodeFault fault;
	int i;
	bool ascii = true;

	for (i = 0; i < len; i++)
		if ((unsigned char) s[i] >= 0x80)
		{
			ascii = false;
			break;
		}
	if (ascii)
		fault = postcode_compact_ascii(s, len, out, n);
	else
	{
		/* ICU wants UTF-8: other server encodings are converted first */
		const char *utf8 = s;

		if (GetDatabaseEncoding() != PG_UTF8)
		{
			utf8 = pg_server_to_any(s, len, PG_UTF8);
			if (utf8 != s)
				len = strlen(utf8);
		}
		fault = postcode_compact_icu(utf8, len, out, n);
	}
	if (fault != PC_OK)
		return fault;
	if (*n == 0)
		return PC_EMPTY;
	return postcode_grammar(out, *n);
}

/*
 * Parse one written postcode of len bytes (server encoding, not
 * NUL-terminated). On success writes the compact form (no space, 5 to 7
 * characters) and a NUL to out and returns its length; returns 0 when the
 * input cannot be a UK postcode.
 */
int
postcode_parse(const char *s, int len, char out[POSTCODE_COMPACT_MAX + 1])
{
	int n = 0;

	if (postcode_parse_fault(s, len, out, &n) != PC_OK)
		return 0;
	out[n] = '\0';
	return n;
}

static const char *
fault_detail(PostcodeFault fault)
{
	switch (fault)
	{
		case PC_EMPTY:
			return "The value has no letters or digits.";
		case PC_CHARACTER:
			return "A postcode holds only letters, digits and spaces.";
		case PC_LENGTH:
			return "A postcode has 5 to 7 letters and digits.";
		case PC_INWARD:
			return "The inward code (the last three characters) must be a "
				   "digit and two letters.";
		case PC_INWARD_LETTER:
			return "The inward code cannot use the letters C, I, K, M, O or "
				   "V.";
		case PC_OUTWARD:
			return "The outward code must have the form A9, A99, AA9, AA99, "
				   "A9A or AA9A.";
		case PC_FIRST_LETTER:
			return "A postcode cannot start with Q, V or X.";
		case PC_SECOND_LETTER:
			return "The second letter of the outward code cannot be I, J or "
				   "Z.";
		case PC_THIRD_LETTER:
			return "In the A9A form the third character must be one of A B C "
				   "D E F G H J K P S T U W.";
		case PC_FOURTH_LETTER:
			return "In the AA9A form the fourth character must be one of A B "
				   "E H M N P R V W X Y.";
		case PC_OK:
			break;
	}
	return "";
}

/* postcode_normalize(text, strict boolean): canonical "SR1 1AA" or NULL */
PG_FUNCTION_INFO_V1(postcode_normalize);
Datum
postcode_normalize(PG_FUNCTION_ARGS)
{
	text *in = PG_GETARG_TEXT_PP(0);
	bool strict = PG_GETARG_BOOL(1);
	char compact[POSTCODE_COMPACT_MAX + 1];
	char result[POSTCODE_COMPACT_MAX + 2];
	int n = 0;
	PostcodeFault fault;

	fault = postcode_parse_fault(VARDATA_ANY(in), VARSIZE_ANY_EXHDR(in),
								 compact, &n);
	if (fault != PC_OK)
	{
		if (strict)
		{
			/* echo at most 64 bytes of the input, cut on a character boundary */
			const char *s = VARDATA_ANY(in);
			int len = VARSIZE_ANY_EXHDR(in);
			int cut = pg_mbcliplen(s, len, 64);

			ereport(ERROR,
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("invalid UK postcode: \"%s%s\"", pnstrdup(s, cut),
							cut < len ? "..." : ""),
					 errdetail("%s", fault_detail(fault)),
					 errhint("Use postcode_normalize(value) without strict to "
							 "get NULL for values that are not postcodes.")));
		}
		PG_RETURN_NULL();
	}
	memcpy(result, compact, n - 3);
	result[n - 3] = ' ';
	memcpy(result + n - 2, compact + n - 3, 3);
	PG_RETURN_TEXT_P(cstring_to_text_with_len(result, n + 1));
}
