/* Unit tests of read/: XLSX (libxlsxwriter-made at test time, hand-made
 * fixtures, hostile files), CSV, Markdown forms. */
#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm-extension_api.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>
#include <zip.h>

#include "read/csv.h"
#include "read/mdform.h"
#include "read/xlsx.h"
#include "read/zip.h"
#include "same_book.h"
#include "t.h"
#include "util/buf.h"

static const rd_cell *cell(const rd_book *b, const char *sheet, int row, int col)
{
	const rd_sheet *s = sheet ? rd_book_sheet(b, sheet) : &b->sheets[0];
	return s ? rd_sheet_cell(s, row, col) : NULL;
}

static void test_libxlsxwriter(void)
{
	const char *path = "build/test-lxw.xlsx";
	lxw_workbook *wb = workbook_new(path);
	lxw_worksheet *ws = workbook_add_worksheet(wb, "My sheet");
	lxw_format *df = workbook_add_format(wb);
	format_set_num_format(df, "yyyy-mm-dd");
	lxw_format *cf = workbook_add_format(wb);
	format_set_num_format(cf, "dd/mm/yyyy");
	lxw_datetime dt = {2013, 6, 26, 0, 0, 0};
	worksheet_write_string(ws, 0, 0, "Côte d'Ivoire", NULL);
	worksheet_write_number(ws, 0, 1, 4.1, NULL);
	worksheet_write_datetime(ws, 0, 2, &dt, df);
	worksheet_write_datetime(ws, 0, 3, &dt, cf);
	worksheet_write_formula_num(ws, 0, 4, "=B1*2", NULL, 8.2);
	worksheet_write_boolean(ws, 0, 5, 1, NULL);
	worksheet_write_string(ws, 1, 0, "Côte d'Ivoire", NULL); /* shared string reused */
	char *big = malloc(40001);
	memset(big, 'x', 40000);
	big[40000] = 0;
	worksheet_write_string(ws, 2, 0, big, NULL); /* over Excel's limit: lxw refuses */
	free(big);
	workbook_close(wb);
	ms_diags d;
	ms_diags_init(&d);
	rd_book *b = xlsx_read(path, NULL, &d);
	CHECK(b != NULL);
	CHECK_INT(d.n, 0);
	if (b) {
		CHECK_STR(b->sheets[0].name, "My sheet");
		const rd_cell *c = cell(b, "my sheet", 1, 1);
		CHECK(c && c->type == RD_TEXT);
		CHECK_STR(c ? c->text : NULL, "Côte d'Ivoire");
		c = cell(b, NULL, 1, 2);
		CHECK(c && c->type == RD_NUMBER && c->num == 4.1);
		c = cell(b, NULL, 1, 3);
		CHECK(c && c->type == RD_DATE && c->day == ms_ymd_to_day(2013, 6, 26));
		c = cell(b, NULL, 1, 4);
		CHECK(c && c->type == RD_DATE && c->day == ms_ymd_to_day(2013, 6, 26));
		c = cell(b, NULL, 1, 5);
		CHECK(c && c->type == RD_NUMBER && c->num == 8.2);
		c = cell(b, NULL, 1, 6);
		CHECK(c && c->type == RD_BOOL && c->num == 1);
		CHECK_STR(cell(b, NULL, 2, 1) ? cell(b, NULL, 2, 1)->text : NULL, "Côte d'Ivoire");
		ms_pos p = rd_cell_pos(b, &b->sheets[0], 7, 4);
		char where[128];
		CHECK_STR(ms_pos_format(&p, where, sizeof where),
		          "build/test-lxw.xlsx:'My sheet'!D7");
	}
	rd_book_free(b);
	ms_diags_free(&d);
}

