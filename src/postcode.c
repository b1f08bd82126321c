/*-------------------------------------------------------------------------
 *
 * postcode.c
 *	  UK postcodes: the parsing and ICU normalisation of dirty input
 *	  (postcode_normalize), the postcode lookup table's loader
 *	  (load_postcode_lookup), the postcode part of the lookups' backend
 *	  cache, and the lookups lsoa_for_postcode and imd_decile_for_postcode.
 *	  The IMD part of the cache is deprivation.c's, its invalidation
 *	  refdata.c's.
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
 * The lookups read postcode_lookup once into an open-addressing table of
 * packed postcodes, each with the index of its LSOAs in an array of areas
 * that carries what a postcode needs precomputed (deciles, the other LSOA
 * vintage); see postcode_cache_build.
 *
 * Copyright (c) 2025-2026, value_ext contributors (PostgreSQL Licence)
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "deprivation.h"
#include "refdata.h"

#include "catalog/pg_authid.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "storage/fd.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/hsearch.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"

#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>

/* The compact form: 5..7 upper-case ASCII letters and digits, no space */
#define POSTCODE_COMPACT_MAX 7

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

/* As PostgreSQL reports ICU failures: the ICU function and the error */
static void
icu_check(UErrorCode status, const char *icu_function)
{
	if (U_FAILURE(status))
		ereport(ERROR,
				(errcode(ERRCODE_INTERNAL_ERROR),
				 errmsg("%s failed: %s", icu_function, u_errorName(status))));
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
			  const char *icu_function)
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
	icu_check(status, icu_function);
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
		icu_check(status, "unorm2_getNFKCInstance");
	}

	u16 = palloc((len + 1) * sizeof(UChar));
	u_strFromUTF8(u16, len + 1, &u16len, s, len, &status);
	icu_check(status, "u_strFromUTF8");
	norm = icu_transform(do_nfkc, u16, u16len, &normlen, "unorm2_normalize");
	upper = icu_transform(do_upper, norm, normlen, &upperlen, "u_strToUpper");

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
static int
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

/* At most 64 bytes of the input, cut on a character boundary */
static char *
input_echo(text *in)
{
	const char *s = VARDATA_ANY(in);
	int len = VARSIZE_ANY_EXHDR(in);
	int cut = pg_mbcliplen(s, len, 64);

	if (cut < len)
		return psprintf("%s...", pnstrdup(s, cut));
	return pnstrdup(s, len);
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
			ereport(
				ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid UK postcode for postcode_normalize: \"%s\"",
						input_echo(in)),
				 errdetail("%s", fault_detail(fault)),
				 errhint("Use postcode_normalize(value) without strict to "
						 "get NULL for values that are not postcodes.")));
		PG_RETURN_NULL();
	}
	memcpy(result, compact, n - 3);
	result[n - 3] = ' ';
	memcpy(result + n - 2, compact + n - 3, 3);
	PG_RETURN_TEXT_P(cstring_to_text_with_len(result, n + 1));
}

/* ---------------------------------------------------------------------
 * The postcode part of the lookups' backend cache
 * ---------------------------------------------------------------------
 */

/*
 * A distinct LSOA code of the postcode lookup, with what a postcode in it
 * needs precomputed: its deciles in both editions, and its counterpart in
 * the other LSOA vintage through lsoa11_lsoa21 when the loaded file lacks
 * that vintage's column (only when unambiguous: see README).
 */
typedef struct AreaVia
{
	int32 count; /* counterparts seen in lsoa11_lsoa21 */
	int32 area;  /* the only counterpart, -1 = none or several */
	int8 decile; /* their common decile, 0 = none or they differ */
} AreaVia;

typedef struct AreaInfo
{
	char code[AREA_CODE_MAX + 1];
	int8 decile2019; /* 0 = not an IoD2019 LSOA */
	int8 decile2025; /* 0 = not an IoD2025 LSOA */
	bool is_l11;     /* some postcode's LSOA 2011 */
	bool is_l21;     /* some postcode's LSOA 2021 */
	AreaVia to21;    /* as a 2011 code: its 2021 LSOAs, IoD2025 decile */
	AreaVia to11;    /* as a 2021 code: its 2011 LSOAs, IoD2019 decile */
} AreaInfo;

