/* digest.c — the Cooperation Portal digest (see digest.h).
 *
 * Which entries are valid, expiring or expired, and their matches, come
 * from entries.c, shared with the portal site. */
#include "digest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../model/country.h"
#include "../model/vocab.h"
#include "../xlsx/xw.h"
#include "entries.h"
#include "md2tree.h"
#include "outputs.h"
#include "tree.h"
#include "typo.h"

/* Who may read a restricted digest: written once, for the cover and the
 * introduction. */
#define AUDIENCE "Restricted: for the States Parties and signatories of the Convention"
#define AUDIENCE_SENTENCE "It is for the States Parties and signatories of the Convention."

/* Before the page of a match or of a cross-reference (issue 18: "O-2025-
 * AUS-d1f0 (Australia), p. 14"), a no-break space keeping "p." with it. */
#define PAGE_BEFORE ", p.\xC2\xA0"

/* The entries' states, as the digest names them (entries.h). */
enum {
	ST_VALID = ENT_VALID,
	ST_EXPIRING = ENT_EXPIRING,
	ST_EXPIRED = ENT_EXPIRED,
	ST_NOT_YET = ENT_NOT_YET
};
typedef ent_set dig;

int dig_restricted(const rec_set *s)
{
	const rec_digest *d = ent_digest_form(s);
	return d && d->restricted;
}

static int dig_compute(const rec_set *s, ms_day as_of, dig *g)
{
	return ent_compute(s, as_of, g);
}

static void dig_free(dig *g)
{
	ent_free(g);
}

void dig_check(const rec_set *s, ms_day as_of, ms_diags *d)
{
	dig g;
	if (dig_compute(s, as_of, &g) < 0)
		return;
	char day[16];
	for (size_t i = 0; i < g.n; i++) {
		const ent *x = &g.v[i];
		if (x->state == ST_EXPIRING)
			ms_diag_add(
			    d, MS_WARNING, &x->e->b.pos,
			    "entry %s expires on %s, within %d days: ask the submitter to renew it",
			    x->e->reference, val_day_iso(x->end, day), g.warning);
		else if (x->state == ST_EXPIRED)
			ms_diag_add(d, MS_NOTE, &x->e->b.pos, "entry %s expired on %s",
			            x->e->reference, val_day_iso(x->end, day));
	}
	dig_free(&g);
}

/* The PDF ------------------------------------------------------------------- */

static char *amount_text(const val_amount *a)
{
	return a->currency[0] ? val_grouped(a->value, a->currency) : NULL;
}

static void fact(dt_doc *doc, dt_node *t, const char *label, char *value, int own)
{
	if (value && *value) {
		dt_node *row = dt_row(doc, t, 0);
		dt_node *c = dt_cell(doc, row, label, DT_LEFT);
		if (c && c->first)
			c->first->style = dt_strdup(doc, "fact-label");
		c = dt_cell(doc, row, value, DT_LEFT);
		if (c && c->first)
			c->first->style = dt_strdup(doc, "fact-value");
	}
	if (own)
		free(value);
}

static const char *type_plural(rec_kind k)
{
	return k == K_NEED ? "Needs" : k == K_OFFER ? "Offers" : "Experiences";
}