static void test_fixtures(void)
{
	ms_diags d;
	ms_diags_init(&d);
	rd_book *b = xlsx_read("tests/fixtures/xlsx/date1904.xlsx", NULL, &d);
	CHECK(b && b->date1904);
	if (b) {
		CHECK_INT(cell(b, NULL, 1, 1)->day, ms_ymd_to_day(1904, 1, 1));
		CHECK_INT(cell(b, NULL, 1, 2)->day,
		          ms_ymd_to_day(2013, 7, 7));            /* custom dd/mm/yyyy */
		CHECK_INT(cell(b, NULL, 1, 3)->type, RD_NUMBER); /* no date format */
	}
	rd_book_free(b);
	b = xlsx_read("tests/fixtures/xlsx/nor.xlsx", NULL, &d);
	CHECK(b != NULL);
	if (b) {
		CHECK_INT(cell(b, NULL, 1, 1)->day, ms_ymd_to_day(1900, 2, 28)); /* serial 59 */
		CHECK_INT(cell(b, NULL, 1, 2)->day, ms_ymd_to_day(1900, 3, 1));  /* serial 61 */
		CHECK(cell(b, NULL, 1, 3) && cell(b, NULL, 1, 3)->num == 1.5); /* no r: column C */
		CHECK_STR(cell(b, NULL, 2, 1)->text, "second row");            /* row without r */
		CHECK(cell(b, NULL, 2, 5) && cell(b, NULL, 2, 5)->num == 5);   /* after D2 */
		CHECK_INT(cell(b, NULL, 5, 2)->type, RD_BOOL);
		CHECK_STR(cell(b, NULL, 5, 3)->text, "#N/A");
		CHECK_INT(cell(b, NULL, 5, 4)->day, ms_ymd_to_day(2013, 6, 26));
		CHECK_STR(cell(b, NULL, 5, 5)->text, "formula text");
	}
	rd_book_free(b);
	b = xlsx_read("tests/fixtures/xlsx/richtext.xlsx", NULL, &d);
	CHECK(b != NULL);
	if (b) {
		CHECK_STR(cell(b, NULL, 1, 1)->text,
		          "Côte d'Ivoire");                          /* runs joined, rPh skipped */
		CHECK_STR(cell(b, NULL, 1, 2)->text, "a\rb_x0041_"); /* _x000D_, _x005F_ */
		CHECK_STR(cell(b, NULL, 1, 3)->text, "Björn GØMEZ");
	}
	rd_book_free(b);
	b = xlsx_read("tests/fixtures/xlsx/strict.xlsx", NULL, &d);
	CHECK(b && cell(b, NULL, 1, 2) && cell(b, NULL, 1, 2)->num == 42);
	rd_book_free(b);
	b = xlsx_read("tests/fixtures/xlsx/wide-row.xlsx", NULL, &d);
	CHECK(b && b->sheets[0].max_col == 10000);
	rd_book_free(b);
	CHECK_INT(d.n, 0);
	ms_diags_free(&d);
}

/* Each hostile workbook: exactly one whole-file error containing `want`
 * (for the bombs, the cap that stopped the inflating: bounded by bytes, not
 * by a clock, so the test holds under valgrind too). */
static void expect_bad(const char *path, const char *want)
{
	ms_diags d;
	ms_diags_init(&d);
	rd_book *b = xlsx_read(path, NULL, &d);
	CHECK(b == NULL);
	CHECK_INT(d.n, 1);
	if (d.n) {
		CHECK_STR(d.v[0].where, path);
		if (!strstr(d.v[0].msg, want))
			fprintf(stderr, "%s: got '%s'\n", path, d.v[0].msg);
		CHECK(strstr(d.v[0].msg, want) != NULL);
	}
	rd_book_free(b);
	ms_diags_free(&d);
}

static void test_hostile(void)
{
	expect_bad("tests/bad/xxe.xlsx", "DOCTYPE");
	expect_bad("tests/bad/billion-laughs.xlsx", "DOCTYPE");
	expect_bad("tests/bad/doctype.xlsx", "DOCTYPE");
	expect_bad("tests/bad/zip-bomb.xlsx", "zip bomb");
	expect_bad("tests/bad/truncated.xlsx", "damaged");
	expect_bad("tests/bad/bad-crc.xlsx", "CRC");
	expect_bad("tests/bad/encrypted.xlsx", "password-protected");
	expect_bad("tests/bad/legacy.xls", "legacy Excel");
	expect_bad("tests/bad/not-a-zip.xlsx", "not a zip");
	expect_bad("tests/bad/past-xfd.xlsx", "XFD");
}

/* Shared strings over 256 KiB are read on a second thread while the first
 * sheet is; the book is the same as read in line (MSPDOC_THREADS=1). */