typedef struct AreaHashEntry
{
	char code[AREA_CODE_MAX + 1];
	int32 index;
} AreaHashEntry;

/* what the postcode cache reads; the IMD part's table first */
static const char *const postcode_cache_tables[] = {
	IMD_CACHE_TABLE, "postcode_lookup", "lsoa11_lsoa21", NULL};

/*
 * Postcodes: open addressing with linear probing over packed keys (the
 * compact postcode, at most 7 ASCII characters, in a uint64; 0 = empty).
 * Three parallel arrays keep it at 16 bytes a slot: about 67 MB for the
 * full 2.6M-row NSPL, less than half of what a dynahash would take.
 */
static MemoryContext postcode_cxt = NULL;
static uint64 *pc_keys = NULL;
static int32 *pc_l11 = NULL;
static int32 *pc_l21 = NULL;
static uint64 pc_mask = 0;
static AreaInfo *areas = NULL;
static RefcacheStamp postcode_stamp;

static inline uint64
postcode_key(const char *compact, int n)
{
	uint64 key = 0;
	int i;

	for (i = 0; i < n; i++)
		key |= ((uint64) (unsigned char) compact[i]) << (8 * i);
	return key;
}

/* murmur3's 64-bit finaliser: packed keys share most of their bits */
static inline uint64
postcode_hash(uint64 k)
{
	k ^= k >> 33;
	k *= UINT64CONST(0xff51afd7ed558ccd);
	k ^= k >> 33;
	k *= UINT64CONST(0xc4ceb9fe1a85ec53);
	k ^= k >> 33;
	return k;
}

typedef struct AreaBuilder
{
	HTAB *index; /* code -> position in areas */
	int32 n;
	int32 cap;
} AreaBuilder;

static int32
area_find(AreaBuilder *b, const char *code)
{
	AreaHashEntry *e = hash_search(b->index, code, HASH_FIND, NULL);

	return e ? e->index : -1;
}

static int32
area_intern(AreaBuilder *b, const char *code)
{
	bool found;
	AreaHashEntry *e = hash_search(b->index, code, HASH_ENTER, &found);
	AreaInfo *a;

	if (found)
		return e->index;
	if (b->n == b->cap)
	{
		b->cap *= 2;
		areas = repalloc(areas, b->cap * sizeof(AreaInfo));
	}
	e->index = b->n;
	a = &areas[b->n];
	memset(a, 0, sizeof(AreaInfo));
	memcpy(a->code, code, AREA_CODE_MAX + 1);
	a->decile2019 = imd_cache_decile(2019, code);
	a->decile2025 = imd_cache_decile(2025, code);
	a->to21.area = a->to11.area = -1;
	return b->n++;
}

/*
 * Postcode files are sorted by postcode, and neighbouring postcodes mostly
 * share an LSOA (about 80 postcodes each): try the previous row's area
 * before the hash table.
 */
static int32
area_intern_last(AreaBuilder *b, const char *code, int32 *last)
{
	if (*last < 0 || memcmp(areas[*last].code, code, AREA_CODE_MAX + 1) != 0)
		*last = area_intern(b, code);
	return *last;
}

/* One row of lsoa11_lsoa21 seen from one side: record the counterpart */
static void
area_via_add(AreaBuilder *b, int32 self, const char *other, bool to21)
{
	int32 o = area_intern(b, other); /* may move areas */
	AreaVia *v = to21 ? &areas[self].to21 : &areas[self].to11;
	int8 dec = to21 ? areas[o].decile2025 : areas[o].decile2019;

	if (v->count == 0)
	{
		v->area = o;
		v->decile = dec;
	}
	else
	{
		if (v->area != o)
			v->area = -1;
		if (v->decile != dec)
			v->decile = 0;
	}
	v->count++;
}

static void
postcode_insert(uint64 key, int32 l11, int32 l21)
{
	uint64 i = postcode_hash(key) & pc_mask;

	while (pc_keys[i] != 0 && pc_keys[i] != key)
		i = (i + 1) & pc_mask;
	pc_keys[i] = key;
	pc_l11[i] = l11;
	pc_l21[i] = l21;
}

