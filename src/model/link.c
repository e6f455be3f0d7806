/* link.c — cross-record rules after loading (see rec_set_link in record.h):
 * one Book and one Digest, portal references (rules.md 21), Status rows
 * against the Actions (rules.md 5, 25, 26). Sorting keeps it O(n log n). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/buf.h"
#include "country.h"
#include "record.h"
#include "recpriv.h"

static void one_only(rec_set *s, rec_base **v, size_t n, const char *what, ms_diags *d)
{
	rec_base *first = NULL;
	for (size_t i = 0; i < n; i++) {
		if (v[i]->rejected)
			continue;
		if (!first) {
			first = v[i];
			continue;
		}
		char where[512];
		ms_pos_format(&first->pos, where, sizeof where);
		rec_reject(s, v[i], d, &v[i]->pos,
		           "a second %s form: there is one per document (the first is %s)", what,
		           where);
	}
}

static int ref_cmp(const void *a, const void *b)
{
	const rec_entry *x = *(rec_entry *const *)a, *y = *(rec_entry *const *)b;
	int c = strcmp(x->reference, y->reference);
	return c ? c : (x->b.seq > y->b.seq) - (x->b.seq < y->b.seq);
}

/* The code of a submitter in a generated reference: a country's alpha-3
 * code, else the organisation's initials ("Mines Advisory Group" -> MAG,
 * "UNDP" -> UNDP), else ORG. */
static void submitter_code(const rec_entry *e, char *out, size_t size)
{
	snprintf(out, size, "ORG");
	if (e->submitter.country >= 0) {
		snprintf(out, size, "%s", cty_get(e->submitter.country)->alpha3);
		return;
	}
	const char *n = e->submitter.name;
	if (!n)
		return;
	char buf[8];
	size_t k = 0;
	int words = 0;
	for (const char *p = n; *p && k < 6; p++) {
		int start = p == n || p[-1] == ' ' || p[-1] == '-' || p[-1] == '(';
		if (start && *p >= 'A' && *p <= 'Z')
			buf[k++] = *p, words++;
		else if (start && *p >= 'a' && *p <= 'z' && p[1] && strncmp(p, "of ", 3) &&
		         strncmp(p, "and ", 4) && strncmp(p, "for ", 4) && strncmp(p, "the ", 4))
			buf[k++] = (char)(*p - 32), words++;
	}
	buf[k] = 0;
	if (words == 1) { /* one word: its first letters, or the acronym itself */
		size_t w = 0;
		const char *p = n;
		while (*p == ' ')
			p++;
		while (w < 6 && ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z'))) {
			buf[w++] = (char)(*p >= 'a' ? *p - 32 : *p);
			p++;
		}
		buf[w] = 0;
		if (w > 5) /* a word, not an acronym: its first three letters */
			buf[3] = 0;
		k = strlen(buf);
	}
	if (k >= 2)
		snprintf(out, size, "%s", buf);
}

typedef struct pending {
	rec_entry *e;
	char *prefix;
} pending;

static int pending_cmp(const void *a, const void *b)
{
	const pending *x = a, *y = b;
	int c = strcmp(x->prefix, y->prefix);
	return c ? c : (x->e->b.seq > y->e->b.seq) - (x->e->b.seq < y->e->b.seq);
}

/* An entry's latest date: renewed, else submitted. */
static ms_day entry_date(const rec_entry *e)
{
	return e->renewed != MS_NO_DAY && (e->submitted == MS_NO_DAY || e->renewed > e->submitted)
	           ? e->renewed
	           : e->submitted;
}

