/* paper.c — UN working papers (see paper.h; documents.md §4, rules.md 30).
 *
 * The header follows the seed working paper: the Convention's name and the
 * symbol, a rule, distribution / date / original language, the meeting,
 * venue and dates, the agenda item and its title, the title, "Submitted by".
 * The body's top-level paragraphs are numbered 1, 2, 3 ...; headings, block
 * quotes (the unnumbered lead paragraph), lists, tables and code are not. A
 * fenced block with info string `mspdoc` is replaced by the table or chart it
 * asks for (progress.c describes the syntax). */
#include "paper.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "md2tree.h"
#include "render.h"
#include "tree.h"
#include "typo.h"

/* Move node n (detached from its old parent's list by the caller's walk)
 * to the end of parent. */
static void move_to(dt_node *parent, dt_node *n)
{
	n->next = NULL;
	n->parent = parent;
	if (parent->last)
		parent->last->next = n;
	else
		parent->first = n;
	parent->last = n;
}

/* A table of more rows than this is longer than about a page: it goes to
 * the annex, and the text says where. */
#define ANNEX_ROWS 40

static size_t table_rows(const dt_node *t)
{
	size_t n = 0;
	for (const dt_node *r = t->first; r; r = r->next)
		n++;
	return n;
}

/* Tables and figures numbered in order ("Table 1. ...", "Figure 1. ...");
 * long tables moved to an annex at the end, a line left in their place;
 * lists that belong to a numbered paragraph lettered (a), (b), (c) in UN
 * style. */
static void number_tables(dt_doc *doc, dt_node *sec)
{
	int ntab = 0, nfig = 0;
	dt_node *annex = NULL, *prev = NULL;
	for (dt_node *n = sec->first; n;) {
		dt_node *next = n->next;
		if (n->type == DT_TABLE) {
			ntab++;
			n->caption = n->caption ? dt_printf(doc, "Table %d. %s", ntab, n->caption)
			                        : dt_printf(doc, "Table %d", ntab);
			if (table_rows(n) > ANNEX_ROWS) {
				if (!annex) {
					annex = dt_add(doc, NULL, DT_ITEM);
					dt_add(doc, annex, DT_PAGEBREAK);
					dt_heading(doc, annex, 1, "Annex", "annex", 0)->style =
					    dt_strdup(doc, "paper-h1");
				}
				dt_node *ref = dt_add(doc, NULL, DT_PARA);
				if (ref && annex) {
					ref->style = dt_strdup(doc, "small");
					dt_text(
					    doc, ref,
					    dt_printf(doc, "Table %d is given in the annex.", ntab),
					    DT_I, NULL);
					/* the line takes the table's place */
					ref->parent = sec;
					ref->next = next;
					if (prev)
						prev->next = ref;
					else
						sec->first = ref;
					if (sec->last == n)
						sec->last = ref;
					n->next = NULL;
					n->parent = annex;
					if (annex->last)
						annex->last->next = n;
					else
						annex->first = n;
					annex->last = n;
					prev = ref;
					n = next;
					continue;
				}
			}
		} else if (n->type == DT_CHART && n->title) {
			n->title = dt_printf(doc, "Figure %d. %s", ++nfig, n->title);
		} else if (n->type == DT_LIST) {
			int k = 0;
			for (dt_node *it = n->first; it; it = it->next, k++)
				if (it->type == DT_ITEM && k < 26)
					it->number = dt_printf(doc, "(%c)", 'a' + k);
		}
		prev = n;
		n = next;
	}
	if (annex)
		for (dt_node *n = annex->first; n;) {
			dt_node *next = n->next;
			move_to(sec, n);
			n = next;
		}
}

dt_doc *pap_tree(const rec_paper *p, const prg_model *m, ms_diags *d)
{
	dt_doc *doc = dt_doc_new();
	if (!doc)
		return NULL;
	doc->title = dt_strdup(doc, p->title ? p->title : p->symbol);
	doc->author = dt_strdup(doc, p->submitted_by);
	doc->subject =
	    dt_printf(doc, "%s, %s", p->symbol ? p->symbol : "", p->meeting ? p->meeting : "");
	doc->created = p->date;
	dt_src(doc, &p->b.pos);
	dt_node *sec = dt_section(doc);
	sec->page.head_left = dt_strdup(doc, p->symbol);
	sec->page.head_right = dt_strdup(doc, p->symbol);
	dt_para(doc, sec, "paper-convention", p->convention);
	dt_para(doc, sec, "paper-symbol", p->symbol);
	dt_add(doc, sec, DT_RULE);
	if (p->distribution)
		dt_para(doc, sec, "paper-meta",
		        dt_printf(doc, "Distribution: %s", p->distribution));
	char day[24];
	if (p->date != MS_NO_DAY)
		dt_para(doc, sec, "paper-meta", val_day_long(p->date, day));
	if (p->original)
		dt_para(doc, sec, "paper-meta", dt_printf(doc, "Original: %s", p->original));
	dt_add(doc, sec, DT_SPACE)->points = 8;
	dt_para(doc, sec, "paper-meeting", p->meeting);
	dt_para(doc, sec, "paper-venue", p->venue);
	if (p->item)
		dt_para(doc, sec, "paper-venue",
		        dt_printf(doc, "Item %s of the provisional agenda", p->item));
	if (p->item_title)
		dt_para(doc, sec, "paper-meeting", p->item_title);
	dt_add(doc, sec, DT_SPACE)->points = 10;
	dt_para(doc, sec, "paper-title", p->title);
	/* "Mexico; Sweden" reads "Submitted by Mexico and Sweden" */
	char **by = NULL;
	size_t nby = p->submitted_by ? ms_split_semi(p->submitted_by, &by) : 0;
	char *words = nby ? typo_join((const char *const *)by, nby) : NULL;
	dt_para(doc, sec, "paper-submitted",
	        dt_printf(doc, "Submitted by %s",
	                  words             ? words
	                  : p->submitted_by ? p->submitted_by
	                                    : ""));
	free(words);
	ms_strv_free(by, nby);

	/* the body, built apart, then moved in with numbers and embedded data */
	dt_node *tmp = dt_add(doc, NULL, DT_ITEM);
	m2t_opts o = {0, NULL};
	if (tmp)
		md2tree_append(doc, tmp, p->body, &o);
	int num = 0;
	dt_node *n = tmp ? tmp->first : NULL;
	while (n) {
		dt_node *next = n->next;
		if (n->type == DT_CODE && n->caption && !strncmp(n->caption, "mspdoc", 6)) {
			ms_pos pos = p->b.pos;
			pos.line = n->level; /* the block's line (md2tree keeps it) */
			dt_src(doc, &pos);
			prg_embed(doc, sec, m, n->text, &pos, d);
		} else {
			if (n->type == DT_PARA && (!n->style || !strcmp(n->style, "body")))
				n->number = dt_printf(doc, "%d.", ++num);
			else if (n->type == DT_HEADING)
				n->style = dt_printf(doc, "paper-h%d", n->level);
			move_to(sec, n);
		}
		n = next;
	}
	number_tables(doc, sec);
	return doc;
}

int pap_build(const rec_paper *p, const prg_model *m, const ly_style *st, const char *out_pdf,
              int *pages, ms_diags *d)
{
	dt_doc *doc = pap_tree(p, m, d);
	if (!doc) {
		ms_diag_add(d, MS_ENV, NULL, "out of memory");
		return -1;
	}
	ly_result res = {0};
	int rc = doc_render_pdf(doc, st, out_pdf, NULL, &res, d);
	*pages = res.pages;
	ly_result_free(&res);
	dt_doc_free(doc);
	return rc;
}
