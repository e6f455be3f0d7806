/* Unit tests of xlsx/ (the XLSX back-end), read back with our own reader
 * and with openpyxl (tests/tools/xlsx_norm.py):
 * table and stream sheets, cut text, widths, and a refused cell failing
 * the workbook rather than leaving it out. */
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

/* What openpyxl reads in path (tests/tools/xlsx_norm.py), malloc'd. */
static char *openpyxl_view(const char *path)
{
	char *cmd = ms_printf("/usr/bin/python3 tests/tools/xlsx_norm.py '%s'", path);
	FILE *p = cmd ? popen(cmd, "r") : NULL;
	ms_buf out = {0};
	char chunk[4096];
	size_t n;
	while (p && (n = fread(chunk, 1, sizeof chunk, p)) > 0)
		ms_buf_add(&out, chunk, n);
	if (p)
		pclose(p);
	free(cmd);
	return out.s;
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

	/* widths follow content: 1,234,567.50 and a margin, 14 characters
	 * (Excel adds its padding: 14.71) */
	char *v = openpyxl_view(path);
	if (getenv("XW_KEEP"))
		fputs(v ? v : "", stderr);
	CHECK(v && strstr(v, "widths: A=11.71 B=28.71 C=14.71 D=13.71\n"));
	free(v);
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
	got = NULL;

	/* a workbook whose first sheet is streamed is in constant-memory mode
	 * as a whole: its table sheets take rows in order too */
	b = xw_open(path, &d);
	s = xw_add_stream_sheet(b, "Matches", heads, 2, NULL);
	xw_sheet *t = xw_add_sheet(b, "Summary", heads, 2, NULL);
	xw_text(s, 1, 0, "N-1");
	xw_text(t, 2, 0, "Total");
	xw_text(t, 1, 1, "back to row 2");
	CHECK_INT(xw_close(b, &d), -1);
	CHECK(d.n == 2 && strstr(d.v[1].msg, "cell Summary!B2 could not be filled"));
	CHECK(ms_read_file(path, 100, &got, &n, &big) == 0 && got && !strcmp(got, "earlier"));
	free(got);
	ms_diags_free(&d);
	unlink(path);
	free(path);
}

/* A streamed sheet and a table sheet given the same cells hold the same
 * values, read back: text with white space at either end, control
 * characters, markup characters and non-ASCII; numbers; a date. */
static void test_stream_values(void)
{
	static const char *texts[] = {
	    "plain",        " leading space",          "trailing space ",   "tab\tand\nline",
	    "AT&T <b> & >", "bell\a vt\v esc\x1b end", "Côte d’Ivoire — ✓", "\n",
	};
	static const double nums[] = {0, 3, -17, 144000, 0.1, 1234567.5, 1e15, 1e20, -2.5e-7};
	size_t nt = sizeof texts / sizeof *texts, nn = sizeof nums / sizeof *nums;
	char *path = ms_printf("%s/stream.xlsx", dir);
	ms_diags d;
	ms_diags_init(&d);
	xw_book *b = xw_open(path, &d);
	static const char *heads[] = {"Text", "Number", "Date", "Fill"};
	xw_sheet *sh[2] = {xw_add_stream_sheet(b, "Rows", heads, 4, NULL),
	                   xw_add_sheet(b, "Table", heads, 4, NULL)};
	xw_share_strings(sh[0]); /* no effect: every sheet's text is shared */
	for (int k = 0; k < 2; k++)
		for (size_t i = 0; i < nt || i < nn; i++) {
			if (i < nt)
				xw_text(sh[k], (int)i + 1, 0, texts[i]);
			if (i < nn)
				xw_number(sh[k], (int)i + 1, 1, nums[i]);
			if (i == 0)
				xw_date(sh[k], 1, 2, ms_ymd_to_day(2026, 11, 24));
			if (i == 1)
				xw_text_fill(sh[k], 2, 3, "", "#FFC7CE"); /* a blank cell, filled */
		}
	CHECK_INT(xw_close(b, &d), 0);
	CHECK_INT(d.n, 0);
	rd_limits lim = rd_limits_default();
	rd_book *rb = xlsx_read(path, &lim, &d);
	CHECK(rb != NULL);
	static const char *names[] = {"Rows", "Table"};
	for (int k = 0; rb && k < 2; k++) {
		for (size_t i = 0; i < nt; i++)
			CHECK_STR(text(rb, names[k], (int)i + 2, 1), texts[i]);
		for (size_t i = 0; i < nn; i++) {
			const rd_cell *c = cell(rb, names[k], (int)i + 2, 2);
			CHECK(c && c->type == RD_NUMBER && c->num == nums[i]);
		}
		const rd_cell *c = cell(rb, names[k], 2, 3);
		CHECK(c && c->type == RD_DATE && c->day == ms_ymd_to_day(2026, 11, 24));
	}
	rd_book_free(rb);
	ms_diags_free(&d);
	unlink(path);
	free(path);
}