/* slot of a postcode, or -1 */
static int64
postcode_find(uint64 key)
{
	uint64 i = postcode_hash(key) & pc_mask;

	while (pc_keys[i] != 0)
	{
		if (pc_keys[i] == key)
			return (int64) i;
		i = (i + 1) & pc_mask;
	}
	return -1;
}

typedef struct PostcodeRow
{
	uint64 key;
	int32 l11;
	int32 l21;
} PostcodeRow;

/* The rows of postcode_lookup as read, before they go into the table */
typedef struct PostcodeRows
{
	PostcodeRow *rows;
	int64 n;
	int64 cap;
} PostcodeRows;

/* The areas (in postcode_cxt) and their index (in the build's context) */
static void
area_builder_init(AreaBuilder *b, MemoryContext tmp)
{
	HASHCTL ctl;

	memset(&ctl, 0, sizeof(ctl));
	ctl.keysize = AREA_CODE_MAX + 1;
	ctl.entrysize = sizeof(AreaHashEntry);
	ctl.hcxt = tmp;
	b->index = hash_create("value_ext postcode areas", 4096, &ctl,
						   HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
	b->n = 0;
	b->cap = 1024;
	areas = MemoryContextAlloc(postcode_cxt, b->cap * sizeof(AreaInfo));
}

/* The LSOA of a postcode row in one vintage, interned; -1 = none */
static int32
postcode_row_area(RefdataReader *r, AttrNumber att, AreaBuilder *b,
				  int32 *last)
{
	char code[AREA_CODE_MAX + 1];

	if (!refdata_reader_code(r, att, code))
		return -1;
	return area_intern_last(b, code, last);
}

/* Step 1: the postcodes, with their LSOAs interned */
static void
read_postcodes(AreaBuilder *b, PostcodeRows *rows)
{
	RefdataReader r;
	AttrNumber a_pc, a_l11, a_l21;
	int32 last11 = -1;
	int32 last21 = -1;

	refdata_reader_open(&r, refcache_table("postcode_lookup"));
	a_pc = refdata_reader_column(&r, "postcode");
	a_l11 = refdata_reader_column(&r, "lsoa11_code");
	a_l21 = refdata_reader_column(&r, "lsoa21_code");
	while (refdata_reader_next(&r))
	{
		bool isnull;
		Datum d = slot_getattr(r.slot, a_pc, &isnull);
		char compact[POSTCODE_COMPACT_MAX + 1];
		text *t;
		int n;
		PostcodeRow *row;
		MemoryContext old;

		if (isnull)
			continue;
		t = DatumGetTextPP(d);
		n = postcode_parse(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t), compact);
		if (n == 0)
			continue;
		if (rows->n == rows->cap)
		{
			rows->cap *= 2;
			rows->rows =
				repalloc_huge(rows->rows, rows->cap * sizeof(PostcodeRow));
		}
		row = &rows->rows[rows->n++];
		row->key = postcode_key(compact, n);
		old = MemoryContextSwitchTo(postcode_cxt);
		row->l11 = postcode_row_area(&r, a_l11, b, &last11);
		if (row->l11 >= 0)
			areas[row->l11].is_l11 = true;
		row->l21 = postcode_row_area(&r, a_l21, b, &last21);
		if (row->l21 >= 0)
			areas[row->l21].is_l21 = true;
		MemoryContextSwitchTo(old);
	}
	refdata_reader_close(&r);
}

