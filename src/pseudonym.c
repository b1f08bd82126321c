/*-------------------------------------------------------------------------
 *
 * pseudonym.c
 *	  Keyed pseudonyms for linking records across organisations:
 *	  pseudonymise(text[, bytea]) and pseudonymise_nhs_number(text[, bytea]),
 *	  the GUC value_ext.pseudonym_key_file and the key file it names.
 *
 * A pseudonym is HMAC-SHA256(key, identifier bytes) as 64 lowercase hex
 * digits, the same as OpenSSL's HMAC and pgcrypto's hmac(..., 'sha256')
 * give for the same bytes. The HMAC itself is the server's own
 * (common/hmac.h, OpenSSL underneath): no hand-written SHA-256 here.
 *
 * Keys come either as an argument (IMMUTABLE forms) or from the file named
 * by the superuser-only GUC value_ext.pseudonym_key_file (STABLE forms).
 * The file holds the key in hexadecimal; the GUC holds only its path, so
 * the key never appears in SHOW. The file's key is read at the first use
 * in each transaction, kept for that transaction only (zeroed when it ends,
 * so a rotated key takes effect for the next one) and dropped whenever the
 * GUC is assigned. No
 * message ever quotes a key or the file's content; errors about an
 * explicit key also hide the statement text from the server log, since the
 * key may be a literal in it (and the context, which can quote a calling
 * function's statement). Key buffers we own are zeroed after use.
 *
 * Copyright (c) 2025-2026, value_ext contributors (PostgreSQL Licence)
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "pseudonym.h"

#include "nhs_number.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "access/xact.h"
#include "common/cryptohash.h"
#include "common/hmac.h"
#include "common/sha2.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "storage/fd.h"
#include "storage/proc.h"
#include "utils/builtins.h"
#include "utils/guc.h"

/* shortest key accepted: 256 bits, the HMAC-SHA256 output size */
#define PSEUDONYM_MIN_KEY 32
/* longest key a key file may hold (HMAC hashes keys over 64 bytes anyway) */
#define PSEUDONYM_MAX_KEY 1024
/* a key file larger than this cannot be a hex key with some whitespace */
#define PSEUDONYM_MAX_FILE (2 * PSEUDONYM_MAX_KEY + 64)
#define PSEUDONYM_HEX_LEN (2 * PG_SHA256_DIGEST_LENGTH)

/* GUC value_ext.pseudonym_key_file: a path, never the key */
static char *pseudonym_key_file = NULL;

/*
 * The cached key of the file, valid for one transaction of this backend
 * (the local transaction id guards against a missed end-of-transaction).
 */
static uint8 file_key[PSEUDONYM_MAX_KEY];
static size_t file_key_len = 0;
static bool file_key_valid = false;
static LocalTransactionId file_key_lxid = InvalidLocalTransactionId;

static void
forget_file_key(void)
{
	explicit_bzero(file_key, sizeof(file_key));
	file_key_len = 0;
	file_key_valid = false;
	file_key_lxid = InvalidLocalTransactionId;
}

/* A new path (SET, reload, RESET) drops the cached key at once. */
static void
assign_pseudonym_key_file(const char *newval, void *extra)
{
	(void) newval;
	(void) extra;
	forget_file_key();
}

/*
 * The key stays in memory only while the transaction that read it runs:
 * zero it when any transaction ends (commit, abort, parallel worker exit).
 */
static void
pseudonym_xact_callback(XactEvent event, void *arg)
{
	(void) arg;
	switch (event)
	{
		case XACT_EVENT_COMMIT:
		case XACT_EVENT_ABORT:
		case XACT_EVENT_PARALLEL_COMMIT:
		case XACT_EVENT_PARALLEL_ABORT:
		case XACT_EVENT_PREPARE:
			if (file_key_valid)
				forget_file_key();
			break;
		default:
			break;
	}
}

void
pseudonym_init(void)
{
	RegisterXactCallback(pseudonym_xact_callback, NULL);

	DefineCustomStringVariable(
		"value_ext.pseudonym_key_file",
		"File holding the key of pseudonymise(text) and "
		"pseudonymise_nhs_number(text), in hexadecimal.",
		"At least 64 hex digits (32 bytes), surrounding whitespace ignored; "
		"readable by the server only (mode 0600 or 0640). Superusers only.",
		&pseudonym_key_file, "", PGC_SUSET, 0, NULL, assign_pseudonym_key_file,
		NULL);
}

static inline int
hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static inline bool
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* What is wrong with a key file's content (never which byte). */
typedef enum KeyFileProblem
{
	KEYFILE_OK,
	KEYFILE_NOT_HEX,
	KEYFILE_ODD,
	KEYFILE_SHORT,
	KEYFILE_LONG
} KeyFileProblem;