static void read_both(const char *path, const rd_limits *lim, rd_book **b, ms_diags *d)
{
	for (int serial = 0; serial < 2; serial++) {
		t_threads(serial ? 1 : 2);
		ms_diags_init(&d[serial]);
		b[serial] = xlsx_read(path, lim, &d[serial]);
	}
	t_threads(0);
}

/* Both readings (read_both) refused the workbook with one diagnostic
 * saying msg; frees what they made. */
static void refused_both(rd_book **b, ms_diags *d, const char *msg)
{
	for (int i = 0; i < 2; i++) {
		CHECK(b[i] == NULL);
		CHECK(d[i].n == 1 && strstr(d[i].v[0].msg, msg));
		rd_book_free(b[i]);
		ms_diags_free(&d[i]);
	}
}

static void test_big_shared_strings(void)
{
	rd_book *b[2];
	ms_diags d[2];
	read_both("tests/fixtures/xlsx/big-sst.xlsx", NULL, b, d);
	CHECK(b[0] && b[1]);
	CHECK_INT(d[0].n + d[1].n, 0);
	CHECK(b[0] && b[1] && same_book(b[0], b[1]));
	if (b[0]) {
		CHECK(!strncmp(cell(b[0], NULL, 1, 1)->text, "string 0 xxx", 12));
		CHECK(cell(b[0], NULL, 1, 2) == NULL); /* the empty string is no cell */
		CHECK(!strncmp(cell(b[0], NULL, 1, 3)->text, "string 2999 x", 13));
		CHECK(!strncmp(cell(b[0], NULL, 2001, 1)->text, "string 2007 x",
		               13)); /* 2001 * 7 % 3000 */
		CHECK_INT((int)b[0]->sheets[0].nrows, 2001);
	}
	for (int i = 0; i < 2; i++) {
		rd_book_free(b[i]);
		ms_diags_free(&d[i]);
	}
	/* an index past the strings, and both parts damaged (the shared
	 * strings come first, so theirs is the error), either way */
	const char *bad[][2] = {{"tests/bad/big-sst-missing.xlsx", "shared string that does not"},
	                        {"tests/bad/big-sst-damaged.xlsx", "not well-formed"}};
	for (int k = 0; k < 2; k++) {
		read_both(bad[k][0], NULL, b, d);
		refused_both(b, d, bad[k][1]);
	}
	/* the two threads count inflated bytes together: a cap above each
	 * part but below both stops the read, threaded or not */
	size_t len;
	char *data;
	int big;
	size_t sst = 0, sheet = 0;
	if (ms_read_file("tests/fixtures/xlsx/big-sst.xlsx", 1 << 20, &data, &len, &big) == 0) {
		rz_limits zl = {100, 1 << 30, (size_t)1 << 30};
		const char *why;
		rz_zip *z = rz_open_mem(data, len, &zl, &why);
		sst = rz_size(z, "xl/sharedStrings.xml");
		sheet = rz_size(z, "xl/worksheets/sheet1.xml");
		rz_close(z);
		free(data);
	}
	CHECK(sst > 256 * 1024 && sheet > 50 * 1024);
	rd_limits lim = rd_limits_default();
	lim.max_total_bytes = sst + sheet - 1000;
	read_both("tests/fixtures/xlsx/big-sst.xlsx", &lim, b, d);
	for (int i = 0; i < 2; i++) {
		CHECK(b[i] == NULL);
		CHECK(d[i].n && strstr(d[i].v[0].msg, "zip bomb"));
		rd_book_free(b[i]);
		ms_diags_free(&d[i]);
	}
}

/* A big worksheet read while the second thread reads the shared strings:
 * read whole, and stopped early by the cell limit. */
