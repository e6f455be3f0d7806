/* letter.c — letters from a Letter form (see letter.h; documents.md §6).
 *
 * The page follows the co-chairs' letters of the seeds: the senders'
 * letterheads side by side at the top, "Place, 3 April 2013" at the right
 * with the reference beneath, the addressee block, the salutation, the body,
 * the closing formula, and one or two signature blocks side by side, with
 * room to sign above each name. Side-by-side blocks are tables of one row
 * whose rules the letter style makes invisible (color.table-rule); the
 * closing keeps with the signatures, so that they never open a page alone;
 * continuation pages carry a running head and their number, the first page
 * neither. */
#include "letter.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../model/value.h"
#include "../util/job.h"
#include "../xlsx/xw.h"
#include "md2tree.h"
#include "render.h"
#include "tree.h"

/* "Mexico and Sweden", "Mexico". */
static char *senders_text(dt_doc *doc, const rec_letter *l)
{
	if (l->senders.n >= 2)
		return dt_printf(doc, "%s and %s", l->senders.v[0].name, l->senders.v[1].name);
	return dt_strdup(doc, l->senders.n ? l->senders.v[0].name : "");
}

/* Text with its line breaks as hard breaks (an address of several lines). */
static void add_lines(dt_doc *doc, dt_node *p, const char *text, unsigned style)
{
	while (text && *text) {
		size_t n = strcspn(text, "\n");
		char *line = dt_alloc(doc, n + 1);
		if (!line)
			return;
		memcpy(line, text, n);
		/* trailing \r and spaces of a line typed in a spreadsheet */
		while (n && (line[n - 1] == '\r' || line[n - 1] == ' '))
			line[--n] = 0;
		if (n)
			dt_run_add(doc, p, line, style, NULL);
		text += strcspn(text, "\n");
		if (*text == '\n') {
			text++;
			if (*text)
				dt_run_add(doc, p, "", DT_BR, NULL);
		}
	}
}

/* A row of n cells, none ruled or shaded (the style's table-rule colour is
 * the paper's), each holding one paragraph of style `style`. */
static dt_node *side_by_side(dt_doc *doc, dt_node *sec, int n, dt_node **paras, const char *style)
{
	dt_node *t = dt_table(doc, sec, n < 2 ? 2 : n);
	if (!t)
		return NULL;
	t->style = dt_strdup(doc, "letter-blocks"); /* the Word writer draws no borders */
	t->grid = 1; /* layout, not data: no table for a screen reader */
	t->col_weights = dt_alloc(doc, 2 * sizeof *t->col_weights);
	if (t->col_weights)
		t->col_weights[0] = t->col_weights[1] = 0.5;
	t->ncols = 2;
	dt_node *row = dt_row(doc, t, 0);
	for (int i = 0; i < 2 && row; i++) {
		/* aligned as the style says (letter.style: left) */
		dt_node *c = dt_add(doc, row, DT_CELL);
		if (c)
			paras[i] = dt_para(doc, c, style, NULL);
	}
	return t;
}

static void letterheads(dt_doc *doc, dt_node *sec, const rec_letter *l)
{
	int n = l->senders.n >= 2 ? 2 : 1;
	dt_node *p[2] = {NULL, NULL};
	dt_node *t = side_by_side(doc, sec, 2, p, "letterhead");
	if (!t)
		return;
	for (int i = 0; i < n && i < (int)l->senders.n; i++) {
		const rec_party *s = &l->senders.v[i];
		if (!p[i])
			continue;
		if (l->letterhead[i]) {
			/* the sender's own letterhead picture, in place of the name */
			dt_node *cell = p[i]->parent, *img = dt_add(doc, NULL, DT_IMAGE);
			if (!img)
				continue;
			img->path = dt_strdup(doc, l->letterhead[i]);
			img->max_width = 0.4;
			img->caption = dt_printf(doc, "Letterhead of %s", s->name);
			img->parent = cell;
			img->next = NULL;
			cell->first = cell->last = img; /* the name paragraph goes */
		} else if (s->country >= 0) {
			dt_run_add(doc, p[i], dt_printf(doc, "Permanent Mission of %s", s->name),
			           DT_B, NULL);
			dt_run_add(doc, p[i], "", DT_BR, NULL);
			dt_run_add(doc, p[i], l->place ? l->place : "", 0, NULL);
		} else {
			dt_run_add(doc, p[i], s->name, DT_B, NULL);
		}
	}
}