/*
 * Decode the hex key in buf[0..len) into key; *keylen gets the byte count.
 * Plain C, no errors raised, so the caller can zero buffers first.
 */
static KeyFileProblem
decode_key_file(const char *buf, size_t len, uint8 *key, size_t *keylen)
{
	const char *p = buf;
	const char *end = buf + len;
	size_t ndigits;

	while (p < end && is_space(*p))
		p++;
	while (end > p && is_space(end[-1]))
		end--;
	ndigits = (size_t) (end - p);
	for (const char *q = p; q < end; q++)
		if (hex_value(*q) < 0)
			return KEYFILE_NOT_HEX;
	if (ndigits % 2 != 0)
		return KEYFILE_ODD;
	*keylen = ndigits / 2;
	if (*keylen < PSEUDONYM_MIN_KEY)
		return KEYFILE_SHORT;
	if (*keylen > PSEUDONYM_MAX_KEY)
		return KEYFILE_LONG;
	for (size_t i = 0; i < *keylen; i++)
		key[i] = (uint8) (hex_value(p[2 * i]) << 4 | hex_value(p[2 * i + 1]));
	return KEYFILE_OK;
}

/*
 * Error 58030/F0000 unless st describes a regular file that only its owner
 * (and, read-only, its group) can reach.
 */
static void
check_key_file_mode(const struct stat *st, const char *path)
{
	if (!S_ISREG(st->st_mode))
		ereport(ERROR,
				(errcode(ERRCODE_CONFIG_FILE_ERROR),
				 errmsg("pseudonymisation key file \"%s\" is not a regular "
						"file",
						path),
				 errhint("Point value_ext.pseudonym_key_file at a plain "
						 "file; pipes and devices are refused.")));
	if (st->st_mode & (S_IWGRP | S_IXGRP | S_IRWXO))
		ereport(ERROR,
				(errcode(ERRCODE_CONFIG_FILE_ERROR),
				 errmsg("pseudonymisation key file \"%s\" has group or "
						"world access",
						path),
				 errdetail("The file's mode is %04o; it must not be readable "
						   "by other users nor writable by its group.",
						   (unsigned int) (st->st_mode & 07777)),
				 errhint("Set its mode to 0600 (or 0640 for a root-owned "
						 "file whose group is the server's).")));
}

/*
 * Open the key file for reading. The type is checked on the path before
 * opening, because opening a FIFO blocks until a writer appears, beyond
 * statement_timeout and cancel; O_NONBLOCK and the check of the opened file
 * cover a file swapped for a FIFO in between.
 */
/* Error for a key file that cannot be opened (errno says why). */
pg_attribute_noreturn() static void key_file_open_error(const char *path)
{
	ereport(
		ERROR,
		(errcode_for_file_access(),
		 errmsg("could not open pseudonymisation key file \"%s\": %m", path),
		 errhint("Check value_ext.pseudonym_key_file and that the server's "
				 "operating-system user can read the file.")));
}

static int
open_key_file(const char *path)
{
	struct stat st;
	int fd;

	if (stat(path, &st) < 0)
		key_file_open_error(path);
	check_key_file_mode(&st, path);

	fd = OpenTransientFile(path, O_RDONLY | O_NONBLOCK | PG_BINARY);
	if (fd < 0)
		key_file_open_error(path);
	if (fstat(fd, &st) < 0)
	{
		int save_errno = errno;

		CloseTransientFile(fd);
		errno = save_errno;
		ereport(ERROR,
				(errcode_for_file_access(),
				 errmsg("could not stat pseudonymisation key file \"%s\": %m",
						path)));
	}
	PG_TRY();
	{
		check_key_file_mode(&st, path);
	}
	PG_CATCH();
	{
		CloseTransientFile(fd);
		PG_RE_THROW();
	}
	PG_END_TRY();
	return fd;
}

