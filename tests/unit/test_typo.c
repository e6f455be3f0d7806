/* Unit tests of the editorial rules every text of a document goes through
 * (doc/typo.h, dt_text): curly quotes, no-break spaces, links, names joined
 * in words with their article written once, shares and minus signs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc/tree.h"
#include "doc/typo.h"
#include "model/value.h"
#include "t.h"
#include "util/buf.h"

#define NB "\xC2\xA0"

static void smart(const char *in, const char *want)
{
	char *t = typo_text(in, strlen(in), 0);
	CHECK_STR(t, want);
	free(t);
}

static void link(const char *in, const char *addr, const char *target)
{
	size_t at = 0, len = 0;
	int found = typo_find_link(in, &at, &len);
	CHECK(found);
	if (!found)
		return;
	char *a = ms_strndup(in + at, len), *t = typo_link_target(in + at, len);
	CHECK_STR(a, addr);
	CHECK_STR(t, target);
	free(a);
	free(t);
}

static void join(const char *const *v, size_t n, const char *want)
{
	char *t = typo_join(v, n);
	CHECK_STR(t, want);
	free(t);
}

static void the(const char *who, int country, const char *want)
{
	char *t = typo_by("Issued by", who, country);
	CHECK_STR(t, want);
	free(t);
}

int main(void)
{
	size_t at, len;
	/* quotes and apostrophes */
	smart("People's Aid", "People\xE2\x80\x99s Aid");
	smart("C\xC3\xB4te d'Ivoire", "C\xC3\xB4te d\xE2\x80\x99Ivoire");
	smart("the \"Cooperation Portal\" and 'views'",
	      "the \xE2\x80\x9C"
	      "Cooperation Portal\xE2\x80\x9D and \xE2\x80\x98views\xE2\x80\x99");
	smart("States Parties' views", "States Parties\xE2\x80\x99 views");
	smart("(\"quoted\")", "(\xE2\x80\x9Cquoted\xE2\x80\x9D)");
	smart("in the '90s", "in the \xE2\x80\x99"
	                     "90s");
	/* text already curly stays */
	smart("\xE2\x80\x9C"
	      "done\xE2\x80\x9D",
	      "\xE2\x80\x9C"
	      "done\xE2\x80\x9D");
	/* a quote after an earlier run's letter closes */
	char *t = typo_text("'s", 2, 'e');
	CHECK_STR(t, "\xE2\x80\x99s");
	free(t);
	/* markup shown as text keeps its quotes, and its addresses are no links */
	smart("<div class=\"note\">it's</div>", "<div class=\"note\">it\xE2\x80\x99s</div>");
	CHECK(!typo_find_link("<img src=\"http://tracker.example/x.png\">", &at, &len));
	link("Unit <unit@example.org>", "unit@example.org", "mailto:unit@example.org");
	/* no-break spaces */
	smart("on 30 April 2013", "on 30" NB "April 2013");
	smart("USD 95,000 and EUR 1.2", "USD" NB "95,000 and EUR" NB "1.2");
	smart("see p. 14", "see p." NB "14");
	smart("Action #10 of", "Action" NB "#10 of");
	smart("30 Aprilis", "30 Aprilis");
	smart("ABCD 12", "ABCD 12");
	/* links: e-mail and web addresses, the sentence's punctuation left out */
	link("write to pdhr-ma@eda.example.", "pdhr-ma@eda.example", "mailto:pdhr-ma@eda.example");
	link("Contact <humanitarian-disarmament@mfa.example>",
	     "humanitarian-disarmament@mfa.example", "mailto:humanitarian-disarmament@mfa.example");
	link("see https://www.clusterconvention.org/portal/.",
	     "https://www.clusterconvention.org/portal/",
	     "https://www.clusterconvention.org/portal/");
	link("at www.example.org, or", "www.example.org", "https://www.example.org");
	CHECK(!typo_find_link("no address @ here, nor a@b", &at, &len));
	/* dt_text: an address is a link run, never hyphenated; quotes in the
	 * text around it curly; none in the address */
	dt_doc *doc = dt_doc_new();
	dt_node *p = dt_para(doc, NULL, NULL, "Ms O'Neil, oneil-x@mfa.example's desk");
	int links = 0;
	for (dt_run *r = p ? p->runs : NULL; r; r = r->next)
		if (r->link) {
			links++;
			CHECK_STR(r->link, "mailto:oneil-x@mfa.example");
			CHECK(r->style & DT_NOHYPH);
		}
	CHECK_INT(links, 1);
	CHECK_STR(p->runs->text, "Ms O\xE2\x80\x99Neil, ");
	/* code is left as written */
	dt_node *q = dt_para(doc, NULL, NULL, NULL);
	dt_text(doc, q, "it's", DT_MONO, NULL);
	CHECK_STR(q->runs->text, "it's");
	CHECK_STR(dt_typo(doc, "People's"), "People\xE2\x80\x99s");
	dt_doc_free(doc);
	/* parties in words, the article once */
	const char *one[] = {"Mexico"}, *two[] = {"Mexico", "Spain"},
	           *three[] = {"Chile", "Mexico", "Spain"};
	join(one, 1, "Mexico");
	join(two, 2, "Mexico and Spain");
	join(three, 3, "Chile, Mexico and Spain");
	the("Implementation Support Unit", 0, "Issued by the Implementation Support Unit");
	the("The coordinators on national implementation", 0,
	    "Issued by the coordinators on national implementation");
	the("the Implementation Support Unit", 0, "Issued by the Implementation Support Unit");
	the("Mexico", 1, "Issued by Mexico");
	the("Philippines", 1, "Issued by the Philippines");
	the("Bolivia (Plurinational State of)", 1, "Issued by Bolivia (Plurinational State of)");
	the("Handicap International", 0, "Issued by Handicap International");
	/* shares and signs */
	char buf[16];
	CHECK_STR(val_share(0.0004, buf), "<0.1%");
	CHECK_STR(val_share(0.1, buf), "10.0%");
	CHECK_STR(val_share(0, buf), "0.0%");
	char *g = val_grouped(-85000, NULL);
	CHECK_STR(g, "\xE2\x88\x92"
	             "85,000");
	free(g);
	return t_done("typo");
}