/* Links, print setup, header and footer, row heights for wrapped text,
 * whole numbers without a decimal point: as openpyxl reads them. */
static void test_finish(void)
{
	char *path = ms_printf("%s/finish.xlsx", dir);
	ms_diags d;
	ms_diags_init(&d);
	xw_book *b = xw_open(path, &d);
	static const char *heads[] = {"Contact", "Web", "Amount", "Note"};
	xw_sheet *s = xw_add_sheet(b, "Needs", heads, 4, "Restricted");
	xw_print_setup(s, 1);
	xw_header_footer(s, "Needs & offers", "Cooperation Portal");
	xw_email(s, 2, 0, "Mine Action Centre <planning@bhmac.example>");
	xw_email(s, 3, 0, "ops.unit@example.org");
	xw_email(s, 4, 0, "by telephone only");
	xw_email(s, 5, 0, "bad <a#b@example.org>");
	xw_url(s, 2, 1, "https://www.clusterconvention.org/", "Convention");
	xw_url(s, 3, 1, "javascript:alert(1)", NULL);
	xw_number(s, 2, 2, 95000);
	xw_number(s, 3, 2, 1234.5);
	xw_max_width(s, 3, 20);
	/* 3 lines of 20 characters, and one of 2 explicit lines */
	xw_text(s, 2, 3, "aaaa bbbb cccc dddd eeee ffff gggg hhhh iiii");
	xw_text(s, 3, 3, "one\ntwo");
	xw_text(s, 4, 3, "short");
	CHECK_INT(xw_close(b, &d), 0);
	CHECK_INT(d.n, 0);
	char *v = openpyxl_view(path);
	CHECK(v != NULL);
	static const char *want[] = {
	    "A3 \"Mine Action Centre <planning@bhmac.example>\" underline color=0563C1 v=top "
	    "link=\"mailto:planning@bhmac.example\"",
	    "A4 \"ops.unit@example.org\" underline color=0563C1 v=top "
	    "link=\"mailto:ops.unit@example.org\"",
	    "A5 \"by telephone only\"\n",
	    "A6 \"bad <a#b@example.org>\"\n",
	    "B3 \"Convention\" underline color=0563C1 v=top "
	    "link=\"https://www.clusterconvention.org/\"",
	    "B4 \"javascript:alert(1)\"\n",
	    "C3 95000 fmt=\"#,##0\" v=top",
	    "C4 1234.5 fmt=\"#,##0.##\" v=top",
	    "heights: 3=45.00 4=30.00\n",
	    "print: orientation=landscape paper=9 fit=1x0 repeat-rows=$1:$2 "
	    "oddHeader.center=\"Needs && offers\" oddFooter.left=\"Cooperation Portal\" "
	    "oddFooter.right=\"Page &P of &N\"",
	};
	for (size_t i = 0; v && i < sizeof want / sizeof *want; i++)
		if (!strstr(v, want[i])) {
			fprintf(stderr, "not in the workbook: %s\n", want[i]);
			CHECK(0);
		}
	if (getenv("XW_KEEP"))
		fputs(v ? v : "", stderr);
	free(v);
	ms_diags_free(&d);
	unlink(path);
	free(path);
}

int main(void)
{
	if (!mkdtemp(dir))
		return 1;
	test_round_trip();
	test_refused_cell();
	test_stream_values();
	test_finish();
	rmdir(dir);
	return t_done("xlsx");
}