static void test_worksheet_handover(void)
{
	const char *path = "build/test-handover.xlsx";
	lxw_workbook *wb = workbook_new(path);
	lxw_worksheet *ws = workbook_add_worksheet(wb, "Data");
	worksheet_write_string(ws, 0, 0, "Funding", NULL); /* a shared-strings part */
	for (int r = 1; r <= 100000; r++)
		worksheet_write_number(ws, (lxw_row_t)r, 0, r * 1.5, NULL);
	workbook_close(wb);
	rd_limits lim = rd_limits_default();
	lim.sst_thread_bytes = 0; /* any shared strings: the second thread */
	rd_book *b[2];
	ms_diags d[2];
	read_both(path, &lim, b, d);
	CHECK(b[0] && b[1] && same_book(b[0], b[1]));
	CHECK(b[0] && b[0]->sheets[0].nrows == 100001);
	CHECK(b[0] && cell(b[0], NULL, 100001, 1) && cell(b[0], NULL, 100001, 1)->num == 150000);
	for (int i = 0; i < 2; i++) {
		rd_book_free(b[i]);
		ms_diags_free(&d[i]);
	}
	lim.max_cells = 1000;
	read_both(path, &lim, b, d);
	refused_both(b, d, "more cells than the limit");
}

/* Big sheets: cells in a mapped block, reserved at the reader's guess and
 * copied when it is too small (CSV gives none); shared strings that are
 * ready long before the sheet's end, so that the later cells take their
 * text at once and the earlier ones are patched, in both thread modes. */
static void test_big_sheets(void)
{
	ms_buf csv;
	ms_buf_init(&csv);
	for (int r = 1; r <= 150000; r++)
		ms_buf_printf(&csv, "row %d,%d\n", r, r * 3);
	ms_diags d;
	ms_diags_init(&d);
	rd_book *cb = csv_read_mem("big.csv", csv.s, csv.len, NULL, &d);
	CHECK(cb && cb->sheets[0].nrows == 150000 && cb->sheets[0].max_col == 2);
	if (cb) {
		const rd_sheet *s = &cb->sheets[0];
		CHECK_STR(rd_sheet_cell(s, 1, 1)->text, "row 1");
		CHECK_STR(rd_sheet_cell(s, 150000, 2)->text, "450000");
		CHECK_INT(s->rows[149999].line, 150000);
		CHECK_INT(s->rows[77776].n, 2);
	}
	rd_book_free(cb);
	ms_diags_free(&d);
	ms_buf_free(&csv);

	const char *path = "build/test-big-sheet.xlsx";
	lxw_workbook *wb = workbook_new(path);
	lxw_worksheet *ws = workbook_add_worksheet(wb, "Needs");
	char t[32];
	for (int r = 0; r < 60000; r++) {
		snprintf(t, sizeof t, "need %d", r % 500);
		worksheet_write_string(ws, (lxw_row_t)r, 0, t, NULL);
		worksheet_write_number(ws, (lxw_row_t)r, 1, r, NULL);
		snprintf(t, sizeof t, "country %d", r % 7);
		worksheet_write_string(ws, (lxw_row_t)r, 3, t, NULL);
	}
	workbook_close(wb);
	rd_limits lim = rd_limits_default();
	lim.sst_thread_bytes = 0;
	rd_book *b[2];
	ms_diags d2[2];
	read_both(path, &lim, b, d2);
	CHECK(b[0] && b[1] && same_book(b[0], b[1]));
	if (b[0]) {
		const rd_sheet *s = &b[0]->sheets[0];
		CHECK_INT(s->nrows, 60000);
		CHECK_INT(s->max_col, 4);
		CHECK_STR(rd_sheet_cell(s, 1, 1)->text, "need 0");
		CHECK_STR(rd_sheet_cell(s, 60000, 1)->text, "need 499");
		CHECK_STR(rd_sheet_cell(s, 59999, 4)->text, "country 1"); /* 59998 % 7 */
		CHECK(rd_sheet_cell(s, 60000, 2) && rd_sheet_cell(s, 60000, 2)->num == 59999);
		CHECK(rd_sheet_cell(s, 3, 3) == NULL);
	}
	for (int i = 0; i < 2; i++) {
		rd_book_free(b[i]);
		ms_diags_free(&d2[i]);
	}
}

/* Several big sheets are read two at a time (the threaded read) and give
 * the book the serial read gives; a sheet that fails, or cells that pass
 * the limit only together, give the serial diagnostics. */
