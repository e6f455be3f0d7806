/* portal.c — the Cooperation Portal site (see portal.h).
 *
 * The builder decides what is published and how it reads; the back-end
 * (html/hw.h) writes it. Published: the entries the digest prints (valid or
 * expiring on the as-of date, entries.h); expired and not-yet-published
 * entries have no page and are named nowhere.
 *
 * Pages: index.html (counts by area, kind and region; what is new),
 * entries.html (every entry, filtered by area, kind, country, type of
 * submitter and assistance), entries/REF.html (one per entry: its facts,
 * text, contact and matches both ways), countries.html and
 * countries/CODE.html (one per country an entry names), search.html.
 *
 * What is new: an entry whose latest date (Submitted, or Renewed when
 * later) falls after the Digest form's Previous edition date and on or
 * before the as-of date; without that date, within the POR_NEW_DAYS days
 * up to the as-of date.
 *
 * Region of an entry (the home page's counts): the region of its first
 * country (a need: the countries concerned, else its submitter when a
 * State); an offer or experience open to Any country counts as "Any
 * country"; one with no country and no State as submitter as "No country".
 *
 * A restricted site's page names are numbers (entries/0001.html,
 * countries/001.html): a reference or a country code in a file name would
 * tell who asked for what without the password. */
#include "portal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../html/hw.h"
#include "../model/country.h"
#include "../model/vocab.h"
#include "entries.h"
#include "md2tree.h"
#include "tree.h"

enum { NAV_HOME, NAV_ENTRIES, NAV_COUNTRIES, NAV_SEARCH };

typedef struct site {
	const ent_set *g;
	dt_doc *doc; /* page names, for the whole build */
	dt_doc *pg;  /* the page being made, freed once written */
	hw_page page;
	hw_writer *w;
	int failed; /* the writer failed and said why */
	int oom;
	size_t npages;
	int restricted;
	ms_day as_of, since;
	char **path;  /* per entry (index into g->v): its page, or NULL */
	int *cpage;   /* per country id: its page number (1-based), or 0 */
	char **cpath; /* per country id: its page, or NULL */
} site;

static const char *kind_label(rec_kind k)
{
	return k == K_NEED ? "Need" : k == K_OFFER ? "Offer" : "Experience";
}

static const char *kind_key(rec_kind k)
{
	return k == K_NEED ? "need" : k == K_OFFER ? "offer" : "experience";
}

static int published(const ent *x)
{
	return x->state == ENT_VALID || x->state == ENT_EXPIRING;
}

/* The latest of Submitted and Renewed: when the entry was last news. */
static ms_day news_day(const rec_entry *e)
{
	ms_day d = e->submitted;
	if (e->renewed != MS_NO_DAY && (d == MS_NO_DAY || e->renewed > d))
		d = e->renewed;
	return d;
}

static int is_new(const site *S, const ent *x)
{
	ms_day d = news_day(x->e);
	return d != MS_NO_DAY && d > S->since && d <= S->as_of;
}

/* The countries an entry concerns: its Countries, else a need's submitter
 * when a State (rules.md 22). */
static size_t concerned(const rec_entry *e, const int **ids, int *one)
{
	if (e->ncountries) {
		*ids = e->countries;
		return e->ncountries;
	}
	if (e->b.kind == K_NEED && e->submitter.country >= 0) {
		*one = e->submitter.country;
		*ids = one;
		return 1;
	}
	*ids = NULL;
	return 0;
}

/* Regions: the five M49 regions, then "Any country", then "No country". */
static const char *const regions[] = {"Africa",  "Americas",    "Asia",      "Europe",
                                      "Oceania", "Any country", "No country"};
#define NREGIONS 7

static int region_of(const rec_entry *e)
{
	int one;
	const int *ids;
	int c = concerned(e, &ids, &one) ? ids[0] : -1;
	if (c < 0 && e->any_country)
		return 5;
	if (c < 0)
		c = e->submitter.country;
	const cty_info *ci = c >= 0 ? cty_get(c) : NULL;
	for (int r = 0; ci && ci->region && r < 5; r++)
		if (!strcmp(ci->region, regions[r]))
			return r;
	return 6;
}

/* Pages ----------------------------------------------------------------- */

/* Hands the page made to the writer and frees its tree. */
static void flush_page(site *S)
{
	if (!S->pg)
		return;
	if (dt_doc_oom(S->pg))
		S->oom = 1;
	else if (hw_add(S->w, &S->page) < 0)
		S->failed = 1;
	dt_doc_free(S->pg);
	S->pg = NULL;
}

/* A new page; its tree is S->pg until the next. */
static hw_page *add_page(site *S, const char *path, const char *title, int nav)
{
	flush_page(S);
	if (S->failed || S->oom || !(S->pg = dt_doc_new())) {
		S->oom |= !S->failed;
		return NULL;
	}
	hw_page *p = &S->page;
	memset(p, 0, sizeof *p);
	p->path = path;
	p->title = dt_strdup(S->pg, title);
	p->nav = nav;
	p->body = dt_section(S->pg);
	S->npages++;
	return p;
}

static dt_node *body(hw_page *p)
{
	return (dt_node *)p->body;
}

/* A cell holding a link. */
static dt_node *link_cell(dt_doc *doc, dt_node *row, const char *text, const char *href)
{
	dt_node *c = dt_cell(doc, row, "", DT_LEFT);
	if (c && c->first) {
		c->first->runs = c->first->runs_last = NULL;
		dt_run_add(doc, c->first, text, 0, href);
	}
	return c;
}

