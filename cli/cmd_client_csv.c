/*
 * NAME
 *	cmd_client_csv.c - aedesk client import / export
 *
 * SYNOPSIS
 *	aedesk client import FILE.csv [--dry-run] [--encoding utf-8|gb18030]
 *	aedesk client export [--format csv|json]
 *
 * DESCRIPTION
 *	import reads a CSV file (RFC 4180 quoting) in UTF-8 (a BOM is skipped) or GB18030
 *	(what Excel on a Chinese Windows saves; detected when the file is not valid UTF-8,
 *	converted with iconv). The header row names the columns: 名称/name (required),
 *	分类/class, AE/ae, 统一社会信用代码/uscc, 行业/industry. Every row is checked
 *	here first and each bad one reported with its line number and reason; then the
 *	rows go to the registry in chunks under one import id (a request is at most
 *	1 MiB) and the last chunk commits them all in one transaction, or none (the
 *	registry re-checks everything against the store: names and codes already taken,
 *	AEs). --dry-run checks everything, there too, and stores nothing.
 *
 *	export writes every client the caller sees, by id, as CSV (the same columns,
 *	so an export imports again elsewhere) or a JSON array.
 */
#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "pbjson.h"
#include "registry.pb-c.h"
#include "text.h"
#include "validate.h"
#include "wire.h"

int client_import_cmd(int argc, char **argv);
int client_export_cmd(int argc, char **argv);

#define CHUNK_BYTES (900u * 1024) /* under the 1 MiB frame, with room for the envelope */

enum { COL_NAME, COL_CLASS, COL_AE, COL_USCC, COL_INDUSTRY, NCOLS };
static const char *const col_names[NCOLS][2] = {
    {"名称", "name"}, {"分类", "class"}, {"AE", "ae"}, {"统一社会信用代码", "uscc"}, {"行业", "industry"}};

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 1 << 16, n = 0, got;
	char *buf = malloc(cap + 1);
	while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0)
		if ((n += got) == cap) {
			char *g = realloc(buf, (cap *= 2) + 1);
			if (!g)
				free(buf);
			buf = g;
		}
	fclose(f);
	if (buf) {
		buf[n] = 0;
		*len = n;
	}
	return buf;
}

/* to_utf8 converts GB18030 text to UTF-8 (a fresh buffer), NULL when it is not GB18030 either. */
static char *to_utf8(const char *in, size_t len, size_t *outlen)
{
	iconv_t cd = iconv_open("UTF-8", "GB18030");
	if (cd == (iconv_t)-1)
		return NULL;
	size_t cap = len * 2 + 16, left = cap;
	char *out = malloc(cap + 1), *op = out, *ip = (char *)in;
	size_t il = len;
	if (out && iconv(cd, &ip, &il, &op, &left) == (size_t)-1) {
		free(out);
		out = NULL;
	}
	iconv_close(cd);
	if (out) {
		*op = 0;
		*outlen = (size_t)(op - out);
	}
	return out;
}

/* One parsed CSV record: its fields (pointers into a copy) and the line it starts on. */
struct rec {
	char **f;
	size_t n;
	unsigned line;
};

/*
 * csv_next parses the record at *pos (RFC 4180: "..." with "" for a quote, newlines
 * inside quotes) in place: fields are unquoted into the same buffer and ended with NUL.
 * 1 and rec, 0 at the end, -1 on an unterminated quote.
 */
static int csv_next(char *s, size_t len, size_t *pos, unsigned *line, struct rec *rec)
{
	if (*pos >= len)
		return 0;
	rec->n = 0;
	rec->line = *line;
	size_t cap = 8;
	rec->f = malloc(cap * sizeof *rec->f);
	size_t i = *pos;
	for (;;) {
		if (rec->n == cap) {
			char **g = realloc(rec->f, (cap *= 2) * sizeof *g);
			if (!g)
				return -1;
			rec->f = g;
		}
		char *out = s + i, *start = out;
		if (i < len && s[i] == '"') {
			i++;
			for (;;) {
				if (i >= len)
					return -1;
				if (s[i] == '"') {
					if (i + 1 < len && s[i + 1] == '"') {
						*out++ = '"';
						i += 2;
						continue;
					}
					i++;
					break;
				}
				if (s[i] == '\n')
					(*line)++;
				*out++ = s[i++];
			}
			while (i < len && s[i] != ',' && s[i] != '\n' && s[i] != '\r')
				*out++ = s[i++]; /* junk after a closing quote is kept, as spreadsheets do */
		} else
			while (i < len && s[i] != ',' && s[i] != '\n' && s[i] != '\r')
				*out++ = s[i++];
		char sep = i < len ? s[i] : '\n';
		*out = 0; /* out <= s + i: writing the end here may overwrite sep, saved above */
		rec->f[rec->n++] = start;
		if (sep == ',') {
			i++;
			continue;
		}
		if (sep == '\r' && i + 1 < len && s[i + 1] == '\n')
			i++;
		if (i < len)
			i++;
		(*line)++;
		*pos = i;
		return 1;
	}
}