static void entry_block(dt_doc *doc, dt_node *sec, const dig *g, const ent *x)
{
	const rec_entry *e = x->e;
	dt_src(doc, &e->b.pos);
	dt_heading(doc, sec, 3, e->title, x->anchor, 0);
	dt_node *t = dt_table(doc, sec, 2);
	if (!t)
		return;
	t->col_weights = dt_alloc(doc, 2 * sizeof(double));
	if (t->col_weights) {
		t->col_weights[0] = 0.22;
		t->col_weights[1] = 0.78;
	}
	const char *type = voc_label(VOC_SUBMITTER, e->submitter_type);
	char *sub = ms_concat(e->submitter.name ? e->submitter.name : "", " (", type ? type : "",
	                      ")", NULL);
	fact(doc, t, "Submitted by", sub, 1);
	fact(doc, t, "Areas", ent_list_areas(&e->areas), 1);
	fact(doc, t, "Assistance", ent_list_vocab(VOC_ASSISTANCE, e->assistance), 1);
	fact(doc, t, e->b.kind == K_NEED ? "Countries concerned" : "Eligible countries",
	     ent_list_countries(e), 1);
	fact(doc, t, e->b.kind == K_NEED ? "Estimated cost" : "Resources", amount_text(&e->amount),
	     1);
	fact(doc, t, "Contact", (char *)e->contact, 0);
	char day[24];
	char *valid = ms_concat("until ", val_day_long(x->end, day),
	                        x->state == ST_EXPIRING ? " (expires soon)" : "", NULL);
	fact(doc, t, "Valid", valid, 1);
	fact(doc, t, "Reference", (char *)e->reference, 0);
	m2t_opts o = {3, NULL};
	if (e->description)
		md2tree_append(doc, sec, e->description, &o);
	if (e->how_to_apply && cmark_node_first_child(e->how_to_apply)) {
		dt_heading(doc, sec, 4, "How to apply", NULL, 0);
		md2tree_append(doc, sec, e->how_to_apply, &o);
	}
	if (x->nmatches && (e->b.kind == K_NEED || e->b.kind == K_OFFER)) {
		/* the list stays with its entry (the block before keeps with it)
		 * and with its first lines (a heading keeps with what follows) */
		if (sec->last)
			sec->last->keep = 1;
		dt_heading(doc, sec, 4,
		           e->b.kind == K_NEED ? "Offers that could serve this need"
		                               : "Needs this offer could serve",
		           NULL, 0);
		size_t shown = x->nmatches < 10 ? x->nmatches : 10; /* all: digest.xlsx */
		/* one a line, each with the page of its entry (an index block: the
		 * layout finds the pages) */
		dt_node *in = dt_add(doc, sec, DT_INDEX);
		if (in) {
			in->entries = dt_alloc(doc, shown * sizeof *in->entries);
			in->pages_before = PAGE_BEFORE;
		}
		for (size_t k = 0; in && in->entries && k < shown; k++) {
			const ent *m = &g->v[x->matches[k]];
			dt_index_entry *ie = &in->entries[in->nentries++];
			ie->term = dt_typo(
			    doc, dt_printf(doc, "%s (%s)", m->e->reference,
			                   m->e->submitter.name ? m->e->submitter.name : ""));
			ie->ids = dt_alloc(doc, sizeof *ie->ids);
			if (ie->ids) {
				ie->ids[0] = dt_strdup(doc, m->anchor); /* the tree outlives g */
				ie->nids = 1;
			}
		}
		if (shown < x->nmatches) {
			/* the PDF is what circulates, not the ISU's working file */
			char *more = val_grouped((double)(x->nmatches - shown), NULL);
			dt_para(
			    doc, sec, "small",
			    dt_printf(doc,
			              "And %s more, ranked lower (the full list is available on "
			              "request from the issuer of this digest).",
			              more ? more : "other"));
			free(more);
		}
	}
}

/* Cross-references: in each other area of an entry, a line that sends the
 * reader to the page where the entry is given in full. */
static void cross_refs(dt_doc *doc, dt_node *sec, const dig *g, int area)
{
	size_t n = 0;
	for (size_t i = 0; i < g->n; i++) {
		const rec_entry *e = g->v[i].e;
		if (g->v[i].state > ST_EXPIRING || e->areas.n < 2)
			continue;
		for (int a = 1; a < e->areas.n; a++)
			n += e->areas.v[a] == area;
	}
	if (!n)
		return;
	dt_heading(doc, sec, 2, "Entries given under another area", NULL, 0);
	dt_para(doc, sec, "small",
	        "These entries also concern this area; each is given in full on the page "
	        "shown.");
	dt_node *in = dt_add(doc, sec, DT_INDEX);
	if (!in || !(in->entries = dt_alloc(doc, n * sizeof *in->entries)))
		return;
	in->pages_before = PAGE_BEFORE;
	for (size_t i = 0; i < g->n; i++) {
		const ent *x = &g->v[i];
		const rec_entry *e = x->e;
		if (x->state > ST_EXPIRING || e->areas.n < 2)
			continue;
		for (int a = 1; a < e->areas.n; a++)
			if (e->areas.v[a] == area) {
				dt_index_entry *ie = &in->entries[in->nentries++];
				ie->term = dt_typo(
				    doc,
				    dt_printf(doc, "%s (%s), %s, given under %s",
				              e->title ? e->title : "",
				              e->submitter.name ? e->submitter.name : "",
				              e->reference, voc_label(VOC_AREA, e->areas.v[0])));
				ie->ids = dt_alloc(doc, sizeof *ie->ids);
				if (ie->ids) {
					ie->ids[0] = dt_strdup(doc, x->anchor);
					ie->nids = 1;
				}
				break;
			}
	}
}