static void test_sheets_two_at_a_time(void)
{
	const char *path = "build/test-two-sheets.xlsx";
	lxw_workbook *wb = workbook_new(path);
	const char *names[] = {"Statuses", "Notes", "Funding"};
	char t[48];
	for (int k = 0; k < 3; k++) {
		lxw_worksheet *ws = workbook_add_worksheet(wb, names[k]);
		if (k == 1)
			worksheet_hide(ws);
		int rows = k == 1 ? 50 : 20000 + k * 5000;
		for (int r = 0; r < rows; r++) {
			snprintf(t, sizeof t, "%s %d", names[k], r % 300);
			worksheet_write_string(ws, (lxw_row_t)r, 0, t, NULL);
			worksheet_write_number(ws, (lxw_row_t)r, 2, r + k / 4.0, NULL);
			if (k == 2 && r == rows - 1)
				worksheet_write_string(ws, (lxw_row_t)r, 5, "far right", NULL);
		}
	}
	workbook_close(wb);
	rd_limits lim = rd_limits_default();
	lim.par_sheet_bytes = 0;
	rd_book *b[2];
	ms_diags d[2];
	read_both(path, &lim, b, d);
	CHECK(b[0] && b[1] && same_book(b[0], b[1]));
	CHECK(b[0] && b[0]->narenas == 1 && b[1] && b[1]->narenas == 0); /* two at a time */
	if (b[0]) {
		CHECK_INT(b[0]->nsheets, 3);
		for (int k = 0; k < 3; k++)
			CHECK_STR(b[0]->sheets[k].name, names[k]);
		CHECK(!b[0]->sheets[0].hidden && b[0]->sheets[1].hidden);
		CHECK_INT(b[0]->sheets[2].nrows, 30000);
		CHECK_STR(cell(b[0], "Funding", 30000, 6)->text, "far right");
		CHECK_STR(cell(b[0], "Notes", 50, 1)->text, "Notes 49");
		CHECK(cell(b[0], "Funding", 2, 3)->num == 1.5);
	}
	for (int i = 0; i < 2; i++) {
		CHECK(d[i].n == 0);
		rd_book_free(b[i]);
		ms_diags_free(&d[i]);
	}
	/* the last sheet has a cell beyond the columns allowed */
	lim.max_cols = 5;
	read_both(path, &lim, b, d);
	refused_both(b, d, "beyond column");
	/* each sheet within the cell limit, not all of them together */
	lim = rd_limits_default();
	lim.par_sheet_bytes = 0;
	lim.max_cells = 80000;
	read_both(path, &lim, b, d);
	refused_both(b, d, "more cells than the limit");
}

/* A workbook of one sheet whose XML is `sheet` (its text as given), and
 * two shared strings, "alpha" and "beta". */
static void write_book(const char *path, const char *sheet)
{
	static const char *const names[] = {"_rels/.rels", "xl/workbook.xml",
	                                    "xl/_rels/workbook.xml.rels", "xl/sharedStrings.xml",
	                                    "xl/worksheets/sheet1.xml"};
#define NS "http://schemas.openxmlformats.org/"
	const char *texts[] = {
	    "<Relationships xmlns=\"" NS "package/2006/relationships\"><Relationship Id=\"rId1\" "
	    "Type=\"" NS "officeDocument/2006/relationships/officeDocument\" "
	    "Target=\"xl/workbook.xml\"/></Relationships>",
	    "<workbook xmlns=\"" NS "spreadsheetml/2006/main\" xmlns:r=\"" NS
	    "officeDocument/2006/relationships\"><sheets><sheet name=\"Data\" sheetId=\"1\" "
	    "r:id=\"rId1\"/></sheets></workbook>",
	    "<Relationships xmlns=\"" NS "package/2006/relationships\"><Relationship Id=\"rId1\" "
	    "Type=\"" NS "officeDocument/2006/relationships/worksheet\" "
	    "Target=\"worksheets/sheet1.xml\"/><Relationship Id=\"rId2\" Type=\"" NS
	    "officeDocument/2006/relationships/sharedStrings\" "
	    "Target=\"sharedStrings.xml\"/></Relationships>",
	    "<sst xmlns=\"" NS "spreadsheetml/2006/main\"><si><t>alpha</t></si><si><t>beta</t></si>"
	    "</sst>",
	    sheet};
#undef NS
	zipFile z = zipOpen(path, APPEND_STATUS_CREATE);
	for (int i = 0; z && i < 5; i++) {
		zipOpenNewFileInZip(z, names[i], NULL, NULL, 0, NULL, 0, NULL, Z_DEFLATED, 6);
		zipWriteInFileInZip(z, texts[i], (unsigned)strlen(texts[i]));
		zipCloseFileInZip(z);
	}
	if (z)
		zipClose(z, NULL);
}

