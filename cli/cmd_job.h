/*
 * NAME
 *	cmd_job.h - helpers shared by the job tracker's commands (cmd_job.c and friends)
 */
#ifndef AEDESK_CMD_JOB_H
#define AEDESK_CMD_JOB_H

#include <stdint.h>

#include "jobs.pb-c.h"

/* jobcli_date: "YYYY-MM-DD" (the end of that local day) or "YYYY-MM-DD HH:MM" to UTC ms. */
int jobcli_date(const char *s, int64_t *ms);
/* jobcli_money: a typed amount ("1,409.50") to fen; -1 if not valid. */
int jobcli_money(const char *s, int64_t *fen);
/* jobcli_read_file: the whole file, NUL-terminated, malloc'd; NULL (message printed) on error. */
char *jobcli_read_file(const char *cmd, const char *path);
const char *jobcli_stage_label(Aedesk__JobStage st);
Aedesk__JobStage jobcli_stage_parse(const char *s);
/* jobcli_json_string reads a JSON string at *p (just after its opening quote), unescaped in
 * place; moves *p past the closing quote. NULL if malformed. */
char *jobcli_json_string(char **p);
/* jobcli_trim cuts blanks and newlines from both ends, in place. */
char *jobcli_trim(char *s);
/* A document of named text sections (a JSON object of strings, or Markdown whose level-2
 * headings name the sections, in English or Chinese, optionally numbered "一、" or "1."):
 * jobcli_sections fills the char * fields at each key's offset in rec, pointing into text.
 * 0; -1 not valid JSON; -2 an unknown key or heading (printed with cmd). */
struct jobcli_section {
	const char *key, *zh, *zh2;
	size_t off;
};
int jobcli_sections(const char *cmd, char *text, const struct jobcli_section *keys, size_t n, void *rec);
/* jobcli_dispatch runs sub[i].fn for argv[1], or prints usage (exit 0 for --help, else 2). */
struct jobcli_sub {
	const char *name;
	int (*fn)(int, char **);
};
int jobcli_dispatch(int argc, char **argv, const struct jobcli_sub *sub, size_t n, const char *usage_zh,
    const char *usage_en);

#endif