typedef struct cix {
	int country, kind;
	const char *id;
} cix;

static int cix_cmp(const void *a, const void *b)
{
	const cix *x = a, *y = b;
	if (x->country != y->country)
		return x->country - y->country; /* ids follow rules.md 10 order */
	if (x->kind != y->kind)
		return x->kind - y->kind;
	return strcmp(x->id, y->id);
}

/* The index of countries: every country that submits an entry or that an
 * entry concerns, by kind of entry, with the pages. */
static void country_index(dt_doc *doc, const dig *g)
{
	size_t cap = 0;
	for (size_t i = 0; i < g->n; i++)
		cap += 1 + g->v[i].e->ncountries;
	cix *v = malloc((cap + 1) * sizeof *v);
	if (!v)
		return;
	size_t n = 0;
	for (size_t i = 0; i < g->n; i++) {
		const ent *x = &g->v[i];
		const rec_entry *e = x->e;
		if (x->state > ST_EXPIRING || !e->areas.n)
			continue;
		if (e->submitter.country >= 0)
			v[n++] = (cix){e->submitter.country, e->b.kind, x->anchor};
		for (size_t k = 0; k < e->ncountries; k++)
			if (e->countries[k] != e->submitter.country)
				v[n++] = (cix){e->countries[k], K_COUNT + e->b.kind, x->anchor};
	}
	if (!n) {
		free(v);
		return;
	}
	qsort(v, n, sizeof *v, cix_cmp);
	dt_node *sec = dt_section(doc);
	sec->page.head_left = doc->title;
	sec->page.head_right = "Index of countries";
	dt_heading(doc, sec, 1, "Index of countries", "index", 1);
	dt_para(doc, sec, "small",
	        "Each country that submitted an entry, or that an entry concerns, with the "
	        "pages of those entries.");
	dt_node *in = dt_add(doc, sec, DT_INDEX);
	if (in)
		in->entries = dt_alloc(doc, n * sizeof *in->entries);
	for (size_t i = 0; in && in->entries && i < n;) {
		size_t j = i;
		while (j < n && v[j].country == v[i].country && v[j].kind == v[i].kind)
			j++;
		dt_index_entry *e = &in->entries[in->nentries++];
		e->term = dt_typo(doc, cty_get(v[i].country)->name);
		static const char *const subs[] = {"needs",           "offers",
		                                   "experiences",     "concerned by needs",
		                                   "named in offers", "named in experiences"};
		int k =
		    v[i].kind >= K_COUNT ? 3 + v[i].kind - K_COUNT - K_NEED : v[i].kind - K_NEED;
		e->sub = (char *)subs[k >= 0 && k < 6 ? k : 0];
		e->ids = dt_alloc(doc, (j - i) * sizeof *e->ids);
		for (size_t q = i; e->ids && q < j; q++)
			if (!e->nids || strcmp(e->ids[e->nids - 1], v[q].id))
				e->ids[e->nids++] = dt_strdup(doc, v[q].id);
		i = j;
	}
	free(v);
}