/* A row heading cell (th scope="row"). */
static dt_node *head_cell(dt_doc *doc, dt_node *row, const char *text, const char *href)
{
	dt_node *c = href ? link_cell(doc, row, text, href) : dt_cell(doc, row, text, DT_LEFT);
	if (c && c->first)
		c->first->style = dt_strdup(doc, "th");
	return c;
}

static void num_cell(dt_doc *doc, dt_node *row, size_t n)
{
	char *t = val_grouped((double)n, NULL);
	dt_cell(doc, row, t ? t : "", DT_RIGHT);
	free(t);
}

/* The heading row of an entries table. */
static dt_node *entries_table(dt_doc *doc, dt_node *parent, const char *caption, int countries)
{
	static const char *h[] = {"Title",     "Kind",        "Submitted by", "Areas",
	                          "Countries", "Valid until", "Reference"};
	dt_node *t = dt_table(doc, parent, countries ? 7 : 5);
	if (!t)
		return NULL;
	if (caption)
		t->caption = dt_strdup(doc, caption);
	dt_node *r = dt_row(doc, t, 1);
	for (int i = 0; i < 7; i++)
		if (countries || (i != 1 && i != 4)) /* a country's tables are by kind */
			dt_cell(doc, r, h[i], DT_LEFT);
	return t;
}

static dt_node *entry_row(site *S, dt_node *t, size_t i, int countries)
{
	const ent *x = &S->g->v[i];
	const rec_entry *e = x->e;
	dt_doc *doc = S->pg;
	dt_node *r = dt_row(doc, t, 0);
	head_cell(doc, r, e->title, S->path[i]);
	if (countries)
		dt_cell(doc, r, kind_label(e->b.kind), DT_LEFT);
	dt_cell(doc, r, e->submitter.name, DT_LEFT);
	char *s = ent_list_areas(&e->areas);
	dt_cell(doc, r, s ? s : "", DT_LEFT);
	free(s);
	if (countries) {
		s = ent_list_countries(e);
		dt_cell(doc, r, s ? s : "", DT_LEFT);
		free(s);
	}
	char day[24];
	dt_cell(doc, r, val_day_long(x->end, day), DT_LEFT);
	dt_node *c = dt_cell(doc, r, e->reference, DT_LEFT);
	if (c && c->first && c->first->runs)
		c->first->runs->style |= DT_NOHYPH;
	return r;
}

/* The filter keys of a row of entries.html (hw.h: tokens key+value; a
 * trailing * matches every value of the key). */
static char *filter_keys(const rec_entry *e)
{
	ms_buf b;
	ms_buf_init(&b);
	for (int i = 0; i < e->areas.n; i++)
		ms_buf_printf(&b, "area%d ", e->areas.v[i]);
	ms_buf_printf(&b, "kind%s type%d ", kind_key(e->b.kind), e->submitter_type);
	for (int i = 0; i < voc_size(VOC_ASSISTANCE); i++)
		if (e->assistance & (1u << i))
			ms_buf_printf(&b, "assist%d ", i);
	int one;
	const int *ids;
	size_t n = concerned(e, &ids, &one);
	int sub = e->submitter.country;
	for (size_t i = 0; i < n; i++) {
		ms_buf_printf(&b, "country%s ", cty_get(ids[i])->alpha3);
		if (ids[i] == sub)
			sub = -1;
	}
	if (sub >= 0)
		ms_buf_printf(&b, "country%s ", cty_get(sub)->alpha3);
	if (e->any_country)
		ms_buf_adds(&b, "country* ");
	if (b.len)
		b.s[--b.len] = 0;
	return ms_buf_take(&b);
}

/* The contact, with its e-mail address as a mailto link. */
static void contact_runs(dt_doc *doc, dt_node *p, const char *contact)
{
	const char *at = contact ? strchr(contact, '@') : NULL;
	if (!at) {
		dt_run_add(doc, p, contact ? contact : "", 0, NULL);
		return;
	}
	const char *ok = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_+%";
	const char *a = at, *z = at + 1;
	while (a > contact && strchr(ok, a[-1]) && a[-1])
		a--;
	while (*z && strchr(ok, *z))
		z++;
	while (z > at + 1 && z[-1] == '.') /* a full stop ending the sentence */
		z--;
	if (a == at || z == at + 1 || !memchr(at, '.', (size_t)(z - at))) {
		dt_run_add(doc, p, contact, 0, NULL);
		return;
	}
	char *before = ms_strndup(contact, (size_t)(a - contact));
	char *addr = ms_strndup(a, (size_t)(z - a));
	char *link = addr ? ms_concat("mailto:", addr, NULL) : NULL;
	if (before && *before)
		dt_run_add(doc, p, before, 0, NULL);
	dt_run_add(doc, p, addr ? addr : "", 0, link);
	if (*z)
		dt_run_add(doc, p, z, 0, NULL);
	free(before);
	free(addr);
	free(link);
}

static void fact(dt_doc *doc, dt_node *t, const char *label, const char *value)
{
	if (!value || !*value)
		return;
	dt_node *r = dt_row(doc, t, 0);
	head_cell(doc, r, label, NULL);
	dt_cell(doc, r, value, DT_LEFT);
}

/* The text of a subtree's runs, for the search index. */
static void node_text(const dt_node *n, ms_buf *b)
{
	for (; n; n = n->next) {
		for (const dt_run *r = n->runs; r; r = r->next)
			if (r->text) {
				ms_buf_adds(b, r->text);
				ms_buf_addc(b, ' ');
			}
		if (n->type == DT_CODE && n->text) {
			ms_buf_adds(b, n->text);
			ms_buf_addc(b, ' ');
		}
		if (n->type != DT_TABLE && n->type != DT_CHART && n->type != DT_INDEX &&
		    n->type != DT_SECTION)
			node_text(n->first, b);
		else if (n->type == DT_TABLE)
			node_text(n->first, b);
	}
}

