/* test_letter.c — the Letter form and recipients read from the sample, the
 * letter's tree (date, blocks side by side, the closing kept with the
 * signatures) and the missions' file names. */
#include "doc/letter.h"
#include "doc/tree.h"
#include "model/record.h"
#include "t.h"
#include "util/buf.h"

static const dt_node *find_style(const dt_node *n, const char *style)
{
	for (; n; n = n->next) {
		if (n->style && !strcmp(n->style, style))
			return n;
		const dt_node *c = find_style(n->first, style);
		if (c)
			return c;
	}
	return NULL;
}

static char *runs_text(const dt_node *p)
{
	ms_buf b;
	ms_buf_init(&b);
	for (const dt_run *r = p ? p->runs : NULL; r; r = r->next)
		ms_buf_adds(&b, r->style & DT_BR ? "|" : r->text);
	return ms_buf_take(&b);
}

static void test_sample(void)
{
	ms_diags d;
	ms_diags_init(&d);
	rec_set *s = rec_set_new();
	rec_load(s, "inputs/letters", "inputs", "letters", &d);
	CHECK_INT(s->nletters, 3);
	CHECK_INT(s->nrecipients, 3);
	CHECK_INT(d.count[MS_ERROR] + d.count[MS_WARNING], 0);
	const rec_letter *w = NULL;
	for (size_t i = 0; i < s->nletters; i++)
		if (!strcmp(s->letters[i]->name, "2013-04-03-workshop"))
			w = s->letters[i];
	CHECK(w != NULL);
	if (w) {
		CHECK_INT(w->senders.n, 2);
		CHECK_STR(w->senders.v[1].name, "Sweden");
		CHECK_INT(w->nsig, 2);
		CHECK_STR(w->sig[1].title, "Ambassador");
		CHECK(w->sig[0].post &&
		      strstr(w->sig[0].post, "Permanent Representative of Mexico"));
		dt_doc *doc = let_tree(w, NULL);
		const dt_node *sec = doc ? doc->root->first : NULL;
		CHECK(sec && sec->page.no_first_folio && sec->page.show_folio);
		char *t = runs_text(find_style(sec, "letter-date"));
		CHECK_STR(t, "Geneva, 3\xC2\xA0"
		             "April 2013"); /* a no-break space: "3 April" never split */
		free(t);
		const dt_node *closing = find_style(sec, "letter-closing");
		CHECK(closing && closing->keep && closing->next && closing->next->type == DT_TABLE);
		const dt_node *sig = closing ? closing->next : NULL;
		const dt_node *row = sig ? sig->first : NULL;
		CHECK(row && row->first && row->first->next); /* two cells, one row */
		if (row && row->first && row->first->next) {
			t = runs_text(row->first->next->first);
			CHECK(t && !strncmp(t, "|||Karin LINDQVIST|Ambassador|", 30));
			free(t);
		}
		dt_doc_free(doc);
		/* merged: the mission's name and address lines, its salutation */
		const rec_recipient *lao = s->recipients[1];
		doc = let_tree(w, lao);
		sec = doc ? doc->root->first : NULL;
		t = runs_text(find_style(sec, "letter-address"));
		CHECK_STR(t, "Permanent Mission of Lao PDR|Rue François-Versonnex 15|1207 Geneva");
		free(t);
		t = runs_text(find_style(sec, "letter-salutation"));
		CHECK_STR(t, "Excellency,");
		free(t);
		dt_doc_free(doc);
	}
	rec_set_free(s);
	ms_diags_free(&d);
}

static void test_file_names(void)
{
	char *n;
	CHECK_STR(n = let_file_name("Permanent Mission of Chile"), "chile");
	free(n);
	CHECK_STR(n = let_file_name("Permanent Mission of the Lao People's Democratic Republic"),
	          "lao-people-s-democratic-republic");
	free(n);
	CHECK_STR(n = let_file_name("Côte d'Ivoire"), "cote-d-ivoire");
	free(n);
	CHECK_STR(n = let_file_name("../../etc"), "etc");
	free(n);
	CHECK_STR(n = let_file_name("!!!"), "mission");
	free(n);
}

int main(void)
{
	test_sample();
	test_file_names();
	return t_done("letter");
}