static dt_doc *build_tree(const dig *g, ms_day as_of)
{
	dt_doc *doc = dt_doc_new();
	if (!doc)
		return NULL;
	const rec_digest *f = g->form;
	const char *title = f && f->title ? f->title : "Cooperation Portal: needs and offers";
	doc->title = dt_strdup(doc, title);
	doc->subject = dt_strdup(doc, "Cooperation Portal digest, Convention on Cluster Munitions");
	doc->author =
	    dt_strdup(doc, f && f->issued_by ? f->issued_by : "Implementation Support Unit");
	doc->created = as_of;
	char day[24];
	dt_node *cover = dt_section(doc);
	cover->page.label = 0;
	cover->page.show_folio = 0;
	dt_add(doc, cover, DT_SPACE)->points = 160;
	dt_para(doc, cover, "cover-meta", "Convention on Cluster Munitions");
	dt_add(doc, cover, DT_SPACE)->points = 30;
	dt_para(doc, cover, "cover-title", title);
	char *line = ms_printf("Entries valid as of %s", val_day_long(as_of, day));
	dt_para(doc, cover, "cover-subtitle", line);
	free(line);
	if (f && f->issued_by) {
		line = typo_by("Issued by", f->issued_by, cty_lookup(f->issued_by) >= 0);
		dt_para(doc, cover, "cover-meta", line);
		free(line);
	}
	if (f && f->restricted)
		dt_para(doc, cover, "cover-meta", AUDIENCE);

	dt_node *front = dt_section(doc);
	front->page.head_left = doc->title;
	front->page.head_right = doc->title;
	dt_heading(doc, front, 1, "Contents", "contents", 0);
	dt_add(doc, front, DT_TOC)->toc_depth = 2;
	int intro = f && f->introduction && cmark_node_first_child(f->introduction);
	if (intro || (f && f->restricted))
		dt_heading(doc, front, 1, "Introduction", "introduction", 1);
	if (intro) {
		m2t_opts o = {1, NULL};
		dt_src(doc, &f->b.pos);
		md2tree_append(doc, front, f->introduction, &o);
		dt_src(doc, NULL);
	}
	if (f && f->restricted) /* the cover's words, so that the two agree */
		dt_para(doc, front, NULL,
		        "This digest is restricted. " AUDIENCE_SENTENCE
		        " It is not to be forwarded outside their administrations; the "
		        "password is sent separately.");
	/* summary */
	size_t count[AREA_COUNT][3] = {{0}};
	size_t total[3] = {0};
	for (size_t i = 0; i < g->n; i++) {
		const ent *x = &g->v[i];
		if (x->state > ST_EXPIRING || !x->e->areas.n)
			continue;
		count[x->e->areas.v[0]][x->e->b.kind - K_NEED]++;
		total[x->e->b.kind - K_NEED]++;
	}
	dt_heading(doc, front, 1, "Summary", "summary", 1);
	char *c[4] = {val_count(total[0], "need", "needs"), val_count(total[1], "offer", "offers"),
	              val_count(total[2], "experience", "experiences"),
	              val_count(g->nmatch_pairs, "possible match", "possible matches")};
	line = c[0] && c[1] && c[2] && c[3]
	           ? ms_printf("This digest lists %s, %s and %s valid on %s, and %s between needs "
	                       "and offers. Each entry appears once, under its first area.",
	                       c[0], c[1], c[2], val_day_long(as_of, day), c[3])
	           : NULL;
	dt_para(doc, front, NULL, line);
	free(line);
	for (int k = 0; k < 4; k++)
		free(c[k]);
	dt_node *t = dt_table(doc, front, 4);
	t->caption = dt_strdup(doc, "Entries by area");
	dt_node *r = dt_row(doc, t, 1);
	dt_cell(doc, r, "Area", DT_LEFT);
	dt_cell(doc, r, "Needs", DT_RIGHT);
	dt_cell(doc, r, "Offers", DT_RIGHT);
	dt_cell(doc, r, "Experiences", DT_RIGHT);
	for (int a = 0; a < AREA_COUNT; a++) {
		if (!count[a][0] && !count[a][1] && !count[a][2])
			continue;
		r = dt_row(doc, t, 0);
		dt_cell(doc, r, voc_label(VOC_AREA, a), DT_LEFT);
		for (int k = 0; k < 3; k++) {
			char *num = val_grouped((double)count[a][k], NULL);
			dt_cell(doc, r, num ? num : "", DT_RIGHT);
			free(num);
		}
	}
	/* per area, in article order; an area that holds only entries given
	 * under another one still gets its part, with the cross-references */
	size_t i = 0;
	for (int area = 0; area < AREA_COUNT; area++) {
		int has_xref = 0;
		for (size_t k = 0; k < g->n && !has_xref; k++)
			for (int a = 1; a < g->v[k].e->areas.n; a++)
				has_xref |=
				    g->v[k].state <= ST_EXPIRING && g->v[k].e->areas.v[a] == area;
		while (i < g->n && (g->v[i].state > ST_EXPIRING || !g->v[i].e->areas.n))
			i++;
		int has_own = i < g->n && g->v[i].e->areas.v[0] == area;
		if (!has_own && !has_xref)
			continue;
		dt_node *sec = dt_section(doc);
		sec->page.head_left = doc->title;
		sec->page.head_level = 1;
		dt_heading(doc, sec, 1, voc_label(VOC_AREA, area), dt_printf(doc, "area-%d", area),
		           1);
		rec_kind kind = K_COUNT;
		for (; i < g->n; i++) {
			const ent *x = &g->v[i];
			if (x->state > ST_EXPIRING || !x->e->areas.n)
				continue;
			if (x->e->areas.v[0] != area)
				break;
			if (x->e->b.kind != kind) {
				kind = x->e->b.kind;
				dt_heading(doc, sec, 2, type_plural(kind),
				           dt_printf(doc, "area-%d-%d", area, kind), 1);
			} else {
				dt_add(doc, sec, DT_SPACE)->points = 6;
			}
			entry_block(doc, sec, g, x);
			dt_src(doc, NULL);
		}
		cross_refs(doc, sec, g, area);
	}
	country_index(doc, g);
	return doc;
}

