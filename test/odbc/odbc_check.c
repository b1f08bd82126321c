/*
 * test/odbc/odbc_check.c -- read one query through unixODBC + psqlODBC the way
 * Power BI's ODBC connector does, and check what the driver reports.
 *
 *   odbc_check [--wide] CONNSTR LABEL QUERY COLUMNS_FILE ROWS_FILE
 *
 * --catalog SCHEMA.TABLE: also check what the navigator of a BI tool sees
 *   (SQLTables lists it once; SQLColumns reports the same types as
 *   SQLDescribeCol).
 * --wide: behave as a Unicode application, as Power BI does on Windows:
 *   connect, run, describe and read text through the W entry points
 *   (SQLDriverConnectW, SQLExecDirectW, SQLDescribeColW, SQL_C_WCHAR), so the
 *   Unicode driver reports text columns as it does to Power BI.
 *
 * COLUMNS_FILE: one line per result column, tab-separated:
 *     name  ODBC-type  column-size  decimal-digits      ("-" = not checked)
 *   ODBC-type is one of NUMERIC DOUBLE INTEGER BIGINT SMALLINT VARCHAR
 *   WVARCHAR TYPE_DATE (test/odbc/run.sh derives it from the catalogue).
 * ROWS_FILE: the same query's rows as psql's COPY ... TO STDOUT wrote them
 *   (text format: tab-separated, \N for NULL, backslash escapes), or "-" to
 *   check the column types only.
 *
 * Prints TAP lines ("ok - ..." / "not ok - ..." plus "# " diagnostics), one
 * per column (name and type as SQLDescribeCol reports them), one per
 * SMALLINT column (values are 0/1 flags) and one for the values: every row
 * fetched with SQLFetch/SQLGetData in the column's natural C type (doubles as
 * SQL_C_DOUBLE compared bit for bit with the server's shortest exact text,
 * integers as SQL_C_SBIGINT, numerics, text and dates as text) must equal
 * psql's row. Exits 0 when it could print its verdicts, 2 on bad usage.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sql.h>
#include <sqlext.h>
#include <sqlucode.h>

#define MAX_COLS 64
#define MAX_DIAG 5

static int wide = 0; /* --wide: a Unicode application */

typedef struct ExpectedCol
{
	char name[128];
	char type[32];
	long size;   /* -1: not checked */
	long digits; /* -1: not checked */
} ExpectedCol;

static const struct
{
	const char *name;
	SQLSMALLINT code;
} type_names[] = {
	{"NUMERIC", SQL_NUMERIC},
	{"DECIMAL", SQL_DECIMAL},
	{"DOUBLE", SQL_DOUBLE},
	{"FLOAT", SQL_FLOAT},
	{"REAL", SQL_REAL},
	{"INTEGER", SQL_INTEGER},
	{"BIGINT", SQL_BIGINT},
	{"SMALLINT", SQL_SMALLINT},
	{"TINYINT", SQL_TINYINT},
	{"BIT", SQL_BIT},
	{"CHAR", SQL_CHAR},
	{"VARCHAR", SQL_VARCHAR},
	{"LONGVARCHAR", SQL_LONGVARCHAR},
	{"WCHAR", SQL_WCHAR},
	{"WVARCHAR", SQL_WVARCHAR},
	{"WLONGVARCHAR", SQL_WLONGVARCHAR},
	{"TYPE_DATE", SQL_TYPE_DATE},
	{"TYPE_TIMESTAMP", SQL_TYPE_TIMESTAMP},
	{"GUID", SQL_GUID},
	{"VARBINARY", SQL_VARBINARY},
	{"LONGVARBINARY", SQL_LONGVARBINARY},
};

static const char *
type_name(SQLSMALLINT code)
{
	static char buf[32];

	for (size_t i = 0; i < sizeof(type_names) / sizeof(type_names[0]); i++)
		if (type_names[i].code == code)
			return type_names[i].name;
	snprintf(buf, sizeof(buf), "SQLTYPE%d", (int) code);
	return buf;
}

