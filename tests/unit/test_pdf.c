/* Unit tests of pdf/: the numbers of the content streams (content.c). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
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

/* More links than viewers' arrays hold (8,191 kids; libharu's own arrays
 * 32,767, where it freed what it refused: a crash on the 2,000-entry
 * digest): the parent tree splits into leaves and the document's kids
 * continue in NonStruct groups. Every link is still in the structure
 * tree, each page's /Annots a plain array of 17,000, the file sound. */
static void test_many_links(void)
{
	enum { PAGES = 2, PER = 17000 };
	ms_arena *a = ms_arena_new();
	ly_page pages[PAGES];
	for (int i = 0; i < PAGES; i++) {
		pages[i] =
		    (ly_page){.width = 595, .height = 842, .number = i + 1, .label_style = 'D'};
		snprintf(pages[i].label, sizeof pages[i].label, "%d", i + 1);
		for (int k = 0; k < PER; k++) {
			ly_op *o = ms_arena_alloc(a, sizeof *o);
			*o = (ly_op){.kind = OP_LINK,
			             .text = "https://example.org/",
			             .x = 10,
			             .y = (float)(k % 800),
			             .w = 5,
			             .h = 5,
			             .elem = -1};
			if (pages[i].last)
				pages[i].last->next = o;
			else
				pages[i].ops = o;
			pages[i].last = o;
		}
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
	/* the first page's /Annots, a plain array of references */
	cmd = ms_printf("qpdf --check '%s' >/dev/null 2>&1 && qpdf --show-pages '%s' | head -1 | "
	                "awk '{print $3}' | xargs -I{} qpdf --show-object={} '%s' | "
	                "tr ' ' '\\n' | grep -c '^R$'",
	                path, path, path);
	links = run(cmd);
	CHECK(atoi(links) >= PER); /* the first page: its annotations, its parent */
	free(cmd);
	free(links);
	unlink(path);
	rmdir(dir);
	free(path);
	ms_diags_free(&d);
	ms_arena_free(a);
}

int main(void)
{
	test_many_links();
	test_round();
	test_numbers();
	return t_done("pdf");
}