dt_doc *dig_tree(const rec_set *s, ms_day as_of, ms_diags *d)
{
	(void)d;
	dig g;
	if (dig_compute(s, as_of, &g) < 0)
		return NULL;
	dt_doc *doc = build_tree(&g, as_of);
	dig_free(&g);
	return doc;
}

/* The XLSX ------------------------------------------------------------------- */

#define BANNER "Restricted \xE2\x80\x94 for the ISU, not for circulation"

/* Whole amounts as whole numbers (#,##0: Excel shows "95,000", never
 * "95,000."); others with their decimals. */
static void amount_cell(xw_sheet *sh, int row, int col, double v)
{
	if (v == (double)(long long)v)
		xw_integer(sh, row, col, v);
	else
		xw_number(sh, row, col, v);
}

/* An e-mail address as a link that opens a message to it. */
static void email_cell(xw_sheet *sh, int row, int col, const char *email)
{
	if (email)
		xw_email(sh, row, col, email);
}

static void entry_row(xw_sheet *sh, int row, const ent *x)
{
	const rec_entry *e = x->e;
	char where[512];
	xw_text(sh, row, 0, e->reference);
	xw_text(sh, row, 1, e->submitter.name);
	xw_text(sh, row, 2, voc_label(VOC_SUBMITTER, e->submitter_type));
	xw_text(sh, row, 3, e->title);
	char *t = ent_list_areas(&e->areas);
	xw_text(sh, row, 4, t);
	free(t);
	t = ent_list_vocab(VOC_ASSISTANCE, e->assistance);
	xw_text(sh, row, 5, t);
	free(t);
	t = ent_list_countries(e);
	xw_text(sh, row, 6, t);
	free(t);
	if (e->amount.currency[0]) {
		amount_cell(sh, row, 7, e->amount.value);
		xw_text(sh, row, 8, e->amount.currency);
	}
	char *name, *email;
	out_split_contact(e->contact, &name, &email);
	xw_text(sh, row, 9, name);
	email_cell(sh, row, 10, email);
	free(name);
	free(email);
	xw_date(sh, row, 11, e->submitted);
	xw_date(sh, row, 12, x->end);
	xw_bool(sh, row, 13, x->state == ST_EXPIRING);
	xw_text(sh, row, 14, ms_pos_format(&e->b.pos, where, sizeof where));
}

static int end_cmp(const void *a, const void *b)
{
	const ent *x = *(const ent *const *)a, *y = *(const ent *const *)b;
	if (x->end != y->end)
		return x->end < y->end ? -1 : 1;
	return strcmp(x->e->reference, y->e->reference);
}

/* The working file, written but not yet in place (xw_write): NULL with a
 * diagnostic on failure. */