/* rows rows of three cells (a shared string, a number, an inline string),
 * with `mid` (when not NULL) between the two halves of the rows; r: rows
 * say their number. The root and sheetData have prefix `pfx` ("" or "x:"). */
static char *sheet_xml(int rows, const char *mid, int r, const char *pfx)
{
	ms_buf b;
	ms_buf_init(&b);
	ms_buf_printf(&b,
	              "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<%sworksheet "
	              "xmlns%s%.*s=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
	              "<%sdimension ref=\"A1:C%d\"/><%ssheetData>",
	              pfx, *pfx ? ":" : "", *pfx ? (int)strlen(pfx) - 1 : 0, pfx, pfx, rows, pfx);
	for (int i = 1; i <= rows; i++) {
		if (mid && i == rows / 2)
			ms_buf_adds(&b, mid);
		if (r)
			ms_buf_printf(&b, "<%srow r=\"%d\">", pfx, i);
		else
			ms_buf_printf(&b, "<%srow>", pfx);
		ms_buf_printf(
		    &b,
		    "<%sc t=\"s\"><%sv>%d</%sv></%sc><%sc><%sv>%d.25</%sv></%sc>"
		    "<%sc t=\"inlineStr\"><%sis><%st>line %d &amp; more</%st></%sis></%sc></%srow>",
		    pfx, pfx, i % 2, pfx, pfx, pfx, pfx, i, pfx, pfx, pfx, pfx, pfx, i, pfx, pfx,
		    pfx, pfx);
	}
	ms_buf_printf(&b, "</%ssheetData><%spageMargins left=\"0.7\"/></%sworksheet>", pfx, pfx,
	              pfx);
	return b.s;
}

/* A big sheet read in two halves on two threads gives the serial book, or,
 * where a half cannot stand alone (rows without numbers, a comment across
 * the cut, a row repeated across it), is read again serially: the same
 * book or the same one diagnostic either way. */
static void test_sheet_halves(void)
{
	const char *path = "build/test-halves.xlsx";
	struct {
		const char *mid;
		int r;
		const char *pfx;
		int split; /* read in halves (else again serially) */
		const char *err;
	} cases[] = {
	    {NULL, 1, "", 1, NULL},
	    {NULL, 1, "x:", 1, NULL},
	    {NULL, 0, "", 0, NULL},
	    {NULL, 1, "", 0, NULL}, /* a comment across the cut, below */
	    {"<row r=\"3\"><c><v>7</v></c></row>", 1, "", 0, "after a later row"},
	};
	rd_limits lim = rd_limits_default();
	lim.split_sheet_bytes = 0;
	ms_buf comment;
	ms_buf_init(&comment);
	ms_buf_adds(&comment, "<!-- ");
	for (int i = 0; i < 2000; i++)
		ms_buf_adds(&comment, "<row r=\"2\"><c><v>9</v></c></row>");
	ms_buf_adds(&comment, " -->");
	cases[3].mid = comment.s;
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		char *xml = sheet_xml(4000, cases[k].mid, cases[k].r, cases[k].pfx);
		write_book(path, xml);
		free(xml);
		rd_book *b[2];
		ms_diags d[2];
		read_both(path, &lim, b, d);
		if (cases[k].err) {
			for (int i = 0; i < 2; i++) {
				CHECK(b[i] == NULL);
				CHECK(d[i].n == 1 && strstr(d[i].v[0].msg, cases[k].err));
			}
		} else {
			CHECK(b[0] && b[1] && same_book(b[0], b[1]));
			CHECK(b[0] && (int)b[0]->narenas == cases[k].split);
			CHECK(b[0] && b[0]->sheets[0].nrows == 4000);
			if (b[0]) {
				CHECK_STR(cell(b[0], NULL, 4000, 1)->text, "alpha");
				CHECK_STR(cell(b[0], NULL, 3999, 1)->text, "beta");
				CHECK(cell(b[0], NULL, 2001, 2)->num == 2001.25);
				CHECK_STR(cell(b[0], NULL, 2999, 3)->text, "line 2999 & more");
			}
		}
		for (int i = 0; i < 2; i++) {
			if (!cases[k].err)
				CHECK(d[i].n == 0);
			rd_book_free(b[i]);
			ms_diags_free(&d[i]);
		}
	}
	ms_buf_free(&comment);
}