typedef struct rank {
	int idx, score;
	ms_day end;
	const char *ref;
} rank;

/* rules.md 22's order: more in common, then the later end, then Reference. */
static int rank_cmp(const void *a, const void *b)
{
	const rank *x = a, *y = b;
	if (x->score != y->score)
		return y->score - x->score;
	if (x->end != y->end)
		return x->end > y->end ? -1 : 1;
	return strcmp(x->ref, y->ref);
}

static void entry_page(site *S, size_t i)
{
	const ent *x = &S->g->v[i];
	const rec_entry *e = x->e;
	hw_page *p = add_page(S, S->path[i], e->title, NAV_ENTRIES);
	if (!p)
		return;
	dt_doc *doc = S->pg;
	dt_node *sec = body(p);
	const char *type = voc_label(VOC_SUBMITTER, e->submitter_type);
	dt_node *lead = dt_para(doc, sec, "lead", NULL);
	dt_run_add(doc, lead, dt_printf(doc, "%s from ", kind_label(e->b.kind)), 0, NULL);
	dt_run_add(doc, lead, e->submitter.name, DT_B, NULL);
	dt_run_add(doc, lead, dt_printf(doc, " (%s)", type ? type : ""), 0, NULL);

	dt_node *t = dt_table(doc, sec, 2);
	t->caption = dt_printf(doc, "About this %s",
	                       e->b.kind == K_NEED    ? "need"
	                       : e->b.kind == K_OFFER ? "offer"
	                                              : "experience");
	fact(doc, t, "Reference", e->reference);
	char *s = ent_list_areas(&e->areas);
	fact(doc, t, "Areas", s);
	free(s);
	s = ent_list_vocab(VOC_ASSISTANCE, e->assistance);
	fact(doc, t, "Assistance", s);
	free(s);
	/* countries, each a link to its page */
	int one;
	const int *ids;
	size_t n = concerned(e, &ids, &one);
	if (n || e->any_country) {
		dt_node *r = dt_row(doc, t, 0);
		head_cell(doc, r,
		          e->b.kind == K_NEED    ? "Countries concerned"
		          : e->b.kind == K_OFFER ? "Open to"
		                                 : "Countries",
		          NULL);
		dt_node *c = dt_cell(doc, r, "", DT_LEFT);
		dt_node *para = c ? c->first : NULL;
		if (para) {
			para->runs = para->runs_last = NULL;
			if (e->any_country)
				dt_run_add(doc, para, "Any country", 0, NULL);
			for (size_t k = 0; k < n; k++) {
				if (k || e->any_country)
					dt_run_add(doc, para, "; ", 0, NULL);
				dt_run_add(doc, para, cty_get(ids[k])->name, 0, S->cpath[ids[k]]);
			}
		}
	}
	if (e->amount.currency[0]) {
		char *a = val_grouped(e->amount.value, e->amount.currency);
		fact(doc, t, e->b.kind == K_NEED ? "Estimated cost" : "Resources", a);
		free(a);
	}
	char day[24];
	if (e->submitted != MS_NO_DAY)
		fact(doc, t, "Submitted", val_day_long(e->submitted, day));
	if (e->renewed != MS_NO_DAY)
		fact(doc, t, "Renewed", val_day_long(e->renewed, day));
	fact(doc, t, "Valid until",
	     dt_printf(doc, "%s%s", val_day_long(x->end, day),
	               x->state == ENT_EXPIRING ? " (expires soon)" : ""));
	if (e->contact && *e->contact) {
		dt_node *r = dt_row(doc, t, 0);
		head_cell(doc, r, "Contact", NULL);
		dt_node *c = dt_cell(doc, r, "", DT_LEFT);
		if (c && c->first) {
			c->first->runs = c->first->runs_last = NULL;
			contact_runs(doc, c->first, e->contact);
		}
	}
	dt_node *before = sec->last;
	if (e->description && cmark_node_first_child(e->description)) {
		dt_heading(doc, sec, 1, "Description", "description", 0);
		m2t_opts o = {1, NULL};
		md2tree_append(doc, sec, e->description, &o);
	}
	if (e->how_to_apply && cmark_node_first_child(e->how_to_apply)) {
		dt_heading(doc, sec, 1, "How to apply", "how-to-apply", 0);
		m2t_opts o = {1, NULL};
		md2tree_append(doc, sec, e->how_to_apply, &o);
	}
	/* the search index: every word of the page's text */
	ms_buf words;
	ms_buf_init(&words);
	ms_buf_adds(&words, e->reference);
	ms_buf_addc(&words, ' ');
	ms_buf_adds(&words, type ? type : "");
	ms_buf_addc(&words, ' ');
	s = ent_list_areas(&e->areas);
	ms_buf_adds(&words, s ? s : "");
	free(s);
	ms_buf_addc(&words, ' ');
	s = ent_list_countries(e);
	ms_buf_adds(&words, s ? s : "");
	free(s);
	ms_buf_addc(&words, ' ');
	s = ent_list_vocab(VOC_ASSISTANCE, e->assistance);
	ms_buf_adds(&words, s ? s : "");
	free(s);
	ms_buf_addc(&words, ' ');
	node_text(before ? before->next : sec->first, &words);
	hw_doc hd = {S->path[i], e->title,
	             dt_printf(doc, "%s \xC2\xB7 %s \xC2\xB7 %s", kind_label(e->b.kind),
	                       e->submitter.name ? e->submitter.name : "", e->reference),
	             words.s ? words.s : ""};
	if (words.oom)
		S->oom = 1;
	else if (hw_add_doc(S->w, &hd) < 0)
		S->failed = 1;
	ms_buf_free(&words);

	if (e->b.kind == K_NEED || e->b.kind == K_OFFER) {
		int need = e->b.kind == K_NEED;
		dt_heading(doc, sec, 1,
		           need ? "Offers that could serve this need"
		                : "Needs this offer could serve",
		           "matches", 0);
		if (!x->nmatches) {
			dt_para(doc, sec, NULL,
			        need
			            ? "No published offer matches this need yet: it shares no area "
			              "and kind of assistance with an offer open to its countries."
			            : "No published need matches this offer yet.");
		} else {
			dt_para(
			    doc, sec, "note",
			    need ? "Offers in one of its areas, with one of its kinds of "
			           "assistance, open to a country it concerns; the closest first "
			           "(more areas and kinds in common)."
			         : "Needs in one of its areas, for one of its kinds of assistance, "
			           "in a country it is open to; the closest first.");
			dt_node *mt = dt_table(doc, sec, 4);
			mt->caption = dt_strdup(doc, need ? "Matching offers" : "Matching needs");
			dt_node *r = dt_row(doc, mt, 1);
			dt_cell(doc, r, need ? "Offer" : "Need", DT_LEFT);
			dt_cell(doc, r, "Submitted by", DT_LEFT);
			dt_cell(doc, r, "Areas and kinds in common", DT_RIGHT);
			dt_cell(doc, r, "Valid until", DT_LEFT);
			/* a need's offers come ranked; an offer's needs in the
			 * order of the needs: ranked here the same way */
			rank *rk = malloc(x->nmatches * sizeof *rk);
			for (size_t k = 0; rk && k < x->nmatches; k++)
				rk[k] =
				    (rank){x->matches[k], x->scores[k], S->g->v[x->matches[k]].end,
				           S->g->v[x->matches[k]].e->reference};
			if (rk && !need)
				qsort(rk, x->nmatches, sizeof *rk, rank_cmp);
			/* an offer open to any country can serve hundreds of needs:
			 * the closest, as many as a need lists offers */
			size_t shown = x->nmatches < ENT_MATCH_KEEP ? x->nmatches : ENT_MATCH_KEEP;
			for (size_t k = 0; rk && k < shown; k++) {
				int m = rk[k].idx;
				const ent *y = &S->g->v[m];
				r = dt_row(doc, mt, 0);
				head_cell(doc, r, y->e->title, S->path[m]);
				dt_cell(doc, r, y->e->submitter.name, DT_LEFT);
				num_cell(doc, r, (size_t)rk[k].score);
				dt_cell(doc, r, val_day_long(y->end, day), DT_LEFT);
			}
			free(rk);
			if (shown < x->nmatches) {
				char *more =
				    val_count(x->nmatches - shown, "more need", "more needs");
				dt_node *np = dt_para(doc, sec, "note", NULL);
				dt_run_add(
				    doc, np,
				    dt_printf(doc, "And %s, ranked lower: ", more ? more : ""), 0,
				    NULL);
				dt_run_add(doc, np, "the needs of its first area", 0,
				           dt_printf(doc, "entries.html?kind=need&area=%d",
				                     e->areas.n ? e->areas.v[0] : 0));
				dt_run_add(doc, np, ".", 0, NULL);
				free(more);
			}
		}
	}
	if (e->contact && *e->contact) {
		dt_heading(doc, sec, 1, "How to follow up", "follow-up", 0);
		dt_node *fp = dt_para(doc, sec, NULL, "Write to ");
		contact_runs(doc, fp, e->contact);
		dt_run_add(doc, fp, ", quoting the reference ", 0, NULL);
		dt_run_add(doc, fp, e->reference, DT_B | DT_NOHYPH, NULL);
		dt_run_add(doc, fp, ".", 0, NULL);
	}
}

