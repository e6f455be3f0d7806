/* Unit tests of the progress model with counts worked out by hand from
 * tests/fixtures/progress/ (see the comments), through the embedded tables
 * that papers use. */
#include <stdlib.h>
#include <string.h>

#include "doc/progress.h"
#include "t.h"
#include "util/buf.h"

/* 1 when the strings occur in this order in text. */
static int in_order(const char *text, const char *const *seq, size_t n)
{
	const char *p = text;
	for (size_t i = 0; i < n; i++) {
		p = p ? strstr(p, seq[i]) : NULL;
		if (!p)
			return 0;
		p += strlen(seq[i]);
	}
	return 1;
}

static char *embed(const prg_model *m, const char *spec, ms_diags *d)
{
	dt_doc *doc = dt_doc_new();
	ms_pos pos = ms_pos_line("paper.md", 7);
	int r = prg_embed(doc, doc->root, m, spec, &pos, d);
	ms_buf b;
	ms_buf_init(&b);
	if (r == 0)
		dt_dump(doc, &b);
	dt_doc_free(doc);
	return ms_buf_take(&b);
}

int main(void)
{
	ms_diags d;
	ms_diags_init(&d);
	rec_set *s = rec_set_new();
	rec_load(s, "tests/fixtures/progress", "tests/fixtures/progress", "progress", &d);
	rec_set_link(s, &d);
	CHECK_INT(d.count[MS_ERROR], 0);
	prg_model *m = prg_compute(s, NULL, ms_ymd_to_day(2013, 7, 15), &d);
	CHECK(m != NULL);
	if (!m)
		return t_done("progress");
	/* #1 in 2011 -> 2012 (Mali has no 2012 row, Chad no 2011 row: "No information"):
	 * Completed 1 -> 1, In progress 1 -> 2, Not started 1 -> 0, No information 1 -> 1 */
	char *t = embed(m, "table: status\nactions: 1", &d);
	/* one action: a status a row, before, now and the change, a negative
	 * change with a true minus sign */
	static const char *const counts[] = {
	    "Completed",   "1", "1", "0",       "In progress",    "1", "2", "+1",
	    "Not started", "1", "0", "\u22121", "No information", "1", "1", "0"};
	CHECK(in_order(t, counts, 16));
	free(t);
	/* the custom scale of #2: Chile Drafting -> Adopted (case-insensitive), Peru newly Drafting
	 */
	t = embed(m, "table: status\nactions: #2", &d);
	static const char *const c2[] = {"Adopted",        "0", "1", "+1",
	                                 "Drafting",       "1", "1", "0",
	                                 "No information", "3", "2", "\u22121"};
	CHECK(in_order(t, c2, 12));
	free(t);
	/* moves: #1 Chile forward, Peru backward, Chad newly, Mali no longer */
	t = embed(m, "table: changes", &d);
	static const char *const mv[] = {"#1", "Chile", "Peru", "Chad", "Mali", "#2", "Chile"};
	CHECK(in_order(t, mv, 7));
	free(t);
	/* Article 7 as of 2013-07-15: on the due day = on time; due on as-of = not yet due */
	t = embed(m, "table: article7", &d);
	static const char *const a7[] = {"Chad", "overdue",     "Chile", "on time",
	                                 "Mali", "not yet due", "Peru",  "late by 10 days"};
	CHECK(in_order(t, a7, 8));
	CHECK(strstr(t, "Totals: 1 on time, 1 late, 1 overdue, 1 not yet due.") != NULL);
	free(t);
	/* funding 2011: VA 50,000 + SD 50,000 of 1,000,000 = 10.0% */
	t = embed(m, "table: funding\nyear: 2011", &d);
	static const char *const fu[] = {"Clearance and risk reduction education",
	                                 "900,000",
	                                 "90.0%",
	                                 "Total",
	                                 "1,000,000",
	                                 "100.0%"};
	CHECK(in_order(t, fu, 6));
	CHECK(strstr(t, "Victim assistance") && strstr(t, "5.0%"));
	free(t);
	/* errors at the block's line */
	size_t before = d.count[MS_ERROR];
	t = embed(m, "table: nonsense", &d);
	CHECK_INT(d.count[MS_ERROR], before + 1);
	CHECK_STR(d.v[d.n - 1].where, "paper.md:7");
	free(t);
	t = embed(m, "table: status\nactions: 99", &d);
	CHECK(strstr(d.v[d.n - 1].msg, "match no action") != NULL);
	free(t);
	t = embed(m, "table: funding\nyear: 1999", &d);
	CHECK(strstr(d.v[d.n - 1].msg, "year 1999 matches no funding row") != NULL);
	free(t);
	t = embed(m, "colour: red", &d);
	CHECK(strstr(d.v[d.n - 1].msg, "unknown key 'colour'") != NULL);
	free(t);
	prg_model_free(m);
	/* an unknown --period lists the periods */
	m = prg_compute(s, "1999", ms_ymd_to_day(2013, 7, 15), &d);
	CHECK(m == NULL && d.v[d.n - 1].sev == MS_USAGE && strstr(d.v[d.n - 1].msg, "2011"));
	/* --period 2011: no earlier period, everything compared with nothing */
	m = prg_compute(s, "2011", ms_ymd_to_day(2013, 7, 15), &d);
	CHECK(m != NULL);
	t = m ? embed(m, "table: status\nactions: 1", &d) : NULL;
	static const char *const p11[] = {"Completed", "\xE2\x80\x93", "1", "\xE2\x80\x93"};
	CHECK(t && in_order(t, p11, 4)); /* nothing to compare with */
	free(t);
	prg_model_free(m);
	rec_set_free(s);
	ms_diags_free(&d);
	return t_done("progress");
}
