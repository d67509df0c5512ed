/*
 * NAME
 *	fuzz_text - libFuzzer target: every text parser staff or admins feed aedesk
 *
 * DESCRIPTION
 *	The first byte picks a parser: the config file, amounts (and the 大写 check),
 *	dates and times, phone numbers, unified social credit codes, names, the holiday
 *	calendar file, UTF-8 width. Each must answer (accept or refuse) without a crash,
 *	a leak or undefined behaviour; accepted amounts must round-trip through 大写.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf.h"
#include "holidays.h"
#include "money.h"
#include "text.h"
#include "validate.h"

/* as_file writes the input to a temp file for the parsers that read files. */
static int as_file(const uint8_t *data, size_t size, char *path, size_t len)
{
	snprintf(path, len, "/tmp/aedesk-fuzz-%d", (int)getpid());
	FILE *f = fopen(path, "wb");
	if (!f)
		return -1;
	fwrite(data, 1, size, f);
	fclose(f);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > 65536)
		return 0;
	char *s = malloc(size);
	memcpy(s, data + 1, size - 1);
	s[size - 1] = 0;
	const char *why;
	int y, m, d, h, mi;
	char buf[256], path[64], err[512];
	int64_t fen;
	switch (data[0] % 8) {
	case 0:
		if (as_file(data + 1, size - 1, path, sizeof path) == 0) {
			conf_free(conf_load(path, err, sizeof err));
			unlink(path);
		}
		break;
	case 1:
		if (money_parse(s, &fen) == 0 && money_upper(fen, buf, sizeof buf) == 0 &&
		    !money_upper_matches(fen, buf))
			abort(); /* our own spelling must be accepted */
		money_upper_matches(12345, s);
		break;
	case 2:
		validate_date(s, &y, &m, &d, &why);
		validate_datetime(s, &y, &m, &d, &h, &mi, &why);
		break;
	case 3:
		if (validate_phone_cn(s, &why) == 0 && validate_phone_normalize(s, buf, sizeof buf) != 0)
			abort(); /* a valid number must normalise */
		break;
	case 4:
		validate_uscc(s, &why);
		break;
	case 5:
		validate_name(s, 200, &why);
		break;
	case 6:
		if (as_file(data + 1, size - 1, path, sizeof path) == 0) {
			holidays *hd = holidays_new();
			holidays_load_file(hd, path, err, sizeof err);
			holidays_free(hd);
			unlink(path);
		}
		break;
	default:
		text_utf8_valid(s, strlen(s));
		text_width(s);
		break;
	}
	free(s);
	return 0;
}