static xw_book *write_xlsx(const void *data, const char *path, ms_diags *d)
{
	const dig *g = data;
	xw_book *b = xw_open(path, d);
	if (!b)
		return NULL;
	/* the header row is row 1 of every sheet; "Restricted" goes in the
	 * page header and footer and in a note sheet */
	const char *mark = g->form && g->form->restricted ? BANNER : NULL;
	xw_set_properties(b, "Cooperation Portal: working file",
	                  "Needs, offers, matches and expired entries");
	static const char *eh[] = {"Reference",   "Submitter",    "Submitter type", "Title",
	                           "Areas",       "Assistance",   "Countries",      "Amount",
	                           "Currency",    "Contact",      "Contact e-mail", "Submitted",
	                           "Valid until", "Expires soon", "Source"};
	xw_sheet *sheets[3];
	int rows[3];
	for (int k = 0; k < 3; k++) {
		sheets[k] =
		    xw_add_stream_sheet(b, type_plural((rec_kind)(K_NEED + k)), eh, 15, NULL);
		xw_max_width(sheets[k], 3, 50);
		xw_max_width(sheets[k], 4, 40);
		xw_max_width(sheets[k], 5, 40);
		xw_max_width(sheets[k], 6, 40);
		out_sheet_print(sheets[k], mark);
		rows[k] = xw_first_row(sheets[k]);
	}
	static const char *mh[] = {"Need",        "Need title",      "Need submitter", "Offer",
	                           "Offer title", "Offer submitter", "Score",          "Rank"};
	xw_sheet *ms = xw_add_stream_sheet(b, "Matches", mh, 8, NULL);
	xw_share_strings(ms); /* each entry is named in each of its matches */
	xw_max_width(ms, 1, 50);
	xw_max_width(ms, 4, 50);
	out_sheet_print(ms, mark);
	int mrow = xw_first_row(ms);
	const ent **expired = calloc(g->n + 1, sizeof *expired);
	size_t nexp = 0;
	for (size_t i = 0; i < g->n; i++) {
		const ent *x = &g->v[i];
		int k = x->e->b.kind - K_NEED;
		if (x->state <= ST_EXPIRING) {
			entry_row(sheets[k], rows[k]++, x);
			if (x->e->b.kind == K_NEED)
				for (size_t m = 0; m < x->nmatches; m++, mrow++) {
					const rec_entry *o = g->v[x->matches[m]].e;
					xw_text(ms, mrow, 0, x->e->reference);
					xw_text(ms, mrow, 1, x->e->title);
					xw_text(ms, mrow, 2, x->e->submitter.name);
					xw_text(ms, mrow, 3, o->reference);
					xw_text(ms, mrow, 4, o->title);
					xw_text(ms, mrow, 5, o->submitter.name);
					xw_integer(ms, mrow, 6, x->scores[m]);
					xw_integer(ms, mrow, 7, (double)m + 1);
				}
		} else if (x->state == ST_EXPIRED && expired) {
			expired[nexp++] = x;
		}
	}
	/* the entries to chase, the longest expired first */
	static const char *xh[] = {"Reference", "Type",           "Submitter",  "Title",
	                           "Contact",   "Contact e-mail", "Expired on", "Source"};
	xw_sheet *ex = xw_add_sheet(b, "Expired", xh, 8, NULL);
	xw_max_width(ex, 3, 50);
	out_sheet_print(ex, mark);
	if (expired)
		qsort(expired, nexp, sizeof *expired, end_cmp);
	int xrow = xw_first_row(ex);
	for (size_t i = 0; i < nexp; i++, xrow++) {
		const ent *x = expired[i];
		char where[512];
		xw_text(ex, xrow, 0, x->e->reference);
		xw_text(ex, xrow, 1, rec_kind_name(x->e->b.kind));
		xw_text(ex, xrow, 2, x->e->submitter.name);
		xw_text(ex, xrow, 3, x->e->title);
		char *name, *email;
		out_split_contact(x->e->contact, &name, &email);
		xw_text(ex, xrow, 4, name);
		email_cell(ex, xrow, 5, email);
		free(name);
		free(email);
		xw_date(ex, xrow, 6, x->end);
		xw_text(ex, xrow, 7, ms_pos_format(&x->e->b.pos, where, sizeof where));
	}
	free(expired);
	static const char *sh[] = {"Area", "Needs", "Offers", "Experiences"};
	xw_sheet *sum = xw_add_sheet(b, "Summary", sh, 4, NULL);
	out_sheet_print(sum, mark);
	int row = xw_first_row(sum), first = row;
	for (int a = 0; a < AREA_COUNT; a++, row++) {
		size_t c[3] = {0};
		for (size_t i = 0; i < g->n; i++)
			if (g->v[i].state <= ST_EXPIRING && g->v[i].e->areas.n &&
			    g->v[i].e->areas.v[0] == a)
				c[g->v[i].e->b.kind - K_NEED]++;
		xw_text(sum, row, 0, voc_label(VOC_AREA, a));
		for (int k = 0; k < 3; k++)
			xw_integer(sum, row, k + 1, (double)c[k]);
	}
	lxw_chart *chart = workbook_add_chart(xw_workbook(b), LXW_CHART_BAR);
	for (int k = 0; chart && k < 2; k++) {
		lxw_chart_series *ser = chart_add_series(chart, NULL, NULL);
		chart_series_set_categories(ser, "Summary", (lxw_row_t)first, 0,
		                            (lxw_row_t)(row - 1), 0);
		chart_series_set_values(ser, "Summary", (lxw_row_t)first, (lxw_col_t)(k + 1),
		                        (lxw_row_t)(row - 1), (lxw_col_t)(k + 1));
		chart_series_set_name_range(ser, "Summary", (lxw_row_t)(first - 1),
		                            (lxw_col_t)(k + 1));
	}
	if (chart) {
		char day[24], title[80];
		snprintf(title, sizeof title, "Needs and offers by area, valid on %s",
		         val_day_long(g->as_of, day));
		chart_title_set_name(chart, title);
		worksheet_insert_chart(xw_ws(sum), (lxw_row_t)(row + 1), 0, chart);
	}
	if (mark)
		out_note_sheet(b, mark);
	return xw_write(b, d) < 0 ? NULL : b;
}

