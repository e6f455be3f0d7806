/* csv.c — RFC 4180 CSV into a one-sheet rd_book (see csv.h). */
#include "csv.h"

#include <stdlib.h>
#include <string.h>

#include "../util/buf.h"
#include "sheetb.h"

#define MAX_CSV_BYTES ((size_t)256 << 20)

/* Windows-1252 bytes 0x80-0x9F (the rest of the high half is Latin-1). */
static const unsigned short cp1252[32] = {
    0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD, 0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178};

static char *from_cp1252(const char *s, size_t len, size_t *outlen)
{
	ms_buf b;
	ms_buf_init(&b);
	ms_buf_reserve(&b, len + len / 4);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		uint32_t cp = c < 0x80 ? c : c < 0xA0 ? cp1252[c - 0x80] : c;
		ms_buf_add_utf8(&b, cp);
	}
	*outlen = b.len;
	return ms_buf_take(&b);
}

/* The delimiter: the most frequent of , ; TAB outside quotes in the first
 * line (rules.md 32); ',' when none occurs. */
static char sniff(const char *s, size_t len)
{
	size_t n[3] = {0, 0, 0};
	int q = 0;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		if (c == '"')
			q = !q;
		else if (!q && (c == '\n' || c == '\r'))
			break;
		else if (!q && c == ',')
			n[0]++;
		else if (!q && c == ';')
			n[1]++;
		else if (!q && c == '\t')
			n[2]++;
	}
	if (n[1] > n[0] && n[1] >= n[2])
		return ';';
	if (n[2] > n[0] && n[2] > n[1])
		return '\t';
	return ',';
}

static const char *base_name(const char *path, size_t *len)
{
	const char *b = strrchr(path, '/');
	b = b ? b + 1 : path;
	const char *dot = strrchr(b, '.');
	*len = dot && dot != b ? (size_t)(dot - b) : strlen(b);
	return b;
}

rd_book *csv_read_mem(const char *name, const void *data, size_t len, const rd_limits *lim,
                      ms_diags *d)
{
	rd_limits def = rd_limits_default();
	if (!lim)
		lim = &def;
	ms_pos pos = ms_pos_file(name);
	const char *s = data;
	if (memchr(s, 0, len)) {
		size_t off = (size_t)((const char *)memchr(s, 0, len) - s);
		int line = 1;
		for (size_t i = 0; i < off; i++)
			line += s[i] == '\n';
		pos.line = line;
		ms_diag_add(d, MS_ERROR, &pos,
		            "the file contains a NUL byte: it is not a text CSV file; "
		            "save it from the spreadsheet as CSV UTF-8");
		return NULL;
	}
	char *conv = NULL;
	if (len >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3)) {
		s += 3;
		len -= 3;
	}
	size_t bad;
	if (!ms_utf8_valid(s, len, &bad)) {
		conv = from_cp1252(s, len, &len);
		if (!conv) {
			ms_diag_add(d, MS_ENV, &pos, "out of memory");
			return NULL;
		}
		s = conv;
		ms_diag_add(
		    d, MS_WARNING, &pos,
		    "not valid UTF-8; read as Windows-1252 (Excel's CSV on Windows): save it as "
		    "'CSV UTF-8' to be sure accented names are right");
	}
	rd_book *book = rd_book_new(name);
	if (!book) {
		free(conv);
		ms_diag_add(d, MS_ENV, &pos, "out of memory");
		return NULL;
	}
	book->is_csv = 1;
	size_t nlen;
	const char *bn = base_name(name, &nlen);
	char *sheet = ms_strndup(bn, nlen);
	rd_sheetb sb;
	rd_sheetb_begin(&sb, book, sheet ? sheet : "csv", 0);
	free(sheet);
	char delim = sniff(s, len);
	ms_buf field;
	ms_buf_init(&field);
	int line = 1, row = 1, col = 1, rec_line = 1, field_line = 1;
	int quoted = 0, was_quoted = 0, any = 0;
	const char *err = NULL;
	size_t ncells = 0;
	size_t i = 0;
	for (;;) {
		int at_end = i >= len;
		char c = at_end ? 0 : s[i];
		if (quoted) {
			if (at_end) {
				err = "a quoted field is not closed: add the closing '\"'";
				line = field_line;
				break;
			}
			if (c == '"') {
				if (i + 1 < len && s[i + 1] == '"') {
					ms_buf_addc(&field, '"');
					i += 2;
					continue;
				}
				quoted = 0;
				i++;
				continue;
			}
			if (c == '\n')
				line++;
			ms_buf_addc(&field, c);
			i++;
			continue;
		}
		int end_field = at_end || c == delim || c == '\n' || c == '\r';
		if (!end_field) {
			if (c == '"' && field.len == 0 && !was_quoted) {
				quoted = was_quoted = 1;
				field_line = line;
			} else {
				ms_buf_addc(&field, c);
			}
			any = 1;
			i++;
			continue;
		}
		/* a field ends */
		if (field.len) {
			if (col > lim->max_cols) {
				err = "a row has more than 16,384 fields";
				break;
			}
			if (field.len > lim->max_cell_bytes) {
				err = "a field holds more text than the limit (8 MiB)";
				break;
			}
			if (++ncells > lim->max_cells) {
				err = "the file has more fields than the limit (5,000,000)";
				break;
			}
			rd_cell cell = {.row = row,
			                .col = col,
			                .type = RD_TEXT,
			                .text = field.s,
			                .len = field.len};
			if (rd_sheetb_add(&sb, &cell, 1) < 0) {
				err = "out of memory";
				break;
			}
		}
		ms_buf_clear(&field);
		was_quoted = 0;
		if (at_end || c == '\n' || c == '\r') {
			if (any) {
				if (rd_sheetb_line(&sb, row, rec_line) < 0) {
					err = "out of memory";
					break;
				}
				row++;
			}
			if (at_end)
				break;
			if (c == '\r' && i + 1 < len && s[i + 1] == '\n')
				i++;
			i++;
			line++;
			rec_line = line;
			col = 1;
			any = 0;
			if (row > lim->max_rows) {
				err = "the file has more than 1,048,576 rows";
				break;
			}
			continue;
		}
		col++;
		any = 1;
		i++;
	}
	ms_buf_free(&field);
	free(conv);
	if (!err && rd_sheetb_end(&sb) < 0)
		err = "out of memory";
	if (err) {
		rd_sheetb_discard(&sb);
		pos.line = line;
		ms_diag_add(d, !strcmp(err, "out of memory") ? MS_ENV : MS_ERROR, &pos, "%s", err);
		rd_book_free(book);
		return NULL;
	}
	return book;
}

rd_book *csv_read(const char *path, const rd_limits *lim, ms_diags *d)
{
	char *data;
	size_t len;
	int big;
	if (ms_read_file(path, MAX_CSV_BYTES, &data, &len, &big) < 0) {
		ms_pos pos = ms_pos_file(path);
		ms_diag_add(d, MS_ERROR, &pos,
		            big ? "the CSV file is larger than 256 MiB: split it"
		                : "cannot read the file: check that it exists and is readable");
		return NULL;
	}
	rd_book *b = csv_read_mem(path, data, len, lim, d);
	free(data);
	return b;
}
