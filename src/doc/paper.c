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
	dt_para(doc, sec, "paper-submitted",
	        dt_printf(doc, "Submitted by %s", p->submitted_by ? p->submitted_by : ""));

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
