/* Unit tests of the digest: validity at boundary dates (rules.md 18, 19)
 * and matching with its ranking (rules.md 22), on hand-made entries in
 * tests/fixtures/portal/ whose expected ends are worked out in them. */
#include <stdlib.h>
#include <string.h>

#include "doc/digest.h"
#include "t.h"
#include "util/buf.h"

static rec_set *set;

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
	const char *next = ren ? strstr(ren + 5, "heading") : NULL;
	CHECK(!ren || !strstr(ren, "O-LEB") ||
	      (next && strstr(ren, "O-LEB") > next)); /* not eligible */
	CHECK(!strstr(t, "O-OLD"));                   /* expired offers never match */
	const char *ex = strstr(t, "#e-N-EXPLICIT "); /* Training: no offer has it */
	const char *ex_next = ex ? strstr(ex + 5, "heading") : NULL;
	const char *ex_match = ex ? strstr(ex, "Offers that could serve") : NULL;
	CHECK(ex && (!ex_match || (ex_next && ex_match > ex_next)));
	const char *va = strstr(t, "#e-N-VA ");
	CHECK(va && strstr(va, "O-ANY (Norway)"));
	free(t);
	rec_set_free(set);
	ms_diags_free(&d);
	return t_done("digest");
}
