/*
 * NAME
 *	i18n.c - the message table
 */
#include "i18n.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const struct {
	const char *en, *zh;
} i18n_table[] = {
#define I18N_ROW(id, en, zh) {en, zh},
    I18N_MESSAGES(I18N_ROW)
#undef I18N_ROW
};

const char *i18n_lang(const char *lang)
{
	return (lang && strncmp(lang, "en", 2) == 0) ? "en" : "zh";
}

const char *i18n_fmt(const char *lang, enum i18n_msg id)
{
	if ((unsigned)id >= MSG__COUNT)
		return "?";
	return strcmp(i18n_lang(lang), "en") == 0 ? i18n_table[id].en : i18n_table[id].zh;
}

int i18n_vformat(char *buf, size_t len, const char *lang, enum i18n_msg id, va_list ap)
{
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	return vsnprintf(buf, len, i18n_fmt(lang, id), ap);
#pragma GCC diagnostic pop
}

int i18n_format(char *buf, size_t len, const char *lang, enum i18n_msg id, ...)
{
	va_list ap;
	va_start(ap, id);
	int n = i18n_vformat(buf, len, lang, id, ap);
	va_end(ap);
	return n;
}