static int cmp_str(const void *a, const void *b)
{
	const char *const *x = a, *const *y = b;
	int c = strcmp(x[0], y[0]);
	return c ? c : (x[1] > y[1]) - (x[1] < y[1]);
}

static int send_chunk(const char *import_id, Aedesk__ImportRow **rows, size_t n, int final, int dry,
    Aedesk__ClientImportReply **rep)
{
	Aedesk__ClientImportRequest q = AEDESK__CLIENT_IMPORT_REQUEST__INIT;
	q.import_id = (char *)import_id;
	q.rows = rows;
	q.n_rows = n;
	q.final = final;
	q.dry_run = dry;
	*rep = NULL;
	return cli_call("registry", &q.base, &aedesk__client_import_reply__descriptor, (ProtobufCMessage **)rep);
}

static void send_abort(const char *import_id)
{
	Aedesk__ClientImportRequest q = AEDESK__CLIENT_IMPORT_REQUEST__INIT;
	q.import_id = (char *)import_id;
	q.abort = 1;
	Aedesk__ClientImportReply *r = NULL;
	if (cli_call("registry", &q.base, &aedesk__client_import_reply__descriptor, (ProtobufCMessage **)&r) == 0)
		wire_free(&r->base);
}

int client_import_cmd(int argc, char **argv)
{
	const char *usage = cli_t("用法：aedesk client import 文件.csv [--dry-run] [--encoding utf-8|gb18030]\n"
				  "首行为列名：名称（必需）、分类、AE、统一社会信用代码、行业（或 name, class, ae, uscc, industry）。\n"
				  "先检查每一行，有错则列出行号和原因、不导入任何一行；全部无误则一次全部导入。",
	    "usage: aedesk client import FILE.csv [--dry-run] [--encoding utf-8|gb18030]\n"
	    "The header row names the columns: name (required), class, ae, uscc, industry (or 名称, 分类, AE, 统一社会信用代码, 行业).\n"
	    "Every row is checked first; any bad row is reported with its line number and nothing is imported; otherwise all go in at once.");
	const char *path = NULL, *enc = NULL;
	int dry = 0;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0) {
			printf("%s\n", usage);
			return 0;
		} else if (strcmp(argv[i], "--dry-run") == 0)
			dry = 1;
		else if (strcmp(argv[i], "--encoding") == 0 && i + 1 < argc)
			enc = argv[++i];
		else if (argv[i][0] != '-' && !path)
			path = argv[i];
		else
			return cli_usage_error("client import", "%s", usage);
	}
	if (!path)
		return cli_usage_error("client import", "%s", usage);
	size_t len;
	char *raw = slurp(path, &len), *text = raw;
	if (!raw) {
		fprintf(stderr, cli_t("无法读取 %s：%s\n", "cannot read %s: %s\n"), path, strerror(errno));
		return EXIT_USAGE;
	}
	int gb = enc ? (strcasecmp(enc, "gb18030") == 0 || strcasecmp(enc, "gbk") == 0) : 0;
	size_t skip = len >= 3 && memcmp(raw, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
	if (!enc && !text_utf8_valid(raw + skip, len - skip))
		gb = 1;
	char *conv = NULL;
	if (gb) {
		conv = to_utf8(raw, len, &len);
		if (!conv) {
			fprintf(stderr, cli_t("%s 既不是 UTF-8 也不是 GB18030 文本\n", "%s is neither UTF-8 nor GB18030 text\n"), path);
			free(raw);
			return EXIT_USAGE;
		}
		text = conv;
		skip = 0;
	}
	text += skip;
	len -= skip;
	if (!text_utf8_valid(text, len)) {
		fprintf(stderr, cli_t("%s 含有控制字符或无效的 UTF-8\n", "%s holds control characters or invalid UTF-8\n"), path);
		free(raw);
		free(conv);
		return EXIT_USAGE;
	}
	size_t pos = 0, nrows = 0, caprows = 1024;
	unsigned line = 1;
	struct rec hdr = {0}, rec = {0};
	int col[NCOLS] = {-1, -1, -1, -1, -1}, bad = 0, rc;
	Aedesk__ImportRow *rows = calloc(caprows, sizeof *rows);
	if (csv_next(text, len, &pos, &line, &hdr) != 1) {
		fprintf(stderr, cli_t("%s 没有列名行\n", "%s has no header row\n"), path);
		bad++;
	}
	for (size_t i = 0; i < hdr.n; i++) {
		int found = 0;
		for (int c = 0; c < NCOLS; c++)
			if (strcmp(hdr.f[i], col_names[c][0]) == 0 || strcasecmp(hdr.f[i], col_names[c][1]) == 0) {
				col[c] = (int)i;
				found = 1;
			}
		static const char *const ignored[] = {"编号", "id", "完整度", "profile_pct"}; /* from export */
		for (size_t k = 0; k < 4; k++)
			found |= strcasecmp(hdr.f[i], ignored[k]) == 0;
		if (!found) {
			fprintf(stderr, cli_t("第 1 行：不认识的列“%s”（可用：名称、分类、AE、统一社会信用代码、行业）\n",
					    "line 1: unknown column '%s' (use name, class, ae, uscc, industry)\n"), hdr.f[i]);
			bad++;
		}
	}
	if (hdr.n && col[COL_NAME] < 0) {
		fprintf(stderr, "%s\n", cli_t("第 1 行：缺少“名称”列", "line 1: the name column is missing"));
		bad++;
	}
	while (!bad || col[COL_NAME] >= 0) {
		rc = csv_next(text, len, &pos, &line, &rec);
		if (rc == 0)
			break;
		if (rc < 0) {
			fprintf(stderr, cli_t("第 %u 行：引号没有结束\n", "line %u: a quote is never closed\n"), rec.line);
			bad++;
			free(rec.f);
			break;
		}
		if (rec.n == 1 && !rec.f[0][0]) { /* a blank line */
			free(rec.f);
			continue;
		}
		if (nrows == caprows) {
			Aedesk__ImportRow *g = realloc(rows, (caprows *= 2) * sizeof *g);
			if (!g)
				break;
			rows = g;
		}
		Aedesk__ImportRow *r = &rows[nrows++];
		aedesk__import_row__init(r);
		r->line = rec.line;
		const char **dst[NCOLS] = {(const char **)&r->name, (const char **)&r->class_, (const char **)&r->ae,
		    (const char **)&r->uscc, (const char **)&r->industry};
		for (int c = 0; c < NCOLS; c++)
			if (col[c] >= 0 && (size_t)col[c] < rec.n)
				*dst[c] = rec.f[col[c]];
		const char *why = NULL;
		if (rec.n != hdr.n)
			why = cli_t("列数与首行不同", "not as many columns as the header");
		else if (validate_name(r->name, 200, NULL) != 0)
			why = cli_t("名称须为非空文本，不超过 200 字节", "the name must be non-empty text of at most 200 bytes");
		else if (r->class_[0] && !(r->class_[0] >= 'A' && r->class_[0] <= 'D' && !r->class_[1]))
			why = cli_t("分类须为 A、B、C 或 D", "the class must be A, B, C or D");
		else if (r->uscc[0] && validate_uscc(r->uscc, NULL) != 0)
			why = cli_t("统一社会信用代码须为 18 位且校验位正确", "the USCC must be 18 characters with a correct check character");
		else if (strlen(r->industry) > 200)
			why = cli_t("行业不超过 200 字节", "the industry is at most 200 bytes");
		if (why) {
			fprintf(stderr, cli_t("第 %u 行：%s\n", "line %u: %s\n"), rec.line, why);
			bad++;
		}
		free(rec.f);
	}
	/* the same name or code twice in the file */
	const char *(*keys)[2] = malloc((nrows ? nrows : 1) * sizeof *keys);
	for (int pass = 0; keys && pass < 2; pass++) {
		size_t nk = 0;
		for (size_t i = 0; i < nrows; i++) {
			const char *k = pass ? rows[i].uscc : rows[i].name;
			if (k[0]) {
				keys[nk][0] = k;
				keys[nk++][1] = (const char *)&rows[i];
			}
		}
		qsort(keys, nk, sizeof *keys, cmp_str);
		for (size_t i = 1; i < nk; i++)
			if (strcmp(keys[i][0], keys[i - 1][0]) == 0) {
				fprintf(stderr, cli_t("第 %u 行：%s“%s”与第 %u 行重复\n", "line %u: %s '%s' repeats line %u\n"),
				    ((const Aedesk__ImportRow *)keys[i][1])->line, pass ? cli_t("统一社会信用代码", "the USCC") : cli_t("名称", "the name"),
				    keys[i][0], ((const Aedesk__ImportRow *)keys[i - 1][1])->line);
				bad++;
			}
	}
	free(keys);
	free(hdr.f);
	rc = 0;
	if (bad) {
		fprintf(stderr, cli_t("%d 处错误，未导入任何客户\n", "%d errors; no client was imported\n"), bad);
		rc = EXIT_REFUSED;
	} else if (!nrows) {
		fprintf(stderr, "%s\n", cli_t("文件中没有数据行", "the file has no data rows"));
		rc = EXIT_USAGE;
	} else {
		char import_id[33];
		unsigned char rnd[16];
		int fd = open("/dev/urandom", O_RDONLY);
		if (fd < 0 || read(fd, rnd, sizeof rnd) != (ssize_t)sizeof rnd)
			memset(rnd, 0, sizeof rnd);
		if (fd >= 0)
			close(fd);
		for (int i = 0; i < 16; i++)
			snprintf(import_id + 2 * i, 3, "%02x", rnd[i]);
		Aedesk__ImportRow **ptrs = malloc(nrows * sizeof *ptrs);
		size_t start = 0, bytes = 0;
		Aedesk__ClientImportReply *rep = NULL;
		cli.timeout_ms = cli.timeout_ms < 600000 ? 600000 : cli.timeout_ms; /* the commit of a big file takes a while */
		for (size_t i = 0; ptrs && i <= nrows && rc == 0; i++) {
			size_t sz = i < nrows ? protobuf_c_message_get_packed_size(&rows[i].base) + 8 : 0;
			if (i == nrows || (bytes + sz > CHUNK_BYTES && i > start)) {
				rc = send_chunk(import_id, ptrs + start, i - start, i == nrows, dry, &rep);
				if (rc == 0 && i == nrows) {
					if (dry)
						printf(cli_t("检查通过：%zu 行都可导入（--dry-run，未导入）\n",
							   "all %zu rows can be imported (--dry-run: nothing imported)\n"), nrows);
					else
						printf(cli_t("已导入 %u 个客户：%s 到 %s\n", "imported %u clients: %s to %s\n"), rep->imported,
						    rep->first_id, rep->last_id);
				}
				if (rep)
					wire_free(&rep->base);
				if (rc) {
					send_abort(import_id);
					fprintf(stderr, "%s\n", cli_t("未导入任何客户", "no client was imported"));
				}
				start = i;
				bytes = 0;
			}
			if (i < nrows) {
				ptrs[i] = &rows[i];
				bytes += sz;
			}
		}
		free(ptrs);
	}
	free(rows);
	free(raw);
	free(conv);
	return rc;
}

