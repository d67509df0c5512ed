/*
 * NAME
 *	validate.h - checks for the identifiers, phones, dates and names staff type
 *
 * SYNOPSIS
 *	#include "validate.h"
 *
 *	int validate_uscc(const char *s, const char **why);
 *	int validate_phone_cn(const char *s, const char **why);
 *	int validate_phone_normalize(const char *in, char *out, size_t len);
 *	int validate_date(const char *s, int *y, int *m, int *d, const char **why);
 *	int validate_datetime(const char *s, int *y, int *mo, int *d, int *h, int *mi,
 *	    const char **why);
 *	int validate_name(const char *s, size_t maxlen_bytes, const char **why);
 *
 * DESCRIPTION
 *	Each check returns 0 when s is valid, else VALIDATE_EINVAL with *why set
 *	to a short, stable reason id (listed under DIAGNOSTICS) that the caller
 *	maps to a zh / en message. why may be NULL. Nothing is trimmed or
 *	rewritten: a leading or trailing space makes a phone or a date invalid.
 *
 *	validate_uscc: the 18-character unified social credit code
 *	(统一社会信用代码, GB 32100-2015): upper-case characters from
 *	"0123456789ABCDEFGHJKLMNPQRTUWXY" (no I O Z S V, no lower case),
 *	characters 3-8 (the registering authority's administrative division
 *	code, GB/T 2260) digits, and the 18th the check character: with values
 *	0..30 in that alphabet and weights 3^i mod 31, check = 31 - (sum mod 31),
 *	31 written as '0'. The first two characters (authority and organisation
 *	type) are not checked against a list, as that list keeps growing.
 *
 *	validate_phone_cn: a mainland phone number, one of
 *	  - mobile: 11 digits 1[3-9]xxxxxxxxx, optionally after "+86" or "86"
 *	    (optionally followed by one space or hyphen), written solid or in
 *	    3-4-4 groups with one kind of separator ("138 1234 5678",
 *	    "138-1234-5678"); no extension;
 *	  - landline: area code 010, 02x (3 digits, local number 8 digits) or
 *	    0[3-9]xx (4 digits, local 7 or 8 digits), optionally in parentheses;
 *	    then an optional '-' or ' '; the local number does not start with 0
 *	    (that would be a toll prefix) and may be
 *	    split once as 3-4 or 4-4; then an optional extension of 1-6 digits
 *	    written "-123" or "转123" ("010-12345678", "0755 8765 4321转8");
 *	  - service: 400 / 800 plus 7 digits, solid or grouped 3-3-4 or 4-3-3
 *	    with one kind of separator ("400-123-4567", "4008-123-456").
 *	validate_phone_normalize writes the canonical form of a valid number:
 *	mobile "13812345678", landline "010-12345678" or "0755-1234567-8" with
 *	an extension, service "400-123-4567". in and out may be the same buffer.
 *
 *	validate_date: exactly "YYYY-MM-DD", a real Gregorian date, years
 *	1900-2199 (2024-02-29 yes, 2026-02-29 and 1900-02-29 no).
 *	validate_datetime: exactly "YYYY-MM-DD HH:MM" or "YYYY-MM-DDTHH:MM",
 *	hours 00-23, minutes 00-59, no seconds. The out pointers may be NULL;
 *	they are written only when the input is valid.
 *
 *	validate_name: valid UTF-8 (no overlong forms, surrogates or code points
 *	above U+10FFFF), no control characters (C0, DEL, C1, U+2028, U+2029, and
 *	the bidirectional embeddings, overrides and isolates U+202A-U+202E,
 *	U+2066-U+2069 that can make a name display as another), not empty once
 *	ASCII spaces and ideographic spaces (U+3000) are trimmed from both ends,
 *	and at most maxlen_bytes bytes as given (untrimmed, NUL not counted;
 *	maxlen_bytes 0 means no limit).
 *
 * DIAGNOSTICS
 *	VALIDATE_EINVAL (-1) when invalid; validate_phone_normalize also returns
 *	VALIDATE_ENOSPC (-2) when out is too small (out then holds "" if len > 0);
 *	VALIDATE_PHONE_MAX bytes always suffice. Reason ids:
 *	uscc.empty uscc.length uscc.char uscc.region uscc.check_char;
 *	phone.empty phone.char phone.country phone.format phone.length
 *	phone.mobile_prefix phone.service_prefix phone.area_code phone.local
 *	phone.ext;
 *	date.empty date.format date.year date.month date.day;
 *	datetime.empty datetime.format datetime.hour datetime.minute (and the
 *	date.* ids for the date part);
 *	name.empty name.utf8 name.control name.too_long.
 */
#ifndef AEDESK_VALIDATE_H
#define AEDESK_VALIDATE_H

#include <stddef.h>

#define VALIDATE_EINVAL (-1)
#define VALIDATE_ENOSPC (-2)

/* bytes, NUL included, that always hold validate_phone_normalize() output */
#define VALIDATE_PHONE_MAX 24

/* Check a unified social credit code (GB 32100-2015), check character included. */
int validate_uscc(const char *s, const char **why);

/* Check a mainland mobile, landline or 400/800 number. */
int validate_phone_cn(const char *s, const char **why);

/* Write the canonical form of a valid phone number. */
int validate_phone_normalize(const char *in, char *out, size_t len);

/* Check a strict YYYY-MM-DD calendar date, 1900-2199. */
int validate_date(const char *s, int *y, int *m, int *d, const char **why);

/* Check a strict "YYYY-MM-DD HH:MM" (or 'T') local date and time. */
int validate_datetime(const char *s, int *y, int *mo, int *d, int *h, int *mi, const char **why);

/* Check a display name: UTF-8, no controls, not blank, at most maxlen_bytes. */
int validate_name(const char *s, size_t maxlen_bytes, const char **why);

#endif
