/* Unit tests of xlsx/ (the XLSX back-end), read back with our own reader:
 * table and stream sheets, cut text, widths, and a refused cell failing
 * the workbook rather than leaving it out. */
#define _GNU_SOURCE /* RTLD_NEXT */
#include <dlfcn.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "read/xlsx.h"
#include "read/zip.h"
#include "t.h"
#include "util/buf.h"
#include "xlsx/xw.h"

static char dir[] = "/tmp/mspdoc-xw-XXXXXX";

static const rd_cell *cell(const rd_book *b, const char *sheet, int row, int col)
{
	const rd_sheet *s = b ? rd_book_sheet(b, sheet) : NULL;
	return s ? rd_sheet_cell(s, row, col) : NULL;
}

static const char *text(const rd_book *b, const char *sheet, int row, int col)
{
	const rd_cell *c = cell(b, sheet, row, col);
	return c && c->type == RD_TEXT ? c->text : "(not text)";
}

/* A part of the written file, NUL-terminated (malloc'd), or NULL. */
static char *part(const char *path, const char *name)
{
	char *file = NULL, *data = NULL;
	size_t n = 0, len = 0;
	int big = 0;
	const char *why = NULL;
	if (ms_read_file(path, 1 << 24, &file, &n, &big) == 0) {
		rz_limits lim = {100, 1 << 24, 1 << 26};
		rz_zip *z = rz_open_mem(file, n, &lim, &why);
		if (!z || rz_read(z, name, &data, &len, &why) < 0)
			data = NULL;
		rz_close(z);
	}
	free(file);
	return data;
}

static void test_round_trip(void)
{
	char *path = ms_printf("%s/book.xlsx", dir);
	ms_diags d;
	ms_diags_init(&d);
	xw_book *b = xw_open(path, &d);
	CHECK(b != NULL);
	static const char *heads[] = {"Reference", "Title", "Amount", "Valid until"};
	xw_sheet *t = xw_add_sheet(b, "Needs", heads, 4, NULL);
	xw_sheet *s = xw_add_stream_sheet(b, "Matches", heads, 4, "Restricted");
	CHECK_INT(xw_first_row(t), 1);
	CHECK_INT(xw_first_row(s), 2); /* under the banner and the headers */
	/* the table sheet takes cells in any order */
	xw_text(t, 2, 1, "later row first");
	xw_text(t, 1, 1, "Côte d’Ivoire: mine action");
	xw_number(t, 1, 2, 1234567.5);
	xw_date(t, 1, 3, ms_ymd_to_day(2027, 1, 17));
	/* the stream sheet, row after row */
	for (int r = 2; r < 1002; r++) {
		char ref[32];
		snprintf(ref, sizeof ref, "N-2026-LBN-%04d", r);
		xw_text(s, r, 1, "Stockpile destruction"); /* cells of a row in any order */
		xw_text(s, r, 0, ref);
		xw_integer(s, r, 2, r);
	}
	char *longtext = malloc(40001);
	memset(longtext, 'x', 40000);
	longtext[40000] = 0;
	xw_text(s, 1002, 1, longtext);
	free(longtext);
	CHECK_INT(xw_close(b, &d), 0);
	CHECK_INT(d.n, 0);

	rd_limits lim = rd_limits_default();
	rd_book *rb = xlsx_read(path, &lim, &d);
	CHECK(rb != NULL);
	CHECK_STR(text(rb, "Needs", 1, 1), "Reference");
	CHECK_STR(text(rb, "Needs", 2, 2), "Côte d’Ivoire: mine action");
	CHECK_STR(text(rb, "Needs", 3, 2), "later row first");
	const rd_cell *c = cell(rb, "Needs", 2, 3);
	CHECK(c && c->type == RD_NUMBER && c->num == 1234567.5);
	c = cell(rb, "Needs", 2, 4);
	CHECK(c && c->type == RD_DATE && c->day == ms_ymd_to_day(2027, 1, 17));
	CHECK_STR(text(rb, "Matches", 1, 1), "Restricted");
	CHECK_STR(text(rb, "Matches", 2, 4), "Valid until");
	CHECK_STR(text(rb, "Matches", 3, 1), "N-2026-LBN-0002");
	CHECK_STR(text(rb, "Matches", 1002, 1), "N-2026-LBN-1001");
	CHECK_STR(text(rb, "Matches", 1002, 2), "Stockpile destruction");
	c = cell(rb, "Matches", 1002, 3);
	CHECK(c && c->type == RD_NUMBER && c->num == 1001);
	/* text over Excel's 32,767 characters is cut, and says so */
	c = cell(rb, "Matches", 1003, 2);
	CHECK(c && c->type == RD_TEXT && ms_utf8_len(c->text, c->len) == 32767);
	CHECK(c && c->len >= 3 && !strcmp(c->text + c->len - 3, "…"));
	rd_book_free(rb);

	/* the stream sheet's strings are inline, the table sheet's shared;
	 * widths follow content: 1,234,567.50 and a margin, 14 characters */
	char *x4 = part(path, "xl/worksheets/sheet2.xml");
	char *x1 = part(path, "xl/worksheets/sheet1.xml");
	CHECK(x4 && strstr(x4, "t=\"inlineStr\"") && strstr(x4, "N-2026-LBN-0002"));
	CHECK(x1 && !strstr(x1, "inlineStr") && strstr(x1, "t=\"s\""));
	CHECK(x1 && strstr(x1, "<col min=\"3\" max=\"3\" width=\"14.7109375\""));
	free(x4);
	free(x1);
	ms_diags_free(&d);
	unlink(path);
	free(path);
}

