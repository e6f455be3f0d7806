/* Unit tests of the digest: validity at boundary dates (rules.md 18, 19)
 * and matching with its ranking (rules.md 22), on hand-made entries in
 * tests/fixtures/portal/ whose expected ends are worked out in them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "doc/digest.h"
#include "t.h"
#include "util/buf.h"

static rec_set *set;

/* The next heading of an entry, a kind or an area after the line at p. */
static const char *next_heading(const char *p)
{
	p += strcspn(p, "\n");
	const char *best = NULL;
	static const char *const levels[] = {"level=1", "level=2", "level=3"};
	for (int i = 0; i < 3; i++) {
		const char *h = strstr(p, levels[i]);
		if (h && (!best || h < best))
			best = h;
	}
	return best;
}

static char *dump_at(int y, int m, int d)
{
	ms_diags dg;
	ms_diags_init(&dg);
	dt_doc *doc = dig_tree(set, ms_ymd_to_day(y, m, d), &dg);
	ms_buf b;
	ms_buf_init(&b);
	dt_dump(doc, &b);
	dt_doc_free(doc);
	ms_diags_free(&dg);
	return ms_buf_take(&b);
}

static int listed(const char *dump, const char *ref)
{
	char key[64];
	snprintf(key, sizeof key, "#e-%s ", ref);
	return strstr(dump, key) != NULL;
}

static int warns(int y, int m, int d, const char *ref)
{
	ms_diags dg;
	ms_diags_init(&dg);
	dig_check(set, ms_ymd_to_day(y, m, d), &dg);
	int hit = 0;
	for (size_t i = 0; i < dg.n; i++)
		if (dg.v[i].sev == MS_WARNING && strstr(dg.v[i].msg, ref))
			hit = 1;
	ms_diags_free(&dg);
	return hit;
}

/* dir/name holding text. */
static void put_file(const char *dir, const char *name, const char *text)
{
	char *path = ms_printf("%s/%s", dir, name);
	FILE *f = path ? fopen(path, "w") : NULL;
	CHECK(f && fputs(text, f) >= 0);
	if (f)
		fclose(f);
	free(path);
}

/* A need with 30 candidate offers keeps the best 25 (rules.md 22): the
 * ten that share most first, the later end first among equals; then the
 * next ten; then the five of the last ten with the latest ends. */
static void test_shortlist(void)
{
	char dir[] = "/tmp/mspdoc-dig-XXXXXX";
	CHECK(mkdtemp(dir) != NULL);
	put_file(dir, "digest.md",
	         "Form: Digest\nTitle: Shortlist\nLifespan: 12\nWarning: 30\n\n## Introduction\n\n"
	         "Thirty offers for one need.\n");
	put_file(
	    dir, "needs.csv",
	    "Submitter,Submitter type,Title,Areas,Assistance,Countries,Submitted,Valid until,"
	    "Renewed,Reference,Description,Contact\n"
	    "Chad,State Party,Many offers,CL; VA,Equipment; Financial; Training,Chad,2024-01-01,"
	    ",,N-MANY,Clearance of the north.,focal@example.org\n");
	ms_buf offers;
	ms_buf_init(&offers);
	ms_buf_adds(&offers, "Submitter,Submitter type,Title,Areas,Assistance,Countries,Submitted,"
	                     "Valid until,Reference,Description,Contact\n");
	for (int i = 1; i <= 30; i++) /* scores 5, 3, 2 by tens; ends 1..10 December */
		ms_buf_printf(
		    &offers,
		    "Norway,State Party,Offer %d,%s,%s,Any,2024-01-01,2024-12-%02d,O-%02d,"
		    "Help.,focal@example.org\n",
		    i, i <= 10 ? "CL; VA" : "CL",
		    i <= 10   ? "Equipment; Financial; Training"
		    : i <= 20 ? "Equipment; Financial"
		              : "Equipment",
		    (i - 1) % 10 + 1, i);
	put_file(dir, "offers.csv", offers.s);
	ms_buf_free(&offers);
	ms_diags d;
	ms_diags_init(&d);
	rec_set *s = rec_set_new();
	rec_load(s, dir, dir, "portal", &d);
	rec_set_link(s, &d);
	CHECK_INT(d.count[MS_ERROR], 0);
	dt_doc *doc = dig_tree(s, ms_ymd_to_day(2024, 3, 10), &d);
	ms_buf b;
	ms_buf_init(&b);
	dt_dump(doc, &b);
	const char *need = b.s ? strstr(b.s, "Offers that could serve this need") : NULL;
	CHECK(need != NULL);
	/* the first ten shown: O-10 (latest end) down to O-01 */
	const char *at = need;
	for (int i = 10; at && i >= 1; i--) {
		char ref[16];
		snprintf(ref, sizeof ref, "O-%02d (Norway)", i);
		const char *p = strstr(at, ref);
		CHECK(p != NULL);
		at = p;
	}
	CHECK(need && strstr(need, "And 15 more, ranked lower"));
	/* of the score-2 offers, the five with the latest ends made the list */
	for (int i = 21; i <= 30; i++) {
		char key[32];
		snprintf(key, sizeof key, "#e-O-%02d ", i);
		const char *e = b.s ? strstr(b.s, key) : NULL;
		const char *next = e ? next_heading(e) : NULL; /* the next entry */
		const char *m = e ? strstr(e, "- N-MANY") : NULL;
		int kept = m && (!next || m < next);
		CHECK_INT(kept, i >= 26);
	}
	ms_buf_free(&b);
	dt_doc_free(doc);
	rec_set_free(s);
	ms_diags_free(&d);
	const char *names[] = {"digest.md", "needs.csv", "offers.csv"};
	for (int i = 0; i < 3; i++) {
		char *path = ms_printf("%s/%s", dir, names[i]);
		unlink(path);
		free(path);
	}
	rmdir(dir);
}