/* Step 2: the other LSOA vintage of each area, for files that lack it */
static void
link_other_vintage(AreaBuilder *b)
{
	RefdataReader r;
	AttrNumber a_l11, a_l21;
	MemoryContext old;

	refdata_reader_open(&r, refcache_table("lsoa11_lsoa21"));
	a_l11 = refdata_reader_column(&r, "lsoa11_code");
	a_l21 = refdata_reader_column(&r, "lsoa21_code");
	old = MemoryContextSwitchTo(postcode_cxt);
	while (refdata_reader_next(&r))
	{
		char c11[AREA_CODE_MAX + 1];
		char c21[AREA_CODE_MAX + 1];
		int32 self;

		if (!refdata_reader_code(&r, a_l11, c11) ||
			!refdata_reader_code(&r, a_l21, c21))
			continue;
		self = area_find(b, c11);
		if (self >= 0 && areas[self].is_l11)
			area_via_add(b, self, c21, true);
		self = area_find(b, c21);
		if (self >= 0 && areas[self].is_l21)
			area_via_add(b, self, c11, false);
	}
	MemoryContextSwitchTo(old);
	refdata_reader_close(&r);
}

/* Step 3: the hash table, at most 2/3 full */
static void
postcode_table_fill(const PostcodeRows *rows)
{
	uint64 size = 1024;
	int64 i;

	while (size < (uint64) rows->n + (uint64) rows->n / 2)
		size *= 2;
	pc_keys = MemoryContextAllocExtended(postcode_cxt, size * sizeof(uint64),
										 MCXT_ALLOC_HUGE | MCXT_ALLOC_ZERO);
	pc_l11 = MemoryContextAllocHuge(postcode_cxt, size * sizeof(int32));
	pc_l21 = MemoryContextAllocHuge(postcode_cxt, size * sizeof(int32));
	pc_mask = size - 1;
	for (i = 0; i < rows->n; i++)
		postcode_insert(rows->rows[i].key, rows->rows[i].l11,
						rows->rows[i].l21);
}

static void
postcode_cache_build(void)
{
	MemoryContext tmp;
	AreaBuilder b;
	PostcodeRows rows;

	if (postcode_cxt == NULL)
		postcode_cxt =
			AllocSetContextCreate(TopMemoryContext, "value_ext postcode cache",
								  ALLOCSET_DEFAULT_SIZES);
	else
		MemoryContextReset(postcode_cxt);
	pc_keys = NULL;
	tmp = AllocSetContextCreate(CurrentMemoryContext,
								"value_ext postcode cache build",
								ALLOCSET_DEFAULT_SIZES);
	area_builder_init(&b, tmp);
	rows.n = 0;
	rows.cap = 1024;
	rows.rows = MemoryContextAlloc(tmp, rows.cap * sizeof(PostcodeRow));

	read_postcodes(&b, &rows);
	link_other_vintage(&b);
	postcode_table_fill(&rows);
	MemoryContextDelete(tmp);
}

static void
postcode_cache_ensure(void)
{
	for (;;)
	{
		uint64 imd_generation = imd_cache_ensure();
		uint64 start;

		if (pc_keys != NULL && refcache_valid(&postcode_stamp))
			return;
		start = refcache_generation();
		postcode_cache_build();
		refcache_stamp(&postcode_stamp, start);
		/* the IMD part must be as fresh as what was derived from it */
		if (imd_generation != start)
			pc_keys = NULL;
	}
}

/* ---------------------------------------------------------------------
 * Postcode lookups
 * ---------------------------------------------------------------------
 */

/* Shared prologue: the cache slot of a postcode argument, or -1 */
static int64
postcode_lookup_args(FunctionCallInfo fcinfo)
{
	text *pc = PG_GETARG_TEXT_PP(0);
	char compact[POSTCODE_COMPACT_MAX + 1];
	int n;

	refcache_begin(fcinfo, postcode_cache_tables);
	postcode_cache_ensure();
	n = postcode_parse(VARDATA_ANY(pc), VARSIZE_ANY_EXHDR(pc), compact);
	if (n == 0)
		return -1;
	return postcode_find(postcode_key(compact, n));
}

