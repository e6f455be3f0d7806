/* Unit tests of layout/: hyphenation, total-fit line breaking, styles. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "doc/render.h"
#include "doc/tree.h"
#include "layout/layout.h"
#include "layout/ly.h"
#include "t.h"
#include "util/buf.h"

static void test_hyphenation(void)
{
	ly_hyph *h = ly_hyph_new("/usr/share/hyphen/hyph_en_US.dic");
	char pts[64];
	const char *w = "implementation";
	int n = ly_hyphenate(h, w, strlen(w), pts);
	CHECK(n >= 3);
	/* im-ple-men-ta-tion: breaks after bytes 1, 4, 7, 9 */
	CHECK(pts[1] && pts[4] && pts[7] && pts[9]);
	CHECK(!pts[0] && !pts[12]);                      /* never before 2 or after len-3 */
	CHECK_INT(ly_hyphenate(h, "a-tion", 6, pts), 0); /* not letters only */
	CHECK_INT(ly_hyphenate(h, "war", 3, pts), 0);
	ly_hyph_free(h);
}

/* The dictionary is loaded once and lent to one document at a time. */
static void test_hyph_shared(void)
{
	const char *path = "/usr/share/hyphen/hyph_en_US.dic";
	char pts[64];
	ly_hyph *a = ly_hyph_new(path);
	ly_hyph *b = ly_hyph_new(path); /* while a is lent: its own */
	CHECK(a && b && a != b);
	CHECK(ly_hyphenate(b, "cooperation", 11, pts) >= 3);
	ly_hyph_free(b);
	ly_hyph_free(a);
	ly_hyph *c = ly_hyph_new(path); /* the kept one again, words and all */
	CHECK(c == a);
	CHECK(ly_hyphenate(c, "cooperation", 11, pts) >= 3);
	ly_cleanup(); /* lent: kept */
	ly_hyph *d = ly_hyph_new(path);
	CHECK(d != c);
	ly_hyph_free(d);
	ly_hyph_free(c);
	ly_hyph *e = ly_hyph_new("/nonexistent/hyph.dic"); /* another file: loaded anew */
	CHECK(e != NULL);
	CHECK_INT(ly_hyphenate(e, "cooperation", 11, pts), 0); /* no dictionary */
	ly_hyph_free(e);
	ly_cleanup();
	ly_cleanup();
}

/* The dictionary is shared from one document to the next; one that
 * cannot be read hyphenates nothing. */
static void test_hyph_kept(void)
{
	char pts[64];
	ly_cleanup();
	ly_hyph *a = ly_hyph_new(LY_DEFAULT_HYPH);
	CHECK(a != NULL);
	CHECK(ly_hyphenate(a, "implementation", 14, pts) >= 3);
	ly_hyph_free(a);
	ly_hyph *b = ly_hyph_new(LY_DEFAULT_HYPH);
	CHECK(b == a);
	ly_hyph_free(b);
	ly_cleanup();
	ly_hyph *c = ly_hyph_new("/nonexistent/hyph.dic");
	CHECK(c != NULL);
	CHECK_INT(ly_hyphenate(c, "implementation", 14, pts), 0);
	ly_hyph_free(c);
	ly_cleanup();
}

/* Items for words of the given widths, glue 3 +1.5 -1 between. */
static size_t items(ly_item *it, const double *w, size_t n)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (i)
			it[k++] = (ly_item){'g', 3, 1.5, 1, 0, 0, 0, NULL, 0};
		it[k++] = (ly_item){'b', w[i], 0, 0, 0, 0, 0, "w", 1};
	}
	it[k++] = (ly_item){'g', 0, 1e6, 0, 0, 0, 0, NULL, 0};
	it[k++] = (ly_item){'p', 0, 0, 0, -10000, 0, 0, NULL, 0};
	return k;
}

static void test_breaking(void)
{
	double w[200];
	for (int i = 0; i < 200; i++)
		w[i] = 10 + (i * 37 % 23); /* 10..32 */
	ly_item it[402];
	size_t n = items(it, w, 200);
	int br[400];
	double r[400];
	double width = 180;
	int lines = ly_break(it, n, width, width, br, 400, r);
	CHECK(lines > 1);
	/* no line wider than the measure once shrunk; ratios within bounds */
	int start = 0, over = 0, bad_ratio = 0;
	for (int l = 0; l < lines; l++) {
		double nat = 0, shrink = 0;
		for (int i = start; i < br[l]; i++) {
			if (it[i].kind != 'p')
				nat += it[i].width;
			if (it[i].kind == 'g')
				shrink += it[i].shrink;
		}
		if (nat - shrink > width + 1e-6)
			over++;
		if (l < lines - 1 && (r[l] < -1 || r[l] > 10))
			bad_ratio++;
		start = br[l] + 1;
	}
	CHECK_INT(over, 0);
	CHECK_INT(bad_ratio, 0);
	CHECK_INT(br[lines - 1], (int)n - 1);
	/* deterministic */
	int br2[400];
	CHECK_INT(ly_break(it, n, width, width, br2, 400, NULL), lines);
	CHECK(memcmp(br, br2, (size_t)lines * sizeof *br) == 0);
	/* a hyphen penalty is used when it gives a better paragraph */
	ly_item h[] = {{'b', 50, 0, 0, 0, 0, 0, "a", 1},     {'g', 5, 3, 2, 0, 0, 0, NULL, 0},
	               {'b', 60, 0, 0, 0, 0, 0, "b", 1},     {'p', 4, 0, 0, 50, 1, 0, NULL, 0},
	               {'b', 60, 0, 0, 0, 0, 0, "c", 1},     {'g', 0, 1e6, 0, 0, 0, 0, NULL, 0},
	               {'p', 0, 0, 0, -10000, 0, 0, NULL, 0}};
	int hb[4];
	lines = ly_break(h, 7, 119, 119, hb, 4, NULL);
	CHECK(lines == 2 && hb[0] == 3);
	/* hyphens that cost nothing still never end three lines in a row:
	 * words of two to four pieces, a hyphenation point between each */
	static ly_item hy[2000];
	size_t m = 0;
	for (int i = 0; i < 300 && m + 12 < 2000; i++) {
		if (i)
			hy[m++] = (ly_item){'g', 3, 1.5, 1, 0, 0, 0, NULL, 0};
		for (int p = 0; p < 2 + i % 3; p++) {
			if (p)
				hy[m++] = (ly_item){'p', 3, 0, 0, 0, 1, 0, NULL, 0};
			hy[m++] = (ly_item){'b', 4 + (i * 7 + p * 5) % 5, 0, 0, 0, 0, 0, "w", 1};
		}
	}
	hy[m++] = (ly_item){'g', 0, 1e6, 0, 0, 0, 0, NULL, 0};
	hy[m++] = (ly_item){'p', 0, 0, 0, -10000, 0, 0, NULL, 0};
	ly_breaking free_hyphens = {0, 0, 0, -1, 200, 0.5, 0.3, 0};
	static int hbr[2000];
	lines = ly_break_with(&free_hyphens, hy, m, 97, 97, hbr, 2000, NULL);
	CHECK(lines > 20);
	int run = 0, longest = 0, hyphened = 0;
	for (int l = 0; l < lines; l++) {
		run = hy[hbr[l]].kind == 'p' && hy[hbr[l]].flagged ? run + 1 : 0;
		hyphened += run > 0;
		longest = run > longest ? run : longest;
	}
	CHECK(hyphened > 0);
	CHECK(longest <= 2);
	/* a first pass without hyphenation points: none used when a paragraph
	 * sets within its tolerance without them */
	ly_breaking pre = {0, 0, 0, 10000, 200, 0.5, 0.3, 0};
	lines = ly_break_with(&pre, hy, m, 97, 97, hbr, 2000, NULL);
	hyphened = 0;
	for (int l = 0; l < lines; l++)
		hyphened += hy[hbr[l]].kind == 'p' && hy[hbr[l]].flagged;
	CHECK_INT(hyphened, 0);
}

