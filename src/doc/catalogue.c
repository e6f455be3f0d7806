/* catalogue.c — the catalogue book and its register (see catalogue.h).
 *
 * Order: cover; front matter (contents, foreword, introduction) numbered i,
 * ii, ...; one part per primary area in article order (rules.md 17: no part
 * for an area without contributions), each chapter one contribution ordered
 * by lead country (rules.md 10) then title; the index of countries. */
#include "catalogue.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../model/country.h"
#include "../model/vocab.h"
#include "../xlsx/xw.h"
#include "md2tree.h"
#include "outputs.h"
#include "render.h"
#include "tree.h"
#include "typo.h"

static const rec_book *the_book(const rec_set *s)
{
	for (size_t i = 0; i < s->nbooks; i++)
		if (!s->books[i]->b.rejected)
			return s->books[i];
	return NULL;
}

static int chapter_cmp(const void *a, const void *b)
{
	const rec_contribution *x = *(rec_contribution *const *)a,
	                       *y = *(rec_contribution *const *)b;
	if (x->areas.v[0] != y->areas.v[0])
		return x->areas.v[0] - y->areas.v[0];
	int c = ms_sort_cmp(x->countries.v[0].name, y->countries.v[0].name);
	if (!c)
		c = ms_sort_cmp(x->title ? x->title : "", y->title ? y->title : "");
	return c ? c : (x->b.seq > y->b.seq) - (x->b.seq < y->b.seq);
}

/* The included contributions in book order; *n set. Caller frees. */
static rec_contribution **chapters(const rec_set *s, size_t *n)
{
	rec_contribution **v = malloc((s->ncontributions + 1) * sizeof *v);
	*n = 0;
	if (!v)
		return NULL;
	for (size_t i = 0; i < s->ncontributions; i++) {
		rec_contribution *c = s->contributions[i];
		if (!c->b.rejected && c->countries.n && c->areas.n)
			v[(*n)++] = c;
	}
	qsort(v, *n, sizeof *v, chapter_cmp);
	return v;
}

static char *join_parties(const rec_parties *p)
{
	ms_buf b;
	ms_buf_init(&b);
	for (size_t i = 0; i < p->n; i++)
		ms_buf_printf(&b, "%s%s", i ? "; " : "", p->v[i].name);
	return ms_buf_take(&b);
}

/* Parties in words for the page: "Mexico and Spain", "the Implementation
 * Support Unit, Mexico and Spain" (with their articles when asked). */
static char *words_parties(const rec_parties *p, int articles)
{
	char **v = calloc(p->n + 1, sizeof *v);
	if (!v)
		return NULL;
	for (size_t i = 0; i < p->n; i++)
		v[i] = articles ? typo_the(p->v[i].name, p->v[i].country >= 0)
		                : ms_strdup(p->v[i].name);
	char *r = typo_join((const char *const *)v, p->n);
	for (size_t i = 0; i < p->n; i++)
		free(v[i]);
	free(v);
	return r;
}

static char *join_vocab(voc_kind k, unsigned bits)
{
	ms_buf b;
	ms_buf_init(&b);
	for (int i = 0; i < voc_size(k); i++)
		if (bits & (1u << i))
			ms_buf_printf(&b, "%s%s", b.len ? "; " : "", voc_label(k, i));
	return ms_buf_take(&b);
}

static char *join_areas(const rec_areas *a)
{
	ms_buf b;
	ms_buf_init(&b);
	for (int i = 0; i < a->n; i++)
		ms_buf_printf(&b, "%s%s", i ? "; " : "", voc_label(VOC_AREA, a->v[i]));
	return ms_buf_take(&b);
}

static void fact(dt_doc *doc, dt_node *table, const char *label, const char *value)
{
	if (!value || !*value)
		return;
	dt_node *row = dt_row(doc, table, 0);
	dt_node *c = dt_cell(doc, row, label, DT_LEFT);
	if (c && c->first)
		c->first->style = dt_strdup(doc, "fact-label");
	c = dt_cell(doc, row, value, DT_LEFT);
	if (c && c->first)
		c->first->style = dt_strdup(doc, "fact-value");
}