/* Home ------------------------------------------------------------------ */

static void count_table(site *S, dt_node *sec, const char *caption, const char *first,
                        size_t (*count)[3], int nrows, const char *(*label)(int),
                        const char *(*href)(site *, int))
{
	dt_doc *doc = S->pg;
	dt_node *t = dt_table(doc, sec, 5);
	t->caption = dt_strdup(doc, caption);
	dt_node *r = dt_row(doc, t, 1);
	dt_cell(doc, r, first, DT_LEFT);
	dt_cell(doc, r, "Needs", DT_RIGHT);
	dt_cell(doc, r, "Offers", DT_RIGHT);
	dt_cell(doc, r, "Experiences", DT_RIGHT);
	dt_cell(doc, r, "Total", DT_RIGHT);
	size_t tot[3] = {0};
	for (int i = 0; i < nrows; i++) {
		size_t n = count[i][0] + count[i][1] + count[i][2];
		if (!n)
			continue;
		r = dt_row(doc, t, 0);
		head_cell(doc, r, label(i), href ? href(S, i) : NULL);
		for (int k = 0; k < 3; k++) {
			num_cell(doc, r, count[i][k]);
			tot[k] += count[i][k];
		}
		num_cell(doc, r, n);
	}
	r = dt_row(doc, t, 0);
	head_cell(doc, r, "All", NULL);
	for (int k = 0; k < 3; k++)
		num_cell(doc, r, tot[k]);
	num_cell(doc, r, tot[0] + tot[1] + tot[2]);
}