static void csv_field(FILE *f, const char *s, int last)
{
	if (strpbrk(s, ",\"\r\n")) {
		fputc('"', f);
		for (; *s; s++) {
			if (*s == '"')
				fputc('"', f);
			fputc(*s, f);
		}
		fputc('"', f);
	} else
		fputs(s, f);
	fputs(last ? "\r\n" : ",", f);
}

int client_export_cmd(int argc, char **argv)
{
	int json = cli.json;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--format") == 0 && i + 1 < argc && (strcmp(argv[i + 1], "csv") == 0 || strcmp(argv[i + 1], "json") == 0))
			json = strcmp(argv[++i], "json") == 0;
		else if (strcmp(argv[i], "--help") == 0) {
			printf("%s\n", cli_t("用法：aedesk client export [--format csv|json]\n按编号输出您可见的全部客户；CSV 的列可再导入。",
					    "usage: aedesk client export [--format csv|json]\nEvery client you see, by id; the CSV columns import again."));
			return 0;
		} else
			return cli_usage_error("client export", "%s", cli_t("用法：aedesk client export [--format csv|json]", "usage: aedesk client export [--format csv|json]"));
	}
	char after[64] = "";
	size_t total = 0;
	if (json)
		fputs("[", stdout);
	else
		fputs("编号,名称,分类,AE,统一社会信用代码,行业,完整度\r\n", stdout);
	for (;;) {
		Aedesk__ClientListRequest q = AEDESK__CLIENT_LIST_REQUEST__INIT;
		q.limit = 1000;
		q.after = after;
		Aedesk__ClientListReply *r;
		int rc = cli_call("registry", &q.base, &aedesk__client_list_reply__descriptor, (ProtobufCMessage **)&r);
		if (rc)
			return rc;
		for (size_t i = 0; i < r->n_clients; i++, total++) {
			const Aedesk__Client *c = r->clients[i];
			if (json) {
				fputs(total ? ",\n" : "\n", stdout);
				pbjson_print(stdout, &c->base, 0);
				continue;
			}
			char pct[8];
			snprintf(pct, sizeof pct, "%u", c->profile_pct);
			csv_field(stdout, c->id, 0);
			csv_field(stdout, c->name, 0);
			csv_field(stdout, c->class_, 0);
			csv_field(stdout, c->ae, 0);
			csv_field(stdout, c->uscc, 0);
			csv_field(stdout, c->industry, 0);
			csv_field(stdout, pct, 1);
		}
		int more = r->next_after[0] != 0;
		snprintf(after, sizeof after, "%s", r->next_after);
		wire_free(&r->base);
		if (!more)
			break;
	}
	if (json)
		fputs("\n]\n", stdout);
	return 0;
}
