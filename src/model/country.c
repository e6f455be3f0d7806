/* country.c — country lookup, canonical names, regions (see country.h).
 *
 * At first use the generated rows are sorted by canonical name (rules.md
 * 10) to give ids, and every accepted spelling is folded (ms_fold: case,
 * diacritics, apostrophes; spaces collapsed; a leading "the" dropped) into
 * one sorted key table searched by bisection. */
#include "country.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "../util/buf.h"
#include "country_data.h"
#include "country_i18n.h"

typedef struct key {
	char *k;
	int id;
	int i18n; /* a name in another UN language */
} key;

static struct {
	int ready, i18n_ready;
	cty_info *info; /* by id */
	key *keys;
	size_t nkeys;
	char **folded; /* canonical name folded, by id (suggestions) */
	/* id + 1 of the first country with an alpha-2 or alpha-3 code, by the
	 * code's letters (A = 0), 0 for none */
	short by_a2[26 * 26], by_a3[26 * 26 * 26];
} T;

/* The index of a code of n upper-case letters, or -1. */
static int code_index(const char *c, size_t n)
{
	int x = 0;
	for (size_t i = 0; i < n; i++) {
		if (c[i] < 'A' || c[i] > 'Z')
			return -1;
		x = x * 26 + (c[i] - 'A');
	}
	return x;
}

/* Fold for matching: ms_fold, spaces collapsed and trimmed, "the " dropped. */
static char *fold_key(const char *s)
{
	char *f = ms_fold(s);
	if (!f)
		return NULL;
	char *w = f;
	int space = 1;
	for (char *r = f; *r; r++) {
		char c = *r == '\t' ? ' ' : *r;
		if (c == ' ') {
			if (space)
				continue;
			space = 1;
		} else {
			space = 0;
		}
		*w++ = c;
	}
	if (w > f && w[-1] == ' ')
		w--;
	*w = 0;
	if (!strncmp(f, "the ", 4))
		memmove(f, f + 4, strlen(f + 4) + 1);
	return f;
}

static int key_cmp(const void *a, const void *b)
{
	return strcmp(((const key *)a)->k, ((const key *)b)->k);
}

static char **row_folded; /* during init: each row's name folded once */

static int row_cmp(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return ms_sort_cmp_folded(row_folded[x], cty_rows[x].name, row_folded[y], cty_rows[y].name);
}

static void add_key(const char *name, int id)
{
	if (!name || !*name)
		return;
	char *k = fold_key(name);
	if (!k)
		return;
	T.keys[T.nkeys].k = k;
	T.keys[T.nkeys].id = id;
	T.nkeys++;
}

static int init(void)
{
	if (T.ready)
		return T.info ? 0 : -1;
	T.ready = 1;
	int n = cty_nrows;
	int *order = malloc((size_t)n * sizeof *order);
	int *id_of_row = malloc((size_t)n * sizeof *id_of_row);
	T.info = calloc((size_t)n, sizeof *T.info);
	T.folded = calloc((size_t)n, sizeof *T.folded);
	T.keys = calloc((size_t)(n * 4 + cty_naliases + cty_i18n_nnames), sizeof *T.keys);
	if (!order || !id_of_row || !T.info || !T.folded || !T.keys) {
		free(order);
		free(id_of_row);
		free(T.info);
		T.info = NULL;
		return -1;
	}
	row_folded = calloc((size_t)n, sizeof *row_folded);
	for (int i = 0; i < n; i++) {
		order[i] = i;
		if (row_folded)
			row_folded[i] = ms_fold(cty_rows[i].name);
	}
	if (row_folded) {
		qsort(order, (size_t)n, sizeof *order, row_cmp);
		for (int i = 0; i < n; i++)
			free(row_folded[i]);
		free(row_folded);
		row_folded = NULL;
	}
	for (int id = 0; id < n; id++) {
		const cty_row *r = &cty_rows[order[id]];
		id_of_row[order[id]] = id;
		cty_info ci = {r->name, r->alpha2, r->alpha3, r->region, r->subregion};
		T.info[id] = ci;
		T.folded[id] = fold_key(r->name);
		add_key(r->name, id);
		for (int k = 0; k < 3; k++)
			add_key(r->alt[k], id);
		int a2 = r->alpha2 && strlen(r->alpha2) == 2 ? code_index(r->alpha2, 2) : -1,
		    a3 = r->alpha3 && strlen(r->alpha3) == 3 ? code_index(r->alpha3, 3) : -1;
		if (a2 >= 0 && !T.by_a2[a2])
			T.by_a2[a2] = (short)(id + 1);
		if (a3 >= 0 && !T.by_a3[a3])
			T.by_a3[a3] = (short)(id + 1);
	}
	for (int i = 0; i < cty_naliases; i++)
		add_key(cty_aliases[i].alias, id_of_row[cty_aliases[i].row]);
	qsort(T.keys, T.nkeys, sizeof *T.keys, key_cmp);

	free(order);
	free(id_of_row);
	return 0;
}

