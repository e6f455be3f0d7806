/* entries.c — validity and matching of the portal's entries (entries.h).
 *
 * Validity (rules.md 18, 19): an entry ends on Valid until, else on
 * Submitted + the lifespan; a renewal extends to the later of that and
 * Renewed + the lifespan; months are calendar months, the day clamped. It is
 * valid through its end date; expiring when that date is at most Warning
 * days after the as-of date; not yet published when submitted after it.
 *
 * Matching (rules.md 22): a need and an offer match when both are valid,
 * they share an area and an assistance type, and the offer's Countries is Any
 * or includes one of the need's countries (its Countries, else its Submitter
 * when a State). Offers are indexed by area, so a need only meets the offers
 * of its own areas; ranked by shared areas + shared assistance types, then
 * the offer's later end, then Reference. Each need keeps its 25 best. */
#include "entries.h"

#include <stdlib.h>
#include <string.h>

#include "../model/country.h"
#include "../model/vocab.h"
#include "../util/buf.h"

/* Each need keeps its 25 best-ranked offers (the PDF shows 10 of them):
 * with offers open to Any country, a portal of thousands of entries has
 * hundreds of thousands of pairs, more than anyone can follow up. */
#define MATCH_KEEP ENT_MATCH_KEEP

const rec_digest *ent_digest_form(const rec_set *s)
{
	for (size_t i = 0; i < s->ndigests; i++)
		if (!s->digests[i]->b.rejected)
			return s->digests[i];
	return NULL;
}

static ms_day end_of(const rec_entry *e, int lifespan)
{
	ms_day end = e->valid_until != MS_NO_DAY ? e->valid_until
	             : e->submitted != MS_NO_DAY ? val_add_months(e->submitted, lifespan)
	                                         : MS_NO_DAY;
	if (e->renewed != MS_NO_DAY) {
		ms_day r = val_add_months(e->renewed, lifespan);
		if (end == MS_NO_DAY || r > end)
			end = r;
	}
	return end;
}

static int popcount(unsigned x)
{
	int n = 0;
	for (; x; x &= x - 1)
		n++;
	return n;
}

static unsigned area_bits(const rec_areas *a)
{
	unsigned b = 0;
	for (int i = 0; i < a->n; i++)
		b |= 1u << a->v[i];
	return b;
}

static int ent_cmp(const void *a, const void *b)
{
	const ent *x = a, *y = b;
	int ax = x->e->areas.n ? x->e->areas.v[0] : 99, ay = y->e->areas.n ? y->e->areas.v[0] : 99;
	if (ax != ay)
		return ax - ay;
	if (x->e->b.kind != y->e->b.kind)
		return (int)x->e->b.kind - (int)y->e->b.kind;
	/* ms_sort_cmp's order, with the keys folded once per entry */
	int c = ms_sort_cmp_folded(x->fsub, x->e->submitter.name, y->fsub, y->e->submitter.name);
	if (!c)
		c = ms_sort_cmp_folded(x->ftitle, x->e->title, y->ftitle, y->e->title);
	return c ? c : strcmp(x->e->reference, y->e->reference);
}

/* Does the offer's Countries admit the need? */
static int eligible(const rec_entry *need, const rec_entry *offer)
{
	if (offer->any_country)
		return 1;
	if (need->ncountries) {
		for (size_t i = 0; i < need->ncountries; i++)
			for (size_t k = 0; k < offer->ncountries; k++)
				if (need->countries[i] == offer->countries[k])
					return 1;
		return 0;
	}
	if (need->submitter.country >= 0)
		for (size_t k = 0; k < offer->ncountries; k++)
			if (offer->countries[k] == need->submitter.country)
				return 1;
	return 0;
}

typedef struct cand {
	int idx, score;
	ms_day end;
	const char *ref;
} cand;

static int cand_cmp(const void *a, const void *b)
{
	const cand *x = a, *y = b;
	if (x->score != y->score)
		return y->score - x->score;
	if (x->end != y->end)
		return x->end > y->end ? -1 : 1;
	return strcmp(x->ref, y->ref);
}

static void add_match(ent *e, int idx, int score)
{
	if (e->nmatches == e->capmatches) {
		size_t c = e->capmatches ? e->capmatches * 2 : 8;
		int *m = realloc(e->matches, c * sizeof *m);
		if (m)
			e->matches = m;
		int *s = m ? realloc(e->scores, c * sizeof *s) : NULL;
		if (!s)
			return;
		e->scores = s;
		e->capmatches = c;
	}
	e->matches[e->nmatches] = idx;
	e->scores[e->nmatches++] = score;
}

/* Keep c if it is among the best MATCH_KEEP of cs[0..*nc), which stays
 * ranked by cand_cmp: what sorting all of a need's candidates and keeping
 * the first MATCH_KEEP gives, without sorting them all (800 needs, 300
 * candidates each in the 2,000-entry digest). */