/* lsoa_for_postcode(postcode, vintage): the LSOA 2011 or 2021 code */
PG_FUNCTION_INFO_V1(lsoa_for_postcode);
Datum
lsoa_for_postcode(PG_FUNCTION_ARGS)
{
	int32 vintage = PG_GETARG_INT32(1);
	int64 slot;
	int32 area;

	if (vintage != 2011 && vintage != 2021)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("vintage of lsoa_for_postcode must be one of 2011, "
						"2021"),
				 errdetail("The vintage is %d.", vintage),
				 errhint("Use 2011 (LSOA 2011, IoD2019) or 2021 (LSOA 2021, "
						 "IoD2025).")));
	slot = postcode_lookup_args(fcinfo);
	if (slot < 0)
		PG_RETURN_NULL();
	if (vintage == 2011)
		area = pc_l11[slot] >= 0   ? pc_l11[slot]
			   : pc_l21[slot] >= 0 ? areas[pc_l21[slot]].to11.area
								   : -1;
	else
		area = pc_l21[slot] >= 0   ? pc_l21[slot]
			   : pc_l11[slot] >= 0 ? areas[pc_l11[slot]].to21.area
								   : -1;
	if (area < 0)
		PG_RETURN_NULL();
	PG_RETURN_TEXT_P(cstring_to_text(areas[area].code));
}

/* imd_decile_for_postcode(postcode, edition): the IMD decile of its LSOA */
PG_FUNCTION_INFO_V1(imd_decile_for_postcode);
Datum
imd_decile_for_postcode(PG_FUNCTION_ARGS)
{
	int32 edition = PG_GETARG_INT32(1);
	int64 slot;
	int decile;

	imd_check_edition(fcinfo, edition);
	slot = postcode_lookup_args(fcinfo);
	if (slot < 0)
		PG_RETURN_NULL();
	if (edition == 2019)
		decile = pc_l11[slot] >= 0   ? areas[pc_l11[slot]].decile2019
				 : pc_l21[slot] >= 0 ? areas[pc_l21[slot]].to11.decile
									 : 0;
	else
		decile = pc_l21[slot] >= 0   ? areas[pc_l21[slot]].decile2025
				 : pc_l11[slot] >= 0 ? areas[pc_l11[slot]].to21.decile
									 : 0;
	if (decile == 0)
		PG_RETURN_NULL();
	PG_RETURN_INT32(decile);
}

/* ---------------------------------------------------------------------
 * load_postcode_lookup
 * ---------------------------------------------------------------------
 */

/* The first line of a file, without its line end and byte-order mark */
static char *
read_header_line(const char *path)
{
	FILE *f = AllocateFile(path, PG_BINARY_R);
	StringInfoData line;
	int c;

	if (f == NULL)
		ereport(ERROR,
				(errcode_for_file_access(),
				 errmsg("could not open file \"%s\" for reading: %m", path)));
	initStringInfo(&line);
	while ((c = fgetc(f)) != EOF && c != '\n')
	{
		appendStringInfoChar(&line, (char) c);
		if (line.len > 65536)
			break;
	}
	if (ferror(f))
		ereport(ERROR, (errcode_for_file_access(),
						errmsg("could not read file \"%s\": %m", path)));
	FreeFile(f);
	if (line.len > 0 && line.data[line.len - 1] == '\r')
		line.data[--line.len] = '\0';
	if (line.len >= 3 && memcmp(line.data, "\xEF\xBB\xBF", 3) == 0)
		return line.data + 3; /* UTF-8 byte-order mark */
	return line.data;
}

/* A header field trimmed of spaces and lower-cased */
static char *
header_name(const char *field)
{
	char *name = pstrdup(field);
	int i;

	while (*name == ' ')
		name++;
	for (i = strlen(name); i > 0 && name[i - 1] == ' '; i--)
		name[i - 1] = '\0';
	for (i = 0; name[i]; i++)
		name[i] = pg_ascii_tolower((unsigned char) name[i]);
	return name;
}

/* The names of a CSV header line, lower-cased, unquoted, trimmed */
static List *
split_csv_header(const char *p)
{
	List *names = NIL;
	StringInfoData field;
	bool quoted = false;

	initStringInfo(&field);
	for (;; p++)
	{
		if (quoted)
		{
			if (*p == '"' && p[1] == '"')
				appendStringInfoChar(&field, *p++);
			else if (*p == '"')
				quoted = false;
			else if (*p == '\0')
				break;
			else
				appendStringInfoChar(&field, *p);
			continue;
		}
		if (*p == '"')
			quoted = true;
		else if (*p == ',' || *p == '\0')
		{
			names = lappend(names, header_name(field.data));
			resetStringInfo(&field);
			if (*p == '\0')
				break;
		}
		else
			appendStringInfoChar(&field, *p);
	}
	return names;
}