static void
tap(int ok, const char *fmt, ...)
{
	va_list ap;

	fputs(ok ? "ok - " : "not ok - ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

/* Print the driver's diagnostic records for a failed call as TAP comments. */
static void
diag_odbc(SQLSMALLINT handle_type, SQLHANDLE handle)
{
	SQLCHAR state[6];
	SQLCHAR msg[1024];
	SQLINTEGER native;
	SQLSMALLINT len;

	for (SQLSMALLINT i = 1;
		 SQLGetDiagRec(handle_type, handle, i, state, &native, msg,
					   sizeof(msg), &len) == SQL_SUCCESS;
		 i++)
		printf("#   %s: %s\n", state, msg);
}

/* UTF-8 -> SQLWCHAR (UTF-16 in unixODBC), NUL-terminated; malloc'd. */
static SQLWCHAR *
to_wide(const char *s)
{
	size_t len = strlen(s);
	SQLWCHAR *w = malloc((len + 1) * 2 * sizeof(SQLWCHAR));
	size_t n = 0;
	const unsigned char *p = (const unsigned char *) s;

	while (*p)
	{
		unsigned long cp;
		int extra;

		if (*p < 0x80)
			cp = *p, extra = 0;
		else if ((*p & 0xE0) == 0xC0)
			cp = *p & 0x1F, extra = 1;
		else if ((*p & 0xF0) == 0xE0)
			cp = *p & 0x0F, extra = 2;
		else
			cp = *p & 0x07, extra = 3;
		p++;
		while (extra-- > 0 && (*p & 0xC0) == 0x80)
			cp = (cp << 6) | (*p++ & 0x3F);
		if (cp >= 0x10000)
		{
			cp -= 0x10000;
			w[n++] = (SQLWCHAR) (0xD800 + (cp >> 10));
			w[n++] = (SQLWCHAR) (0xDC00 + (cp & 0x3FF));
		}
		else
			w[n++] = (SQLWCHAR) cp;
	}
	w[n] = 0;
	return w;
}

/* SQLWCHAR (UTF-16) of nchars units -> UTF-8 in out (NUL-terminated). */
static void
from_wide(const SQLWCHAR *w, size_t nchars, char *out, size_t outlen)
{
	size_t o = 0;

	for (size_t i = 0; i < nchars && w[i] != 0 && o + 5 < outlen; i++)
	{
		unsigned long cp = w[i];

		if (cp >= 0xD800 && cp < 0xDC00 && i + 1 < nchars)
			cp = 0x10000 + ((cp - 0xD800) << 10) + (w[++i] - 0xDC00);
		if (cp < 0x80)
			out[o++] = (char) cp;
		else if (cp < 0x800)
		{
			out[o++] = (char) (0xC0 | (cp >> 6));
			out[o++] = (char) (0x80 | (cp & 0x3F));
		}
		else if (cp < 0x10000)
		{
			out[o++] = (char) (0xE0 | (cp >> 12));
			out[o++] = (char) (0x80 | ((cp >> 6) & 0x3F));
			out[o++] = (char) (0x80 | (cp & 0x3F));
		}
		else
		{
			out[o++] = (char) (0xF0 | (cp >> 18));
			out[o++] = (char) (0x80 | ((cp >> 12) & 0x3F));
			out[o++] = (char) (0x80 | ((cp >> 6) & 0x3F));
			out[o++] = (char) (0x80 | (cp & 0x3F));
		}
	}
	out[o] = '\0';
}

/* A catalog-function pattern matching exactly this name ('_' and '%' escaped). */
static char *
pattern_of(const char *name)
{
	char *out = malloc(2 * strlen(name) + 1), *o = out;

	for (; *name; name++)
	{
		if (*name == '_' || *name == '%' || *name == '\\')
			*o++ = '\\';
		*o++ = *name;
	}
	*o = '\0';
	return out;
}

/*
 * What a BI tool's navigator sees before it imports: SQLTables lists the
 * relation (and says which kind it is), SQLColumns describes its columns as
 * SQLDescribeCol does for the query.
 */
static void
check_catalog(SQLHDBC dbc, const char *label, const char *qualified,
			  const ExpectedCol *want, int nwant)
{
	char schema[128], *dot;
	const char *table;
	char *spat, *tpat;
	SQLHSTMT st;
	SQLRETURN rc;
	SQLCHAR ttype[64] = "";
	SQLLEN ind;
	int listed = 0, seen = 0, mismatched = 0;

	snprintf(schema, sizeof(schema), "%s", qualified);
	dot = strchr(schema, '.');
	if (dot == NULL)
		return;
	*dot = '\0';
	table = dot + 1;
	spat = pattern_of(schema);
	tpat = pattern_of(table);

	SQLAllocHandle(SQL_HANDLE_STMT, dbc, &st);
	if (wide)
		rc = SQLTablesW(st, NULL, 0, to_wide(spat), SQL_NTS, to_wide(tpat),
						SQL_NTS, NULL, 0);
	else
		rc = SQLTables(st, NULL, 0, (SQLCHAR *) spat, SQL_NTS,
					   (SQLCHAR *) tpat, SQL_NTS, NULL, 0);
	while (SQL_SUCCEEDED(rc) && SQL_SUCCEEDED(rc = SQLFetch(st)))
	{
		SQLGetData(st, 4, SQL_C_CHAR, ttype, sizeof(ttype), &ind);
		listed++;
	}
	tap(listed == 1, "%s: SQLTables lists it as %s", label,
		listed ? (char *) ttype : "nothing");
	SQLFreeHandle(SQL_HANDLE_STMT, st);

	SQLAllocHandle(SQL_HANDLE_STMT, dbc, &st);
	if (wide)
		rc = SQLColumnsW(st, NULL, 0, to_wide(spat), SQL_NTS, to_wide(tpat),
						 SQL_NTS, NULL, 0);
	else
		rc = SQLColumns(st, NULL, 0, (SQLCHAR *) spat, SQL_NTS,
						(SQLCHAR *) tpat, SQL_NTS, NULL, 0);
	while (SQL_SUCCEEDED(rc) && SQL_SUCCEEDED(rc = SQLFetch(st)))
	{
		SQLCHAR name[256] = "";
		SQLSMALLINT dtype = 0, digits = 0;
		SQLINTEGER size = 0;
		SQLLEN dind = 0;
		const ExpectedCol *w = NULL;

		SQLGetData(st, 4, SQL_C_CHAR, name, sizeof(name), &ind);
		SQLGetData(st, 5, SQL_C_SSHORT, &dtype, sizeof(dtype), &ind);
		SQLGetData(st, 7, SQL_C_SLONG, &size, sizeof(size), &ind);
		SQLGetData(st, 9, SQL_C_SSHORT, &digits, sizeof(digits), &dind);
		seen++;
		for (int i = 0; i < nwant; i++)
			if (strcmp(want[i].name, (char *) name) == 0)
				w = &want[i];
		if (w == NULL || strcmp(type_name(dtype), w->type) != 0 ||
			(w->size >= 0 && (long) size != w->size) ||
			(w->digits >= 0 &&
			 (dind == SQL_NULL_DATA || (long) digits != w->digits)))
		{
			mismatched++;
			printf("#   SQLColumns: %s is %s size %ld digits %ld, expected %s "
				   "size %ld digits %ld\n",
				   (char *) name, type_name(dtype), (long) size,
				   dind == SQL_NULL_DATA ? -1L : (long) digits,
				   w ? w->type : "no such column", w ? w->size : -1L,
				   w ? w->digits : -1L);
		}
	}
	tap(mismatched == 0 && seen == nwant,
		"%s: SQLColumns describes its %d columns as SQLDescribeCol does",
		label, seen);
	SQLFreeHandle(SQL_HANDLE_STMT, st);
	free(spat);
	free(tpat);
}

/* Undo COPY text-format escaping in place; returns 0 for \N (NULL). */
static int
copy_unescape(char *s)
{
	char *out = s;

	if (strcmp(s, "\\N") == 0)
		return 0;
	for (char *p = s; *p; p++)
	{
		if (*p != '\\' || p[1] == '\0')
		{
			*out++ = *p;
			continue;
		}
		p++;
		switch (*p)
		{
			case 't':
				*out++ = '\t';
				break;
			case 'n':
				*out++ = '\n';
				break;
			case 'r':
				*out++ = '\r';
				break;
			case 'b':
				*out++ = '\b';
				break;
			case 'f':
				*out++ = '\f';
				break;
			case 'v':
				*out++ = '\v';
				break;
			default:
				*out++ = *p;
				break;
		}
	}
	*out = '\0';
	return 1;
}

static int
read_columns(const char *path, ExpectedCol *cols)
{
	FILE *f = fopen(path, "r");
	char line[512];
	int n = 0;

	if (f == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL && n < MAX_COLS)
	{
		char size[32], digits[32];

		line[strcspn(line, "\r\n")] = '\0';
		if (line[0] == '\0')
			continue;
		if (sscanf(line, "%127[^\t]\t%31[^\t]\t%31[^\t]\t%31s", cols[n].name,
				   cols[n].type, size, digits) != 4)
		{
			fclose(f);
			return -1;
		}
		cols[n].size = strcmp(size, "-") == 0 ? -1 : atol(size);
		cols[n].digits = strcmp(digits, "-") == 0 ? -1 : atol(digits);
		n++;
	}
	fclose(f);
	return n;
}

/*
 * Fetch column c of the current row in its natural C type and compare with
 * psql's text (NULL when want is NULL). On mismatch fills got/why.
 */
static int
compare_value(SQLHSTMT stmt, int c, SQLSMALLINT sqltype, const char *want,
			  char *got, size_t gotlen)
{
	SQLLEN ind = 0;
	SQLRETURN rc;

	switch (sqltype)
	{
		case SQL_DOUBLE:
		case SQL_FLOAT:
		case SQL_REAL:
		{
			double d = 0, w;
			char *end;

			rc = SQLGetData(stmt, c, SQL_C_DOUBLE, &d, sizeof(d), &ind);
			if (!SQL_SUCCEEDED(rc))
				return snprintf(got, gotlen, "SQLGetData failed"), 0;
			if (ind == SQL_NULL_DATA)
				return snprintf(got, gotlen, "NULL"), want == NULL;
			snprintf(got, gotlen, "%.17g", d);
			if (want == NULL)
				return 0;
			errno = 0;
			w = strtod(want, &end);
			if (*end != '\0')
				return 0;
			if (isnan(w))
				return isnan(d);
			/* bit-for-bit: the server sent its shortest exact text */
			return memcmp(&d, &w, sizeof(d)) == 0;
		}
		case SQL_INTEGER:
		case SQL_BIGINT:
		case SQL_SMALLINT:
		case SQL_TINYINT:
		{
			SQLBIGINT v = 0;
			long long w;
			char *end;

			rc = SQLGetData(stmt, c, SQL_C_SBIGINT, &v, sizeof(v), &ind);
			if (!SQL_SUCCEEDED(rc))
				return snprintf(got, gotlen, "SQLGetData failed"), 0;
			if (ind == SQL_NULL_DATA)
				return snprintf(got, gotlen, "NULL"), want == NULL;
			snprintf(got, gotlen, "%lld", (long long) v);
			if (want == NULL)
				return 0;
			w = strtoll(want, &end, 10);
			return *end == '\0' && w == (long long) v;
		}
		default:
		{
			char buf[8192];

			if (wide)
			{
				SQLWCHAR wbuf[8192];

				rc =
					SQLGetData(stmt, c, SQL_C_WCHAR, wbuf, sizeof(wbuf), &ind);
				if (SQL_SUCCEEDED(rc) && ind != SQL_NULL_DATA)
					from_wide(wbuf, sizeof(wbuf) / sizeof(SQLWCHAR), buf,
							  sizeof(buf));
			}
			else
				rc = SQLGetData(stmt, c, SQL_C_CHAR, buf, sizeof(buf), &ind);
			if (!SQL_SUCCEEDED(rc))
				return snprintf(got, gotlen, "SQLGetData failed"), 0;
			if (ind == SQL_NULL_DATA)
				return snprintf(got, gotlen, "NULL"), want == NULL;
			snprintf(got, gotlen, "%s", buf);
			/* a truncated long value must not pass */
			if (rc == SQL_SUCCESS_WITH_INFO)
				return 0;
			return want != NULL && strcmp(buf, want) == 0;
		}
	}
}

int
main(int argc, char **argv)
{
	const char *connstr, *label, *query;
	ExpectedCol want[MAX_COLS];
	int nwant;
	SQLHENV env = SQL_NULL_HENV;
	SQLHDBC dbc = SQL_NULL_HDBC;
	SQLHSTMT stmt = SQL_NULL_HSTMT;
	SQLSMALLINT ncols = 0;
	SQLSMALLINT types[MAX_COLS];
	int flag_ok[MAX_COLS];
	FILE *rows;
	char line[65536];
	long nrows = 0, mismatches = 0;
	int rows_left_over = 0;
	SQLRETURN rc;
	const char *catalog = NULL;

	for (;;)
	{
		if (argc > 1 && strcmp(argv[1], "--wide") == 0)
			wide = 1;
		else if (argc > 2 && strcmp(argv[1], "--catalog") == 0)
		{
			catalog = argv[2];
			argv++;
			argc--;
		}
		else
			break;
		argv++;
		argc--;
	}
	if (argc != 6)
	{
		fprintf(
			stderr,
			"usage: %s [--wide] [--catalog SCHEMA.TABLE] CONNSTR LABEL QUERY "
			"COLUMNS_FILE ROWS_FILE\n",
			argv[0]);
		return 2;
	}
	connstr = argv[1];
	label = argv[2];
	query = argv[3];
	nwant = read_columns(argv[4], want);
	if (nwant <= 0)
	{
		fprintf(stderr, "odbc_check: cannot read columns file %s\n", argv[4]);
		return 2;
	}
	rows = strcmp(argv[5], "-") == 0 ? NULL : fopen(argv[5], "r");
	if (rows == NULL && strcmp(argv[5], "-") != 0)
	{
		fprintf(stderr, "odbc_check: cannot read rows file %s\n", argv[5]);
		return 2;
	}

	SQLAllocHandle(SQL_HANDLE_ENV, SQL_NULL_HANDLE, &env);
	SQLSetEnvAttr(env, SQL_ATTR_ODBC_VERSION, (SQLPOINTER) SQL_OV_ODBC3, 0);
	SQLAllocHandle(SQL_HANDLE_DBC, env, &dbc);
	if (wide)
		rc = SQLDriverConnectW(dbc, NULL, to_wide(connstr), SQL_NTS, NULL, 0,
							   NULL, SQL_DRIVER_NOPROMPT);
	else
		rc = SQLDriverConnect(dbc, NULL, (SQLCHAR *) connstr, SQL_NTS, NULL, 0,
							  NULL, SQL_DRIVER_NOPROMPT);
	if (!SQL_SUCCEEDED(rc))
	{
		tap(0, "%s: connect through the ODBC driver", label);
		diag_odbc(SQL_HANDLE_DBC, dbc);
		return 0;
	}
	SQLAllocHandle(SQL_HANDLE_STMT, dbc, &stmt);
	if (wide)
		rc = SQLExecDirectW(stmt, to_wide(query), SQL_NTS);
	else
		rc = SQLExecDirect(stmt, (SQLCHAR *) query, SQL_NTS);
	if (!SQL_SUCCEEDED(rc))
	{
		tap(0, "%s: query runs through the ODBC driver", label);
		diag_odbc(SQL_HANDLE_STMT, stmt);
		return 0;
	}
	SQLNumResultCols(stmt, &ncols);
	if (ncols != nwant)
	{
		tap(0, "%s: driver reports %d columns, the view has %d", label,
			(int) ncols, nwant);
		return 0;
	}

	/* Column metadata as the BI tool sees it. */
	for (int c = 1; c <= ncols; c++)
	{
		SQLCHAR name[256];
		SQLSMALLINT namelen, sqltype, digits, nullable;
		SQLULEN size;
		ExpectedCol *w = &want[c - 1];
		int ok;
		char shown[64];

		if (wide)
		{
			SQLWCHAR wname[256];

			SQLDescribeColW(stmt, c, wname, 256, &namelen, &sqltype, &size,
							&digits, &nullable);
			from_wide(wname, 256, (char *) name, sizeof(name));
		}
		else
			SQLDescribeCol(stmt, c, name, sizeof(name), &namelen, &sqltype,
						   &size, &digits, &nullable);
		types[c - 1] = sqltype;
		flag_ok[c - 1] = 1;
		if (sqltype == SQL_NUMERIC || sqltype == SQL_DECIMAL)
			snprintf(shown, sizeof(shown), "%s(%lu,%d)", type_name(sqltype),
					 (unsigned long) size, (int) digits);
		else if (sqltype == SQL_VARCHAR || sqltype == SQL_WVARCHAR ||
				 sqltype == SQL_CHAR || sqltype == SQL_WCHAR ||
				 sqltype == SQL_LONGVARCHAR || sqltype == SQL_WLONGVARCHAR)
			snprintf(shown, sizeof(shown), "%s(%lu)", type_name(sqltype),
					 (unsigned long) size);
		else if (sqltype == SQL_FLOAT || sqltype == SQL_DOUBLE)
			snprintf(shown, sizeof(shown), "%s(%lu digits)",
					 type_name(sqltype), (unsigned long) size);
		else
			snprintf(shown, sizeof(shown), "%s", type_name(sqltype));
		ok = strcmp((char *) name, w->name) == 0 &&
			 strcmp(type_name(sqltype), w->type) == 0 &&
			 (w->size < 0 || (long) size == w->size) &&
			 (w->digits < 0 || (long) digits == w->digits);
		tap(ok, "%s.%s arrives as %s", label, (char *) name, shown);
		if (!ok)
			printf("#   expected column %s as %s size %ld digits %ld\n",
				   w->name, w->type, w->size, w->digits);
	}

	if (catalog != NULL)
		check_catalog(dbc, label, catalog, want, nwant);

	if (rows == NULL) /* types only */
	{
		SQLFreeHandle(SQL_HANDLE_STMT, stmt);
		SQLDisconnect(dbc);
		SQLFreeHandle(SQL_HANDLE_DBC, dbc);
		SQLFreeHandle(SQL_HANDLE_ENV, env);
		return 0;
	}

	/* Values: every row equals psql's, in the column's natural C type. */
	while ((rc = SQLFetch(stmt)) != SQL_NO_DATA)
	{
		char *fields[MAX_COLS];
		int nfields = 0;
		char *p;

		if (!SQL_SUCCEEDED(rc))
		{
			printf("# SQLFetch failed at row %ld\n", nrows + 1);
			diag_odbc(SQL_HANDLE_STMT, stmt);
			mismatches++;
			break;
		}
		nrows++;
		if (fgets(line, sizeof(line), rows) == NULL)
		{
			if (mismatches++ < MAX_DIAG)
				printf("# row %ld: ODBC returned more rows than psql\n",
					   nrows);
			continue;
		}
		line[strcspn(line, "\n")] = '\0';
		for (p = line; nfields < MAX_COLS;)
		{
			fields[nfields++] = p;
			p = strchr(p, '\t');
			if (p == NULL)
				break;
			*p++ = '\0';
		}
		if (nfields != ncols)
		{
			if (mismatches++ < MAX_DIAG)
				printf("# row %ld: psql row has %d fields\n", nrows, nfields);
			continue;
		}
		for (int c = 1; c <= ncols; c++)
		{
			char got[8300];
			const char *wv =
				copy_unescape(fields[c - 1]) ? fields[c - 1] : NULL;

			if (!compare_value(stmt, c, types[c - 1], wv, got, sizeof(got)))
			{
				if (mismatches++ < MAX_DIAG)
					printf("# row %ld column %s: ODBC %s, psql %s\n", nrows,
						   want[c - 1].name, got, wv ? wv : "NULL");
			}
			else if (types[c - 1] == SQL_SMALLINT && wv != NULL &&
					 strcmp(wv, "0") != 0 && strcmp(wv, "1") != 0)
				flag_ok[c - 1] = 0;
		}
	}
	while (fgets(line, sizeof(line), rows) != NULL)
		rows_left_over++;
	if (rows_left_over > 0)
	{
		printf("# psql returned %d more rows than ODBC\n", rows_left_over);
		mismatches++;
	}
	for (int c = 1; c <= ncols; c++)
		if (types[c - 1] == SQL_SMALLINT)
			tap(flag_ok[c - 1], "%s.%s holds only 0/1 flags", label,
				want[c - 1].name);
	tap(mismatches == 0 && nrows > 0,
		"%s: %ld rows through ODBC equal psql's (%ld mismatches)", label,
		nrows, mismatches);

	fclose(rows);
	SQLFreeHandle(SQL_HANDLE_STMT, stmt);
	SQLDisconnect(dbc);
	SQLFreeHandle(SQL_HANDLE_DBC, dbc);
	SQLFreeHandle(SQL_HANDLE_ENV, env);
	return 0;
}
