/* Unit tests of pdf/: the numbers of the content streams (content.c). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pdf/content.h"
#include "pdf/pdf.h"
#include "t.h"
#include "util/buf.h"

/* Numbers of the content stream: three decimals at most, no trailing zeros,
 * no "-0". */
static void test_numbers(void)
{
	static const struct {
		double v;
		const char *want;
	} cases[] = {{0, "0"},
	             {1, "1"},
	             {-1, "-1"},
	             {0.5, "0.5"},
	             {12.345, "12.345"},
	             {12.3456, "12.346"},
	             {-0.0004, "0"},
	             {-0.25, "-0.25"},
	             {532.91339, "532.913"},
	             {1000000, "1000000"},
	             {-283.5704, "-283.57"}};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		ms_buf b;
		ms_buf_init(&b);
		pdfc_num(&b, cases[i].v);
		CHECK_STR(b.s, cases[i].want);
		ms_buf_free(&b);
	}
}

static void test_round(void)
{
	static const double v[] = {0,
	                           0.5,
	                           -0.5,
	                           1.5,
	                           -1.5,
	                           2.5,
	                           -2.5,
	                           0.49999999999999994,
	                           -0.49999999999999994,
	                           1e15 + 0.5,
	                           -1e15 - 0.5,
	                           4503599627370495.5,
	                           123456.4999,
	                           -0.0,
	                           72.0004 * 1000,
	                           595.276 * 1000,
	                           5e18,
	                           -5e18};
	int same = 0, all = 0;
	for (size_t i = 0; i < sizeof v / sizeof *v; i++, all++)
		same += pdfc_round(v[i]) == llround(v[i]);
	unsigned long long x = 88172645463325252ULL; /* xorshift: values to 2^40 */
	for (int i = 0; i < 200000; i++, all++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		double d = ((double)(x % 2000000000000ULL) - 1e12) / 1024.0;
		same += pdfc_round(d) == llround(d);
	}
	CHECK_INT(same, all);
}

/* What a command prints, malloc'd ("" when it cannot run). */
static char *run(const char *cmd)
{
	FILE *p = popen(cmd, "r");
	ms_buf out;
	ms_buf_init(&out);
	char chunk[4096];
	size_t n;
	while (p && (n = fread(chunk, 1, sizeof chunk, p)) > 0)
		ms_buf_add(&out, chunk, n);
	if (p)
		pclose(p);
	ms_buf_addc(&out, 0);
	return out.s;
}

/* v appended to the page's operations. */
static ly_op *add_op(ms_arena *a, ly_page *pg, ly_op v)
{
	ly_op *o = ms_arena_alloc(a, sizeof *o);
	*o = v;
	if (pg->last)
		pg->last->next = o;
	else
		pg->ops = o;
	pg->last = o;
	return o;
}

/* More links than viewers' arrays hold (8,191 kids; libharu's own arrays
 * 32,767, where it freed what it refused: a crash on the 2,000-entry
 * digest): the parent tree splits into leaves and the document's kids
 * continue in NonStruct groups. Every link is still in the structure
 * tree, each page's /Annots an array of its 17,000, the file sound. */
static void test_many_links(void)
{
	enum { PAGES = 2, PER = 17000 };
	ms_arena *a = ms_arena_new();
	ly_page pages[PAGES];
	for (int i = 0; i < PAGES; i++) {
		pages[i] =
		    (ly_page){.width = 595, .height = 842, .number = i + 1, .label_style = 'D'};
		snprintf(pages[i].label, sizeof pages[i].label, "%d", i + 1);
		for (int k = 0; k < PER; k++)
			add_op(a, &pages[i],
			       (ly_op){.kind = OP_LINK,
			               .text = "https://example.org/",
			               .x = 10,
			               .y = (float)(k % 800),
			               .w = 5,
			               .h = 5,
			               .elem = -1});
	}
	ly_dlist dl = {.pages = pages, .npages = PAGES, .title = "Links", .created = MS_NO_DAY};
	char dir[] = "/tmp/mspdoc-pdf-XXXXXX";
	CHECK(mkdtemp(dir) != NULL);
	char *path = ms_printf("%s/links.pdf", dir);
	ms_diags d;
	ms_diags_init(&d);
	CHECK_INT(pdf_write(&dl, path, NULL, &d), 0);
	CHECK_INT((int)d.n, 0);
	char *cmd = ms_printf("pdfinfo -struct '%s' | grep -c '^ *Link'", path);
	char *links = run(cmd);
	CHECK_INT(atoi(links), PAGES * PER);
	free(cmd);
	free(links);
	cmd = ms_printf("pdfinfo -struct '%s' | grep -c '^ *NonStruct'", path);
	links = run(cmd);
	CHECK_INT(atoi(links), (PAGES * PER + 8190) / 8191);
	free(cmd);
	free(links);
	/* the first page's /Annots, an array of references to its links */
	cmd = ms_printf("qpdf --check '%s' >/dev/null 2>&1 && qpdf --show-pages '%s' | head -1 | "
	                "awk '{print $3}' | xargs -I{} qpdf --show-object={} '%s' | "
	                "grep -o '/Annots [0-9]* 0 R' | awk '{print $2}' | "
	                "xargs -I{} qpdf --show-object={} '%s' | tr ' ' '\\n' | grep -c '^R$'",
	                path, path, path, path);
	links = run(cmd);
	CHECK_INT(atoi(links), PER);
	free(cmd);
	free(links);
	unlink(path);
	rmdir(dir);
	free(path);
	ms_diags_free(&d);
	ms_arena_free(a);
}