static void fact_box(dt_doc *doc, dt_node *sec, const rec_contribution *c)
{
	dt_node *box = dt_add(doc, sec, DT_BOX);
	dt_node *t = box ? dt_table(doc, box, 2) : NULL;
	if (!t)
		return;
	t->col_weights = dt_alloc(doc, 2 * sizeof(double));
	if (t->col_weights) {
		t->col_weights[0] = 0.24;
		t->col_weights[1] = 0.72;
	}
	char *s = words_parties(&c->countries, 0);
	fact(doc, t, c->countries.n > 1 ? "Countries" : "Country", s);
	free(s);
	fact(doc, t, "Role", voc_label(VOC_ROLE, c->role));
	fact(doc, t, "Scope", voc_label(VOC_SCOPE, c->scope));
	s = join_vocab(VOC_PARTNERSHIP, c->partnership);
	fact(doc, t, "Partnership", s);
	free(s);
	s = join_vocab(VOC_MODALITY, c->modality);
	fact(doc, t, "Modality", s);
	free(s);
	s = words_parties(&c->partners, 0);
	fact(doc, t, "Partners", s);
	free(s);
	if (c->period.y0) {
		char p[32];
		if (c->period.y0 == c->period.y1)
			snprintf(p, sizeof p, "%d", c->period.y0);
		else
			snprintf(p, sizeof p, "%d\xE2\x80\x93%d", c->period.y0, c->period.y1);
		fact(doc, t, "Period", p);
	}
	fact(doc, t, "Location", c->location);
	if (c->budget.currency[0]) {
		s = val_grouped(c->budget.value, c->budget.currency);
		fact(doc, t, "Budget", s);
		free(s);
	}
	s = join_areas(&c->areas);
	fact(doc, t, "Areas", s);
	free(s);
}

static void section_heading(dt_doc *doc, dt_node *sec, const char *title, cmark_node *md)
{
	if (!md || !cmark_node_first_child(md))
		return;
	dt_heading(doc, sec, 3, title, NULL, 0);
	m2t_opts o = {3, NULL};
	md2tree_append(doc, sec, md, &o);
}

/* Index entries: every contributor and partner country, with the chapters. */
typedef struct ixent {
	int country;
	const char *id;
} ixent;

static int ix_cmp(const void *a, const void *b)
{
	const ixent *x = a, *y = b;
	if (x->country != y->country)
		return x->country - y->country; /* ids follow rules.md 10 order */
	return strcmp(x->id, y->id);
}