int dig_build(const rec_set *s, const ly_style *st, const char *prefix, ms_day as_of,
              const char *password, dig_stats *stats, ms_diags *d)
{
	memset(stats, 0, sizeof *stats);
	dig g;
	if (dig_compute(s, as_of, &g) < 0) {
		ms_diag_add(d, MS_ENV, NULL, "out of memory");
		return -1;
	}
	stats->entries = s->nentries;
	for (size_t i = 0; i < s->nentries; i++)
		stats->rejected += s->entries[i]->b.rejected;
	for (size_t i = 0; i < g.n; i++) {
		const ent *x = &g.v[i];
		char day[16];
		switch (x->state) {
		case ST_EXPIRING:
			stats->expiring++;
			ms_diag_add(
			    d, MS_WARNING, &x->e->b.pos,
			    "entry %s expires on %s, within %d days: ask the submitter to renew it",
			    x->e->reference, val_day_iso(x->end, day), g.warning);
			__attribute__((fallthrough)); /* expiring entries are valid */
		case ST_VALID:
			stats->valid++;
			stats->needs += x->e->b.kind == K_NEED;
			stats->offers += x->e->b.kind == K_OFFER;
			stats->experiences += x->e->b.kind == K_EXPERIENCE;
			break;
		case ST_EXPIRED: stats->expired++; break;
		default: stats->not_yet++; break;
		}
	}
	stats->matches = g.nmatch_pairs;
	stats->restricted = g.form && g.form->restricted;
	/* the workbook needs only g: it is written while the tree is built */
	char *pdf = ms_printf("%s.pdf", prefix), *xlsx = ms_printf("%s.xlsx", prefix);
	out_pair *pair = pdf && xlsx ? out_pair_start(write_xlsx, &g, xlsx) : NULL;
	dt_doc *doc = pair ? build_tree(&g, as_of) : NULL;
	int built = doc && !dt_doc_oom(doc);
	if (!built)
		ms_diag_add(d, MS_ENV, NULL, "out of memory while building the digest");
	ly_result res = {0};
	int rc = out_pair_finish(pair, built ? doc : NULL, st, pdf,
	                         stats->restricted ? password : NULL, &res, d);
	stats->pages = res.pages;
	ly_result_free(&res);
	dt_doc_free(doc);
	dig_free(&g);
	free(pdf);
	free(xlsx);
	return rc;
}

void dig_report(const dig_stats *st, ms_buf *out)
{
	ms_buf_printf(
	    out,
	    "Digest: digest.pdf, %d pages%s; %zu entries read, %zu rejected; %zu valid (%zu needs, "
	    "%zu offers, %zu experiences), %zu of them expiring soon; %zu expired (listed in "
	    "digest.xlsx, sheet Expired); %zu not yet published; %zu need-offer matches\n\n",
	    st->pages, st->restricted ? ", encrypted (AES-256)" : "", st->entries, st->rejected,
	    st->valid, st->needs, st->offers, st->experiences, st->expiring, st->expired,
	    st->not_yet, st->matches);
}