static void signature(dt_doc *doc, dt_node *p, const rec_signatory *s)
{
	if (!p || !s->name)
		return;
	/* room to sign above the name */
	dt_run_add(doc, p, "", DT_BR, NULL);
	dt_run_add(doc, p, "", DT_BR, NULL);
	dt_run_add(doc, p, "", DT_BR, NULL);
	dt_run_add(doc, p, s->name, DT_B, NULL);
	if (s->title) {
		dt_run_add(doc, p, "", DT_BR, NULL);
		dt_run_add(doc, p, s->title, 0, NULL);
	}
	if (s->post) {
		dt_run_add(doc, p, "", DT_BR, NULL);
		dt_run_add(doc, p, s->post, 0, NULL);
	}
}

/* One letter as a new section of doc. */
static int append_letter(dt_doc *doc, const rec_letter *l, const rec_recipient *to)
{
	dt_src(doc, &l->b.pos);
	dt_node *sec = dt_section(doc);
	if (!sec)
		return -1;
	char day[24] = "";
	if (l->date != MS_NO_DAY)
		val_day_long(l->date, day);
	char *from = senders_text(doc, l);
	sec->page.label = 'D';
	sec->page.label_start = 1;
	sec->page.show_folio = 1;
	sec->page.no_first_folio = 1;
	sec->page.head_left = sec->page.head_right =
	    to ? dt_printf(doc, "%s, %s — %s", from, day, to->mission)
	       : dt_printf(doc, "%s, %s", from, day);
	letterheads(doc, sec, l);

	/* each part aligned as its style says (letter.style) */
	dt_para(doc, sec, "letter-date",
	        dt_printf(doc, "%s%s%s", l->place ? l->place : "", *day ? ", " : "", day));
	if (l->reference)
		dt_para(doc, sec, "letter-reference", l->reference);

	dt_node *p = dt_para(doc, sec, "letter-address", NULL);
	if (p) {
		if (to) {
			dt_run_add(doc, p, to->mission, DT_B, NULL);
			if (to->address && *to->address) {
				dt_run_add(doc, p, "", DT_BR, NULL);
				add_lines(doc, p, to->address, 0);
			}
		} else {
			add_lines(doc, p, l->addressee, 0);
		}
	}
	const char *salutation = to && to->salutation ? to->salutation : l->salutation;
	dt_para(doc, sec, "letter-salutation", salutation);

	m2t_opts o = {0, "letter-body"};
	if (md2tree_append(doc, sec, l->body, &o) < 0)
		return -1;

	if ((p = dt_para(doc, sec, "letter-closing", l->closing)) != NULL)
		p->keep = 1; /* never the signatures alone at the top of a page */
	dt_node *sp[2] = {NULL, NULL};
	dt_node *t = side_by_side(doc, sec, 2, sp, "letter-signature");
	if (t) {
		for (int i = 0; i < l->nsig && i < 2; i++)
			signature(doc, sp[i], &l->sig[i]);
	}
	return dt_doc_oom(doc) ? -1 : 0;
}

static void doc_info(dt_doc *doc, const rec_letter *l, const rec_recipient *to)
{
	char day[24] = "";
	if (l->date != MS_NO_DAY)
		val_day_long(l->date, day);
	char *from = senders_text(doc, l);
	doc->title = dt_printf(doc, "Letter from %s, %s", from, day);
	doc->author = from;
	doc->subject = dt_strdup(doc, to ? to->mission : l->addressee);
	doc->created = l->date;
}

dt_doc *let_tree(const rec_letter *l, const rec_recipient *to)
{
	dt_doc *doc = dt_doc_new();
	if (!doc)
		return NULL;
	doc_info(doc, l, to);
	if (append_letter(doc, l, to) < 0 || dt_doc_oom(doc)) {
		dt_doc_free(doc);
		return NULL;
	}
	return doc;
}