dt_doc *cat_tree(const rec_set *s, ms_diags *d)
{
	(void)d;
	dt_doc *doc = dt_doc_new();
	if (!doc)
		return NULL;
	const rec_book *book = the_book(s);
	dt_src(doc, book ? &book->b.pos : NULL); /* the cover, foreword, introduction */
	const char *title =
	    book && book->title ? book->title : "Catalogue of best practices and lessons learned";
	doc->title = dt_strdup(doc, title);
	doc->subject = dt_strdup(
	    doc, "Catalogue of best practices and lessons learned in cooperation and assistance");
	char *editors = book ? words_parties(&book->editors, 0) : NULL;
	doc->author =
	    dt_strdup(doc, editors && *editors ? editors : "Convention on Cluster Munitions");
	doc->created = book && book->date != MS_NO_DAY ? book->date : val_today();

	/* cover */
	dt_node *cover = dt_section(doc);
	if (!cover) {
		free(editors);
		return doc;
	}
	cover->page.label = 0;
	cover->page.show_folio = 0;
	dt_add(doc, cover, DT_SPACE)->points = 150;
	dt_para(doc, cover, "cover-meta", "Convention on Cluster Munitions");
	dt_add(doc, cover, DT_SPACE)->points = 40;
	dt_para(doc, cover, "cover-title", title);
	if (book && book->subtitle)
		dt_para(doc, cover, "cover-subtitle", book->subtitle);
	dt_add(doc, cover, DT_SPACE)->points = 120;
	if (editors && *editors) {
		char *w = words_parties(&book->editors, 1);
		char *e = ms_printf("Edited by %s", w ? w : editors);
		free(w);
		dt_para(doc, cover, "cover-meta", e);
		free(e);
	}
	if (book && book->meeting) {
		char *m = ms_printf("A contribution to the %s", book->meeting);
		dt_para(doc, cover, "cover-meta", m);
		free(m);
	}
	if (book && book->date != MS_NO_DAY) {
		char day[24];
		dt_para(doc, cover, "cover-meta", val_day_long(book->date, day));
	}
	free(editors);

	/* front matter */
	dt_node *front = dt_section(doc);
	front->page.label = 'r';
	front->page.label_start = 1;
	front->page.head_right = doc->title;
	front->page.head_left = doc->title;
	dt_heading(doc, front, 1, "Contents", "contents", 0);
	dt_add(doc, front, DT_TOC)->toc_depth = 2;
	if (book && book->foreword && cmark_node_first_child(book->foreword)) {
		dt_add(doc, front, DT_PAGEBREAK);
		dt_heading(doc, front, 1, "Foreword", "foreword", 1);
		m2t_opts o = {1, NULL};
		md2tree_append(doc, front, book->foreword, &o);
	}
	if (book && book->introduction && cmark_node_first_child(book->introduction)) {
		dt_add(doc, front, DT_PAGEBREAK);
		dt_heading(doc, front, 1, "Introduction", "introduction", 1);
		m2t_opts o = {1, NULL};
		md2tree_append(doc, front, book->introduction, &o);
	}

	/* parts and chapters */
	size_t n;
	rec_contribution **ch = chapters(s, &n);
	ixent *ix = malloc((n * 16 + 1) * sizeof *ix);
	size_t nix = 0;
	int part = 0, area = -1, first_main = 1;
	dt_node *sec = NULL;
	for (size_t i = 0; ch && i < n; i++) {
		const rec_contribution *c = ch[i];
		dt_src(doc, &c->b.pos);
		char *id = dt_printf(doc, "ch-%zu", i + 1);
		if (c->areas.v[0] != area) {
			area = c->areas.v[0];
			part++;
			sec = dt_section(doc);
			sec->page.label = 'D';
			sec->page.label_start = first_main ? 1 : 0;
			sec->page.recto = 1;
			sec->page.head_left = doc->title;
			sec->page.head_level = 2;
			first_main = 0;
			int art = voc_area_article(area);
			char *h =
			    art ? dt_printf(doc, "Part %d. %s (Article %d)", part,
			                    voc_label(VOC_AREA, area), art)
			        : dt_printf(doc, "Part %d. %s", part, voc_label(VOC_AREA, area));
			dt_heading(doc, sec, 1, h, dt_printf(doc, "part-%d", part), 1);
		} else {
			dt_add(doc, sec, DT_PAGEBREAK);
		}
		dt_heading(doc, sec, 2, c->title, id, 1);
		fact_box(doc, sec, c);
		section_heading(doc, sec, "Summary", c->summary);
		section_heading(doc, sec, "Results", c->results);
		section_heading(doc, sec, "Lessons learned", c->lessons);
		section_heading(doc, sec, "Testimonials", c->testimonials);
		section_heading(doc, sec, "Photographs", c->photographs);
		if (c->author) {
			/* a sign-off stays with the text it closes */
			if (sec->last)
				sec->last->keep = 1;
			char *a = ms_printf("Contributed by %s", c->author);
			dt_para(doc, sec, "author", a);
			free(a);
		}
		for (size_t k = 0; ix && k < c->countries.n && nix < n * 16; k++)
			ix[nix++] = (ixent){c->countries.v[k].country, id};
		for (size_t k = 0; ix && k < c->partners.n && nix < n * 16; k++)
			if (c->partners.v[k].country >= 0)
				ix[nix++] = (ixent){c->partners.v[k].country, id};
	}
	dt_src(doc, NULL);
	/* index of countries */
	if (n) {
		dt_node *isec = dt_section(doc);
		isec->page.label = 'D';
		isec->page.head_left = doc->title;
		isec->page.head_right = "Index of countries";
		dt_heading(doc, isec, 1, "Index of countries", "index", 1);
		dt_para(doc, isec, "small",
		        "Contributing States and partner countries, with the pages of the chapters "
		        "that name them.");
		dt_node *in = dt_add(doc, isec, DT_INDEX);
		if (in && ix) {
			qsort(ix, nix, sizeof *ix, ix_cmp);
			in->entries = dt_alloc(doc, (nix + 1) * sizeof *in->entries);
			for (size_t i = 0; in->entries && i < nix;) {
				size_t j = i;
				while (j < nix && ix[j].country == ix[i].country)
					j++;
				dt_index_entry *e = &in->entries[in->nentries++];
				e->term = dt_typo(doc, cty_get(ix[i].country)->name);
				e->ids = dt_alloc(doc, (j - i) * sizeof *e->ids);
				for (size_t k = i; e->ids && k < j; k++)
					if (!e->nids || strcmp(e->ids[e->nids - 1], ix[k].id))
						e->ids[e->nids++] = (char *)ix[k].id;
				i = j;
			}
		}
	}
	free(ix);
	free(ch);
	return doc;
}

/* Register ------------------------------------------------------------------ */