/* Error 58030 or F0000 for a key file whose content is not a usable key. */
pg_attribute_noreturn() static void key_file_problem(KeyFileProblem problem,
													 size_t keylen,
													 const char *path)
{
	forget_file_key();
	if (problem == KEYFILE_SHORT)
		ereport(
			ERROR,
			(errcode(ERRCODE_CONFIG_FILE_ERROR),
			 errmsg("pseudonymisation key in file \"%s\" is too short", path),
			 errdetail_plural("The key has %zu byte; at least %d are "
							  "required.",
							  "The key has %zu bytes; at least %d are "
							  "required.",
							  (unsigned long) keylen, keylen,
							  PSEUDONYM_MIN_KEY),
			 errhint("Write a random key of at least %d bytes, e.g. "
					 "with \"openssl rand -hex 32\".",
					 PSEUDONYM_MIN_KEY)));
	if (problem == KEYFILE_LONG)
		ereport(ERROR,
				(errcode(ERRCODE_CONFIG_FILE_ERROR),
				 errmsg("pseudonymisation key file \"%s\" is too long", path),
				 errdetail("A key file holds at most %d bytes of key in "
						   "hexadecimal.",
						   PSEUDONYM_MAX_KEY)));
	ereport(
		ERROR,
		(errcode(ERRCODE_CONFIG_FILE_ERROR),
		 errmsg("pseudonymisation key file \"%s\" does not hold a "
				"hexadecimal key",
				path),
		 errdetail("%s", problem == KEYFILE_ODD
							 ? "The file holds an odd number of hex digits."
							 : "The file holds a character other than hex "
							   "digits and surrounding whitespace."),
		 errhint("Write the key as hex digits only, e.g. with "
				 "\"openssl rand -hex 32\".")));
}

/*
 * Read the configured key file into the cache. Every error names the path
 * and says what is wrong, never what the file holds.
 */
static void
load_file_key(void)
{
	const char *path = pseudonym_key_file;
	char buf[PSEUDONYM_MAX_FILE + 1];
	int fd;
	ssize_t nread;
	size_t keylen = 0;
	KeyFileProblem problem;

	forget_file_key();

	if (path == NULL || path[0] == '\0')
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("no pseudonymisation key file is configured"),
				 errdetail("The setting value_ext.pseudonym_key_file is "
						   "empty."),
				 errhint("A superuser can set value_ext.pseudonym_key_file "
						 "to a file holding the key in hexadecimal, or pass "
						 "the key as the second argument.")));

	fd = open_key_file(path);
	nread = read(fd, buf, sizeof(buf));
	if (nread < 0)
	{
		int save_errno = errno;

		explicit_bzero(buf, sizeof(buf));
		CloseTransientFile(fd);
		errno = save_errno;
		ereport(ERROR,
				(errcode_for_file_access(),
				 errmsg("could not read pseudonymisation key file \"%s\": %m",
						path)));
	}
	CloseTransientFile(fd);

	if ((size_t) nread > PSEUDONYM_MAX_FILE)
		problem = KEYFILE_LONG;
	else
		problem = decode_key_file(buf, (size_t) nread, file_key, &keylen);
	explicit_bzero(buf, sizeof(buf));
	if (problem != KEYFILE_OK)
		key_file_problem(problem, keylen, path);

	file_key_len = keylen;
	file_key_valid = true;
	file_key_lxid = MyProc->lxid;
}

/*
 * HMAC-SHA256(key, data) as lowercase hex into out (65 bytes with the NUL).
 */
static void
hmac_sha256_hex(const uint8 *key, size_t keylen, const char *data,
				size_t datalen, char *out)
{
	uint8 digest[PG_SHA256_DIGEST_LENGTH];
	pg_hmac_ctx *ctx = pg_hmac_create(PG_SHA256);

	if (ctx == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory")));
	if (pg_hmac_init(ctx, key, keylen) < 0 ||
		pg_hmac_update(ctx, (const uint8 *) data, datalen) < 0 ||
		pg_hmac_final(ctx, digest, sizeof(digest)) < 0)
	{
		/* the library's reason names no input; copy it before freeing */
		char *reason = pstrdup(pg_hmac_error(ctx));

		pg_hmac_free(ctx);
		explicit_bzero(digest, sizeof(digest));
		elog(ERROR, "could not compute HMAC-SHA256: %s", reason);
	}
	pg_hmac_free(ctx);
	hex_encode((const char *) digest, sizeof(digest), out);
	out[PSEUDONYM_HEX_LEN] = '\0';
	explicit_bzero(digest, sizeof(digest));
}

/* Zero and free a detoasted copy of the key; never touch the caller's. */
static void
release_key_arg(FunctionCallInfo fcinfo, int argno, bytea *key)
{
	if ((Pointer) key != DatumGetPointer(PG_GETARG_DATUM(argno)))
	{
		explicit_bzero(key, VARSIZE_ANY(key));
		pfree(key);
	}
}

/*
 * The key argument, detoasted, checked for length. Errors hide the
 * statement from the server log: the key may be a literal in it.
 */
static bytea *
explicit_key_arg(FunctionCallInfo fcinfo, int argno, const char *fname)
{
	bytea *key = PG_GETARG_BYTEA_PP(argno);
	size_t keylen = VARSIZE_ANY_EXHDR(key);

	if (keylen < PSEUDONYM_MIN_KEY)
	{
		release_key_arg(fcinfo, argno, key);
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("key of %s is too short", fname),
				 errdetail_plural("The key has %zu byte; at least %d are "
								  "required.",
								  "The key has %zu bytes; at least %d are "
								  "required.",
								  (unsigned long) keylen, keylen,
								  PSEUDONYM_MIN_KEY),
				 errhint("Use a random key of at least %d bytes, e.g. "
						 "decode(<output of openssl rand -hex 32>, 'hex'), or "
						 "the server's key file via the one-argument form.",
						 PSEUDONYM_MIN_KEY),
				 errhidestmt(true), errhidecontext(true)));
	}
	return key;
}