/* 1-based position of the first of the candidate names, or 0 */
static int
header_find(List *names, const char *const *candidates, const char **found)
{
	int k;

	for (k = 0; candidates[k] != NULL; k++)
	{
		ListCell *lc;
		int pos = 0;

		foreach (lc, names)
		{
			pos++;
			if (strcmp((char *) lfirst(lc), candidates[k]) == 0)
			{
				*found = candidates[k];
				return pos;
			}
		}
	}
	return 0;
}

/* The columns of a postcode directory file that the loader uses */
typedef struct PostcodeFile
{
	const char *path;
	int ncols;
	int pc_col; /* 1-based positions, 0 = absent */
	int l11_col;
	int l21_col;
	int term_col;
	const char *pc_name; /* their names in the header */
	const char *l11_name;
	const char *l21_name;
	const char *term_name;
} PostcodeFile;

/* Step 1: find the columns by their header names */
static void
postcode_file_columns(const char *path, PostcodeFile *f)
{
	static const char *const pc_names[] = {"pcds", "pcd",      "pcd2", "pcd7",
										   "pcd8", "postcode", NULL};
	static const char *const l11_names[] = {"lsoa11", "lsoa11cd", NULL};
	static const char *const l21_names[] = {"lsoa21", "lsoa21cd", NULL};
	static const char *const term_names[] = {"doterm", NULL};
	const char *header = read_header_line(path);
	List *names;

	if (*header == '\0')
		ereport(ERROR,
				(errcode(ERRCODE_BAD_COPY_FILE_FORMAT),
				 errmsg("file \"%s\" of load_postcode_lookup has no header "
						"line",
						path),
				 errhint("The first line must name the columns, e.g. "
						 "pcds,lsoa11,doterm.")));
	names = split_csv_header(header);
	memset(f, 0, sizeof(PostcodeFile));
	f->path = path;
	f->ncols = list_length(names);
	f->pc_col = header_find(names, pc_names, &f->pc_name);
	f->l11_col = header_find(names, l11_names, &f->l11_name);
	f->l21_col = header_find(names, l21_names, &f->l21_name);
	f->term_col = header_find(names, term_names, &f->term_name);
	if (f->pc_col == 0)
		ereport(ERROR,
				(errcode(ERRCODE_BAD_COPY_FILE_FORMAT),
				 errmsg("file \"%s\" of load_postcode_lookup has no postcode "
						"column",
						path),
				 errdetail("The header names none of pcds, pcd, pcd2, pcd7, "
						   "pcd8, postcode."),
				 errhint("Load an ONS postcode directory (NSPL or ONSPD) CSV "
						 "with its header line.")));
	if (f->l11_col == 0 && f->l21_col == 0)
		ereport(
			ERROR,
			(errcode(ERRCODE_BAD_COPY_FILE_FORMAT),
			 errmsg("file \"%s\" of load_postcode_lookup has no LSOA "
					"column",
					path),
			 errdetail("The header names none of lsoa11, lsoa11cd, lsoa21, "
					   "lsoa21cd."),
			 errhint("Load an ONS postcode directory (NSPL or ONSPD) CSV "
					 "with its header line.")));
}

static void
spi_exec(const char *sql, int expected)
{
	int rc = SPI_execute(sql, false, 0);

	if (rc != expected)
		elog(ERROR, "value_ext: SPI_execute failed (%d): %s", rc, sql);
}