/* Text written to the style file at path, then loaded: the style, or NULL
 * with the loader's diagnostics in d. */
static ly_style *style_text(const char *path, const char *text, ms_diags *d)
{
	FILE *f = fopen(path, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
	return ly_style_load(path, d);
}

/* Hanging punctuation: a line ending in a full stop may reach past its
 * edge by the stop's hang, and the ratio counts it in; the marks that hang
 * are the end of a word, never a lone mark. */
static void test_hanging(void)
{
	ly_item it[] = {{'b', 50, 0, 0, 0, 0, 0, "aaa", 3},   {'g', 5, 3, 1, 0, 0, 0, NULL, 0},
	                {'b', 60, 0, 0, 0, 0, 0, "word.", 5}, {'g', 5, 3, 1, 0, 0, 0, NULL, 0},
	                {'b', 40, 0, 0, 0, 0, 0, "next", 4},  {'g', 0, 1e6, 0, 0, 0, 0, NULL, 0},
	                {'p', 0, 0, 0, -10000, 0, 0, NULL, 0}};
	float hang[7] = {0, 0, 3, 0, 0, 0, 0}, lhang[7] = {0};
	int br[4];
	double r[4];
	/* 115 points of words on a 112-point line: only with the stop hung */
	int lines = ly_break_hung(NULL, it, hang, lhang, 7, 112, 112, br, 4, r);
	CHECK_INT(lines, 2);
	CHECK_INT(br[0], 3);
	CHECK(fabs(r[0]) < 1e-9);
	lines = ly_break_hung(NULL, it, NULL, NULL, 7, 112, 112, br, 4, r);
	CHECK(lines != 2 || br[0] != 3 || r[0] < -1 + 1e-9);
	/* an opening quote at a line's start hangs into the left margin */
	hang[2] = 0;
	lhang[0] = 3;
	lines = ly_break_hung(NULL, it, hang, lhang, 7, 112, 112, br, 4, r);
	CHECK(lines == 2 && br[0] == 3 && fabs(r[0]) < 1e-9);
	size_t nb;
	CHECK(ly_hang_right("word.", 5, &nb) > 0.5 && nb == 1);
	CHECK(ly_hang_right("words\u201D", 8, &nb) > 0.5 && nb == 3);
	CHECK(ly_hang_right("Guinea-", 7, &nb) > 0.5 && nb == 1);
	CHECK(ly_hang_right("word", 4, &nb) == 0 && nb == 0);
	CHECK(ly_hang_right("\u2013", 3, &nb) == 0 && nb == 0); /* a lone dash */
	CHECK(ly_hang_left("\u201Cword", 7, &nb) > 0.5 && nb == 3);
	CHECK(ly_hang_left("word", 4, &nb) == 0);
}

static void test_style(void)
{
	ms_diags d;
	ms_diags_init(&d);
	ly_style *st = ly_style_load("styles/book.style", &d);
	CHECK(st != NULL);
	if (st) {
		CHECK(ly_pstyle_get(st, "h2")->size == 16);
		CHECK(!strcmp(ly_pstyle_get(st, "no-such-style")->name, "body")); /* falls back */
		int found = 0; /* every style by its own name, through the hash */
		for (int i = 0; i < st->nst; i++)
			found += ly_pstyle_get(st, st->st[i].name) == &st->st[i];
		CHECK(st->nst > 20 && found == st->nst);
		CHECK(ly_pstyle_get(st, NULL) == &st->st[0]);
		CHECK(st->page_w > 595 && st->page_w < 596); /* 210mm */
	}
	ly_style_free(st);
	st = style_text("build/bad.style",
	                "# a comment\nbody.size = 11\nbody.colour = #000000\nh1.size = big\n", &d);
	CHECK(st == NULL);
	CHECK_INT(d.n, 2);
	if (d.n == 2) {
		CHECK_STR(d.v[0].where, "build/bad.style:3");
		CHECK(d.v[0].sev == MS_ENV && strstr(d.v[0].msg, "unknown style key"));
		CHECK_STR(d.v[1].where, "build/bad.style:4");
	}
	ms_diags_free(&d);
	/* sizes and spaces out of range are named with the range, whatever
	 * strtod makes of them */
	ms_diags_init(&d);
	CHECK(style_text("build/range.style",
	                 "body.size = 0\nbody.leading = -3\nh1.before = -1pt\nh2.size = nan\n"
	                 "folio.size = 2000\nbody.first = -12pt\nh3.indent = 2000mm\n",
	                 &d) == NULL);
	CHECK_INT(d.n, 6);
	if (d.n == 6) {
		CHECK(strstr(d.v[0].msg, "'body.size' must be from 1pt to 1000pt, not '0'") !=
		      NULL);
		CHECK_STR(d.v[1].where, "build/range.style:2");
		CHECK(strstr(d.v[2].msg, "'h1.before' must be from 0 to 1000pt") != NULL);
		CHECK(strstr(d.v[3].msg, "bad value 'nan'") != NULL);
		CHECK(strstr(d.v[4].msg, "'folio.size' must be") != NULL);
		CHECK_STR(d.v[5].where,
		          "build/range.style:7"); /* -12pt first-line indent is fine */
	}
	ms_diags_free(&d);
	/* a hyphenation dictionary that cannot be read is named, not ignored */
	ms_diags_init(&d);
	CHECK(style_text("build/nodict.style",
	                 "body.size = 11\nhyphenation.dict = build/no-such-dict.dic\n",
	                 &d) == NULL);
	CHECK_INT(d.n, 1);
	if (d.n == 1) {
		CHECK_STR(d.v[0].where, "build/nodict.style:2");
		CHECK(strstr(d.v[0].msg, "cannot read the hyphenation dictionary "
		                         "'build/no-such-dict.dic'") != NULL);
	}
	ms_diags_free(&d);
}

/* Lay doc out with the book style into path, then free it: the number of
 * pages, or -1. */
/* Render doc with the book style, its result in *res; the pages, or -1. */
static int render_to(dt_doc *doc, const char *path, ly_result *res)
{
	ms_diags d;
	ms_diags_init(&d);
	ly_style *st = ly_style_load("styles/book.style", &d);
	int pages = st && doc_render_pdf(doc, st, path, NULL, res, &d) == 0 ? res->pages : -1;
	ly_result_free(res);
	ly_style_free(st);
	ms_diags_free(&d);
	dt_doc_free(doc);
	return pages;
}

/* render_to's work, its diagnostics kept in d. */
static int render_diags(dt_doc *doc, const char *path, ms_diags *d)
{
	ly_result res = {0};
	ly_style *st = ly_style_load("styles/book.style", d);
	int pages = st && doc_render_pdf(doc, st, path, NULL, &res, d) == 0 ? res.pages : -1;
	ly_result_free(&res);
	ly_style_free(st);
	dt_doc_free(doc);
	return pages;
}

static int render(dt_doc *doc, const char *path)
{
	ly_result res = {0};
	return render_to(doc, path, &res);
}

/* What pdftotext reads on page `page` of path (0: on every page), with
 * -layout when layout is set; NULL when it cannot. Owned by the caller. */
static char *pdf_text(const char *path, int page, int layout)
{
	char cmd[256], range[32] = "";
	if (page)
		snprintf(range, sizeof range, " -f %d -l %d", page, page);
	snprintf(cmd, sizeof cmd, "pdftotext%s%s %s build/test-text.txt", layout ? " -layout" : "",
	         range, path);
	char *text = NULL;
	size_t len = 0;
	int big;
	if (system(cmd) == 0)
		ms_read_file("build/test-text.txt", 1 << 24, &text, &len, &big);
	return text;
}

/* Pages of a document whose one section holds a table of three rows of
 * cells of `words` words each, after `before` paragraphs of text. */
static int table_pages(const ly_style *st, int before, int words, int *first_page)
{
	dt_doc *doc = dt_doc_new();
	dt_node *sec = dt_section(doc);
	for (int i = 0; i < before; i++)
		dt_para(doc, sec, NULL, "A paragraph before the table.");
	ms_buf b;
	ms_buf_init(&b);
	for (int i = 0; i < words; i++)
		ms_buf_adds(&b, i ? " cooperation" : "cooperation");
	dt_node *t = dt_table(doc, sec, 2);
	t->id = "t";
	for (int r = 0; r < 3; r++) {
		dt_node *row = dt_row(doc, t, 0);
		dt_cell(doc, row, "Label", DT_LEFT);
		dt_cell(doc, row, b.s, DT_LEFT);
	}
	ms_buf_free(&b);
	ms_diags d;
	ms_diags_init(&d);
	ly_result res = {0};
	int rc = doc_render_pdf(doc, st, "build/test-table.pdf", NULL, &res, &d);
	int pages = rc == 0 ? res.pages : -1;
	*first_page = ly_anchor_page(&res, "t");
	ly_result_free(&res);
	ms_diags_free(&d);
	dt_doc_free(doc);
	return pages;
}

/* A page is never turned with nothing on it: a table that cannot be kept
 * together anywhere starts on the section's first page, not after a blank
 * one; after text, a table whose kept part does not fit moves on. */
static void test_no_blank_page(void)
{
	ms_diags d;
	ms_diags_init(&d);
	ly_style *st = ly_style_load("styles/book.style", &d);
	CHECK(st != NULL);
	if (!st)
		return;
	int first;
	int n = table_pages(st, 0, 300, &first); /* rows of about half a page */
	CHECK(n > 1);
	/* page 1 holds the table's first row (its anchor is there either way) */
	char *text = pdf_text("build/test-table.pdf", 1, 0);
	CHECK(text && strstr(text, "Label") && strstr(text, "cooperation"));
	free(text);
	n = table_pages(st, 40, 200, &first); /* 40 paragraphs fill most of page 1 */
	CHECK(n >= 2);
	CHECK_INT(first, 2);
	ly_style_free(st);
	ms_diags_free(&d);
}

/* The fields of one node type share a union: a table cell, the bulk of a
 * digest's tree, takes 168 bytes rather than 328 (LP64); each type's
 * fields keep what its constructor set. */
static void test_node_size(void)
{
	CHECK(sizeof(void *) != 8 || sizeof(dt_node) <= 168);
	dt_doc *doc = dt_doc_new();
	dt_node *sec = dt_section(doc);
	CHECK(sec && sec->page.label == 'D' && sec->page.show_folio == 1);
	dt_node *t = dt_table(doc, sec, 3);
	CHECK(t && t->ncols == 3 && !t->col_weights);
	dt_node *r = dt_row(doc, t, 1);
	CHECK(r && r->header == 1);
	dt_node *c = dt_cell(doc, r, "x", DT_LEFT);
	CHECK(c && c->colspan == 1 && c->first && c->first->type == DT_PARA);
	dt_doc_free(doc);
}

/* A row taller than a page: its cells one under the other, flowing over
 * pages, every word on a page. */
static void test_tall_row(void)
{
	dt_doc *doc = dt_doc_new();
	dt_node *sec = dt_section(doc);
	ms_buf b;
	ms_buf_init(&b);
	for (int i = 0; i < 2500; i++)
		ms_buf_adds(&b, i ? " cooperation" : "cooperation");
	dt_node *t = dt_table(doc, sec, 2);
	dt_node *h = dt_row(doc, t, 1);
	dt_cell(doc, h, "Field", DT_LEFT);
	dt_cell(doc, h, "Testimony", DT_LEFT);
	dt_node *r = dt_row(doc, t, 0);
	dt_cell(doc, r, "Long", DT_LEFT);
	dt_cell(doc, r, b.s, DT_LEFT);
	r = dt_row(doc, t, 0);
	dt_cell(doc, r, "After", DT_LEFT);
	dt_cell(doc, r, "a short row", DT_LEFT);
	ms_buf_free(&b);
	CHECK(render(doc, "build/test-tall.pdf") >= 4);
	/* every word is on a page: pdftotext finds them all */
	char *text = pdf_text("build/test-tall.pdf", 0, 0);
	int n = 0;
	for (const char *p = text; p && (p = strstr(p, "cooperation")); p++)
		n++;
	CHECK_INT(n, 2500);
	CHECK(text && strstr(text, "Testimony") && strstr(text, "a short row"));
	free(text);
}

/* A chart taller than a page goes on over pages, its title repeated with
 * "(continued)": every category's bar and label is on a page, none drawn
 * over the foot of one (each bar's top stays above the page's bottom). */
/* The bar-end numbers of a one-series chart of `n` values, as pdftotext
 * reads them. Owned by the caller. */
static char *chart_numbers(const double *v, int n)
{
	dt_doc *doc = dt_doc_new();
	dt_node *sec = dt_section(doc);
	dt_node *c = dt_add(doc, sec, DT_CHART);
	c->title = dt_strdup(doc, "Funding by area, 2012 (USD)");
	c->ncategories = (size_t)n;
	c->categories = dt_alloc(doc, (size_t)n * sizeof *c->categories);
	c->nseries = 1;
	c->series = dt_alloc(doc, sizeof *c->series);
	c->series[0].name = dt_strdup(doc, "Funding");
	c->series[0].values = dt_alloc(doc, (size_t)n * sizeof(double));
	for (int i = 0; i < n; i++) {
		c->categories[i] = dt_printf(doc, "Area %c", 'A' + i);
		c->series[0].values[i] = v[i];
	}
	CHECK(render(doc, "build/test-chart-numbers.pdf") == 1);
	return pdf_text("build/test-chart-numbers.pdf", 0, 0);
}

/* Issue 18: one number style per chart, digits grouped: "3.1 million"
 * never beside "85,000", and never "85000". */
static void test_chart_numbers(void)
{
	double big[] = {3100000, 35000, 420000, 1260000};
	char *t = chart_numbers(big, 4);
	CHECK(t && strstr(t, "3.1 million") && strstr(t, "<0.1 million") &&
	      strstr(t, "0.4 million") && strstr(t, "1.3 million"));
	CHECK(t && !strstr(t, "35,000") && !strstr(t, "35000"));
	free(t);
	double small[] = {85000, 950, 420000, 1234};
	t = chart_numbers(small, 4);
	CHECK(t && strstr(t, "85,000") && strstr(t, "950") && strstr(t, "420,000") &&
	      strstr(t, "1,234"));
	CHECK(t && !strstr(t, "million") && !strstr(t, "85000"));
	free(t);
}

static void test_long_chart(void)
{
	dt_doc *doc = dt_doc_new();
	dt_node *sec = dt_section(doc);
	dt_node *c = dt_add(doc, sec, DT_CHART);
	enum { NCAT = 130 };
	c->title = dt_strdup(doc, "States by status");
	c->stacked = 1;
	c->ncategories = NCAT;
	c->categories = dt_alloc(doc, NCAT * sizeof *c->categories);
	c->nseries = 2;
	c->series = dt_alloc(doc, 2 * sizeof *c->series);
	for (int k = 0; k < 2; k++) {
		c->series[k].name = dt_strdup(doc, k ? "Second" : "First");
		c->series[k].color = dt_strdup(doc, k ? "#E0B040" : "#3C8D5A");
		c->series[k].values = dt_alloc(doc, NCAT * sizeof(double));
	}
	for (int i = 0; i < NCAT; i++) {
		c->categories[i] = dt_printf(doc, "Cat%03d", i + 1);
		c->series[0].values[i] = 1 + i % 7;
		c->series[1].values[i] = 3;
	}
	int pages = render(doc, "build/test-chart.pdf");
	CHECK(pages >= 3);
	char *text = pdf_text("build/test-chart.pdf", 0, 0);
	int found = 0;
	for (int i = 0; i < NCAT; i++) {
		char lab[16];
		snprintf(lab, sizeof lab, "Cat%03d", i + 1);
		found += text && strstr(text, lab) != NULL;
	}
	CHECK_INT(found, NCAT);
	int cont = 0;
	for (const char *p = text; p && (p = strstr(p, "States by status (continued)")); p++)
		cont++;
	CHECK_INT(cont, pages - 1);
	CHECK(text && strstr(text, "Second")); /* the legend, after the last bar */
	free(text);
	/* nothing of the chart in the bottom margin (25 mm, 71 pt) of any
	 * page: only the folio is there */
	CHECK(system("pdftotext -r 72 -x 0 -y 772 -W 596 -H 70 build/test-chart.pdf "
	             "build/test-text.txt") == 0);
	size_t len = 0;
	int big;
	text = NULL;
	ms_read_file("build/test-text.txt", 1 << 20, &text, &len, &big);
	CHECK(text && !strstr(text, "Cat") && strspn(text, "0123456789 \n\f") == len);
	free(text);
}

/* The number printed after `label` on the same line of page 1, or -1. */
static int number_after(const char *text, const char *label)
{
	const char *p = text ? strstr(text, label) : NULL;
	if (!p)
		return -1;
	p += strlen(label);
	while (*p == ' ' || *p == ',' || *p == '.') /* and leaders */
		p++;
	return *p >= '0' && *p <= '9' ? atoi(p) : -1;
}

/* Contents and index get each heading's page, including an index entry
 * for a heading that comes after the index (filled in after layout), with
 * the index's words before its pages ("p."), and an entry for two later
 * headings (another pass: their order is only known then). The numbers
 * printed are checked against the pages' own text. */
static void test_page_numbers(void)
{
	dt_doc *doc = dt_doc_new();
	dt_node *front = dt_section(doc);
	dt_add(doc, front, DT_TOC)->toc_depth = 1;
	dt_node *in = dt_add(doc, front, DT_INDEX);
	in->entries = dt_alloc(doc, 2 * sizeof *in->entries);
	in->pages_before = ", p. ";
	static char *later[] = {"ch-3"}, *both[] = {"ch-3", "ch-2"};
	in->entries[0].term = "Later chapter";
	in->entries[0].ids = later;
	in->entries[0].nids = 1;
	in->entries[1].term = "Two chapters";
	in->entries[1].ids = both;
	in->entries[1].nids = 2;
	in->nentries = 2;
	const char *names[] = {"Chapter one", "Chapter two", "Chapter three"};
	for (int c = 0; c < 3; c++) {
		dt_node *sec = dt_section(doc);
		dt_heading(doc, sec, 1, names[c], dt_printf(doc, "ch-%d", c + 1), 1);
		for (int i = 0; i < (c == 1 ? 40 : 3); i++) /* chapter two: 2 pages and more */
			dt_para(doc, sec, NULL,
			        "Cooperation between States is at the heart of the Convention, and "
			        "its partners report what worked and what did not, year by year.");
	}
	CHECK(render(doc, "build/test-pages.pdf") >= 5);
	char *toc = pdf_text("build/test-pages.pdf", 1, 1);
	for (int c = 0; c < 3; c++) {
		int n = number_after(toc, names[c]);
		CHECK(n >= 2);
		char *there = n >= 2 ? pdf_text("build/test-pages.pdf", n, 1) : NULL;
		CHECK(there && strstr(there, names[c]));
		free(there);
	}
	/* dot leaders lead the eye from the title to its number */
	int dots = 0;
	for (const char *q = toc ? strstr(toc, "Chapter one") : NULL; q && *q && *q != '\n'; q++)
		dots += *q == '.';
	CHECK(dots >= 20);
	int n = number_after(toc, "Later chapter, p.");
	CHECK_INT(n, number_after(toc, "Chapter three"));
	/* "Two chapters, p. 2, 4": ascending, each a page of its own */
	const char *two = toc ? strstr(toc, "Two chapters") : NULL;
	CHECK_INT(number_after(two, "Two chapters, p."), number_after(toc, "Chapter two"));
	const char *comma = two ? strchr(two + strlen("Two chapters, p."), ',') : NULL;
	CHECK(comma && atoi(comma + 1) == n);
	free(toc);
}

/* A document with something of everything a page can hold: contents and
 * an index taking two passes, a blank page before a recto part, table
 * cells with fills, a shaded box, rules, links within and out, non-ASCII
 * text in several faces. */
static dt_doc *mixed_doc(void)
{
	dt_doc *doc = dt_doc_new();
	dt_node *front = dt_section(doc);
	dt_add(doc, front, DT_TOC)->toc_depth = 2;
	dt_node *in = dt_add(doc, front, DT_INDEX);
	in->entries = dt_alloc(doc, sizeof *in->entries);
	static char *later[] = {"part-2"};
	in->entries[0].term = "Côte d’Ivoire";
	in->entries[0].ids = later;
	in->entries[0].nids = 1;
	in->nentries = 1;
	for (int part = 1; part <= 2; part++) {
		dt_node *sec = dt_section(doc);
		sec->page.recto = 1;
		dt_heading(doc, sec, 1, part == 1 ? "Clearance" : "Victim assistance",
		           dt_printf(doc, "part-%d", part), 1);
		dt_node *p = dt_para(doc, sec, NULL, "See ");
		dt_run_add(doc, p, "the other part", DT_I, part == 1 ? "#part-2" : "#part-1");
		dt_run_add(doc, p, " and ", 0, NULL);
		dt_run_add(doc, p, "the Convention", DT_B, "https://www.clusterconvention.org/");
		dt_node *t = dt_table(doc, sec, 2);
		dt_node *h = dt_row(doc, t, 1);
		dt_cell(doc, h, "State", DT_LEFT);
		dt_cell(doc, h, "Status", DT_LEFT);
		for (int r = 0; r < 30; r++) {
			dt_node *row = dt_row(doc, t, 0);
			dt_cell(doc, row,
			        r % 2 ? "Lao People’s Democratic Republic" : "Guinea-Bissau",
			        DT_LEFT);
			dt_node *c =
			    dt_cell(doc, row, r % 3 ? "completed" : "in progress", DT_LEFT);
			c->fill = r % 3 ? "#C6EFCE" : "#FFEB9C";
		}
		dt_node *box = dt_add(doc, sec, DT_BOX);
		dt_para(doc, box, NULL,
		        "A fact box: 1,234 hectares released — 98 % of the target.");
		dt_add(doc, sec, DT_RULE);
		for (int i = 0; i < 25; i++)
			dt_para(doc, sec, NULL,
			        "Survivors, their families and communities receive medical care, "
			        "rehabilitation and psychological support; the ISU records what "
			        "worked.");
	}
	return doc;
}

/* How often needle occurs in the file at path (NULL-safe, 0 when unreadable). */
static int count_in(const char *path, const char *needle)
{
	char *x = NULL;
	size_t n = 0;
	int big, c = 0;
	if (ms_read_file(path, 1 << 26, &x, &n, &big) == 0)
		for (const char *q = x; (q = strstr(q, needle)) != NULL; q += strlen(needle))
			c++;
	free(x);
	return c;
}

/* What a reader finds in the mixed document: its text in every face, links
 * within (to a destination) and out (to a URI), all without a border, and
 * the same file whether one thread or two make it. */
static void test_mixed_reader(void)
{
	setenv("MSPDOC_THREADS", "1", 1);
	int one = render(mixed_doc(), "build/test-mixed-1.pdf");
	unsetenv("MSPDOC_THREADS");
	int two = render(mixed_doc(), "build/test-mixed-2.pdf");
	CHECK(one >= 6);
	CHECK_INT(two, one);
	char *a = NULL, *b = NULL;
	size_t na = 0, nb = 0;
	int big = 0;
	CHECK(ms_read_file("build/test-mixed-1.pdf", 1 << 24, &a, &na, &big) == 0);
	CHECK(ms_read_file("build/test-mixed-2.pdf", 1 << 24, &b, &nb, &big) == 0);
	CHECK(a && b && na == nb && !memcmp(a, b, na));
	free(a);
	free(b);
	char *text = pdf_text("build/test-mixed-1.pdf", 0, 0);
	CHECK(text && strstr(text, "Lao People’s Democratic Republic"));
	CHECK(text && strstr(text, "Côte d’Ivoire"));
	CHECK(text && strstr(text, "1,234 hectares released — 98 % of the target."));
	free(text);
	CHECK(system("qpdf --json --json-key=qpdf build/test-mixed-1.pdf >build/test-mixed.json") ==
	      0);
	const char *j = "build/test-mixed.json";
	int links = count_in(j, "\"/Subtype\": \"/Link\"");
	CHECK(links >= 4); /* two a part, and the contents' entries */
	CHECK_INT(count_in(j, "\"/URI\": \"u:https://www.clusterconvention.org/\""), 2);
	CHECK(count_in(j, "\"/Dest\": ") >= 2);
	CHECK_INT(count_in(j, "\"/Border\": [\n            0,\n            0,\n            0\n"),
	          links);
}

/* The size of page `page` of path as pdfinfo gives it ("612 x 792 pts"),
 * into out (empty when it cannot). */
static void page_size(const char *path, int page, char *out, size_t n)
{
	char cmd[256];
	snprintf(cmd, sizeof cmd, "pdfinfo -f %d -l %d %s >build/test-info.txt", page, page, path);
	out[0] = 0;
	char *x = NULL;
	size_t len = 0;
	int big;
	if (system(cmd) == 0 && ms_read_file("build/test-info.txt", 1 << 20, &x, &len, &big) == 0) {
		const char *at = strstr(x, "size:");
		if (at) {
			at += 5;
			while (*at == ' ')
				at++;
			size_t k = strcspn(at, "(\n");
			while (k && at[k - 1] == ' ')
				k--;
			snprintf(out, n, "%.*s", (int)k, at);
		}
	}
	free(x);
}

/* The style's paper reaches the file: a Letter style gives 612 x 792 pt
 * pages with the text inside its margins, the book's A4 595.276 x 841.89;
 * margins that leave no room for text are refused. */
static void test_paper(void)
{
	ms_diags d;
	ms_diags_init(&d);
	ly_style *st = style_text("build/letter.style",
	                          "page.width = 8.5in\npage.height = 11in\nmargin.inner = 1in\n"
	                          "margin.outer = 1in\nmargin.top = 1in\nmargin.bottom = 1in\n",
	                          &d);
	CHECK(st != NULL);
	ly_result res = {0};
	dt_doc *doc = mixed_doc();
	CHECK(st && doc_render_pdf(doc, st, "build/test-letter.pdf", NULL, &res, &d) == 0);
	CHECK(res.pages >= 6);
	char size[64];
	for (int p = 1; p <= 3; p++) {
		page_size("build/test-letter.pdf", p, size, sizeof size);
		CHECK_STR(size, "612 x 792 pts");
	}
	/* every word inside the 1in margins */
	CHECK(system("pdftotext -bbox build/test-letter.pdf build/test-letter.html 2>/dev/null") ==
	      0);
	char *x = NULL;
	size_t len = 0;
	int big, words = 0, outside = 0;
	if (ms_read_file("build/test-letter.html", 1 << 24, &x, &len, &big) == 0)
		for (const char *q = x; (q = strstr(q, "<word xMin=\"")) != NULL; q++) {
			double x0, y0, x1, y1;
			if (sscanf(q, "<word xMin=\"%lf\" yMin=\"%lf\" xMax=\"%lf\" yMax=\"%lf\"",
			           &x0, &y0, &x1, &y1) == 4) {
				words++;
				/* a word ending or starting with punctuation may hang
				 * into the margin, by less than a quarter em */
				const char *t = strchr(q, '>'), *e = t ? strchr(t, '<') : NULL;
				size_t nb, tl = t && e ? (size_t)(e - t - 1) : 0;
				double hr = tl && ly_hang_right(t + 1, tl, &nb) > 0 ? 3 : 0;
				double hl = tl && ly_hang_left(t + 1, tl, &nb) > 0 ? 3 : 0;
				/* running heads and folios sit in the top and bottom margins */
				outside += x0 < 72 - 0.5 - hl || x1 > 612 - 72 + 0.5 + hr ||
				           y0 < 18 || y1 > 792 - 18;
			}
		}
	free(x);
	CHECK(words > 500);
	CHECK_INT(outside, 0);
	ly_result_free(&res);
	ly_style_free(st);
	dt_doc_free(doc);
	CHECK(render(mixed_doc(), "build/test-a4.pdf") >= 6);
	page_size("build/test-a4.pdf", 2, size, sizeof size);
	CHECK_STR(size, "595.276 x 841.89 pts");
	/* a named paper, in any case, turned with "landscape" */
	static const struct {
		const char *line;
		double w, h;
	} named[] = {{"page.size = Letter\n", 612, 792},
	             {"page.size = a4 landscape\n", 841.89, 595.276},
	             {"page.size = LEGAL portrait\n", 612, 1008}};
	for (size_t i = 0; i < sizeof named / sizeof named[0]; i++) {
		ms_diags_init(&d);
		ly_style *ns = style_text("build/named.style", named[i].line, &d);
		CHECK(ns != NULL);
		if (ns) {
			ly_paper pp = ly_style_paper(ns);
			CHECK(fabs(pp.width - named[i].w) < 0.01 &&
			      fabs(pp.height - named[i].h) < 0.01);
		}
		ly_style_free(ns);
		ms_diags_free(&d);
	}
	ms_diags_init(&d);
	CHECK(style_text("build/named.style", "page.size = B5\n", &d) == NULL);
	CHECK(d.n == 1 && strstr(d.v[0].msg, "bad value 'B5' for 'page.size'"));
	ms_diags_free(&d);
	ms_diags_init(&d);
	CHECK(style_text("build/narrow.style",
	                 "page.width = 4in\nmargin.inner = 2in\nmargin.outer = 1.5in\n",
	                 &d) == NULL);
	CHECK(d.n == 1 && strstr(d.v[0].msg, "margins leave less than 1in"));
	ms_diags_free(&d);
}

/* The left and right ends of the word `w` on page 1 of the pdftotext
 * -bbox output in html (the first such word); 0 when it is not there. */
static int word_ends(const char *html, const char *w, double *x0, double *x1)
{
	char key[64];
	snprintf(key, sizeof key, ">%s</word>", w);
	const char *at = html ? strstr(html, key) : NULL;
	if (!at)
		return 0;
	const char *q = at;
	while (q > html && strncmp(q, "<word xMin=", 11))
		q--;
	double y0, y1;
	return sscanf(q, "<word xMin=\"%lf\" yMin=\"%lf\" xMax=\"%lf\" yMax=\"%lf\"", x0, &y0, x1,
	              &y1) == 4;
}

/* Alignment is the style's: a heading, a table's caption, an index's
 * entries and an attribution go where their styles say, not where the
 * layout or a builder would put them. */
static void test_style_align(void)
{
	ms_diags d;
	ms_diags_init(&d);
	ly_style *st =
	    style_text("build/align.style",
	               "margin.inner = 72pt\nmargin.outer = 72pt\nh2.align = right\n"
	               "caption.align = center\nindex.align = right\nattribution.align = center\n",
	               &d);
	CHECK(st != NULL);
	dt_doc *doc = dt_doc_new();
	dt_node *sec = dt_section(doc);
	dt_heading(doc, sec, 2, "Headed rightwards", "h", 0);
	dt_node *t = dt_table(doc, sec, 2);
	t->caption = dt_strdup(doc, "Centred caption");
	dt_node *row = dt_row(doc, t, 1);
	dt_cell(doc, row, "State", DT_LEFT);
	dt_cell(doc, row, "Status", DT_LEFT);
	row = dt_row(doc, t, 0);
	dt_cell(doc, row, "Chile", DT_LEFT);
	dt_cell(doc, row, "done", DT_LEFT);
	dt_para(doc, sec, "attribution", "Quoted speaker");
	dt_node *in = dt_add(doc, sec, DT_INDEX);
	in->entries = dt_alloc(doc, sizeof *in->entries);
	in->entries[0].term = dt_strdup(doc, "Indexterm");
	in->entries[0].ids = dt_alloc(doc, sizeof(char *));
	in->entries[0].ids[0] = dt_strdup(doc, "h");
	in->entries[0].nids = 1;
	in->nentries = 1;
	ly_result res = {0};
	CHECK(st && doc_render_pdf(doc, st, "build/test-align.pdf", NULL, &res, &d) == 0);
	CHECK(system("pdftotext -bbox -f 1 -l 1 build/test-align.pdf build/test-align.html") == 0);
	char *x = NULL;
	size_t len = 0;
	int big;
	ms_read_file("build/test-align.html", 1 << 24, &x, &len, &big);
	double right = 595.276 - 72, mid = 595.276 / 2, a0, a1, b0, b1;
	CHECK(word_ends(x, "rightwards", &a0, &a1) && fabs(a1 - right) < 1.5);
	CHECK(word_ends(x, "Centred", &a0, &a1) && word_ends(x, "caption", &b0, &b1) &&
	      fabs((a0 + b1) / 2 - mid) < 1.5);
	CHECK(word_ends(x, "Quoted", &a0, &a1) && word_ends(x, "speaker", &b0, &b1) &&
	      fabs((a0 + b1) / 2 - mid) < 1.5);
	/* the index line ends with its page number, at the right margin */
	CHECK(word_ends(x, "Indexterm,", &a0, &a1) && a0 > mid);
	free(x);
	ly_result_free(&res);
	dt_doc_free(doc);
	ly_style_free(st);
	ms_diags_free(&d);
}

/* The display list says what each operation is part of: headings with
 * their level, header cells, links with their targets, running heads and
 * folios as page furniture; every other word belongs to an element. */
static void test_structure(void)
{
	ms_diags d;
	ms_diags_init(&d);
	ly_style *st = ly_style_load("styles/book.style", &d);
	dt_doc *doc = mixed_doc();
	ly_dlist dl;
	CHECK(st && ly_layout(doc, st, &dl, NULL, &d) == 0);
	int h1 = 0, th = 0, links = 0, out = 0, loose = 0, furniture = 0, th_words = 0;
	for (size_t i = 0; i < dl.nelems; i++) {
		const ly_elem *e = &dl.elems[i];
		CHECK(e->parent < (int)i); /* parents come first */
		h1 += e->role == LE_H && e->level == 1 && e->id && !strncmp(e->id, "part-", 5);
		th += e->role == LE_TH && e->parent >= 0 && dl.elems[e->parent].role == LE_TR;
		links += e->role == LE_LINK && e->alt && !strcmp(e->alt, "#part-2");
		out += e->role == LE_LINK && e->alt && !strncmp(e->alt, "https://", 8);
	}
	for (int p = 0; p < dl.npages; p++)
		for (const ly_op *o = dl.pages[p].ops; o; o = o->next) {
			if (o->kind != OP_TEXT)
				continue;
			if (o->artifact)
				furniture++;
			else if (o->elem < 0 || o->elem >= (int)dl.nelems)
				loose++;
			else if (dl.elems[o->elem].role == LE_TH)
				th_words++;
		}
	CHECK_INT(h1, 2);
	CHECK(th >= 4);    /* State, Status; repeated on each page of the table */
	CHECK(links >= 2); /* the text's link and the contents' entry */
	CHECK_INT(out, 2);
	CHECK_INT(loose, 0);
	CHECK(furniture >= dl.npages - 3); /* folios and heads, but blank pages */
	CHECK(th_words >= 4);
	ly_dlist_free(&dl);
	CHECK(dl.pages == NULL && dl.npages == 0);
	dt_doc_free(doc);
	ly_style_free(st);
	ms_diags_free(&d);
}

/* Photos in the PDF: one shown twice is one image drawn twice, a file
 * that is not a photo is left out, and the file is the same made with one
 * thread or two. */
static int photo_doc(const char *path, ms_diags *d)
{
	dt_doc *doc = dt_doc_new();
	dt_node *sec = dt_section(doc);
	const char *files[] = {"inputs/catalogue/photos/depot-danilovgrad.jpg",
	                       "inputs/catalogue/photos/crater-pond-phonsavan.jpg",
	                       "inputs/catalogue/photos/depot-danilovgrad.jpg",
	                       "styles/book.style"};
	for (int i = 0; i < 4; i++) {
		dt_para(doc, sec, NULL, "A photograph of the work follows.");
		dt_node *im = dt_add(doc, sec, DT_IMAGE);
		im->path = dt_strdup(doc, files[i]);
		dt_run_add(doc, im, dt_printf(doc, "Photo %d", i + 1), 0, NULL);
	}
	ly_style *st = ly_style_load("styles/book.style", d);
	ly_result res = {0};
	int rc = st ? doc_render_pdf(doc, st, path, NULL, &res, d) : -1;
	int pages = rc == 0 ? res.pages : -1;
	ly_result_free(&res);
	ly_style_free(st);
	dt_doc_free(doc);
	return pages;
}

static void test_photos(void)
{
	ms_diags d1, d2;
	ms_diags_init(&d1);
	ms_diags_init(&d2);
	setenv("MSPDOC_THREADS", "1", 1);
	int one = photo_doc("build/test-photos-1.pdf", &d1);
	unsetenv("MSPDOC_THREADS");
	int two = photo_doc("build/test-photos-2.pdf", &d2);
	CHECK(one >= 1);
	CHECK_INT(two, one);
	char *a = NULL, *b = NULL;
	size_t na = 0, nb = 0;
	int big = 0;
	CHECK(ms_read_file("build/test-photos-1.pdf", 1 << 24, &a, &na, &big) == 0);
	CHECK(ms_read_file("build/test-photos-2.pdf", 1 << 24, &b, &nb, &big) == 0);
	CHECK(a && b && na == nb && !memcmp(a, b, na));
	free(a);
	free(b);
	CHECK(system("pdfimages -list build/test-photos-1.pdf >build/test-photos.txt") == 0);
	/* header, rule, and one line a photo drawn: the first shown twice */
	char *x = NULL;
	size_t nx = 0;
	int lines = 0;
	if (ms_read_file("build/test-photos.txt", 1 << 20, &x, &nx, &big) == 0)
		for (size_t i = 0; i < nx; i++)
			lines += x[i] == '\n';
	free(x);
	CHECK_INT(lines, 2 + 3);
	CHECK_INT(d2.n, d1.n); /* the same said of the photos either way */
	ms_diags_free(&d1);
	ms_diags_free(&d2);
	/* issue 18: a photo below 150 ppi at its printed size is a warning
	 * naming it, once however often it is shown; 1200 pixels over the
	 * book's column (about 6.3 in) are enough */
	ms_diags d;
	ms_diags_init(&d);
	dt_doc *doc = dt_doc_new();
	dt_node *sec = dt_section(doc);
	const char *files[] = {"tests/bad/photos/good-baseline.jpg",
	                       "inputs/catalogue/photos/depot-danilovgrad.jpg",
	                       "tests/bad/photos/good-baseline.jpg"};
	for (int i = 0; i < 3; i++) {
		dt_node *im = dt_add(doc, sec, DT_IMAGE);
		im->path = dt_strdup(doc, files[i]);
	}
	CHECK(render_diags(doc, "build/test-lowres.pdf", &d) >= 1);
	int low = 0, other = 0;
	for (size_t i = 0; i < d.n; i++) {
		int is = strstr(d.v[i].where, "good-baseline.jpg") && strstr(d.v[i].msg, "ppi");
		low += is;
		other += !is;
	}
	CHECK_INT(low, 1);
	CHECK_INT(other, 0);
	ms_diags_free(&d);
}

/* A run of codes (DT_NOHYPH) is never broken inside a code: not at its
 * hyphens, not by hyphenation. pdftotext joins a line ending in a hyphen
 * to the next, so a broken code would lose its hyphen or be cut. */
static int codes_found(unsigned style)
{
	dt_doc *doc = dt_doc_new();
	dt_node *sec = dt_section(doc);
	dt_node *p = dt_para(doc, sec, "small", NULL);
	for (int i = 0; i < 120; i++)
		dt_run_add(doc, p,
		           dt_printf(doc, "%sO-2026-SLE-%04x (Sierra Leone)", i ? "; " : "", i),
		           style, NULL);
	CHECK(render(doc, "build/test-codes.pdf") >= 1);
	char *text = pdf_text("build/test-codes.pdf", 0, 0);
	int n = 0;
	for (int i = 0; text && i < 120; i++) {
		char code[32];
		snprintf(code, sizeof code, "O-2026-SLE-%04x", i);
		const char *at = strstr(text, code);
		n += at && (at[15] == ' ' || at[15] == '\n');
	}
	free(text);
	return n;
}

/* How many of 120 e-mail addresses with hyphens, links or not, pdftotext
 * reads whole (each ends with its ".org"). */
static int addresses_found(int links)
{
	dt_doc *doc = dt_doc_new();
	dt_node *sec = dt_section(doc);
	dt_node *p = dt_para(doc, sec, NULL, NULL);
	for (int i = 0; i < 120; i++) {
		const char *a = dt_printf(
		    doc, "humanitarian-disarmament-%04x@mine-action-centre.example.org", i);
		dt_run_add(doc, p, i ? "; " : "Write to ", 0, NULL);
		dt_run_add(doc, p, a, 0, links ? dt_printf(doc, "mailto:%s", a) : NULL);
	}
	CHECK(render(doc, "build/test-mail.pdf") >= 1);
	char *text = pdf_text("build/test-mail.pdf", 0, 0);
	int n = 0;
	for (int i = 0; text && i < 120; i++) {
		char a[80];
		snprintf(a, sizeof a,
		         "humanitarian-disarmament-%04x@mine-action-centre.example.org", i);
		n += strstr(text, a) != NULL;
	}
	free(text);
	return n;
}

static void test_codes_unbroken(void)
{
	CHECK_INT(codes_found(DT_NOHYPH), 120);
	CHECK(codes_found(0) < 120); /* the same text without: some are broken */
	/* issue 18: an e-mail address or URL (a link) never breaks at a hyphen */
	CHECK_INT(addresses_found(1), 120);
	CHECK(addresses_found(0) < 120);
}

/* Issue 18: "fi" and "fl" are the font's ligatures (U+FB01, U+FB02 in
 * Liberation), drawn as the breaker measured them; text extraction still
 * reads "fi" and "fl"; a code (monospaced) keeps its letters. */
static void test_ligatures(void)
{
	dt_doc *doc = dt_doc_new();
	dt_node *sec = dt_section(doc);
	dt_node *p = dt_para(doc, sec, NULL, NULL);
	dt_run_add(doc, p, "The final office of the flow of fine fields, first and fluent. ", 0,
	           NULL);
	dt_run_add(doc, p, "config", DT_MONO, NULL);
	CHECK(render(doc, "build/test-lig.pdf") == 1);
	char *t = pdf_text("build/test-lig.pdf", 0, 0);
	CHECK(t && strstr(t, "The final office of the flow of fine fields, first and fluent."));
	CHECK(t && strstr(t, "config") && !strstr(t, "\xEF\xAC"));
	free(t);
	/* the page's text, uncompressed: the codes of the ligatures in it,
	 * which qpdf's QDF form writes in hex strings (<...fb01...>) */
	CHECK(system("qpdf --qdf --object-streams=disable build/test-lig.pdf "
	             "build/test-lig-qdf.pdf") == 0);
	char *x = NULL;
	size_t n = 0;
	int big, fi = 0, fl = 0;
	if (ms_read_file("build/test-lig-qdf.pdf", 1 << 24, &x, &n, &big) == 0)
		for (size_t i = 0; i + 1 < n; i++) {
			fi += i + 4 <= n && !memcmp(x + i, "fb01", 4);
			fl += i + 4 <= n && !memcmp(x + i, "fb02", 4);
		}
	free(x);
	CHECK(fi >= 5); /* final office fine fields first */
	CHECK(fl >= 2); /* flow fluent */
}

/* The fewest lines of text on any page of path (pdftotext -layout). */
static int fewest_lines(const char *path, int pages)
{
	int fewest = 1000;
	for (int pg = 1; pg <= pages; pg++) {
		char *t = pdf_text(path, pg, 1);
		int lines = 0;
		for (const char *q = t; q && *q; q++) {
			const char *e = strchr(q, '\n');
			size_t len = e ? (size_t)(e - q) : strlen(q);
			/* a line with a letter on it (not a folio) */
			for (size_t i = 0; i < len; i++)
				if ((q[i] | 0x20) >= 'a' && (q[i] | 0x20) <= 'z') {
					lines++;
					break;
				}
			q += len;
			if (!*q)
				break;
		}
		free(t);
		fewest = lines < fewest ? lines : fewest;
	}
	return fewest;
}

/* Issue 18: no page holds only one or two lines. A chapter whose last
 * paragraph (of five lines, or of two) ends near a page's foot, `fill`
 * paragraphs down, then a page break and the next chapter: at every
 * filling, each page holds three lines or more. */
static void test_no_short_page(void)
{
	static const char sent[] =
	    "The survey teams released the land near the river before the rainy season. ";
	int worst = 1000, tried = 0;
	for (int last = 0; last < 2; last++)
		for (int fill = 24; fill < 36; fill++) {
			dt_doc *doc = dt_doc_new();
			dt_node *sec = dt_section(doc);
			for (int i = 0; i < fill; i++)
				dt_para(
				    doc, sec, NULL,
				    i % 3
				        ? "A line of text that fills the page."
				        : "Two lines of text that fill the page: this one is long "
				          "enough to take a second line of the column, and so on.");
			ms_buf b;
			ms_buf_init(&b);
			for (int i = 0; i < (last ? 1 : 5); i++)
				ms_buf_adds(&b, sent);
			dt_para(doc, sec, NULL, b.s);
			ms_buf_free(&b);
			dt_add(doc, sec, DT_PAGEBREAK);
			for (int i = 0; i < 6; i++)
				dt_para(doc, sec, NULL, sent);
			int pages = render(doc, "build/test-short.pdf");
			tried += pages >= 2;
			int k = fewest_lines("build/test-short.pdf", pages);
			worst = k < worst ? k : worst;
		}
	CHECK_INT(tried, 24);
	CHECK(worst >= 3);
}

/* The same for a chapter that ends with a list of six one-line items, or
 * with an index of six entries (a digest's cross-references at an area's
 * end): their last three lines go together. */
static void test_no_short_page_list(void)
{
	int worst = 1000, tried = 0;
	for (int kind = 0; kind < 2; kind++)
		for (int fill = 24; fill < 36; fill++) {
			dt_doc *doc = dt_doc_new();
			dt_node *sec = dt_section(doc);
			for (int i = 0; i < fill; i++)
				dt_para(doc, sec, NULL, "A line of text that fills the page.");
			if (kind == 0) {
				dt_node *l = dt_add(doc, sec, DT_LIST);
				for (int i = 0; i < 6; i++)
					dt_para(doc, dt_add(doc, l, DT_ITEM), NULL,
					        dt_printf(doc, "Item %d of the list.", i + 1));
			} else {
				dt_node *in = dt_add(doc, sec, DT_INDEX);
				in->entries = dt_alloc(doc, 6 * sizeof *in->entries);
				for (int i = 0; i < 6; i++)
					in->entries[i].term =
					    dt_printf(doc, "Entry %d, given elsewhere", i + 1);
				in->nentries = 6;
			}
			dt_add(doc, sec, DT_PAGEBREAK);
			for (int i = 0; i < 6; i++)
				dt_para(doc, sec, NULL, "The next chapter starts here.");
			int pages = render(doc, "build/test-short-list.pdf");
			tried += pages >= 2;
			int k = fewest_lines("build/test-short-list.pdf", pages);
			worst = k < worst ? k : worst;
		}
	CHECK_INT(tried, 24);
	CHECK(worst >= 3);
}

/* Words are measured and hyphenated once a layout (flow.c's word cache):
 * a paragraph set again from the cache breaks exactly as it did when its
 * words were first measured, and a word in bold is not given its regular
 * width. Pages 1 and 3 hold the same paragraph in the regular face, 2 and
 * 4 in bold. */
static void test_word_cache(void)
{
	static const char text[] =
	    "International cooperation and assistance in clearance, stockpile destruction "
	    "and victim assistance: the coordinators reported that humanitarian demining "
	    "organisations and national authorities exchanged expertise on non-technical "
	    "survey, land release and risk education; Bosnia and Herzegovina, the Lao "
	    "People's Democratic Republic and C\xC3\xB4te d'Ivoire described partnerships "
	    "with donors, self-sufficiency and the responsibilities of affected States.";
	dt_doc *doc = dt_doc_new();
	for (int i = 0; i < 4; i++) {
		dt_node *p = dt_para(doc, dt_section(doc), "body", NULL);
		dt_run_add(doc, p, text, i % 2 ? DT_B : 0, NULL);
	}
	CHECK_INT(render(doc, "build/test-words.pdf"), 4);
	char *pg[4];
	for (int i = 0; i < 4; i++) {
		pg[i] = pdf_text("build/test-words.pdf", i + 1, 1);
		char *end = pg[i] ? strstr(pg[i], "States.") : NULL;
		if (end)
			end[7] = 0; /* the paragraph, without the page number */
		else {
			free(pg[i]);
			pg[i] = NULL;
		}
	}
	CHECK(pg[0] && pg[1] && pg[2] && pg[3]);
	if (pg[0] && pg[1] && pg[2] && pg[3]) {
		CHECK_STR(pg[2], pg[0]);
		CHECK_STR(pg[3], pg[1]);
		CHECK(strcmp(pg[0], pg[1]) != 0);    /* bold is wider: other lines */
		CHECK(strstr(pg[0], "-\n") != NULL); /* a word was hyphenated */
	}
	for (int i = 0; i < 4; i++)
		free(pg[i]);
}

/* dt_printf: a short text formatted on the stack, a long one straight
 * into the tree's memory; both whole. */
static void test_dt_printf(void)
{
	dt_doc *doc = dt_doc_new();
	CHECK(doc != NULL);
	if (!doc)
		return;
	char *s = dt_printf(doc, "area-%d-%d", 3, 1);
	CHECK_STR(s ? s : "", "area-3-1");
	char big[600];
	memset(big, 'w', sizeof big - 1);
	big[sizeof big - 1] = 0;
	s = dt_printf(doc, "%s (%s)", big, "Peru");
	CHECK(s && strlen(s) == 599 + 7 && !strcmp(s + 599, " (Peru)"));
	s = dt_printf(doc, "%.*s", 255, big); /* 255 bytes: the stack's whole room */
	CHECK(s && strlen(s) == 255);
	s = dt_printf(doc, "%.*s", 256, big);
	CHECK(s && strlen(s) == 256);
	CHECK(!dt_doc_oom(doc));
	dt_doc_free(doc);
}

int main(void)
{
	test_dt_printf();
	test_hyphenation();
	test_hyph_shared();
	test_hyph_kept();
	test_node_size();
	test_mixed_reader();
	test_breaking();
	test_hanging();
	test_style();
	test_paper();
	test_style_align();
	test_structure();
	test_photos();
	test_no_blank_page();
	test_tall_row();
	test_long_chart();
	test_chart_numbers();
	test_page_numbers();
	test_codes_unbroken();
	test_no_short_page();
	test_no_short_page_list();
	test_ligatures();
	test_word_cache();
	return t_done("layout");
}
