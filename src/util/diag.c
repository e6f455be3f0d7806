/* diag.c — positioned diagnostics (see diag.h). */
#include "diag.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

void ms_diags_init(ms_diags *d)
{
	memset(d, 0, sizeof *d);
}

void ms_diags_free(ms_diags *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->n; i++) {
		free(d->v[i].where);
		free(d->v[i].msg);
	}
	free(d->v);
	memset(d, 0, sizeof *d);
}

char *ms_col_letters(int col, char *buf)
{
	char tmp[8];
	int n = 0;
	if (col < 1)
		col = 1;
	while (col > 0 && n < 7) {
		col--;
		tmp[n++] = (char)('A' + col % 26);
		col /= 26;
	}
	for (int i = 0; i < n; i++)
		buf[i] = tmp[n - 1 - i];
	buf[n] = 0;
	return buf;
}

char *ms_pos_format(const ms_pos *pos, char *buf, size_t size)
{
	if (!pos || !pos->file) {
		snprintf(buf, size, "mspdoc");
		return buf;
	}
	if (pos->sheet) {
		char col[8];
		int quote = strpbrk(pos->sheet, " '!-") != NULL;
		if (pos->row > 0)
			snprintf(buf, size, "%s:%s%s%s!%s%d", pos->file, quote ? "'" : "",
			         pos->sheet, quote ? "'" : "",
			         ms_col_letters(pos->col > 0 ? pos->col : 1, col), pos->row);
		else
			snprintf(buf, size, "%s:%s%s%s", pos->file, quote ? "'" : "", pos->sheet,
			         quote ? "'" : "");
	} else if (pos->line > 0) {
		snprintf(buf, size, "%s:%d", pos->file, pos->line);
	} else {
		snprintf(buf, size, "%s", pos->file);
	}
	return buf;
}

ms_pos ms_pos_file(const char *file)
{
	ms_pos p = {file, NULL, 0, 0, 0};
	return p;
}

ms_pos ms_pos_line(const char *file, int line)
{
	ms_pos p = {file, NULL, line, 0, 0};
	return p;
}

ms_pos ms_pos_cell(const char *file, const char *sheet, int row, int col)
{
	ms_pos p = {file, sheet, 0, row, col};
	return p;
}

/* Room for one more entry: 0, or -1 when memory ran out. */
static int room(ms_diags *d)
{
	if (d->n < d->cap)
		return 0;
	size_t cap = d->cap ? d->cap * 2 : 16;
	ms_diag *v = realloc(d->v, cap * sizeof *v);
	if (!v)
		return -1;
	d->v = v;
	d->cap = cap;
	return 0;
}

void ms_diag_vadd(ms_diags *d, ms_severity sev, const ms_pos *pos, const char *fmt, va_list ap)
{
	if (!d)
		return;
	if (room(d) < 0) {
		d->count[MS_ENV]++;
		return;
	}
	char where[1024];
	ms_pos_format(pos, where, sizeof where);
	ms_buf b;
	ms_buf_init(&b);
	ms_buf_vprintf(&b, fmt, ap);
	/* A message quotes at most a short excerpt of the input: a value of a
	 * megabyte, or the lines of a file that is not a form, are not echoed
	 * (the longest message of our own is under 400 bytes). */
	if (b.s && b.len > MS_DIAG_MAX_MSG) {
		size_t k = MS_DIAG_MAX_MSG;
		while (k && ((unsigned char)b.s[k] & 0xC0) == 0x80)
			k--; /* not inside a character */
		b.len = k;
		b.s[k] = 0;
		ms_buf_adds(&b, "...");
	}
	ms_diag *dg = &d->v[d->n];
	dg->sev = sev;
	dg->where = ms_strdup(where);
	dg->msg = ms_buf_take(&b);
	if (!dg->where || !dg->msg) {
		free(dg->where);
		free(dg->msg);
		d->count[MS_ENV]++;
		return;
	}
	d->n++;
	d->count[sev]++;
}

void ms_diags_move(ms_diags *to, ms_diags *from)
{
	for (size_t i = 0; i < from->n; i++) {
		ms_diag *dg = &from->v[i];
		if (room(to) < 0) { /* lost: counted as MS_ENV only, as ms_diag_add does */
			to->count[MS_ENV]++;
			from->count[dg->sev]--;
			free(dg->where);
			free(dg->msg);
			continue;
		}
		to->v[to->n++] = *dg;
	}
	for (int k = 0; k < 5; k++)
		to->count[k] += from->count[k];
	free(from->v);
	ms_diags_init(from);
}

void ms_diag_add(ms_diags *d, ms_severity sev, const ms_pos *pos, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	ms_diag_vadd(d, sev, pos, fmt, ap);
	va_end(ap);
}

static const char *sev_word(ms_severity s)
{
	switch (s) {
	case MS_NOTE: return "note";
	case MS_WARNING: return "warning";
	default: return "error";
	}
}

char *ms_diag_line(const ms_diag *dg)
{
	return ms_printf("%s: %s: %s", dg->where, sev_word(dg->sev), dg->msg);
}

ms_severity ms_diags_worst(const ms_diags *d)
{
	for (int s = MS_ENV; s > MS_NOTE; s--)
		if (d->count[s])
			return (ms_severity)s;
	return MS_NOTE;
}