static const char *timeliness(const rec_contribution *c, const rec_book *book)
{
	if (c->received == MS_NO_DAY || !book || book->deadline == MS_NO_DAY)
		return "unknown";
	return c->received <= book->deadline ? "on time" : "late"; /* rules.md 15 */
}

static int write_register(const rec_set *s, const char *path, const int *pages, size_t nch,
                          rec_contribution **ch, int limit, ms_diags *d)
{
	xw_book *b = xw_open(path, d);
	if (!b)
		return -1;
	const rec_book *book = the_book(s);
	xw_set_properties(b, "Register of contributions",
	                  "Catalogue of best practices and lessons learned");
	static const char *heads[] = {"Country",    "Title",    "Areas",   "Role",   "Scope",
	                              "Author",     "Received", "On time", "Rights", "Pages",
	                              "Over limit", "Status",   "Source"};
	xw_sheet *r = xw_add_sheet(b, "Register", heads, 13, NULL);
	out_sheet_print(r, NULL);
	xw_max_width(r, 1, 50);
	xw_max_width(r, 11, 60);
	int row = xw_first_row(r);
	size_t by_area[AREA_COUNT] = {0}, by_role[3] = {0};
	const char *regions[8] = {0};
	size_t by_region[8] = {0};
	for (size_t i = 0; i < s->ncontributions; i++, row++) {
		const rec_contribution *c = s->contributions[i];
		char *t = join_parties(&c->countries);
		xw_text(r, row, 0, t);
		free(t);
		xw_text(r, row, 1, c->title);
		t = join_areas(&c->areas);
		xw_text(r, row, 2, t);
		free(t);
		xw_text(r, row, 3, voc_label(VOC_ROLE, c->role));
		xw_text(r, row, 4, voc_label(VOC_SCOPE, c->scope));
		xw_text(r, row, 5, c->author);
		xw_date(r, row, 6, c->received);
		xw_text(r, row, 7, timeliness(c, book));
		xw_text(r, row, 8, c->rights_cleared ? "cleared" : "not cleared");
		int pg = 0;
		for (size_t k = 0; k < nch; k++)
			if (ch[k] == c)
				pg = pages[k];
		if (!c->b.rejected && pg > 0) {
			xw_integer(r, row, 9, pg);
			xw_bool(r, row, 10, pg > limit);
		}
		char *st = c->b.rejected ? ms_printf("rejected: %s", c->b.reason ? c->b.reason : "")
		                         : ms_strdup("included");
		xw_text(r, row, 11, st);
		free(st);
		char where[512];
		xw_text(r, row, 12, ms_pos_format(&c->b.pos, where, sizeof where));
		if (c->b.rejected || !c->areas.n)
			continue;
		by_area[c->areas.v[0]]++;
		if (c->role >= 0 && c->role < 3)
			by_role[c->role]++;
		const cty_info *ci = c->countries.n ? cty_get(c->countries.v[0].country) : NULL;
		const char *reg = ci && ci->region ? ci->region : "Other";
		for (int k = 0; k < 8; k++)
			if (!regions[k] || !strcmp(regions[k], reg)) {
				regions[k] = reg;
				by_region[k]++;
				break;
			}
	}
	static const char *sh[] = {"Count by", "Value", "Contributions"};
	xw_sheet *sum = xw_add_sheet(b, "Summary", sh, 3, NULL);
	out_sheet_print(sum, NULL);
	row = xw_first_row(sum);
	int area_first = row;
	for (int a = 0; a < AREA_COUNT; a++, row++) {
		xw_text(sum, row, 0, "Primary area");
		xw_text(sum, row, 1, voc_label(VOC_AREA, a));
		xw_integer(sum, row, 2, (double)by_area[a]);
	}
	int area_last = row - 1;
	for (int k = 0; k < 3; k++, row++) {
		xw_text(sum, row, 0, "Role");
		xw_text(sum, row, 1, voc_label(VOC_ROLE, k));
		xw_integer(sum, row, 2, (double)by_role[k]);
	}
	for (int k = 0; k < 8 && regions[k]; k++, row++) {
		xw_text(sum, row, 0, "Region of the lead country");
		xw_text(sum, row, 1, regions[k]);
		xw_integer(sum, row, 2, (double)by_region[k]);
	}
	lxw_chart *chart = workbook_add_chart(xw_workbook(b), LXW_CHART_BAR);
	lxw_chart_series *ser = chart ? chart_add_series(chart, NULL, NULL) : NULL;
	if (ser) {
		chart_series_set_categories(ser, "Summary", (lxw_row_t)area_first, 1,
		                            (lxw_row_t)area_last, 1);
		chart_series_set_values(ser, "Summary", (lxw_row_t)area_first, 2,
		                        (lxw_row_t)area_last, 2);
		chart_title_set_name(chart, "Contributions by primary area");
		chart_legend_set_position(chart, LXW_CHART_LEGEND_NONE);
		worksheet_insert_chart(xw_ws(sum), 1, 4, chart);
	}
	return xw_close(b, d);
}