static const char *area_label(int a)
{
	return voc_label(VOC_AREA, a);
}

static const char *area_href(site *S, int a)
{
	return dt_printf(S->pg, "entries.html?area=%d", a);
}

static const char *region_label(int r)
{
	return regions[r];
}

static const char *type_label(int t)
{
	return voc_label(VOC_SUBMITTER, t);
}

static const char *type_href(site *S, int t)
{
	return dt_printf(S->pg, "entries.html?type=%d", t);
}

static void home_page(site *S, por_stats *st)
{
	const ent_set *g = S->g;
	const rec_digest *f = g->form;
	hw_page *p =
	    add_page(S, "index.html",
	             f && f->title ? f->title : "Cooperation Portal: needs and offers", NAV_HOME);
	if (!p)
		return;
	dt_doc *doc = S->pg;
	dt_node *sec = body(p);
	char day[24], since[24];
	char *c[4] = {val_count(st->needs, "need", "needs"),
	              val_count(st->offers, "offer", "offers"),
	              val_count(st->experiences, "experience", "experiences"),
	              val_count(g->nmatch_pairs, "possible match", "possible matches")};
	dt_para(doc, sec, "lead",
	        dt_printf(doc,
	                  "The Cooperation Portal of the Convention on Cluster Munitions, as of "
	                  "%s: %s, %s and %s, with %s between needs and offers.",
	                  val_day_long(S->as_of, day), c[0] ? c[0] : "", c[1] ? c[1] : "",
	                  c[2] ? c[2] : "", c[3] ? c[3] : ""));
	for (int k = 0; k < 4; k++)
		free(c[k]);
	dt_para(doc, sec, NULL,
	        "States and organisations that need assistance publish their needs here, those "
	        "that can help publish their offers, and both share their experience. Each "
	        "entry stays for its lifespan unless renewed; each shows the entries that "
	        "could match it and whom to contact.");

	dt_heading(doc, sec, 1, "What is new", "new", 0);
	dt_para(doc, sec, NULL,
	        dt_printf(
	            doc, "Entries submitted or renewed after %s%s:", val_day_long(S->since, since),
	            f && f->previous_edition != MS_NO_DAY ? ", the date of the last edition" : ""));
	if (!st->fresh) {
		dt_para(doc, sec, NULL, "None.");
	} else {
		dt_node *t = dt_table(doc, sec, 4);
		t->caption = dt_strdup(doc, "New entries");
		dt_node *r = dt_row(doc, t, 1);
		dt_cell(doc, r, "Title", DT_LEFT);
		dt_cell(doc, r, "Kind", DT_LEFT);
		dt_cell(doc, r, "Submitted by", DT_LEFT);
		dt_cell(doc, r, "Date", DT_LEFT);
		for (size_t i = 0; i < g->n; i++) {
			const ent *x = &g->v[i];
			if (!published(x) || !is_new(S, x))
				continue;
			r = dt_row(doc, t, 0);
			head_cell(doc, r, x->e->title, S->path[i]);
			dt_cell(doc, r, kind_label(x->e->b.kind), DT_LEFT);
			dt_cell(doc, r, x->e->submitter.name, DT_LEFT);
			ms_day nd = news_day(x->e);
			dt_cell(doc, r,
			        dt_printf(doc, "%s %s",
			                  nd == x->e->renewed && nd != x->e->submitted
			                      ? "renewed"
			                      : "submitted",
			                  val_day_long(nd, day)),
			        DT_LEFT);
		}
	}
	size_t area[AREA_COUNT][3] = {{0}}, region[NREGIONS][3] = {{0}}, type[16][3] = {{0}};
	for (size_t i = 0; i < g->n; i++) {
		const ent *x = &g->v[i];
		if (!published(x))
			continue;
		int k = x->e->b.kind - K_NEED;
		if (x->e->areas.n)
			area[x->e->areas.v[0]][k]++;
		region[region_of(x->e)][k]++;
		if (x->e->submitter_type >= 0 && x->e->submitter_type < 16)
			type[x->e->submitter_type][k]++;
	}
	dt_heading(doc, sec, 1, "Entries by area", "by-area", 0);
	dt_para(doc, sec, "note",
	        "Each entry counts once, under its first area. Choose an area to list its "
	        "entries.");
	count_table(S, sec, "Entries by area and kind", "Area", area, AREA_COUNT, area_label,
	            area_href);
	dt_heading(doc, sec, 1, "Entries by region", "by-region", 0);
	dt_para(doc, sec, "note",
	        "Each entry counts once, under the region of the first country it concerns; "
	        "offers open to any country are counted apart.");
	count_table(S, sec, "Entries by region and kind", "Region", region, NREGIONS, region_label,
	            NULL);
	dt_heading(doc, sec, 1, "Entries by type of submitter", "by-type", 0);
	int ntypes = voc_size(VOC_SUBMITTER) < 16 ? voc_size(VOC_SUBMITTER) : 16;
	count_table(S, sec, "Entries by type of submitter and kind", "Submitted by", type, ntypes,
	            type_label, type_href);
}

/* Lists ----------------------------------------------------------------- */