/* Each page's contents start from the default graphics state: its first
 * text sets its font and colour even when the page before ended with the
 * same (a viewer may draw any page alone), and text after a filled box is
 * given its colour again. The file's blocks reserved while it was written
 * are given back. */
static void test_page_state(void)
{
	char path_r[256];
	snprintf(path_r, sizeof path_r, "/usr/share/fonts/truetype/liberation2/%s",
	         "LiberationSerif-Regular.ttf");
	if (access(path_r, R_OK) != 0)
		snprintf(path_r, sizeof path_r, "/usr/share/fonts/truetype/liberation/%s",
		         "LiberationSerif-Regular.ttf");
	const char *paths[FT_FACES] = {path_r};
	ft_fonts *ft = ft_fonts_new(paths);
	ms_arena *a = ms_arena_new();
	enum { PAGES = 3 };
	ly_page pages[PAGES];
	for (int i = 0; i < PAGES; i++) {
		pages[i] =
		    (ly_page){.width = 595, .height = 842, .number = i + 1, .label_style = 'D'};
		snprintf(pages[i].label, sizeof pages[i].label, "%d", i + 1);
		static const char *words[] = {"Stockpile", "destruction", "completed"};
		for (int k = 0; k < 3; k++)
			add_op(a, &pages[i],
			       (ly_op){.kind = OP_TEXT,
			               .text = words[k],
			               .len = (unsigned)strlen(words[k]),
			               .x = 72 + 80 * (float)k,
			               .y = 700,
			               .size = 11,
			               .elem = -1});
		if (i == 1) { /* a shaded box, then text in black again */
			add_op(a, &pages[i],
			       (ly_op){.kind = OP_RECT,
			               .x = 70,
			               .y = 600,
			               .w = 200,
			               .h = 40,
			               .color = 0xDCE6F0,
			               .fill = 1,
			               .elem = -1});
			add_op(a, &pages[i],
			       (ly_op){.kind = OP_TEXT,
			               .text = "Shaded",
			               .len = 6,
			               .x = 72,
			               .y = 610,
			               .size = 11,
			               .elem = -1});
		}
	}
	ly_dlist dl = {
	    .pages = pages, .npages = PAGES, .title = "State", .created = MS_NO_DAY, .fonts = ft};
	char dir[] = "/tmp/mspdoc-pdf-XXXXXX";
	CHECK(mkdtemp(dir) != NULL);
	char *path = ms_printf("%s/state.pdf", dir);
	ms_diags d;
	ms_diags_init(&d);
	CHECK_INT(pdf_write(&dl, path, NULL, &d), 0);
	/* per page: the operators before its first TJ */
	for (int i = 1; i <= PAGES; i++) {
		char *cmd = ms_printf("qpdf --qdf --object-streams=disable '%s' - 2>/dev/null | "
		                      "awk '/^%%%% Contents for page %d$/{p=1} p&&/TJ/{exit} p' | "
		                      "grep -cE ' Tf$| rg$'",
		                      path, i);
		char *got = run(cmd);
		CHECK_INT(atoi(got), 2); /* a font and a fill colour */
		free(cmd);
		free(got);
	}
	char *cmd =
	    ms_printf("qpdf --qdf --object-streams=disable '%s' - 2>/dev/null | "
	              "awk '/^%%%% Contents for page 2$/{p=1} /^%%%% Contents for page 3$/{p=0} "
	              "p' | awk '/ re$/{r=1} r&&/ rg$/{n++} END{print n+0}'",
	              path);
	char *got = run(cmd);
	CHECK_INT(atoi(got), 1); /* after the box's colour, black again */
	free(cmd);
	free(got);
	struct stat st;
	CHECK(stat(path, &st) == 0 &&
	      (long long)st.st_blocks * 512 < (long long)st.st_size + 65536);
	unlink(path);
	rmdir(dir);
	free(path);
	ms_diags_free(&d);
	ms_arena_free(a);
	ft_fonts_free(ft);
}

int main(void)
{
	test_many_links();
	test_page_state();
	test_round();
	test_numbers();
	return t_done("pdf");
}
