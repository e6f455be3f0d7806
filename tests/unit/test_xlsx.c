/* Unit tests of xlsx/ (the XLSX back-end), read back with our own reader:
 * table and stream sheets, cut text, widths, and a refused cell failing
 * the workbook rather than leaving it out. */
#define _GNU_SOURCE /* RTLD_NEXT */
#include <ctype.h>
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

/* A streamed sheet's rows are written by xw.c, as libxlsxwriter would:
 * text escaped by libxlsxwriter's own two functions (the reference here),
 * white space at either end kept, numbers as %.16G, dates as serial
 * numbers, a blank cell with only a fill, the dimension; and read back. */
static void test_stream_bytes(void)
{
	static const char *texts[] = {
	    "plain",
	    " leading space",
	    "trailing space ",
	    "tab\tand\nline",
	    "AT&T <b> & >",
	    "bell\a vt\v cr\r esc\x1b end",
	    "Côte d’Ivoire — ✓",
	    "_x0041_ as is",
	    "\n",
	};
	static const double nums[] = {0, -0.0, 3, -17, 144000, 0.1, 1234567.5, 1e15, 1e20, -2.5e-7};
	size_t nt = sizeof texts / sizeof *texts, nn = sizeof nums / sizeof *nums;
	char *path = ms_printf("%s/stream.xlsx", dir);
	ms_diags d;
	ms_diags_init(&d);
	xw_book *b = xw_open(path, &d);
	static const char *heads[] = {"Text", "Number", "Date", "Fill"};
	xw_sheet *s = xw_add_stream_sheet(b, "Rows", heads, 4, NULL);
	for (size_t i = 0; i < nt || i < nn; i++) {
		if (i < nt)
			xw_text(s, (int)i + 1, 0, texts[i]);
		if (i < nn)
			xw_number(s, (int)i + 1, 1, nums[i]);
		if (i == 0)
			xw_date(s, 1, 2, ms_ymd_to_day(2026, 11, 24));
		if (i == 1)
			xw_text_fill(s, 2, 3, "", "#FFC7CE"); /* a blank cell, filled */
	}
	CHECK_INT(xw_close(b, &d), 0);
	char *x = part(path, "xl/worksheets/sheet1.xml");
	CHECK(x != NULL);
	char *(*esc_ctl)(const char *) = NULL, *(*esc_data)(const char *) = NULL;
	void *p1 = dlsym(RTLD_NEXT, "lxw_escape_control_characters"),
	     *p2 = dlsym(RTLD_NEXT, "lxw_escape_data");
	memcpy(&esc_ctl, &p1, sizeof p1);
	memcpy(&esc_data, &p2, sizeof p2);
	CHECK(esc_ctl && esc_data);
	for (size_t i = 0; x && esc_ctl && esc_data && i < nt; i++) {
		char *c1 = esc_ctl(texts[i]), *c2 = esc_data(c1);
		size_t n = strlen(c2);
		int keep = isspace((unsigned char)c2[0]) || isspace((unsigned char)c2[n - 1]);
		/* the cell, its style (wrapped text has one), then its value */
		char *at = ms_printf("<c r=\"A%zu\"", i + 2);
		char *want = ms_printf(" t=\"inlineStr\"><is><t%s>%s</t></is></c>",
		                       keep ? " xml:space=\"preserve\"" : "", c2);
		const char *c = at ? strstr(x, at) : NULL;
		const char *v = c ? strstr(c, " t=\"inlineStr\"") : NULL;
		CHECK(v && !strncmp(v, want, strlen(want)));
		free(at);
		free(want);
		free(c1);
		free(c2);
	}
	for (size_t i = 0; x && i < nn; i++) {
		char *want = ms_printf("<c r=\"B%zu\" s=\"", i + 2), *at = strstr(x, want);
		char num[40];
		snprintf(num, sizeof num, "\"><v>%.16G</v></c>", nums[i]);
		CHECK(at && strstr(at, num) == strchr(at + strlen(want), '"'));
		free(want);
	}
	CHECK(x && strstr(x, "<c r=\"C2\" s=\"") && strstr(x, "\"><v>46350</v></c>"));
	CHECK(x && strstr(x, "<c r=\"D3\" s=\""));
	CHECK(x && strstr(x, "<dimension ref=\"A1:D11\"/>"));
	CHECK(x && strstr(x, "<row r=\"1\"><c r=\"A1\" s=\""));
	free(x);
	rd_limits lim = rd_limits_default();
	rd_book *rb = xlsx_read(path, &lim, &d);
	CHECK_STR(text(rb, "Rows", 5, 1), "tab\tand\nline");
	CHECK_STR(text(rb, "Rows", 6, 1), "AT&T <b> & >");
	CHECK_STR(text(rb, "Rows", 8, 1), "Côte d’Ivoire — ✓");
	const rd_cell *c = cell(rb, "Rows", 8, 2);
	CHECK(c && c->type == RD_NUMBER && c->num == 1234567.5);
	rd_book_free(rb);
	ms_diags_free(&d);
	unlink(path);
	free(path);
}