static void entries_page(site *S)
{
	const ent_set *g = S->g;
	hw_page *p = add_page(S, "entries.html", "All entries", NAV_ENTRIES);
	if (!p)
		return;
	dt_doc *doc = S->pg;
	dt_node *sec = body(p);
	dt_para(doc, sec, NULL,
	        "Every entry published on the portal, by area, then kind. Choose values below to "
	        "show only some of them; an offer open to any country is shown for every "
	        "country.");
	/* filters */
	hw_filter *fl = dt_alloc(doc, 5 * sizeof *fl);
	if (!fl)
		return;
	static const char *keys[] = {"area", "kind", "country", "type", "assist"};
	static const char *labels[] = {"Area", "Kind", "Country", "Type of submitter",
	                               "Assistance"};
	int used[512] = {0};
	size_t ncty = 0;
	for (size_t i = 0; i < g->n; i++) {
		if (!published(&g->v[i]))
			continue;
		const rec_entry *e = g->v[i].e;
		int one;
		const int *ids;
		size_t n = concerned(e, &ids, &one);
		for (size_t k = 0; k < n; k++)
			if (ids[k] >= 0 && ids[k] < 512)
				used[ids[k]] = 1;
		if (e->submitter.country >= 0 && e->submitter.country < 512)
			used[e->submitter.country] = 1;
	}
	for (int c = 0; c < cty_count() && c < 512; c++)
		ncty += used[c];
	size_t sizes[5] = {AREA_COUNT, 3, ncty, (size_t)voc_size(VOC_SUBMITTER),
	                   (size_t)voc_size(VOC_ASSISTANCE)};
	for (int k = 0; k < 5; k++) {
		fl[k].key = keys[k];
		fl[k].label = labels[k];
		fl[k].values = dt_alloc(doc, (sizes[k] + 1) * sizeof(char *));
		fl[k].labels = dt_alloc(doc, (sizes[k] + 1) * sizeof(char *));
		if (!fl[k].values || !fl[k].labels)
			return;
		fl[k].nvalues = sizes[k];
	}
	for (int a = 0; a < AREA_COUNT; a++) {
		fl[0].values[a] = dt_printf(doc, "%d", a);
		fl[0].labels[a] = voc_label(VOC_AREA, a);
	}
	for (int k = 0; k < 3; k++) {
		fl[1].values[k] = kind_key((rec_kind)(K_NEED + k));
		fl[1].labels[k] = k == 0 ? "Needs" : k == 1 ? "Offers" : "Experiences";
	}
	size_t j = 0;
	for (int c = 0; c < cty_count() && c < 512; c++)
		if (used[c]) {
			fl[2].values[j] = cty_get(c)->alpha3;
			fl[2].labels[j++] = cty_get(c)->name;
		}
	for (int k = 0; k < voc_size(VOC_SUBMITTER); k++) {
		fl[3].values[k] = dt_printf(doc, "%d", k);
		fl[3].labels[k] = voc_label(VOC_SUBMITTER, k);
	}
	for (int k = 0; k < voc_size(VOC_ASSISTANCE); k++) {
		fl[4].values[k] = dt_printf(doc, "%d", k);
		fl[4].labels[k] = voc_label(VOC_ASSISTANCE, k);
	}
	p->filters = fl;
	p->nfilters = 5;
	dt_node *t = entries_table(doc, sec, "Published entries", 1);
	for (size_t i = 0; t && i < g->n; i++) {
		if (!published(&g->v[i]))
			continue;
		dt_node *r = entry_row(S, t, i, 1);
		char *k = filter_keys(g->v[i].e);
		if (r && k)
			r->style = dt_strdup(doc, k);
		free(k);
	}
}