/* A stream sheet refuses a cell of an earlier row: the workbook is not
 * written (nothing is left out silently), an earlier file stays. */
static void test_refused_cell(void)
{
	char *path = ms_printf("%s/refused.xlsx", dir);
	FILE *f = fopen(path, "w");
	fputs("earlier", f);
	fclose(f);
	ms_diags d;
	ms_diags_init(&d);
	xw_book *b = xw_open(path, &d);
	static const char *heads[] = {"Need", "Offer"};
	xw_sheet *s = xw_add_stream_sheet(b, "Matches", heads, 2, NULL);
	xw_text(s, 1, 0, "N-1");
	xw_text(s, 2, 0, "N-2");
	xw_text(s, 1, 1, "O-1"); /* back to row 2 */
	CHECK_INT(xw_close(b, &d), -1);
	CHECK_INT(d.count[MS_ENV], 1);
	CHECK(d.n == 1 && strstr(d.v[0].msg, "cell Matches!B2 could not be filled"));
	CHECK(d.n == 1 && strstr(d.v[0].where, "refused.xlsx"));
	char *got = NULL;
	size_t n = 0;
	int big = 0;
	CHECK(ms_read_file(path, 100, &got, &n, &big) == 0 && got && !strcmp(got, "earlier"));
	free(got);
	ms_diags_free(&d);
	unlink(path);
	free(path);
}

/* xw.c's lxw_rowcol_to_cell, which libxlsxwriter calls instead of its
 * own, names every cell as its own does. */
static void test_cell_names(void)
{
	void (*lib)(char *, lxw_row_t, lxw_col_t) = NULL;
	void *sym = dlsym(RTLD_NEXT, "lxw_rowcol_to_cell");
	memcpy(&lib, &sym, sizeof sym);
	CHECK(lib != NULL && lib != lxw_rowcol_to_cell);
	static const lxw_row_t rows[] = {0, 1, 8, 9, 99, 65535, 1048575};
	static const lxw_col_t cols[] = {0, 1, 25, 26, 27, 51, 52, 701, 702, 703, 18277, 16383};
	int same = 0, all = 0;
	for (size_t i = 0; lib && i < sizeof rows / sizeof *rows; i++)
		for (size_t j = 0; j < sizeof cols / sizeof *cols; j++, all++) {
			char ours[LXW_MAX_CELL_NAME_LENGTH], theirs[LXW_MAX_CELL_NAME_LENGTH];
			lxw_rowcol_to_cell(ours, rows[i], cols[j]);
			lib(theirs, rows[i], cols[j]);
			same += !strcmp(ours, theirs);
		}
	CHECK_INT(same, all);
	char name[LXW_MAX_CELL_NAME_LENGTH];
	lxw_rowcol_to_cell(name, 1048575, 16383);
	CHECK_STR(name, "XFD1048576");
	lxw_rowcol_to_cell(name, 6, 27);
	CHECK_STR(name, "AB7");
}

int main(void)
{
	if (!mkdtemp(dir))
		return 1;
	test_round_trip();
	test_refused_cell();
	test_cell_names();
	rmdir(dir);
	return t_done("xlsx");
}