/* A cell's style attribute in a sheet's XML (" s=\"3\"", or "" when it has
 * none), in out. */
static void style_of(const char *xml, const char *name, char *out, size_t n)
{
	char *at = ms_printf("<c r=\"%s\"", name);
	const char *c = at && xml ? strstr(xml, at) : NULL;
	out[0] = 0;
	if (c) {
		c += strlen(at);
		if (!strncmp(c, " s=\"", 4)) {
			size_t k = 4;
			while (c[k] && c[k] != '"')
				k++;
			snprintf(out, n, "%.*s", (int)(k + 1), c);
		}
	} else {
		snprintf(out, n, "(no cell)");
	}
	free(at);
}

/* A streamed sheet sharing its strings (xw_share_strings) holds the same
 * values with the same styles as one writing them inline and as a table
 * sheet (which libxlsxwriter gives shared strings itself), each string
 * once in the workbook's table, its counts right. */
static void test_shared_strings(void)
{
	static const char *texts[] = {
	    "N-2026-LAO-0001",
	    " leading space",
	    "AT&T <b> & >",
	    "bell\a vt\v end",
	    "two\nlines",
	    "Côte d’Ivoire — ✓",
	    ("A title long enough to be wrapped in its column, beyond the sixty characters "
	     "of the cap"),
	};
	enum { NT = sizeof texts / sizeof *texts, ROWS = 40, COLS = 3 };
	char *path = ms_printf("%s/shared.xlsx", dir);
	ms_diags d;
	ms_diags_init(&d);
	xw_book *b = xw_open(path, &d);
	static const char *heads[] = {"Need", "Title", "Submitter"};
	xw_sheet *in = xw_add_stream_sheet(b, "Inline", heads, COLS, NULL);
	xw_sheet *sh = xw_add_stream_sheet(b, "Shared", heads, COLS, NULL);
	xw_sheet *tb = xw_add_sheet(b, "Table", heads, COLS, NULL);
	xw_share_strings(sh);
	xw_share_strings(tb); /* not streamed: no effect */
	for (int r = 1; r <= ROWS; r++)
		for (int c = 0; c < COLS; c++) {
			const char *t = texts[(r * 3 + c * 5) % NT];
			xw_text(in, r, c, t);
			xw_text(sh, r, c, t);
			xw_text(tb, r, c, t);
		}
	CHECK_INT(xw_close(b, &d), 0);
	char *xi = part(path, "xl/worksheets/sheet1.xml"),
	     *xs = part(path, "xl/worksheets/sheet2.xml");
	char *sst = part(path, "xl/sharedStrings.xml");
	CHECK(xi && xs && sst);
	const char *data = xs ? strstr(xs, "<row r=\"2\"") : NULL; /* the header is inline */
	CHECK(data && !strstr(data, "inlineStr") && strstr(data, "<c r=\"B2\""));
	char want[96];
	/* the texts of both sheets, and the table sheet's headers (a streamed
	 * sheet's are inline, libxlsxwriter's own) */
	snprintf(want, sizeof want, "count=\"%d\" uniqueCount=\"%d\"", 2 * ROWS * COLS + COLS,
	         NT + COLS);
	CHECK(sst && strstr(sst, want));
	int same_style = 0;
	rd_limits lim = rd_limits_default();
	rd_book *rb = xlsx_read(path, &lim, &d);
	int same = 0;
	for (int r = 1; r <= ROWS; r++)
		for (int c = 0; c < COLS; c++) {
			const char *t = texts[(r * 3 + c * 5) % NT];
			char name[16], s1[32], s2[32];
			snprintf(name, sizeof name, "%c%d", 'A' + c, r + 1);
			style_of(xi, name, s1, sizeof s1);
			style_of(xs, name, s2, sizeof s2);
			same_style += !strcmp(s1, s2) && strcmp(s1, "(no cell)");
			char *want_t = ms_strdup(t);
			same += !strcmp(text(rb, "Inline", r + 1, c + 1),
			                text(rb, "Shared", r + 1, c + 1)) &&
			        !strcmp(text(rb, "Table", r + 1, c + 1),
			                text(rb, "Shared", r + 1, c + 1)) &&
			        !strcmp(text(rb, "Shared", r + 1, c + 1), want_t);
			free(want_t);
		}
	CHECK_INT(same_style, ROWS * COLS);
	CHECK_INT(same, ROWS * COLS);
	CHECK_STR(text(rb, "Shared", 2, 3), texts[(3 + 10) % NT]);
	rd_book_free(rb);
	free(xi);
	free(xs);
	free(sst);
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
	test_stream_bytes();
	test_shared_strings();
	rmdir(dir);
	return t_done("xlsx");
}