static void countries_pages(site *S, por_stats *st)
{
	dt_doc *doc = NULL;
	const ent_set *g = S->g;
	int nc = cty_count();
	/* per country: entries concerning it or submitted by it, by kind */
	size_t(*cnt)[3] = calloc((size_t)nc + 1, sizeof *cnt);
	if (!cnt)
		return;
	for (size_t i = 0; i < g->n; i++) {
		if (!published(&g->v[i]))
			continue;
		const rec_entry *e = g->v[i].e;
		int one;
		const int *ids;
		size_t n = concerned(e, &ids, &one);
		int k = e->b.kind - K_NEED;
		int sub = e->submitter.country;
		for (size_t c = 0; c < n; c++)
			if (ids[c] != sub)
				cnt[ids[c]][k]++;
		if (sub >= 0)
			cnt[sub][k]++;
	}
	hw_page *idx = add_page(S, "countries.html", "Countries", NAV_COUNTRIES);
	if (!idx) {
		free(cnt);
		return;
	}
	doc = S->pg;
	dt_node *isec = body(idx);
	dt_para(doc, isec, NULL,
	        "Each country named by an entry: the needs concerning it, the offers open to it "
	        "by name, and what it offers or has learnt. Offers open to any country are on "
	        "the list of entries.");
	dt_node *it = dt_table(doc, isec, 5);
	it->caption = dt_strdup(doc, "Entries by country");
	dt_node *r = dt_row(doc, it, 1);
	dt_cell(doc, r, "Country", DT_LEFT);
	dt_cell(doc, r, "Region", DT_LEFT);
	dt_cell(doc, r, "Needs", DT_RIGHT);
	dt_cell(doc, r, "Offers", DT_RIGHT);
	dt_cell(doc, r, "Experiences", DT_RIGHT);
	for (int c = 0; c < nc; c++) {
		if (!S->cpath[c])
			continue;
		const cty_info *ci = cty_get(c);
		r = dt_row(doc, it, 0);
		head_cell(doc, r, ci->name, S->cpath[c]);
		dt_cell(doc, r, ci->region ? ci->region : "", DT_LEFT);
		for (int k = 0; k < 3; k++)
			num_cell(doc, r, cnt[c][k]);
	}
	size_t any = 0;
	for (size_t i = 0; i < g->n; i++)
		any +=
		    published(&g->v[i]) && g->v[i].e->any_country && g->v[i].e->b.kind == K_OFFER;
	for (int c = 0; c < nc; c++) {
		if (!S->cpath[c])
			continue;
		const cty_info *ci = cty_get(c);
		hw_page *p = add_page(S, S->cpath[c], ci->name, NAV_COUNTRIES);
		if (!p)
			break;
		doc = S->pg;
		st->countries++;
		dt_node *sec = body(p);
		if (ci->region)
			dt_para(doc, sec, "lead",
			        dt_printf(doc, "%s%s%s", ci->subregion ? ci->subregion : "",
			                  ci->subregion ? ", " : "", ci->region));
		static const char *const parts[] = {"Needs", "Offers open to it by name",
		                                    "Offers it makes", "Experiences"};
		for (int part = 0; part < 4; part++) {
			dt_node *t = NULL;
			for (size_t i = 0; i < g->n; i++) {
				if (!published(&g->v[i]))
					continue;
				const rec_entry *e = g->v[i].e;
				int one;
				const int *ids;
				size_t n = concerned(e, &ids, &one);
				int named = 0;
				for (size_t k = 0; k < n; k++)
					named |= ids[k] == c;
				int by = e->submitter.country == c;
				int in = part == 0   ? e->b.kind == K_NEED && (named || by)
				         : part == 1 ? e->b.kind == K_OFFER && named && !by
				         : part == 2 ? e->b.kind == K_OFFER && by
				                     : e->b.kind == K_EXPERIENCE && (named || by);
				if (!in)
					continue;
				if (!t) {
					dt_heading(doc, sec, 1, parts[part],
					           dt_printf(doc, "part-%d", part), 0);
					t = entries_table(doc, sec, NULL, 0);
					if (t)
						t->caption =
						    dt_printf(doc, "%s: %s", ci->name, parts[part]);
				}
				if (t)
					entry_row(S, t, i, 0);
			}
		}
		if (any) {
			dt_node *np = dt_para(doc, sec, "note", NULL);
			char *n = val_count(any, "offer is", "offers are");
			dt_run_add(doc, np, dt_printf(doc, "%s open to any country: ", n ? n : ""),
			           0, NULL);
			free(n);
			dt_run_add(
			    doc, np, dt_printf(doc, "see the offers open to %s", ci->name), 0,
			    dt_printf(doc, "entries.html?kind=offer&country=%s", ci->alpha3));
			dt_run_add(doc, np, ".", 0, NULL);
		}
	}
	free(cnt);
}

/* The files ------------------------------------------------------------- */

static char *read_style(const char *styles, const char *name, ms_diags *d)
{
	char *path = ms_printf("%s/%s", styles, name);
	char *data = NULL;
	size_t len;
	int big = 0;
	if (!path || ms_read_file(path, 1 << 20, &data, &len, &big) < 0) {
		ms_pos p = ms_pos_file(path ? path : name);
		ms_diag_add(d, MS_ENV, &p,
		            "cannot read the portal's %s: reinstall mspdoc or give --styles DIR",
		            strstr(name, ".css") ? "stylesheet" : "script");
		data = NULL;
	}
	free(path);
	return data;
}