char *let_file_name(const char *mission)
{
	char *f = ms_fold(mission ? mission : "");
	/* "Permanent Mission of Chile" files as chile */
	static const char *const lead[] = {"permanent mission of the ", "permanent mission of ",
	                                   "mission of the ", "mission of "};
	const char *start = f ? f : "";
	for (size_t i = 0; i < sizeof lead / sizeof lead[0]; i++)
		if (!strncmp(start, lead[i], strlen(lead[i])) && start[strlen(lead[i])]) {
			start += strlen(lead[i]);
			break;
		}
	ms_buf b;
	ms_buf_init(&b);
	int dash = 0;
	for (const char *s = start; *s && b.len < 80; s++) {
		char c = *s;
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
			if (dash && b.len)
				ms_buf_addc(&b, '-');
			ms_buf_addc(&b, c);
			dash = 0;
		} else {
			dash = 1;
		}
	}
	free(f);
	if (!b.len)
		ms_buf_adds(&b, "mission");
	return ms_buf_take(&b);
}

/* PDF and Word of one tree, side by side: the .docx needs no layout. */
static int write_pair(const dt_doc *doc, const ly_style *st, const char *base, int *pages,
                      ms_diags *d)
{
	char *pdf = ms_printf("%s.pdf", base), *docx = ms_printf("%s.docx", base);
	int rc = -1;
	if (pdf && docx) {
		ly_result res = {0};
		rc = doc_render_pdf(doc, st, pdf, NULL, &res, d);
		if (pages)
			*pages = res.pages;
		ly_result_free(&res);
		if (rc == 0)
			rc = doc_render_docx(doc, st, docx, d);
	} else {
		ms_diag_add(d, MS_ENV, NULL, "out of memory");
	}
	free(pdf);
	free(docx);
	return rc;
}

static int write_register(const rec_letter *l, rec_recipient *const *rcp, size_t n, char **files,
                          const int *pages, const char *path, ms_diags *d)
{
	xw_book *b = xw_open(path, d);
	if (!b)
		return -1;
	char day[24] = "";
	if (l->date != MS_NO_DAY)
		val_day_long(l->date, day);
	char *title = ms_printf("Mailing of the letter %s of %s", l->name, day);
	xw_set_properties(b, title, "Who receives which letter, with their e-mails");
	free(title);
	static const char *heads[] = {"Mission", "E-mail",     "Letter",  "Pages",
	                              "Status",  "Salutation", "Address", "Source"};
	xw_sheet *s = xw_add_sheet(b, "Register", heads, 8, NULL);
	int row = xw_first_row(s);
	xw_max_width(s, 4, 50);
	xw_max_width(s, 6, 50);
	for (size_t i = 0; i < n; i++) {
		const rec_recipient *r = rcp[i];
		xw_text(s, row, 0, r->mission ? r->mission : "");
		xw_text(s, row, 1, r->email ? r->email : "");
		if (r->b.rejected || !files[i]) {
			char *st =
			    ms_printf("not written: %s", r->b.reason ? r->b.reason : "rejected");
			xw_text(s, row, 4, st ? st : "not written");
			free(st);
		} else {
			xw_text(s, row, 2, files[i]);
			xw_integer(s, row, 3, pages[i]);
			const char *st = !r->email ? "no e-mail: send it by other means"
			                 : strchr(r->email, '@') && !strchr(r->email, ' ')
			                     ? "ready to send"
			                     : "check the e-mail address";
			xw_text(s, row, 4, st);
		}
		xw_text(s, row, 5, r->salutation ? r->salutation : l->salutation);
		xw_text(s, row, 6, r->address ? r->address : "");
		char where[512];
		ms_pos_format(&r->b.pos, where, sizeof where);
		xw_text(s, row, 7, where);
		row++;
	}
	return xw_close(b, d);
}