/* Names in the other UN languages, added at the first name English does
 * not know: folding them (most are not ASCII) costs more than the rest of
 * the table together, and most runs never need them. A translation that
 * folds to a name already known (an English name, or another country's) is
 * left out, so English always wins and no spelling names two countries. */
static void init_i18n(void)
{
	if (T.i18n_ready || !T.info)
		return;
	T.i18n_ready = 1;
	size_t english = T.nkeys;
	for (int i = 0; i < cty_i18n_nnames; i++) {
		int x = code_index(cty_i18n_names[i].alpha3, 3);
		int id = x < 0 ? 0 : T.by_a3[x];
		if (!id)
			continue;
		char *k = fold_key(cty_i18n_names[i].name);
		if (!k)
			continue;
		key probe = {k, 0, 0};
		if (bsearch(&probe, T.keys, english, sizeof *T.keys, key_cmp)) {
			free(k);
			continue;
		}
		T.keys[T.nkeys].k = k;
		T.keys[T.nkeys].id = id - 1;
		T.keys[T.nkeys].i18n = 1;
		T.nkeys++;
	}
	qsort(T.keys, T.nkeys, sizeof *T.keys, key_cmp);
}

int cty_count(void)
{
	return init() == 0 ? cty_nrows : 0;
}

const cty_info *cty_get(int id)
{
	if (init() < 0 || id < 0 || id >= cty_nrows)
		return NULL;
	return &T.info[id];
}

static int all_letters(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isalpha((unsigned char)s[i]))
			return 0;
	return 1;
}

/* The names this thread looked up last, and what they gave: a progress
 * report's tables name the same 130 States tens of thousands of times,
 * and folding each name (Unicode rules) was most of a lookup. Valid while
 * the tables are as they were (i18n loaded or not). */
typedef struct cty_memo {
	char name[40]; /* trimmed, NUL-terminated; "" when free */
	int id;
	int i18n;
} cty_memo;
static _Thread_local cty_memo memo[256];

static cty_memo *memo_slot(const char *name, size_t n)
{
	uint32_t h = 2166136261u; /* FNV-1a */
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)name[i]) * 16777619u;
	return &memo[h & 255];
}

static int lookup_folded(const char *name);

int cty_lookup(const char *name)
{
	if (!name || init() < 0)
		return -1;
	size_t n = strlen(name);
	while (n && name[n - 1] == ' ')
		n--;
	while (n && *name == ' ') {
		name++;
		n--;
	}
	if (!n || n >= sizeof memo[0].name)
		return lookup_folded(name);
	cty_memo *m = memo_slot(name, n);
	if (m->i18n == T.i18n_ready && !strncmp(m->name, name, n) && !m->name[n])
		return m->id;
	int id = lookup_folded(name);
	memcpy(m->name, name, n);
	m->name[n] = 0;
	m->id = id;
	m->i18n = T.i18n_ready;
	return id;
}