static void keep_best(cand *cs, size_t *nc, cand c)
{
	size_t n = *nc;
	if (n == MATCH_KEEP && cand_cmp(&c, &cs[n - 1]) >= 0)
		return;
	size_t lo = 0, hi = n; /* after those ranked before it or equal */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (cand_cmp(&cs[mid], &c) <= 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (n == MATCH_KEEP)
		n--;
	memmove(&cs[lo + 1], &cs[lo], (n - lo) * sizeof *cs);
	cs[lo] = c;
	*nc = n + 1;
}

static void match(ent_set *g)
{
	/* offers by area */
	int *byarea[AREA_COUNT] = {0};
	size_t nby[AREA_COUNT] = {0};
	for (size_t i = 0; i < g->n; i++) {
		const rec_entry *e = g->v[i].e;
		if (e->b.kind != K_OFFER || g->v[i].state > ENT_EXPIRING)
			continue;
		for (int a = 0; a < e->areas.n; a++) {
			int ar = e->areas.v[a];
			int *v = realloc(byarea[ar], (nby[ar] + 1) * sizeof *v);
			if (v) {
				byarea[ar] = v;
				v[nby[ar]++] = (int)i;
			}
		}
	}
	int *seen = calloc(g->n + 1, sizeof *seen);
	cand *cs = malloc(MATCH_KEEP * sizeof *cs);
	for (size_t i = 0; seen && cs && i < g->n; i++) {
		const rec_entry *need = g->v[i].e;
		if (need->b.kind != K_NEED || g->v[i].state > ENT_EXPIRING)
			continue;
		unsigned na = area_bits(&need->areas);
		size_t nc = 0;
		for (int a = 0; a < need->areas.n; a++) {
			int ar = need->areas.v[a];
			for (size_t k = 0; k < nby[ar]; k++) {
				int o = byarea[ar][k];
				if (seen[o] == (int)i + 1)
					continue;
				seen[o] = (int)i + 1;
				const rec_entry *offer = g->v[o].e;
				unsigned shared_as = need->assistance & offer->assistance;
				if (!shared_as || !eligible(need, offer))
					continue;
				int score =
				    popcount(na & area_bits(&offer->areas)) + popcount(shared_as);
				/* a shortlist: the best-ranked offers */
				keep_best(cs, &nc, (cand){o, score, g->v[o].end, offer->reference});
			}
		}
		for (size_t k = 0; k < nc; k++) {
			add_match(&g->v[i], cs[k].idx, cs[k].score);
			add_match(&g->v[cs[k].idx], (int)i, cs[k].score);
			g->nmatch_pairs++;
		}
	}
	free(seen);
	free(cs);
	for (int a = 0; a < AREA_COUNT; a++)
		free(byarea[a]);
}

void ent_free(ent_set *g)
{
	for (size_t i = 0; i < g->n; i++) {
		free(g->v[i].matches);
		free(g->v[i].scores);
		free(g->v[i].anchor);
		free(g->v[i].fsub);
		free(g->v[i].ftitle);
	}
	free(g->v);
}

int ent_compute(const rec_set *s, ms_day as_of, ent_set *g)
{
	memset(g, 0, sizeof *g);
	g->form = ent_digest_form(s);
	g->lifespan = g->form ? g->form->lifespan_months : 12;
	g->warning = g->form ? g->form->warning_days : 30;
	g->as_of = as_of;
	g->v = calloc(s->nentries + 1, sizeof *g->v);
	if (!g->v)
		return -1;
	for (size_t i = 0; i < s->nentries; i++) {
		const rec_entry *e = s->entries[i];
		if (e->b.rejected)
			continue;
		ent *x = &g->v[g->n++];
		x->e = e;
		x->end = end_of(e, g->lifespan);
		if (e->submitted != MS_NO_DAY && e->submitted > as_of)
			x->state = ENT_NOT_YET;
		else if (x->end == MS_NO_DAY || x->end < as_of)
			x->state = ENT_EXPIRED;
		else if (x->end - as_of <= g->warning)
			x->state = ENT_EXPIRING;
		else
			x->state = ENT_VALID;
		ms_buf b;
		ms_buf_init(&b);
		ms_buf_adds(&b, "e-");
		for (const char *p = e->reference; p && *p; p++)
			ms_buf_addc(&b, (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
			                        (*p >= '0' && *p <= '9')
			                    ? *p
			                    : '-');
		x->anchor = ms_buf_take(&b);
		x->fsub = ms_fold(e->submitter.name ? e->submitter.name : "");
		x->ftitle = ms_fold(e->title ? e->title : "");
	}
	qsort(g->v, g->n, sizeof *g->v, ent_cmp);
	match(g);
	return 0;
}

/* One more item of a list "a; b; c". */
static void add_item(ms_buf *b, const char *s)
{
	if (b->len)
		ms_buf_adds(b, "; ");
	ms_buf_adds(b, s);
}

char *ent_list_vocab(voc_kind k, unsigned bits)
{
	ms_buf b;
	ms_buf_init(&b);
	for (int i = 0; i < voc_size(k); i++)
		if (bits & (1u << i))
			add_item(&b, voc_label(k, i));
	return ms_buf_take(&b);
}

char *ent_list_areas(const rec_areas *a)
{
	ms_buf b;
	ms_buf_init(&b);
	for (int i = 0; i < a->n; i++)
		add_item(&b, voc_label(VOC_AREA, a->v[i]));
	return ms_buf_take(&b);
}

char *ent_list_countries(const rec_entry *e)
{
	ms_buf b;
	ms_buf_init(&b);
	if (e->any_country)
		ms_buf_adds(&b, "Any");
	for (size_t i = 0; i < e->ncountries; i++)
		add_item(&b, cty_get(e->countries[i])->name);
	return ms_buf_take(&b);
}