static void test_csv(void)
{
	ms_diags d;
	ms_diags_init(&d);
	const char *semi = "\xEF\xBB\xBF"
	                   "Donor;Recipient;Amount\r\nNorway;\"Lao PDR\";\"1 250 000\"\r\n\r\n"
	                   "Ireland;\"Multi\nline\";5\r\n";
	rd_book *b = csv_read_mem("funding-2012.csv", semi, strlen(semi), NULL, &d);
	CHECK(b && b->is_csv);
	if (b) {
		const rd_sheet *s = &b->sheets[0];
		CHECK_STR(s->name, "funding-2012");
		CHECK_INT(s->nrows, 3);
		CHECK_STR(rd_sheet_cell(s, 1, 1)->text, "Donor");
		CHECK_STR(rd_sheet_cell(s, 2, 3)->text, "1 250 000");
		CHECK_STR(rd_sheet_cell(s, 3, 2)->text, "Multi\nline");
		ms_pos p = rd_cell_pos(b, s, 3, 2);
		CHECK_INT(p.line, 4); /* the record starts on line 4 */
	}
	rd_book_free(b);
	CHECK_INT(d.n, 0);
	/* Windows-1252 fallback with a warning */
	const char *cp = "Country,Note\nC\xF4te d'Ivoire,caf\xE9 \x80\n";
	b = csv_read_mem("needs.csv", cp, strlen(cp), NULL, &d);
	CHECK(b != NULL);
	CHECK_STR(b ? rd_sheet_cell(&b->sheets[0], 2, 1)->text : NULL, "Côte d'Ivoire");
	CHECK_STR(b ? rd_sheet_cell(&b->sheets[0], 2, 2)->text : NULL, "café €");
	CHECK(d.n == 1 && d.v[0].sev == MS_WARNING && strstr(d.v[0].msg, "Windows-1252"));
	rd_book_free(b);
	/* tab delimiter */
	const char *tsv = "a\tb,c\tx\n1\t2,3\t4\n";
	b = csv_read_mem("status.csv", tsv, strlen(tsv), NULL, &d);
	CHECK(b && rd_sheet_cell(&b->sheets[0], 1, 2) &&
	      !strcmp(rd_sheet_cell(&b->sheets[0], 1, 2)->text, "b,c"));
	rd_book_free(b);
	/* unterminated quote: error at the line the field starts */
	ms_diags_free(&d);
	ms_diags_init(&d);
	b = csv_read_mem("x.csv", "a,b\n1,\"open\n2,3\n", 16, NULL, &d);
	CHECK(b == NULL);
	CHECK(d.n == 1 && d.v[0].sev == MS_ERROR && strstr(d.v[0].where, "x.csv:2"));
	ms_diags_free(&d);
}