/* Step 2: every column as text, with the file's line number */
static void
stage_postcode_file(const PostcodeFile *f)
{
	StringInfoData sql;
	int i;

	initStringInfo(&sql);
	appendStringInfoString(&sql,
						   "CREATE TEMP TABLE value_ext_postcode_stage (line "
						   "bigint GENERATED ALWAYS AS IDENTITY (START 2)");
	for (i = 1; i <= f->ncols; i++)
		appendStringInfo(&sql, ", c%d text", i);
	appendStringInfoString(&sql, ") ON COMMIT DROP");
	spi_exec(sql.data, SPI_OK_UTILITY);

	resetStringInfo(&sql);
	appendStringInfoString(&sql, "COPY pg_temp.value_ext_postcode_stage (");
	for (i = 1; i <= f->ncols; i++)
		appendStringInfo(&sql, "%sc%d", i > 1 ? ", " : "", i);
	appendStringInfo(&sql, ") FROM %s WITH (FORMAT csv, HEADER true)",
					 quote_literal_cstr(f->path));
	spi_exec(sql.data, SPI_OK_UTILITY);
}

/* An LSOA column as stored (trimmed, upper case, empty = NULL), or NULL */
static const char *
lsoa_column_expr(int col)
{
	if (col == 0)
		return "NULL::text";
	return psprintf("pg_catalog.upper(NULLIF(pg_catalog.btrim(c%d), ''))",
					col);
}

/* Step 3: the rows as they will be stored */
static void
shape_postcode_rows(const PostcodeFile *f, const char *nsp)
{
	spi_exec(psprintf("CREATE TEMP TABLE value_ext_postcode_rows ON COMMIT "
					  "DROP AS "
					  "SELECT line, c%d AS raw, %s.postcode_normalize(c%d) AS "
					  "postcode, "
					  "%s AS lsoa11_code, %s AS lsoa21_code, %s AS doterm "
					  "FROM pg_temp.value_ext_postcode_stage",
					  f->pc_col, nsp, f->pc_col, lsoa_column_expr(f->l11_col),
					  lsoa_column_expr(f->l21_col),
					  f->term_col
						  ? psprintf("NULLIF(pg_catalog.btrim(c%d), '')",
									 f->term_col)
						  : "NULL::text"),
			 SPI_OK_UTILITY);
}

/* Run a query returning (line bigint, value text) rows; the first, if any */
static bool
first_bad_line(const char *sql, int64 *line, char **value)
{
	bool isnull;

	spi_exec(sql, SPI_OK_SELECT);
	if (SPI_processed == 0)
		return false;
	*line = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0],
										SPI_tuptable->tupdesc, 1, &isnull));
	*value = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2);
	if (*value == NULL)
		*value = "";
	return true;
}

/*
 * The first malformed LSOA code, in either column: its line, value and
 * the column's name in the header.
 */
static bool
first_bad_lsoa(const PostcodeFile *f, int64 *line, char **value,
			   const char **column)
{
	int64 line21;
	char *value21;
	bool bad11 = first_bad_line(
		"SELECT line, lsoa11_code FROM pg_temp.value_ext_postcode_rows "
		"WHERE lsoa11_code !~ '^[A-Z0-9]{1,11}$' ORDER BY line LIMIT 1",
		line, value);
	bool bad21 = first_bad_line(
		"SELECT line, lsoa21_code FROM pg_temp.value_ext_postcode_rows "
		"WHERE lsoa21_code !~ '^[A-Z0-9]{1,11}$' ORDER BY line LIMIT 1",
		&line21, &value21);

	*column = f->l11_name;
	if (bad21 && (!bad11 || line21 < *line))
	{
		*line = line21;
		*value = value21;
		*column = f->l21_name;
	}
	return bad11 || bad21;
}