int main(void)
{
	ms_diags d;
	ms_diags_init(&d);
	set = rec_set_new();
	rec_load(set, "tests/fixtures/portal", "tests/fixtures/portal", "portal", &d);
	rec_set_link(set, &d);
	CHECK_INT(d.count[MS_ERROR], 0);
	CHECK_INT(set->nentries, 11);
	char *t;
	/* 31 January + 1 month = 28 February, valid through that day */
	t = dump_at(2013, 2, 28);
	CHECK(listed(t, "N-MONTH-END"));
	free(t);
	t = dump_at(2013, 3, 1);
	CHECK(!listed(t, "N-MONTH-END"));
	free(t);
	/* a leap year: 29 January 2024 + 1 month = 29 February 2024 */
	t = dump_at(2024, 2, 29);
	CHECK(listed(t, "N-LEAP"));
	free(t);
	t = dump_at(2024, 3, 1);
	CHECK(!listed(t, "N-LEAP"));
	CHECK(listed(t, "N-EXPLICIT")); /* valid until 31 March */
	free(t);
	/* a renewal extends: 15 February + 1 month = 15 March */
	t = dump_at(2024, 3, 15);
	CHECK(listed(t, "N-RENEWED"));
	free(t);
	t = dump_at(2024, 3, 16);
	CHECK(!listed(t, "N-RENEWED"));
	CHECK(listed(t, "N-NO-SHORTEN")); /* a renewal never shortens */
	free(t);
	/* not yet published before its Submitted date */
	t = dump_at(2024, 2, 20);
	CHECK(!listed(t, "N-VA"));
	free(t);
	/* the warning window is inclusive: 30 days before 30 June */
	CHECK(warns(2024, 5, 31, "N-NO-SHORTEN"));
	CHECK(!warns(2024, 5, 30, "N-NO-SHORTEN"));
	CHECK(warns(2024, 6, 30, "N-NO-SHORTEN")); /* the last day */
	CHECK(!warns(2024, 7, 1, "N-NO-SHORTEN")); /* expired: not a warning */
	/* matching on 10 March 2024 */
	t = dump_at(2024, 3, 10);
	const char *ren = strstr(t, "#e-N-RENEWED ");
	const char *any = ren ? strstr(ren, "O-ANY (Norway)") : NULL;
	const char *chad = ren ? strstr(ren, "O-CHAD (Japan)") : NULL;
	CHECK(any && chad && any < chad); /* equal scores: the later end first */
	const char *next = ren ? next_heading(ren) : NULL;
	CHECK(!ren || !strstr(ren, "O-LEB") ||
	      (next && strstr(ren, "O-LEB") > next)); /* not eligible */
	CHECK(!strstr(t, "O-OLD"));                   /* expired offers never match */
	const char *ex = strstr(t, "#e-N-EXPLICIT "); /* Training: no offer has it */
	const char *ex_next = ex ? next_heading(ex) : NULL;
	const char *ex_match = ex ? strstr(ex, "Offers that could serve") : NULL;
	CHECK(ex && (!ex_match || (ex_next && ex_match > ex_next)));
	const char *va = strstr(t, "#e-N-VA ");
	CHECK(va && strstr(va, "O-ANY (Norway)"));
	free(t);
	rec_set_free(set);
	ms_diags_free(&d);
	test_shortlist();
	return t_done("digest");
}