static void references(rec_set *s, ms_diags *d)
{
	/* Generated references (rules.md, Added): from what does not change
	 * once an entry is sent, never from its title: type, submitter, date
	 * submitted, then a sequence among the entries sharing those, in the
	 * order the files are read. digest.xlsx shows it, for the sender or
	 * the ISU to write into the entry. */
	pending *pv = s->nentries ? malloc(s->nentries * sizeof *pv) : NULL;
	size_t np = 0;
	for (size_t i = 0; pv && i < s->nentries; i++) {
		rec_entry *e = s->entries[i];
		if (e->reference && *e->reference)
			continue;
		char code[8];
		int y = 0, m = 0, dd = 0;
		if (e->submitted != MS_NO_DAY)
			ms_day_to_ymd(e->submitted, &y, &m, &dd);
		submitter_code(e, code, sizeof code);
		char letter = e->b.kind == K_NEED ? 'N' : e->b.kind == K_OFFER ? 'O' : 'E';
		pv[np].e = e;
		pv[np].prefix = ms_printf("%c-%04d-%s-%02d%02d", letter, y, code, m, dd);
		if (pv[np].prefix)
			np++;
	}
	if (np)
		qsort(pv, np, sizeof *pv, pending_cmp);
	for (size_t i = 0, n = 0; i < np; i++) {
		n = i && !strcmp(pv[i].prefix, pv[i - 1].prefix) ? n + 1 : 1;
		char *ref = ms_printf("%s-%zu", pv[i].prefix, n);
		pv[i].e->reference = rec_strdup(s, ref);
		pv[i].e->reference_generated = 1;
		free(ref);
	}
	for (size_t i = 0; i < np; i++)
		free(pv[i].prefix);
	free(pv);
	/* duplicates: sorted by reference then reading order */
	if (s->nentries == 0)
		return;
	rec_entry **v = malloc(s->nentries * sizeof *v);
	if (!v)
		return;
	memcpy(v, s->entries, s->nentries * sizeof *v);
	qsort(v, s->nentries, sizeof *v, ref_cmp);
	for (size_t i = 1; i < s->nentries; i++) {
		if (strcmp(v[i]->reference, v[i - 1]->reference))
			continue;
		/* the entry kept so far under this reference */
		size_t k = i - 1;
		while (k > 0 && v[k]->b.rejected && !strcmp(v[k - 1]->reference, v[i]->reference))
			k--;
		rec_entry *old = v[k], *cur = v[i];
		char where[512];
		if (old->b.file && cur->b.file && strcmp(old->b.file, cur->b.file) &&
		    !old->b.rejected) {
			/* Two files with one reference are one entry sent again: the
			 * later date wins (a renewal, a correction). */
			int cur_wins = entry_date(cur) >= entry_date(old);
			rec_entry *win = cur_wins ? cur : old, *lose = cur_wins ? old : cur;
			ms_pos_format(&win->b.pos, where, sizeof where);
			char *why = ms_printf("replaced by the entry with the same reference at %s "
			                      "(the later date wins)",
			                      where);
			lose->b.rejected = 1;
			lose->b.reason = rec_strdup(s, why ? why : "replaced");
			ms_diag_add(d, MS_WARNING, &lose->b.pos,
			            "reference '%s' is also used at %s: the two are one entry, and "
			            "the one dated later is kept",
			            cur->reference, where);
			free(why);
			if (!cur_wins) { /* keep the winner where the next duplicate looks */
				v[i] = old;
				v[k] = cur;
			}
			continue;
		}
		ms_pos_format(&old->b.pos, where, sizeof where);
		rec_reject(s, &cur->b, d, &cur->b.pos,
		           "duplicate reference '%s' (already used at %s): give each entry its own "
		           "reference, or "
		           "leave it empty to have one assigned",
		           cur->reference, where);
	}
	free(v);
}

/* Actions by normalised id, then plan. */
static int act_cmp(const void *a, const void *b)
{
	const rec_action *x = *(rec_action *const *)a, *y = *(rec_action *const *)b;
	int c = strcmp(x->action ? x->action : "", y->action ? y->action : "");
	return c ? c : strcmp(x->plan ? x->plan : "", y->plan ? y->plan : "");
}