/* Step 4: checks, each naming the first offending line */
static void
check_postcode_rows(const PostcodeFile *f)
{
	int64 line;
	char *value;
	const char *column;

	if (first_bad_line("SELECT line, raw FROM pg_temp.value_ext_postcode_rows "
					   "WHERE postcode IS NULL ORDER BY line LIMIT 1",
					   &line, &value))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("file \"%s\" of load_postcode_lookup has an invalid "
						"postcode on line %lld",
						f->path, (long long) line),
				 errdetail(
					 "Column \"%s\" holds \"%s\", which is not a UK postcode.",
					 f->pc_name, value),
				 errhint("Fix or remove that line; the previous postcode "
						 "lookup is unchanged.")));
	if (first_bad_lsoa(f, &line, &value, &column))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("file \"%s\" of load_postcode_lookup has an invalid "
						"LSOA code on line %lld",
						f->path, (long long) line),
				 errdetail("Column \"%s\" holds \"%s\"; an LSOA code is 1 to "
						   "11 letters and digits, e.g. E01008703.",
						   column, value),
				 errhint("Fix or remove that line; the previous postcode "
						 "lookup is unchanged.")));
	if (first_bad_line(
			"SELECT line, doterm FROM pg_temp.value_ext_postcode_rows "
			"WHERE doterm !~ '^[0-9]{6}$' ORDER BY line LIMIT 1",
			&line, &value))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_DATETIME_FORMAT),
				 errmsg("file \"%s\" of load_postcode_lookup has an invalid "
						"termination date on line %lld",
						f->path, (long long) line),
				 errdetail("Column \"%s\" holds \"%s\"; it must be empty or a "
						   "year and month YYYYMM.",
						   f->term_name, value),
				 errhint("Fix or remove that line; the previous postcode "
						 "lookup is unchanged.")));
	if (first_bad_line(
			"SELECT max(line), postcode FROM pg_temp.value_ext_postcode_rows "
			"GROUP BY postcode HAVING count(*) > 1 ORDER BY 1 LIMIT 1",
			&line, &value))
		ereport(ERROR,
				(errcode(ERRCODE_UNIQUE_VIOLATION),
				 errmsg("file \"%s\" of load_postcode_lookup has a duplicate "
						"postcode on line %lld",
						f->path, (long long) line),
				 errdetail("Postcode \"%s\" appears on an earlier line too "
						   "(after normalisation).",
						   value),
				 errhint("Fix or remove one of the lines; the previous "
						 "postcode lookup is unchanged.")));
}

/* Step 5: replace the previous load; the number of rows loaded */
static uint64
replace_postcode_lookup(const char *nsp)
{
	uint64 loaded;

	spi_exec(psprintf("TRUNCATE %s.postcode_lookup", nsp), SPI_OK_UTILITY);
	spi_exec(psprintf("INSERT INTO %s.postcode_lookup (postcode, lsoa11_code, "
					  "lsoa21_code, terminated) "
					  "SELECT postcode, lsoa11_code, lsoa21_code, doterm IS "
					  "NOT NULL "
					  "FROM pg_temp.value_ext_postcode_rows ORDER BY postcode",
					  nsp),
			 SPI_OK_INSERT);
	loaded = SPI_processed;
	spi_exec("DROP TABLE pg_temp.value_ext_postcode_rows, "
			 "pg_temp.value_ext_postcode_stage",
			 SPI_OK_UTILITY);
	return loaded;
}

/*
 * load_postcode_lookup(path): replace the contents of postcode_lookup with
 * an ONS postcode directory file (NSPL or ONSPD layout), whose columns are
 * found by their header names. Everything happens in the caller's
 * transaction, so a file that fails any check leaves the old lookup as it
 * was.
 */
PG_FUNCTION_INFO_V1(load_postcode_lookup);
Datum
load_postcode_lookup(PG_FUNCTION_ARGS)
{
	char *path = text_to_cstring(PG_GETARG_TEXT_PP(0));
	PostcodeFile f;
	const char *nsp;
	uint64 loaded;

	if (!superuser() &&
		!has_privs_of_role(GetUserId(), ROLE_PG_READ_SERVER_FILES))
		ereport(
			ERROR,
			(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
			 errmsg("permission denied for function load_postcode_lookup"),
			 errdetail("Only superusers and members of pg_read_server_files "
					   "may read files on the server."),
			 errhint("Ask an administrator to grant pg_read_server_files to "
					 "the loading role.")));

	postcode_file_columns(path, &f);
	nsp = quote_identifier(
		get_namespace_name(get_func_namespace(fcinfo->flinfo->fn_oid)));

	SPI_connect();
	stage_postcode_file(&f);
	shape_postcode_rows(&f, nsp);
	check_postcode_rows(&f);
	loaded = replace_postcode_lookup(nsp);
	SPI_finish();
	PG_RETURN_INT64((int64) loaded);
}