/* The configured file's key, from the cache or read now. */
static void
file_key_get(const uint8 **key, size_t *keylen)
{
	if (!file_key_valid || file_key_lxid != MyProc->lxid)
		load_file_key();
	*key = file_key;
	*keylen = file_key_len;
}

/* The pseudonym of data under key, as a text datum. */
static text *
pseudonym_text(const uint8 *key, size_t keylen, const char *data,
			   size_t datalen)
{
	char hex[PSEUDONYM_HEX_LEN + 1];

	hmac_sha256_hex(key, keylen, data, datalen, hex);
	return cstring_to_text_with_len(hex, PSEUDONYM_HEX_LEN);
}

/* pseudonymise(identifier text, key bytea) -> text */
PG_FUNCTION_INFO_V1(pseudonymise_key);
Datum
pseudonymise_key(PG_FUNCTION_ARGS)
{
	text *id = PG_GETARG_TEXT_PP(0);
	bytea *key = explicit_key_arg(fcinfo, 1, "pseudonymise");
	text *result;

	result = pseudonym_text((const uint8 *) VARDATA_ANY(key),
							VARSIZE_ANY_EXHDR(key), VARDATA_ANY(id),
							VARSIZE_ANY_EXHDR(id));
	release_key_arg(fcinfo, 1, key);
	PG_RETURN_TEXT_P(result);
}

/* pseudonymise(identifier text) -> text, key from the key file */
PG_FUNCTION_INFO_V1(pseudonymise_file);
Datum
pseudonymise_file(PG_FUNCTION_ARGS)
{
	text *id = PG_GETARG_TEXT_PP(0);
	const uint8 *key;
	size_t keylen;

	file_key_get(&key, &keylen);
	PG_RETURN_TEXT_P(
		pseudonym_text(key, keylen, VARDATA_ANY(id), VARSIZE_ANY_EXHDR(id)));
}

/*
 * pseudonymise_nhs_number(nhs_number text, key bytea) -> text, NULL for an
 * invalid number. The key is checked first, so a bad key is an error even
 * on invalid numbers.
 */
PG_FUNCTION_INFO_V1(pseudonymise_nhs_number_key);
Datum
pseudonymise_nhs_number_key(PG_FUNCTION_ARGS)
{
	text *id = PG_GETARG_TEXT_PP(0);
	bytea *key = explicit_key_arg(fcinfo, 1, "pseudonymise_nhs_number");
	char digits[NHS_NUMBER_LEN + 1];
	text *result = NULL;

	if (nhs_number_parse(VARDATA_ANY(id), VARSIZE_ANY_EXHDR(id), digits))
		result =
			pseudonym_text((const uint8 *) VARDATA_ANY(key),
						   VARSIZE_ANY_EXHDR(key), digits, NHS_NUMBER_LEN);
	release_key_arg(fcinfo, 1, key);
	if (result == NULL)
		PG_RETURN_NULL();
	PG_RETURN_TEXT_P(result);
}

/*
 * pseudonymise_nhs_number(nhs_number text) -> text, NULL for an invalid
 * number; a missing or bad key file is an error even on invalid numbers.
 */
PG_FUNCTION_INFO_V1(pseudonymise_nhs_number_file);
Datum
pseudonymise_nhs_number_file(PG_FUNCTION_ARGS)
{
	text *id = PG_GETARG_TEXT_PP(0);
	char digits[NHS_NUMBER_LEN + 1];
	const uint8 *key;
	size_t keylen;

	file_key_get(&key, &keylen);
	if (!nhs_number_parse(VARDATA_ANY(id), VARSIZE_ANY_EXHDR(id), digits))
		PG_RETURN_NULL();
	PG_RETURN_TEXT_P(pseudonym_text(key, keylen, digits, NHS_NUMBER_LEN));
}