int cat_build(const rec_set *s, const ly_style *st, const char *prefix, cat_stats *stats,
              ms_diags *d)
{
	memset(stats, 0, sizeof *stats);
	const rec_book *book = the_book(s);
	if (!book) {
		ms_pos p = ms_pos_file(s->nfiles ? s->files[0].path : "inputs/catalogue");
		ms_diag_add(d, MS_WARNING, &p,
		            "no Book form: the catalogue uses a default title and a page limit of "
		            "10 (add a "
		            "book.md: 'mspdoc templates' writes one)");
	}
	int limit = book ? book->page_limit : 10;
	dt_doc *doc = cat_tree(s, d);
	if (!doc || dt_doc_oom(doc)) {
		dt_doc_free(doc);
		ms_diag_add(d, MS_ENV, NULL, "out of memory while building the catalogue");
		return -1;
	}
	char *pdf = ms_printf("%s.pdf", prefix), *xlsx = ms_printf("%s.xlsx", prefix);
	ly_result res = {0};
	int rc = doc_render_pdf(doc, st, pdf, NULL, &res, d);
	size_t nch;
	rec_contribution **ch = chapters(s, &nch);
	int *pages = calloc(nch + 1, sizeof *pages);
	if (rc == 0 && ch && pages) {
		for (size_t i = 0; i < nch; i++) {
			char id[32], next[32];
			snprintf(id, sizeof id, "ch-%zu", i + 1);
			snprintf(next, sizeof next, "ch-%zu", i + 2);
			int p0 = ly_anchor_page(&res, id);
			int p1 = i + 1 < nch ? ly_anchor_page(&res, next)
			                     : ly_anchor_page(&res, "index");
			/* the next chapter may open a new part on a recto page */
			if (i + 1 < nch && ch[i + 1]->areas.v[0] != ch[i]->areas.v[0])
				p1 -= 1;
			pages[i] = p1 > p0 ? p1 - p0 : 1;
			if (pages[i] > limit) {
				stats->over_limit++;
				ms_diag_add(d, MS_WARNING, &ch[i]->b.pos,
				            "the contribution is %d pages, over the book's limit "
				            "of %d: the editors decide",
				            pages[i], limit);
			}
		}
	}
	for (size_t i = 0; i < s->ncontributions; i++) {
		const rec_contribution *c = s->contributions[i];
		stats->contributions++;
		if (c->b.rejected) {
			stats->rejected++;
			continue;
		}
		stats->included++;
		const char *t = timeliness(c, book);
		if (!strcmp(t, "late")) {
			char a[16], b[16];
			stats->late++;
			ms_diag_add(d, MS_WARNING, &c->b.pos,
			            "received %s, after the deadline of %s",
			            val_day_iso(c->received, a), val_day_iso(book->deadline, b));
		} else if (!strcmp(t, "on time")) {
			stats->on_time++;
		} else {
			stats->unknown_received++;
		}
		for (cmark_node *sec = c->photographs; sec; sec = NULL) {
			cmark_iter *it = cmark_iter_new(sec);
			cmark_event_type ev;
			while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE)
				if (ev == CMARK_EVENT_ENTER &&
				    cmark_node_get_type(cmark_iter_get_node(it)) ==
				        CMARK_NODE_IMAGE)
					stats->photos++;
			cmark_iter_free(it);
		}
	}
	stats->pages = res.pages;
	if (rc == 0)
		rc = write_register(s, xlsx, pages, nch, ch, limit, d);
	free(pages);
	free(ch);
	ly_result_free(&res);
	dt_doc_free(doc);
	free(pdf);
	free(xlsx);
	return rc;
}

void cat_report(const cat_stats *st, ms_buf *out)
{
	ms_buf_printf(
	    out,
	    "Catalogue: catalogue.pdf, %d pages; %zu contribution(s) read, %zu included, %zu "
	    "rejected; %zu on time, %zu late, %zu without a received date; %zu over the page "
	    "limit; %zu photograph(s)\n\n",
	    st->pages, st->contributions, st->included, st->rejected, st->on_time, st->late,
	    st->unknown_received, st->over_limit, st->photos);
}