/* cty_lookup without the memo (name without its trailing spaces: n). */
static int lookup_folded(const char *name)
{
	if (!name || init() < 0)
		return -1;
	char buf[8];
	size_t n = strlen(name);
	while (n && name[n - 1] == ' ')
		n--;
	if ((n == 2 || n == 3) && all_letters(name, n)) {
		for (size_t i = 0; i < n; i++)
			buf[i] = (char)toupper((unsigned char)name[i]);
		int x = code_index(buf, n);
		int id = x < 0 ? 0 : n == 2 ? T.by_a2[x] : T.by_a3[x];
		if (id)
			return id - 1;
	}
	char *k = fold_key(name);
	if (!k)
		return -1;
	key probe = {k, 0, 0};
	key *hit = bsearch(&probe, T.keys, T.nkeys, sizeof *T.keys, key_cmp);
	if (!hit && !T.i18n_ready) {
		init_i18n();
		hit = bsearch(&probe, T.keys, T.nkeys, sizeof *T.keys, key_cmp);
	}
	free(k);
	return hit ? hit->id : -1;
}

/* Levenshtein distance, bounded strings, two rows. */
static int lev(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la > 100)
		la = 100;
	if (lb > 100)
		lb = 100;
	int prev[101], cur[101];
	for (size_t j = 0; j <= lb; j++)
		prev[j] = (int)j;
	for (size_t i = 1; i <= la; i++) {
		cur[0] = (int)i;
		for (size_t j = 1; j <= lb; j++) {
			int sub = prev[j - 1] + (a[i - 1] != b[j - 1]);
			int del = prev[j] + 1, ins = cur[j - 1] + 1;
			cur[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
		}
		memcpy(prev, cur, (lb + 1) * sizeof *cur);
	}
	return prev[lb];
}

/* Best distance from the folded query to any accepted spelling of each id,
 * for distances up to `limit` (the rest stay large): a spelling whose length
 * differs by more than that is not measured. */
static void distances(const char *q, int *best, int limit, int i18n)
{
	size_t ql = strlen(q);
	for (int id = 0; id < cty_nrows; id++)
		best[id] = 1 << 20;
	for (size_t i = 0; i < T.nkeys; i++) {
		if (T.keys[i].i18n && !i18n)
			continue;
		size_t kl = strlen(T.keys[i].k);
		if ((kl > ql ? kl - ql : ql - kl) > (size_t)limit)
			continue;
		int d = lev(q, T.keys[i].k);
		if (d < best[T.keys[i].id])
			best[T.keys[i].id] = d;
	}
}

size_t cty_suggest(const char *name, int *ids, size_t max)
{
	if (!name || init() < 0 || max == 0)
		return 0;
	init_i18n();
	char *q = fold_key(name);
	int *best = malloc((size_t)cty_nrows * sizeof *best);
	size_t found = 0;
	/* a short form naming several countries ("Korea") suggests each */
	for (int i = 0; q && i < cty_nshort; i++) {
		char *k = fold_key(cty_short_forms[i].name);
		int same = k && !strcmp(k, q);
		free(k);
		for (int j = 0; same && j < 3 && found < max; j++) {
			int x = code_index(cty_short_forms[i].alpha3[j], 3);
			if (*cty_short_forms[i].alpha3[j] && x >= 0 && T.by_a3[x])
				ids[found++] = T.by_a3[x] - 1;
		}
		if (same) {
			free(q);
			free(best);
			return found;
		}
	}
	if (q && best) {
		size_t ql = strlen(q);
		int limit = ql < 8 ? 1 : ql < 16 ? 2 : 3; /* beyond that a guess misleads */
		distances(q, best, limit, 1);
		for (int d = 0; d <= limit && found < max; d++)
			for (int id = 0; id < cty_nrows && found < max; id++)
				if (best[id] == d)
					ids[found++] = id;
	}
	free(q);
	free(best);
	return found;
}

int cty_near(const char *name, int maxdist)
{
	if (!name || init() < 0)
		return -1;
	init_i18n();
	char *q = fold_key(name);
	int *best = malloc((size_t)cty_nrows * sizeof *best);
	int r = -1;
	if (q && best && strlen(q) >= 4) {
		/* English names only: short names in other languages ("Inde")
		 * would make every acronym look like a typo */
		distances(q, best, maxdist, 0);
		int bd = maxdist + 1;
		for (int id = 0; id < cty_nrows; id++)
			if (best[id] > 0 && best[id] < bd) {
				bd = best[id];
				r = id;
			}
	}
	free(q);
	free(best);
	return r;
}