static void test_mdform(void)
{
	ms_diags d;
	ms_diags_init(&d);
	const char *text =
	    "---\nForm: Contribution\nTitle: Clearance in\n  Xieng Khouang\nAreas: CL; CA\n---\n"
	    "Preamble text.\n\n## Results\n\nR1.\n\n## Summary\n\nS1.\n\n### Sub\n\n"
	    "## Unknown heading\n\nStill summary.\n\n## summary\n\nS2.\n";
	mdf_form *f = mdf_parse("c.md", text, strlen(text), &d);
	CHECK(f != NULL);
	CHECK(mdf_has_form_key(text, strlen(text)));
	CHECK(!mdf_has_form_key("Title: x\n", 9));
	if (f) {
		CHECK_INT(f->nfields, 3);
		CHECK_STR(f->fields[1].value, "Clearance in Xieng Khouang");
		CHECK_INT(f->fields[2].line, 5);
		const char *names[] = {"Summary", "Results", "Lessons learned"};
		cmark_node *out[3];
		int lines[3];
		mdf_sections(f, names, 3, out, lines);
		CHECK(out[0] && out[1] && !out[2]);
		CHECK_INT(lines[1], 9);
		/* summary: preamble, S1, ### Sub, Unknown heading, Still summary, S2 */
		int n = 0;
		for (cmark_node *c = out[0] ? cmark_node_first_child(out[0]) : NULL; c;
		     c = cmark_node_next(c))
			n++;
		CHECK_INT(n, 6);
		char *t = out[0] ? mdf_plain_text(cmark_node_last_child(out[0])) : NULL;
		CHECK_STR(t, "S2.");
		free(t);
		for (int i = 0; i < 3; i++)
			if (out[i])
				cmark_node_free(out[i]);
	}
	mdf_free(f);
	CHECK_INT(d.n, 0);
	/* a header line without ':' */
	f = mdf_parse("bad.md", "Form: Need\nTitle x\n\nBody\n", 22, &d);
	CHECK(f == NULL && d.n == 1 && !strcmp(d.v[0].where, "bad.md:2"));
	/* invalid UTF-8 on line 3 */
	f = mdf_parse("u.md", "Form: Need\n\n\xC3(\n", 14, &d);
	CHECK(f == NULL && d.n == 2 && !strcmp(d.v[1].where, "u.md:3"));
	/* 100 levels of quotes: refused (before cmark sees them) */
	char deep[400];
	memset(deep, '>', 100);
	strcpy(deep + 100, " x\n");
	char *doc = ms_printf("Form: Need\n\n%s", deep);
	f = mdf_parse("deep.md", doc, strlen(doc), &d);
	CHECK(f == NULL && d.n == 3 && strstr(d.v[2].msg, "nested"));
	free(doc);
	ms_diags_free(&d);
}

/* cmark's own tree for a text, parsed as mdform.c parses sections. */
static char *cmark_xml(const char *t)
{
	cmark_gfm_core_extensions_ensure_registered();
	cmark_parser *p = cmark_parser_new(CMARK_OPT_FOOTNOTES);
	static const char *exts[] = {"table", "strikethrough", "autolink"};
	for (size_t i = 0; i < 3; i++)
		cmark_parser_attach_syntax_extension(p, cmark_find_syntax_extension(exts[i]));
	cmark_parser_feed(p, t, strlen(t));
	cmark_node *doc = cmark_parser_finish(p);
	char *x = cmark_render_xml(doc, 0);
	cmark_node_free(doc);
	cmark_parser_free(p);
	return x;
}

/* A cell of plain prose is built without the parser: the tree must be the
 * one cmark makes, for plain lines and for the ones that only look plain. */
static void test_plain_cells(void)
{
	static const char *texts[] = {
	    "Clearance of 1,200 hectares in Xieng Khouang (2012), with the NRA.",
	    "Côte d'Ivoire \u2014 \"stockpile\" destruction; 40% done?",
	    "Costs: USD 5 million",             /* a colon */
	    "see www.example.org for the plan", /* a GFM autolink */
	    "write to isu@example.org",         /* an e-mail autolink */
	    "1. a list",
	    "- a list",
	    "# a heading",
	    "a *stressed* word",
	    "two  spaces  inside",
	    "a | b",
	    "~~struck~~",
	    "x &amp; y",
	    "trailing space ",
	    "ends with a backslash\\",
	    "N-2026-LAO-01 and O-2026-NOR-02",
	};
	for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
		ms_diags d;
		ms_diags_init(&d);
		ms_pos pos = ms_pos_file("cell");
		cmark_node *doc = mdf_parse_markdown(texts[i], strlen(texts[i]), &pos, &d);
		char *got = doc ? cmark_render_xml(doc, 0) : NULL, *want = cmark_xml(texts[i]);
		CHECK_STR(got, want);
		free(got);
		free(want);
		cmark_node_free(doc);
		ms_diags_free(&d);
	}
}

int main(void)
{
	test_libxlsxwriter();
	test_fixtures();
	test_hostile();
	test_big_shared_strings();
	test_worksheet_handover();
	test_big_sheets();
	test_sheets_two_at_a_time();
	test_sheet_halves();
	test_csv();
	test_mdform();
	test_plain_cells();
	return t_done("read");
}