/* A reference as a file name: letters, digits and '-'. */
static char *ref_name(const char *ref)
{
	ms_buf b;
	ms_buf_init(&b);
	ms_buf_adds(&b, "entries/");
	size_t n = 0;
	for (const char *p = ref; p && *p && n < 64; p++, n++)
		ms_buf_addc(&b, (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		                        (*p >= '0' && *p <= '9')
		                    ? *p
		                    : '-');
	return ms_buf_take(&b);
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Page names: every published entry and every country an entry names. */
static int name_pages(site *S)
{
	const ent_set *g = S->g;
	dt_doc *doc = S->doc;
	size_t seq = 0;
	char **names = calloc(g->n + 1, sizeof *names);
	if (!names)
		return -1;
	size_t nn = 0;
	for (size_t i = 0; i < g->n; i++) {
		if (!published(&g->v[i]))
			continue;
		seq++;
		if (S->restricted) {
			S->path[i] = dt_printf(doc, "entries/%04zu.html", seq);
			continue;
		}
		char *base = ref_name(g->v[i].e->reference);
		S->path[i] = base ? dt_printf(doc, "%s.html", base) : NULL;
		free(base);
		if (S->path[i])
			names[nn++] = S->path[i];
	}
	/* two references that differ only in punctuation: the later gets its
	 * place in the list as well */
	if (nn > 1) {
		qsort(names, nn, sizeof *names, str_cmp);
		for (size_t k = 1; k < nn; k++)
			if (!strcmp(names[k], names[k - 1]))
				for (size_t i = 0, s = 0; i < g->n; i++) {
					s += published(&g->v[i]) != 0;
					if (S->path[i] == names[k]) {
						S->path[i] = dt_printf(doc, "%.*s-%zu.html",
						                       (int)(strlen(names[k]) - 5),
						                       names[k], s);
						break;
					}
				}
	}
	free(names);
	int nc = cty_count(), cseq = 0;
	for (size_t i = 0; i < g->n; i++) {
		if (!published(&g->v[i]))
			continue;
		const rec_entry *e = g->v[i].e;
		int one;
		const int *ids;
		size_t n = concerned(e, &ids, &one);
		for (size_t k = 0; k < n; k++)
			S->cpage[ids[k]] = 1;
		if (e->submitter.country >= 0)
			S->cpage[e->submitter.country] = 1;
	}
	for (int c = 0; c < nc; c++) {
		if (!S->cpage[c])
			continue;
		cseq++;
		char code[4] = {0};
		for (int k = 0; k < 3 && cty_get(c)->alpha3[k]; k++)
			code[k] = (char)(cty_get(c)->alpha3[k] | 0x20);
		S->cpath[c] = S->restricted ? dt_printf(doc, "countries/%03d.html", cseq)
		                            : dt_printf(doc, "countries/%s.html", code);
	}
	return dt_doc_oom(doc) ? -1 : 0;
}

int por_build(const rec_set *s, const char *styles, const char *dir, ms_day as_of,
              const char *password, por_stats *st, ms_diags *d)
{
	memset(st, 0, sizeof *st);
	ent_set g;
	if (ent_compute(s, as_of, &g) < 0) {
		ms_diag_add(d, MS_ENV, NULL, "out of memory");
		return -1;
	}
	site S = {0};
	S.g = &g;
	S.as_of = as_of;
	S.restricted = g.form && g.form->restricted;
	S.since = g.form && g.form->previous_edition != MS_NO_DAY ? g.form->previous_edition
	                                                          : as_of - POR_NEW_DAYS;
	st->restricted = S.restricted;
	st->since = S.since;
	for (size_t i = 0; i < g.n; i++) {
		const ent *x = &g.v[i];
		if (published(x)) {
			st->published++;
			st->needs += x->e->b.kind == K_NEED;
			st->offers += x->e->b.kind == K_OFFER;
			st->experiences += x->e->b.kind == K_EXPERIENCE;
			st->fresh += is_new(&S, x);
		} else if (x->state == ENT_EXPIRED) {
			st->expired++;
		} else {
			st->not_yet++;
		}
	}
	int rc = -1;
	if (S.restricted && (!password || !*password)) {
		ms_diag_add(d, MS_USAGE, NULL,
		            "the portal is restricted (Restricted: yes) but no password was given");
		ent_free(&g);
		return -1;
	}
	char *css = read_style(styles, "portal.css", d);
	char *js = css ? read_style(styles, "portal.js", d) : NULL;
	S.doc = dt_doc_new();
	S.path = calloc(g.n + 1, sizeof *S.path);
	S.cpage = calloc((size_t)cty_count() + 1, sizeof *S.cpage);
	S.cpath = calloc((size_t)cty_count() + 1, sizeof *S.cpath);
	if (!css || !js)
		goto done;
	if (!S.doc || !S.path || !S.cpage || !S.cpath || name_pages(&S) < 0) {
		ms_diag_add(d, MS_ENV, NULL, "out of memory while making the portal site");
		goto done;
	}
	static const hw_link nav[] = {{"Home", "index.html"},
	                              {"Entries", "entries.html"},
	                              {"Countries", "countries.html"},
	                              {"Search", "search.html"}};
	char day[24];
	const rec_digest *f = g.form;
	hw_site hs_site = {0};
	hs_site.lang = "en";
	hs_site.name = f && f->title ? f->title : "Cooperation Portal";
	hs_site.footer = dt_printf(S.doc, "Entries valid on %s. Published by the %s.%s",
	                           val_day_long(as_of, day),
	                           f && f->issued_by ? f->issued_by : "Implementation Support Unit",
	                           S.restricted ? " Restricted to States Parties and signatories: "
	                                          "please do not pass the password on."
	                                        : "");
	hs_site.locked = "This portal is restricted. Type the password that the Implementation "
	                 "Support Unit sent to your country's contact point; it stays in this "
	                 "browser window until you close it or choose \xE2\x80\x9CLock the "
	                 "portal\xE2\x80\x9D.";
	hs_site.nav = nav;
	hs_site.nnav = 4;
	hs_site.css = css;
	hs_site.js = js;
	hs_site.password = S.restricted ? password : NULL;
	hs_site.iterations = POR_ITERATIONS;
	/* the key is derived on a second core while the pages are made */
	S.w = hw_open(&hs_site, dir, d);
	if (!S.w)
		goto done;
	home_page(&S, st);
	entries_page(&S);
	for (size_t i = 0; i < g.n && !S.failed && !S.oom; i++)
		if (published(&g.v[i]))
			entry_page(&S, i);
	countries_pages(&S, st);
	hw_page *sp = add_page(&S, "search.html", "Search", NAV_SEARCH);
	if (sp)
		sp->search = 1;
	flush_page(&S);
	if (S.oom || dt_doc_oom(S.doc))
		ms_diag_add(d, MS_ENV, NULL, "out of memory while making the portal site");
	hw_stats hs;
	rc = hw_close(S.w, !S.failed && !S.oom && !dt_doc_oom(S.doc), &hs);
	st->pages = hs.pages;
	st->files = hs.files;
	st->bytes = hs.bytes;
done:
	dt_doc_free(S.pg);
	free(css);
	free(js);
	free(S.path);
	free(S.cpage);
	free(S.cpath);
	dt_doc_free(S.doc);
	ent_free(&g);
	return rc;
}

void por_report(const por_stats *st, const char *dir, ms_buf *out)
{
	char day[16];
	ms_buf_printf(out,
	              "Portal site: %s/, %zu pages%s; %zu entries published (%zu needs, %zu "
	              "offers, %zu experiences), %zu new since %s; %zu country pages; %zu "
	              "expired and %zu not yet published entries left out\n\n",
	              dir, st->pages,
	              st->restricted ? ", encrypted (AES-256-GCM, password needed)" : ", open",
	              st->published, st->needs, st->offers, st->experiences, st->fresh,
	              val_day_iso(st->since, day), st->countries, st->expired, st->not_yet);
}