static void statuses(rec_set *s, ms_diags *d)
{
	size_t na = 0;
	rec_action **acts = malloc((s->nactions + 1) * sizeof *acts);
	if (!acts)
		return;
	for (size_t i = 0; i < s->nactions; i++)
		if (!s->actions[i]->b.rejected && s->actions[i]->action)
			acts[na++] = s->actions[i];
	qsort(acts, na, sizeof *acts, act_cmp);
	for (size_t i = 1; i < na; i++)
		if (!act_cmp(&acts[i - 1], &acts[i]))
			rec_reject(s, &acts[i]->b, d, &acts[i]->b.pos,
			           "action %s of the %s is listed twice", acts[i]->label,
			           acts[i]->plan ? acts[i]->plan : "plan");
	for (size_t i = 0; i < s->nstatuses; i++) {
		rec_status *st = s->statuses[i];
		if (st->b.rejected || !st->action)
			continue;
		/* first action with this id */
		size_t lo = 0, hi = na;
		while (lo < hi) {
			size_t mid = (lo + hi) / 2;
			if (strcmp(acts[mid]->action, st->action) < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		size_t n = 0;
		while (lo + n < na && !strcmp(acts[lo + n]->action, st->action))
			n++;
		const rec_action *a = NULL;
		if (n == 0) {
			/* a numeric cell 4.1 that should have been 4.10 */
			char *tz = ms_printf("%s0", st->action);
			int near = 0;
			for (size_t k = 0; tz && k < na && !near; k++)
				near = !strcmp(acts[k]->action, tz);
			rec_reject(s, &st->b, d, &st->b.pos,
			           near ? "action '%s' matches no action; '%s0' exists: format the "
			                  "Action cells as "
			                  "text so Excel keeps the trailing zero"
			                : "action '%s' matches no action of the Actions table%s",
			           st->action, near ? st->action : "");
			free(tz);
			continue;
		}
		if (st->plan) {
			for (size_t k = 0; k < n && !a; k++)
				if (acts[lo + k]->plan && !strcasecmp(acts[lo + k]->plan, st->plan))
					a = acts[lo + k];
			if (!a) {
				rec_reject(s, &st->b, d, &st->b.pos,
				           "action %s is not in the plan '%s'", st->action,
				           st->plan);
				continue;
			}
		} else if (n > 1) {
			rec_reject(s, &st->b, d, &st->b.pos,
			           "action %s exists in several plans (%s, %s): add a Plan column "
			           "to say which",
			           st->action, acts[lo]->plan, acts[lo + 1]->plan);
			continue;
		} else {
			a = acts[lo];
		}
		st->act = a;
		char *key = ms_name_key(st->status ? st->status : "");
		for (size_t k = 0; key && k < a->nstatuses; k++) {
			char *sk = ms_name_key(a->statuses[k]);
			if (sk && !strcmp(sk, key))
				st->status_index = (int)k;
			free(sk);
			if (st->status_index >= 0)
				break;
		}
		free(key);
		if (st->status_index < 0) {
			ms_buf b;
			ms_buf_init(&b);
			for (size_t k = 0; k < a->nstatuses; k++)
				ms_buf_printf(&b, "%s%s", k ? "; " : "", a->statuses[k]);
			rec_reject(s, &st->b, d, &st->b.pos,
			           "status '%s' is not one of action %s's statuses: use %s",
			           st->status ? st->status : "", a->label, b.s ? b.s : "");
			ms_buf_free(&b);
		}
	}
	free(acts);
}

void rec_set_link(rec_set *s, ms_diags *d)
{
	one_only(s, (rec_base **)s->books, s->nbooks, "Book", d);
	one_only(s, (rec_base **)s->digests, s->ndigests, "Digest", d);
	references(s, d);
	statuses(s, d);
	/* reflect rejections made here in the per-file counts */
	for (size_t i = 0; i < s->nfiles; i++)
		s->files[i].nrejected = 0;
	rec_base **all[] = {
	    (rec_base **)s->contributions, (rec_base **)s->books,    (rec_base **)s->entries,
	    (rec_base **)s->digests,       (rec_base **)s->actions,  (rec_base **)s->statuses,
	    (rec_base **)s->reports,       (rec_base **)s->fundings, (rec_base **)s->papers};
	size_t ns[] = {s->ncontributions, s->nbooks,   s->nentries,  s->ndigests, s->nactions,
	               s->nstatuses,      s->nreports, s->nfundings, s->npapers};
	size_t fi = 0;
	for (size_t k = 0; k < 9; k++)
		for (size_t i = 0; i < ns[k]; i++) {
			rec_base *b = all[k][i];
			if (!b->rejected)
				continue;
			/* files are few: find the record's file by path */
			for (fi = 0; fi < s->nfiles; fi++)
				if (b->file && !strcmp(s->files[fi].path, b->file)) {
					s->files[fi].nrejected++;
					break;
				}
		}
}