int let_build(const rec_letter *l, rec_recipient *const *rcp, size_t n, const ly_style *st,
              const char *outdir, let_stats *stats, ms_diags *d)
{
	memset(stats, 0, sizeof *stats);
	dt_doc *doc = let_tree(l, NULL);
	char *base = ms_printf("%s/%s", outdir, l->name);
	int rc = doc && base ? write_pair(doc, st, base, &stats->pages, d) : -1;
	if (!doc || !base)
		ms_diag_add(d, MS_ENV, NULL, "out of memory");
	dt_doc_free(doc);
	if (rc < 0 || n == 0) {
		free(base);
		return rc;
	}
	/* mail merge: one letter per mission, then all of them in one PDF */
	char *sub = ms_printf("%s/%s", outdir, l->name);
	if (!sub || (mkdir(sub, 0777) < 0 && errno != EEXIST)) {
		ms_pos p = ms_pos_file(sub ? sub : outdir);
		ms_diag_add(d, MS_ENV, &p,
		            "cannot create the folder of the missions' letters: check the path and "
		            "permissions");
		free(sub);
		free(base);
		return -1;
	}
	free(sub);
	char **files = calloc(n, sizeof *files);
	int *pages = calloc(n, sizeof *pages);
	dt_doc *all = dt_doc_new();
	if (!files || !pages || !all) {
		ms_diag_add(d, MS_ENV, NULL, "out of memory");
		rc = -1;
	}
	if (all)
		doc_info(all, l, NULL);
	for (size_t i = 0; rc == 0 && i < n; i++) {
		const rec_recipient *r = rcp[i];
		if (r->b.rejected)
			continue;
		char *name = let_file_name(r->mission);
		/* two missions of one name (a typing slip): the second gets -2 */
		for (size_t k = 0, again = 1; name && again; k++) {
			again = 0;
			for (size_t j = 0; j < i; j++)
				if (files[j] && !strcmp(files[j] + strlen(l->name) + 1, name)) {
					char *b2 = ms_printf("%s-%zu", name, k + 2);
					free(name);
					name = b2;
					again = 1;
					break;
				}
		}
		files[i] = name ? ms_printf("%s/%s", l->name, name) : NULL;
		free(name);
		char *mbase = files[i] ? ms_printf("%s/%s", outdir, files[i]) : NULL;
		dt_doc *one = let_tree(l, r);
		if (!mbase || !one) {
			ms_diag_add(d, MS_ENV, NULL, "out of memory");
			rc = -1;
		} else {
			rc = write_pair(one, st, mbase, &pages[i], d);
			if (rc == 0)
				stats->merged++;
		}
		dt_doc_free(one);
		free(mbase);
		if (rc == 0 && files[i]) {
			char *f2 = ms_printf("%s.pdf", files[i]);
			free(files[i]);
			files[i] = f2;
		}
		if (rc == 0 && append_letter(all, l, r) < 0)
			rc = -1;
	}
	if (rc == 0 && stats->merged) {
		char *p = ms_printf("%s/%s-all.pdf", outdir, l->name);
		ly_result res = {0};
		rc = p ? doc_render_pdf(all, st, p, NULL, &res, d) : -1;
		stats->merged_pages = res.pages;
		ly_result_free(&res);
		free(p);
	}
	if (rc == 0) {
		char *p = ms_printf("%s/%s-register.xlsx", outdir, l->name);
		rc = p ? write_register(l, rcp, n, files, pages, p, d) : -1;
		free(p);
	}
	dt_doc_free(all);
	for (size_t i = 0; files && i < n; i++)
		free(files[i]);
	free(files);
	free(pages);
	free(base);
	return rc;
}

void let_report(const rec_letter *l, const let_stats *s, const char *outdir, ms_buf *out)
{
	(void)outdir; /* paths relative to the letters' folder: the same report anywhere */
	ms_buf_printf(out, "Letter %s: %s.pdf and %s.docx, %d page(s)\n", l->name, l->name, l->name,
	              s->pages);
	if (s->merged)
		ms_buf_printf(out,
		              "  merged: %zu letter(s) in %s/, all in %s-all.pdf (%d pages), "
		              "register %s-register.xlsx\n",
		              s->merged, l->name, l->name, s->merged_pages, l->name);
	ms_buf_adds(out, "\n");
}
