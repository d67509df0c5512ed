/*
 * NAME
 *	text.h - UTF-8 checking, terminal display width and aligned tables
 *
 * SYNOPSIS
 *	#include "text.h"
 *
 *	int text_utf8_valid(const char *s, size_t len);
 *	int text_utf8_decode(const char *s, size_t len, size_t *pos, uint32_t *cp);
 *	int text_cp_width(uint32_t cp);
 *	int text_width(const char *s);
 *	void text_pad(FILE *f, const char *s, int width);
 *
 *	text_table *text_table_new(int ncols, const char *const *headers);
 *	int text_table_add(text_table *t, const char *const *cells);
 *	int text_table_print(text_table *t, FILE *f);
 *	void text_table_free(text_table *t);
 *
 * DESCRIPTION
 *	The UI is Chinese-first, so a client name such as 华夏食品 is four characters
 *	but eight terminal columns.  These helpers measure strings in columns rather
 *	than bytes so that CLI listings line up.
 *
 *	text_utf8_valid() accepts only well-formed UTF-8 (no overlong forms, no
 *	surrogates, nothing above U+10FFFF, no truncated sequence) that also holds
 *	no NUL and no C0 control character other than tab, newline and carriage
 *	return.  It is the gate for text arriving from outside (forms, imports).
 *
 *	text_utf8_decode() decodes the code point starting at byte *pos of s and
 *	moves *pos past it.  It does not apply the control-character policy of
 *	text_utf8_valid(); it only decodes.
 *
 *	text_cp_width() gives the columns a code point occupies: 0 for combining
 *	marks, zero-width characters and control characters, 2 for East Asian
 *	Wide and Fullwidth characters (CJK ideographs, kana, Hangul, fullwidth
 *	forms, common emoji), 1 for everything else.
 *
 *	text_width() sums text_cp_width() over a NUL-terminated string; each byte
 *	that is not part of a valid sequence counts as one column.
 *
 *	text_pad() prints s followed by enough spaces to fill width columns.  It
 *	never truncates: a string wider than width is printed whole.
 *
 *	A text_table collects rows of ncols cells (strings are copied; NULL cells
 *	are empty; control characters in cells become spaces so a stray newline
 *	cannot break the layout) and prints them with columns two spaces apart,
 *	aligned by display width: the header row, then a row of '-' as wide as
 *	each column, then the rows in the order added.  No printed line carries
 *	trailing spaces.
 *
 * DIAGNOSTICS
 *	text_utf8_valid() returns 1 or 0 (0 also for s == NULL).
 *	text_utf8_decode() returns 0, or -1 when *pos is at or past len or the
 *	bytes there are not a valid sequence; on -1 *pos is left unchanged, so a
 *	caller that wants to skip the bad byte advances *pos by one itself.
 *	text_table_new() returns NULL when ncols < 1 or memory runs out.
 *	text_table_add() returns 0, or -1 when memory runs out (the table is then
 *	unchanged).  text_table_print() returns 0, or -1 if the stream reports an
 *	error.
 */
#ifndef AEDESK_TEXT_H
#define AEDESK_TEXT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef struct text_table text_table;

int text_utf8_valid(const char *s, size_t len);
int text_utf8_decode(const char *s, size_t len, size_t *pos, uint32_t *cp);
int text_cp_width(uint32_t cp);
int text_width(const char *s);
void text_pad(FILE *f, const char *s, int width);

text_table *text_table_new(int ncols, const char *const *headers);
int text_table_add(text_table *t, const char *const *cells);
int text_table_print(text_table *t, FILE *f);
void text_table_free(text_table *t);

#endif
