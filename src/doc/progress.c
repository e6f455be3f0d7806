/* progress.c — the progress report and the tables papers embed (see
 * progress.h; documents.md §3, rules.md 25–29).
 *
 * The model: the chosen period (--period, else the latest) and the previous
 * one (the latest before it; a year orders as its 31 December); the States
 * with a Status row in either; for each State and action the status index
 * now and before (a missing row is "No information", the last of every
 * scale); Article 7 reports as of a date; funding totals.
 *
 * Embedded blocks in papers (```mspdoc), one `key: value` a line:
 *   table: status | matrix | changes | article7 | funding
 *   chart: status | funding          (funding-by-area is accepted too)
 *   plan: NAME        actions: 63; 64     states: Chile; Peru
 *   year: 2011        by: area | donor | recipient | year   (funding)
 *   caption: TEXT
 * An unknown table, chart or key, or a filter that matches nothing, is an
 * error at the block's line.
 */
#include "progress.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../model/country.h"
#include "../model/vocab.h"
#include "../xlsx/xw.h"
#include "outputs.h"
#include "tree.h"

typedef struct act {
	const rec_action *a;
	int noinfo;      /* index of "No information" */
	int *now, *prev; /* per State: status index */
} act;

struct prg_model {
	const rec_set *s;
	ms_day as_of;
	const char *period, *previous; /* as written */
	ms_day pday, prevday;
	int *states; /* country ids, sorted by name */
	size_t nstates;
	act *acts;
	size_t nacts;
	double area_total[AREA_COUNT], total;
	int latest_year;
};

static int cmp_int(const void *a, const void *b)
{
	return (*(const int *)a > *(const int *)b) - (*(const int *)a < *(const int *)b);
}

static int state_index(const prg_model *m, int country)
{
	int *hit = bsearch(&country, m->states, m->nstates, sizeof *m->states, cmp_int);
	return hit ? (int)(hit - m->states) : -1;
}

prg_model *prg_compute(const rec_set *s, const char *period, ms_day as_of, ms_diags *d)
{
	prg_model *m = calloc(1, sizeof *m);
	if (!m)
		return NULL;
	m->s = s;
	m->as_of = as_of;
	m->pday = m->prevday = MS_NO_DAY;
	/* periods */
	for (size_t i = 0; i < s->nstatuses; i++) {
		const rec_status *st = s->statuses[i];
		if (st->b.rejected || st->period_day == MS_NO_DAY)
			continue;
		if (period ? !strcmp(st->period, period)
		           : (m->pday == MS_NO_DAY || st->period_day > m->pday)) {
			m->pday = st->period_day;
			m->period = st->period;
		}
	}
	if (period && m->pday == MS_NO_DAY && s->nstatuses) {
		ms_buf b;
		ms_buf_init(&b);
		for (size_t i = 0; i < s->nstatuses; i++)
			if (!s->statuses[i]->b.rejected && s->statuses[i]->period &&
			    (!b.s || !strstr(b.s, s->statuses[i]->period)))
				ms_buf_printf(&b, "%s%s", b.len ? ", " : "",
				              s->statuses[i]->period);
		ms_diag_add(d, MS_USAGE, NULL,
		            "--period %s: no Status rows for that period; the data has %s", period,
		            b.s ? b.s : "none");
		ms_buf_free(&b);
		free(m);
		return NULL;
	}
	/* the report speaks as of the end of its period unless --as-of says
	 * otherwise (rules.md, Added rules) */
	if (m->as_of == MS_NO_DAY)
		m->as_of = m->pday != MS_NO_DAY ? m->pday : val_today();
	for (size_t i = 0; i < s->nstatuses; i++) {
		const rec_status *st = s->statuses[i];
		if (!st->b.rejected && st->period_day != MS_NO_DAY && st->period_day < m->pday &&
		    (m->prevday == MS_NO_DAY || st->period_day > m->prevday)) {
			m->prevday = st->period_day;
			m->previous = st->period;
		}
	}
	/* States of the report: a row in either period (rules.md 27) */
	m->states = malloc((s->nstatuses + 1) * sizeof *m->states);
	for (size_t i = 0; m->states && i < s->nstatuses; i++) {
		const rec_status *st = s->statuses[i];
		if (!st->b.rejected && st->country >= 0 &&
		    (st->period_day == m->pday || st->period_day == m->prevday))
			m->states[m->nstates++] = st->country;
	}
	if (m->states) {
		qsort(m->states, m->nstates, sizeof *m->states, cmp_int);
		size_t w = 0;
		for (size_t i = 0; i < m->nstates; i++)
			if (!w || m->states[w - 1] != m->states[i])
				m->states[w++] = m->states[i];
		m->nstates = w;
	}
	m->acts = calloc(s->nactions + 1, sizeof *m->acts);
	for (size_t i = 0; m->acts && i < s->nactions; i++) {
		const rec_action *a = s->actions[i];
		if (a->b.rejected)
			continue;
		act *x = &m->acts[m->nacts++];
		x->a = a;
		x->noinfo = (int)a->nstatuses - 1;
		x->now = malloc((m->nstates + 1) * sizeof *x->now);
		x->prev = malloc((m->nstates + 1) * sizeof *x->prev);
		for (size_t k = 0; x->now && x->prev && k < m->nstates; k++)
			x->now[k] = x->prev[k] = x->noinfo;
	}
	for (size_t i = 0; m->acts && i < s->nstatuses; i++) {
		const rec_status *st = s->statuses[i];
		if (st->b.rejected || !st->act || st->status_index < 0)
			continue;
		int si = state_index(m, st->country);
		for (size_t k = 0; si >= 0 && k < m->nacts; k++)
			if (m->acts[k].a == st->act) {
				if (st->period_day == m->pday && m->acts[k].now)
					m->acts[k].now[si] = st->status_index;
				else if (st->period_day == m->prevday && m->acts[k].prev)
					m->acts[k].prev[si] = st->status_index;
			}
	}
	for (size_t i = 0; i < s->nfundings; i++) {
		const rec_funding *f = s->fundings[i];
		if (f->b.rejected || f->area < 0)
			continue;
		if (f->year > m->latest_year)
			m->latest_year = f->year;
	}
	return m;
}

void prg_model_free(prg_model *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->nacts; i++) {
		free(m->acts[i].now);
		free(m->acts[i].prev);
	}
	free(m->acts);
	free(m->states);
	free(m);
}

/* Tables ---------------------------------------------------------------------- */

static const char *const status_fill[] = {"#B7E1CD", "#FCE8B2", "#F4C7C3", "#D9D9D9",
                                          "#C9DAF8", "#EAD1DC", "#FFF2CC", "#D0E0E3"};
static const char *const status_mark[] = {"\xE2\x97\x8F", "\xE2\x97\x90", "\xE2\x97\x8B",
                                          "\xE2\x97\x86", "\xE2\x97\x87", "\xE2\x96\xA0",
                                          "\xE2\x96\xA1", "\xE2\x96\xB2"};

static const char *mark_of(const act *x, int idx)
{
	if (idx == x->noinfo)
		return "\xE2\x80\x93"; /* en dash */
	return status_mark[idx % 8];
}

static const char *fill_of(const act *x, int idx)
{
	if (idx == x->noinfo)
		return "#FFFFFF";
	return status_fill[idx % 8];
}

static int in_list(const char *list, const char *id)
{
	if (!list)
		return 1;
	char **v;
	size_t n = ms_split_semi(list, &v);
	int hit = 0;
	for (size_t i = 0; i < n && !hit; i++) {
		const char *p = v[i];
		while (*p == '#')
			p++;
		hit = !strcmp(p, id);
	}
	ms_strv_free(v, n);
	return hit;
}

typedef struct filt {
	const char *plan, *actions, *states, *by, *caption;
	int year;
} filt;

static int act_ok(const act *x, const filt *f)
{
	return (!f->plan || (x->a->plan && !strcasecmp(x->a->plan, f->plan))) &&
	       in_list(f->actions, x->a->action);
}

/* A change in a table: "+3", "−3" (a true minus), "0". */
static char *signed_text(dt_doc *doc, int v)
{
	return v > 0   ? dt_printf(doc, "+%d", v)
	       : v < 0 ? dt_printf(doc, "\xE2\x88\x92%d", -v)
	               : "0";
}

/* An action's short title: its label and first words, at most about max
 * characters, for chart bars (40) and table rows (64): "#1 Destroy
 * stockpiles of…". */
static char *short_title(dt_doc *doc, const rec_action *a, size_t max)
{
	const char *t = a->text ? a->text : "";
	size_t n = strlen(t), cut = n;
	if (n > max) {
		cut = max;
		while (cut > 20 && t[cut] != ' ')
			cut--;
		while (cut > 0 && strchr(" ,;:.", t[cut - 1]))
			cut--;
	}
	/* a sentence's last full stop is not part of a title */
	while (cut > 0 && t[cut - 1] == '.')
		cut--;
	return dt_printf(doc, "%s%s%.*s%s", a->label, *t ? " " : "", (int)cut, t,
	                 cut < n && n > max ? "\xE2\x80\xA6" : "");
}

static int same_scale(const rec_action *a, const rec_action *b)
{
	if (a->nstatuses != b->nstatuses)
		return 0;
	for (size_t k = 0; k < a->nstatuses; k++)
		if (strcasecmp(a->statuses[k], b->statuses[k]))
			return 0;
	return 1;
}

static void count_status(const prg_model *m, const act *x, int k, int *now, int *prev)
{
	*now = *prev = 0;
	for (size_t s = 0; s < m->nstates; s++) {
		*now += x->now[s] == k;
		*prev += x->prev[s] == k;
	}
}

/* One action alone: a status a row, the counts before and now, the change. */
static void action_table(dt_doc *doc, dt_node *parent, const prg_model *m, const act *x)
{
	dt_src(doc, &x->a->b.pos); /* the action's text, for a back-end's warnings */
	dt_node *t = dt_table(doc, parent, 4);
	dt_src(doc, NULL);
	t->caption =
	    dt_typo(doc, dt_printf(doc, "Action %s: %s, %s", x->a->label,
	                           x->a->text ? x->a->text : "", m->period ? m->period : ""));
	t->col_weights = dt_alloc(doc, 4 * sizeof(double));
	for (int k = 0; t->col_weights && k < 4; k++)
		t->col_weights[k] = k ? 1.0 : 3.0;
	dt_node *r = dt_row(doc, t, 1);
	dt_cell(doc, r, "Status", DT_LEFT);
	dt_cell(doc, r, m->previous ? m->previous : "Before", DT_RIGHT);
	dt_cell(doc, r, m->period ? m->period : "Now", DT_RIGHT);
	dt_cell(doc, r, "Change", DT_RIGHT);
	for (size_t k = 0; k < x->a->nstatuses; k++) {
		int now, prev;
		count_status(m, x, (int)k, &now, &prev);
		r = dt_row(doc, t, 0);
		dt_node *c =
		    dt_cell(doc, r, dt_printf(doc, "%s %s", mark_of(x, (int)k), x->a->statuses[k]),
		            DT_LEFT);
		c->fill = dt_strdup(doc, fill_of(x, (int)k));
		dt_cell(doc, r, m->previous ? dt_printf(doc, "%d", prev) : "\xE2\x80\x93",
		        DT_RIGHT);
		dt_cell(doc, r, dt_printf(doc, "%d", now), DT_RIGHT);
		dt_cell(doc, r, m->previous ? signed_text(doc, now - prev) : "\xE2\x80\x93",
		        DT_RIGHT);
	}
}

/* One compact table per status scale: an action a row, a status a column,
 * each cell the number of States now and the change since the previous
 * period. */
static void status_table(dt_doc *doc, dt_node *parent, const prg_model *m, const filt *f)
{
	char *done = calloc(m->nacts + 1, 1);
	if (!done)
		return;
	for (size_t i = 0; i < m->nacts; i++) {
		const act *x = &m->acts[i];
		if (done[i] || !act_ok(x, f))
			continue;
		size_t ns = x->a->nstatuses, same = 0;
		for (size_t j = i; j < m->nacts; j++)
			same +=
			    !done[j] && act_ok(&m->acts[j], f) && same_scale(x->a, m->acts[j].a);
		if (same == 1) { /* an action with a scale of its own */
			done[i] = 1;
			action_table(doc, parent, m, x);
			continue;
		}
		dt_node *t = dt_table(doc, parent, (int)ns + 1);
		t->caption = dt_typo(
		    doc,
		    dt_printf(doc,
		              "States by status of each action, %s (change since %s in brackets)",
		              m->period ? m->period : "",
		              m->previous ? m->previous : "the previous period"));
		t->col_weights = dt_alloc(doc, (ns + 1) * sizeof(double));
		for (size_t k = 0; t->col_weights && k <= ns; k++)
			t->col_weights[k] = k ? 1.0 : 2.6;
		dt_node *r = dt_row(doc, t, 1);
		dt_cell(doc, r, "Action", DT_LEFT);
		for (size_t k = 0; k < ns; k++) {
			dt_node *c = dt_cell(
			    doc, r, dt_printf(doc, "%s %s", mark_of(x, (int)k), x->a->statuses[k]),
			    DT_RIGHT);
			c->fill = dt_strdup(doc, fill_of(x, (int)k));
		}
		for (size_t j = i; j < m->nacts; j++) {
			const act *y = &m->acts[j];
			if (done[j] || !act_ok(y, f) || !same_scale(x->a, y->a))
				continue;
			done[j] = 1;
			r = dt_row(doc, t, 0);
			dt_cell(doc, r, short_title(doc, y->a, 64), DT_LEFT);
			for (size_t k = 0; k < ns; k++) {
				int now, prev;
				count_status(m, y, (int)k, &now, &prev);
				dt_cell(doc, r,
				        m->previous ? dt_printf(doc, "%d (%s)", now,
				                                signed_text(doc, now - prev))
				                    : dt_printf(doc, "%d", now),
				        DT_RIGHT);
			}
		}
	}
	free(done);
}

/* Forward: a better (lower) status, neither side No information. */
static void changes_table(dt_doc *doc, dt_node *parent, const prg_model *m, const filt *f)
{
	dt_node *t = dt_table(doc, parent, 5);
	t->caption = dt_printf(doc, "Changes from %s to %s", m->previous ? m->previous : "-",
	                       m->period ? m->period : "-");
	dt_node *r = dt_row(doc, t, 1);
	const char *heads[] = {"Action", "Moved forward", "Moved backward", "Newly reported",
	                       "No longer reported"};
	for (int i = 0; i < 5; i++)
		dt_cell(doc, r, heads[i], DT_LEFT);
	for (size_t i = 0; i < m->nacts; i++) {
		const act *x = &m->acts[i];
		if (!act_ok(x, f))
			continue;
		ms_buf b[4];
		for (int k = 0; k < 4; k++)
			ms_buf_init(&b[k]);
		for (size_t s = 0; s < m->nstates; s++) {
			int now = x->now[s], prev = x->prev[s], k = -1;
			if (now == prev)
				continue;
			if (prev == x->noinfo)
				k = 2;
			else if (now == x->noinfo)
				k = 3;
			else
				k = now < prev ? 0 : 1;
			ms_buf_printf(&b[k], "%s%s", b[k].len ? "; " : "",
			              cty_get(m->states[s])->name);
		}
		r = dt_row(doc, t, 0);
		dt_cell(doc, r, x->a->label, DT_LEFT);
		for (int k = 0; k < 4; k++) {
			dt_cell(doc, r, b[k].s ? b[k].s : "\xE2\x80\x93", DT_LEFT);
			ms_buf_free(&b[k]);
		}
	}
}

static const rec_action *main_scale(const prg_model *m, const filt *f);

/* One scale's marks and words, "● Completed; ◐ In progress; – No information". */
static void legend_scale(ms_buf *b, const act *x)
{
	for (size_t k = 0; k < x->a->nstatuses; k++)
		ms_buf_printf(b, "%s%s %s", k ? "; " : "", mark_of(x, (int)k), x->a->statuses[k]);
}

/* The matrix's legend, in words too (it works in black and white): in each
 * table's caption, which the layout repeats on every page. An action with
 * a scale of its own has its words there too ("#63, #64: ◆ Law adopted;
 * …"): a mark never stands for a word the page does not give. */
static char *matrix_legend(dt_doc *doc, const prg_model *m, const filt *f, const size_t *cols,
                           size_t nc)
{
	const rec_action *scale = main_scale(m, f);
	if (!scale)
		return NULL;
	ms_buf b;
	ms_buf_init(&b);
	ms_buf_adds(&b, "Marks: ");
	const act *x = NULL;
	for (size_t i = 0; i < m->nacts && !x; i++)
		if (m->acts[i].a == scale)
			x = &m->acts[i];
	if (x)
		legend_scale(&b, x);
	/* each other scale of this table's actions once, after those using it */
	for (size_t i = 0; i < nc; i++) {
		const act *y = &m->acts[cols[i]];
		if (same_scale(y->a, scale))
			continue;
		size_t j = 0;
		while (j < i && !same_scale(m->acts[cols[j]].a, y->a))
			j++;
		if (j < i)
			continue; /* listed with the first action of its scale */
		ms_buf_adds(&b, ". ");
		for (size_t k = i, nk = 0; k < nc; k++)
			if (same_scale(m->acts[cols[k]].a, y->a))
				ms_buf_printf(&b, "%s%s", nk++ ? ", " : "",
				              m->acts[cols[k]].a->label);
		ms_buf_adds(&b, ": ");
		legend_scale(&b, y);
	}
	char *r = dt_typo(doc, b.s ? b.s : "");
	ms_buf_free(&b);
	return r;
}

static void matrix_table(dt_doc *doc, dt_node *parent, const prg_model *m, const filt *f)
{
	size_t cols[16], nc = 0, last = 0;
	for (size_t i = 0; i < m->nacts; i++)
		if (act_ok(&m->acts[i], f))
			last = i;
	for (size_t i = 0; i < m->nacts; i++) {
		if (!act_ok(&m->acts[i], f))
			continue;
		cols[nc++] = i; /* the actions in the plan's order */
		if (nc == 12 || i == last) {
			dt_node *t = dt_table(doc, parent, (int)nc + 1);
			char *legend = matrix_legend(doc, m, f, cols, nc);
			t->caption = dt_printf(doc, "Status of each State, %s. %s",
			                       m->period ? m->period : "", legend ? legend : "");
			dt_node *r = dt_row(doc, t, 1);
			dt_cell(doc, r, "State", DT_LEFT);
			for (size_t k = 0; k < nc; k++)
				dt_cell(doc, r, m->acts[cols[k]].a->label, DT_CENTER);
			for (size_t s = 0; s < m->nstates; s++) {
				if (f->states && !in_list(f->states, cty_get(m->states[s])->name))
					continue;
				r = dt_row(doc, t, 0);
				dt_cell(doc, r, cty_get(m->states[s])->name, DT_LEFT);
				for (size_t k = 0; k < nc; k++) {
					const act *x = &m->acts[cols[k]];
					dt_node *c =
					    dt_cell(doc, r, mark_of(x, x->now[s]), DT_CENTER);
					c->fill = dt_strdup(doc, fill_of(x, x->now[s]));
				}
			}
			nc = 0;
		}
	}
}

static const char *report_state(const rec_report *r, ms_day as_of, int *late_days)
{
	*late_days = 0;
	if (r->submitted != MS_NO_DAY) {
		if (r->submitted <= r->due)
			return "on time";
		*late_days = (int)(r->submitted - r->due);
		return "late";
	}
	return r->due < as_of ? "overdue" : "not yet due"; /* rules.md 29 */
}

static void article7_table(dt_doc *doc, dt_node *parent, const prg_model *m, const filt *f)
{
	dt_node *t = dt_table(doc, parent, 5);
	char day[24];
	t->caption = dt_printf(doc, "Article 7 reports as of %s", val_day_long(m->as_of, day));
	dt_node *r = dt_row(doc, t, 1);
	const char *heads[] = {"State", "Report", "Due", "Submitted", "Status"};
	for (int i = 0; i < 5; i++)
		dt_cell(doc, r, heads[i], DT_LEFT);
	const rec_set *s = m->s;
	int *order = malloc((s->nreports + 1) * sizeof *order);
	size_t n = 0;
	for (size_t i = 0; order && i < s->nreports; i++)
		if (!s->reports[i]->b.rejected && s->reports[i]->country >= 0 &&
		    (!f->states || in_list(f->states, cty_get(s->reports[i]->country)->name)))
			order[n++] = (int)i;
	/* by State (ids sort by name), then due date */
	for (size_t i = 1; i < n; i++)
		for (size_t k = i; k > 0; k--) {
			const rec_report *a = s->reports[order[k - 1]], *b = s->reports[order[k]];
			if (a->country < b->country ||
			    (a->country == b->country && a->due <= b->due))
				break;
			int tmp = order[k];
			order[k] = order[k - 1];
			order[k - 1] = tmp;
		}
	int counts[4] = {0};
	for (size_t i = 0; i < n; i++) {
		const rec_report *rp = s->reports[order[i]];
		int late;
		const char *st = report_state(rp, m->as_of, &late);
		counts[!strcmp(st, "on time")   ? 0
		       : !strcmp(st, "late")    ? 1
		       : !strcmp(st, "overdue") ? 2
		                                : 3]++;
		r = dt_row(doc, t, 0);
		dt_cell(doc, r, cty_get(rp->country)->name, DT_LEFT);
		dt_cell(doc, r, rp->report, DT_LEFT);
		dt_cell(doc, r, val_day_iso(rp->due, day), DT_LEFT);
		dt_cell(doc, r,
		        rp->submitted != MS_NO_DAY ? val_day_iso(rp->submitted, day)
		                                   : "\xE2\x80\x93",
		        DT_LEFT);
		if (late) {
			char *days = val_count((size_t)late, "day", "days"); /* "1,204 days" */
			dt_cell(doc, r, dt_printf(doc, "late by %s", days ? days : ""), DT_LEFT);
			free(days);
		} else {
			dt_cell(doc, r, st, DT_LEFT);
		}
	}
	dt_para(doc, parent, "small",
	        dt_printf(doc, "Totals: %d on time, %d late, %d overdue, %d not yet due.",
	                  counts[0], counts[1], counts[2], counts[3]));
	free(order);
}

typedef struct total {
	const char *key; /* a name; for years NULL until sorted, then .year */
	double v;
	char year[16];
} total;

static const char *total_key(const total *t)
{
	return t->key ? t->key : t->year;
}

static int total_cmp(const void *a, const void *b)
{
	const total *x = a, *y = b;
	return x->v < y->v ? 1 : x->v > y->v ? -1 : ms_sort_cmp(total_key(x), total_key(y));
}

/* Totals of funding by one key; returns the number of groups. */
static size_t fund_totals(const prg_model *m, const char *by, int year, total *out, size_t max,
                          double *sum)
{
	size_t n = 0;
	*sum = 0;
	char ybuf[16];
	for (size_t i = 0; i < m->s->nfundings; i++) {
		const rec_funding *f = m->s->fundings[i];
		if (f->b.rejected || (year && f->year != year) || f->area < 0)
			continue;
		const char *key = !strcmp(by, "donor")       ? f->donor.name
		                  : !strcmp(by, "recipient") ? f->recipient.name
		                  : !strcmp(by, "year")
		                      ? (snprintf(ybuf, sizeof ybuf, "%d", f->year), ybuf)
		                      : voc_label(VOC_AREA, f->area);
		if (!key)
			continue;
		size_t k = 0;
		while (k < n && strcmp(total_key(&out[k]), key))
			k++;
		if (k == n) {
			if (n == max)
				continue;
			out[n].key = key == ybuf ? NULL : key;
			snprintf(out[n].year, sizeof out[n].year, "%s", key == ybuf ? ybuf : "");
			out[n++].v = 0;
		}
		out[k].v += f->amount;
		*sum += f->amount;
	}
	if (!strcmp(by, "year")) {
		for (size_t i = 1; i < n; i++) /* years in order */
			for (size_t k = i;
			     k > 0 && strcmp(total_key(&out[k - 1]), total_key(&out[k])) > 0; k--) {
				total t = out[k];
				out[k] = out[k - 1];
				out[k - 1] = t;
			}
	} else {
		qsort(out, n, sizeof *out, total_cmp);
	}
	for (size_t i = 0; i < n; i++) /* the array stays put from here on */
		out[i].key = total_key(&out[i]);
	return n;
}

/* The years a funding table or chart covers: "2012", "2010–2012". */
static char *years_text(const prg_model *m, int year, char *buf, size_t n)
{
	if (year) {
		snprintf(buf, n, "%d", year);
		return buf;
	}
	int y0 = 0, y1 = 0;
	for (size_t i = 0; i < m->s->nfundings; i++) {
		const rec_funding *f = m->s->fundings[i];
		if (f->b.rejected || f->area < 0 || !f->year)
			continue;
		if (!y0 || f->year < y0)
			y0 = f->year;
		if (f->year > y1)
			y1 = f->year;
	}
	if (!y0)
		snprintf(buf, n, "all years");
	else if (y0 == y1)
		snprintf(buf, n, "%d", y0);
	else
		snprintf(buf, n, "%d\xE2\x80\x93%d", y0, y1);
	return buf;
}

static char *fund_period(dt_doc *doc, const prg_model *m, int year)
{
	char buf[32];
	return dt_strdup(doc, years_text(m, year, buf, sizeof buf));
}

static void funding_table(dt_doc *doc, dt_node *parent, const prg_model *m, const filt *f)
{
	const char *by = f->by ? f->by : "area";
	total tot[256];
	double sum;
	size_t n = fund_totals(m, by, f->year, tot, 256, &sum);
	dt_node *t = dt_table(doc, parent, 3);
	t->caption = f->caption ? dt_typo(doc, f->caption)
	                        : dt_printf(doc, "Recorded funding by %s, %s (USD)", by,
	                                    fund_period(doc, m, f->year));
	dt_node *r = dt_row(doc, t, 1);
	dt_cell(doc, r,
	        by[0] == 'a'   ? "Area"
	        : by[0] == 'd' ? "Donor"
	        : by[0] == 'r' ? "Recipient"
	                       : "Year",
	        DT_LEFT);
	dt_cell(doc, r, "USD", DT_RIGHT);
	dt_cell(doc, r, "Share", DT_RIGHT);
	char pc[16];
	for (size_t i = 0; i < n; i++) {
		r = dt_row(doc, t, 0);
		dt_cell(doc, r, tot[i].key, DT_LEFT);
		char *u = val_grouped(tot[i].v, NULL);
		dt_cell(doc, r, u, DT_RIGHT);
		free(u);
		dt_cell(doc, r, val_share(sum > 0 ? tot[i].v / sum : 0, pc), DT_RIGHT);
	}
	r = dt_row(doc, t, 0);
	dt_cell(doc, r, "Total", DT_LEFT);
	char *u = val_grouped(sum, NULL);
	dt_cell(doc, r, u, DT_RIGHT);
	free(u);
	dt_cell(doc, r, "100.0%", DT_RIGHT);
}

/* The sentence a reader expects (seed 000): VA and SD's share of a year. */
static char *funding_sentence(const prg_model *m, int year)
{
	double va = 0, all = 0;
	for (size_t i = 0; i < m->s->nfundings; i++) {
		const rec_funding *f = m->s->fundings[i];
		if (f->b.rejected || f->year != year)
			continue;
		all += f->amount;
		if (f->area == AREA_VA || f->area == AREA_SD)
			va += f->amount;
	}
	if (all <= 0)
		return NULL;
	char pc[16];
	return ms_printf("Victim assistance and stockpile destruction received %s of recorded "
	                 "funding in %d.",
	                 val_share(va / all, pc), year);
}

static void funding_chart(dt_doc *doc, dt_node *parent, const prg_model *m, const filt *f)
{
	total tot[16];
	double sum;
	size_t n = fund_totals(m, "area", f->year, tot, 16, &sum);
	dt_node *c = dt_add(doc, parent, DT_CHART);
	if (!c)
		return;
	c->title =
	    dt_printf(doc, "Recorded funding by area, %s (USD)", fund_period(doc, m, f->year));
	c->horizontal = 1;
	c->categories = dt_alloc(doc, (n + 1) * sizeof *c->categories);
	c->series = dt_alloc(doc, sizeof *c->series);
	if (!c->categories || !c->series)
		return;
	c->nseries = 1;
	c->series[0].name = dt_strdup(doc, "USD");
	c->series[0].color = dt_strdup(doc, "#1F3A5F");
	c->series[0].values = dt_alloc(doc, (n + 1) * sizeof(double));
	for (size_t i = 0; i < n && c->series[0].values; i++) {
		c->categories[i] = dt_typo(doc, tot[i].key);
		c->series[0].values[i] = tot[i].v;
	}
	c->ncategories = n;
	char *all = val_grouped(sum, "USD");
	dt_para(doc, parent, "small",
	        dt_printf(doc,
	                  "The number at the end of each bar is the funding recorded for the "
	                  "area, in US dollars; all areas together received %s.",
	                  all ? all : "the total"));
	free(all);
}

/* The scale most actions use: the chart's legend speaks its words. */
static const rec_action *main_scale(const prg_model *m, const filt *f)
{
	const rec_action *best = NULL;
	size_t bestn = 0;
	for (size_t i = 0; i < m->nacts; i++) {
		if (!act_ok(&m->acts[i], f))
			continue;
		size_t n = 0;
		for (size_t j = 0; j < m->nacts; j++)
			n += act_ok(&m->acts[j], f) && same_scale(m->acts[i].a, m->acts[j].a);
		if (n > bestn) {
			bestn = n;
			best = m->acts[i].a;
		}
	}
	return best;
}

static void status_chart(dt_doc *doc, dt_node *parent, const prg_model *m, const filt *f)
{
	size_t n = 0;
	for (size_t i = 0; i < m->nacts; i++)
		n += act_ok(&m->acts[i], f);
	const rec_action *scale = main_scale(m, f);
	if (!n || !scale)
		return;
	dt_node *c = dt_add(doc, parent, DT_CHART);
	if (!c)
		return;
	c->title = dt_typo(
	    doc, dt_printf(doc, "States by status of each action, %s", m->period ? m->period : ""));
	c->horizontal = 1;
	c->stacked = 1;
	c->categories = dt_alloc(doc, n * sizeof *c->categories);
	/* one series a status, named as the scale names it: "destruction under
	 * way" is its own colour, never lumped in with "not started" */
	size_t ns = scale->nstatuses < 8 ? scale->nstatuses : 8;
	c->nseries = ns;
	c->series = dt_alloc(doc, ns * sizeof *c->series);
	if (!c->categories || !c->series)
		return;
	static const char *colors[] = {"#3C8D5A", "#9CC97A", "#E0B040", "#C0504D",
	                               "#8064A2", "#4F81BD", "#F79646", "#BBBBBB"};
	for (size_t k = 0; k < ns; k++) {
		c->series[k].name = dt_typo(doc, scale->statuses[k]);
		c->series[k].color =
		    dt_strdup(doc, k + 1 == scale->nstatuses ? "#BBBBBB" : colors[k % 7]);
		c->series[k].values = dt_alloc(doc, n * sizeof(double));
	}
	size_t j = 0, other = 0;
	for (size_t i = 0; i < m->nacts; i++) {
		const act *x = &m->acts[i];
		if (!act_ok(x, f))
			continue;
		c->categories[j] = dt_typo(doc, short_title(doc, x->a, 40));
		other += !same_scale(x->a, scale);
		for (size_t s = 0; s < m->nstates; s++) {
			int idx = x->now[s];
			/* another scale: its statuses by rank; its last is No information */
			size_t k = idx == x->noinfo       ? ns - 1
			           : (size_t)idx < ns - 1 ? (size_t)idx
			                                  : ns - 2;
			if (c->series[k].values)
				c->series[k].values[j]++;
		}
		j++;
	}
	c->ncategories = j;
	dt_para(doc, parent, "small",
	        dt_printf(doc,
	                  "Each bar is one action; the number at its end is the number of States "
	                  "in this report (%zu), each counted once under its status in %s.%s",
	                  m->nstates, m->period ? m->period : "the period",
	                  other ? " Actions with a scale of their own are shown by the rank of "
	                          "their status on that scale."
	                        : ""));
}

/* Embedding -------------------------------------------------------------------- */

int prg_embed(dt_doc *doc, dt_node *parent, const prg_model *m, const char *spec, const ms_pos *pos,
              ms_diags *d)
{
	filt f = {0};
	const char *table = NULL, *chart = NULL;
	char *copy = ms_strdup(spec ? spec : "");
	int err = 0;
	for (char *line = strtok(copy, "\n"); line && !err; line = strtok(NULL, "\n")) {
		char *colon = strchr(line, ':');
		if (!*ms_trim(line))
			continue;
		if (!colon) {
			ms_diag_add(d, MS_ERROR, pos,
			            "mspdoc block: write 'key: value' lines (table: status)");
			err = 1;
			break;
		}
		*colon = 0;
		char *k = ms_trim(line), *v = ms_trim(colon + 1);
		char *vv = dt_strdup(doc, v);
		if (!strcmp(k, "table"))
			table = vv;
		else if (!strcmp(k, "chart"))
			chart = vv;
		else if (!strcmp(k, "plan"))
			f.plan = vv;
		else if (!strcmp(k, "actions"))
			f.actions = vv;
		else if (!strcmp(k, "states"))
			f.states = vv;
		else if (!strcmp(k, "by"))
			f.by = vv;
		else if (!strcmp(k, "caption"))
			f.caption = vv;
		else if (!strcmp(k, "year"))
			f.year = atoi(v);
		else {
			ms_diag_add(d, MS_ERROR, pos,
			            "mspdoc block: unknown key '%s': use table, chart, plan, "
			            "actions, states, year, by "
			            "or caption",
			            k);
			err = 1;
		}
	}
	free(copy);
	if (err)
		return -1;
	if (!m) {
		ms_diag_add(
		    d, MS_ERROR, pos,
		    "this mspdoc block needs progress data: give it after the paper (mspdoc paper "
		    "FILE.md inputs/progress)");
		return -1;
	}
	/* filters must match something */
	size_t hits = 0;
	for (size_t i = 0; i < m->nacts; i++)
		hits += act_ok(&m->acts[i], &f);
	if ((f.plan || f.actions) && !hits) {
		ms_diag_add(d, MS_ERROR, pos,
		            "mspdoc block: actions '%s' of plan '%s' match no action",
		            f.actions ? f.actions : "(all)", f.plan ? f.plan : "(any)");
		return -1;
	}
	if (f.by && strcmp(f.by, "area") && strcmp(f.by, "donor") && strcmp(f.by, "recipient") &&
	    strcmp(f.by, "year")) {
		ms_diag_add(d, MS_ERROR, pos,
		            "mspdoc block: by: '%s': use area, donor, recipient or year", f.by);
		return -1;
	}
	if (f.year) {
		int any = 0;
		for (size_t i = 0; i < m->s->nfundings && !any; i++)
			any = m->s->fundings[i]->year == f.year;
		if (!any) {
			ms_diag_add(d, MS_ERROR, pos,
			            "mspdoc block: year %d matches no funding row", f.year);
			return -1;
		}
	}
	if (table && !strcmp(table, "status"))
		status_table(doc, parent, m, &f);
	else if (table && !strcmp(table, "matrix"))
		matrix_table(doc, parent, m, &f);
	else if (table && !strcmp(table, "changes"))
		changes_table(doc, parent, m, &f);
	else if (table && !strcmp(table, "article7"))
		article7_table(doc, parent, m, &f);
	else if (table && !strcmp(table, "funding"))
		funding_table(doc, parent, m, &f);
	else if (chart && (!strcmp(chart, "funding") || !strcmp(chart, "funding-by-area")))
		funding_chart(doc, parent, m, &f);
	else if (chart && !strcmp(chart, "status"))
		status_chart(doc, parent, m, &f);
	else {
		ms_diag_add(d, MS_ERROR, pos,
		            "mspdoc block: unknown %s '%s': use table: status, matrix, changes, "
		            "article7 or "
		            "funding, or chart: status or funding",
		            table ? "table" : "chart",
		            table   ? table
		            : chart ? chart
		                    : "(none)");
		return -1;
	}
	return 0;
}

/* The report ---------------------------------------------------------------- */

dt_doc *prg_tree(const rec_set *s, const prg_model *m, ms_diags *d)
{
	(void)s;
	(void)d;
	dt_doc *doc = dt_doc_new();
	if (!doc)
		return NULL;
	doc->title = dt_printf(doc, "Progress report, %s", m->period ? m->period : "");
	doc->subject = dt_strdup(
	    doc, "Progress in implementing the action plan: status, Article 7 reports, funding");
	doc->author = dt_strdup(doc, "Convention on Cluster Munitions");
	doc->created = m->as_of;
	dt_node *sec = dt_section(doc);
	sec->page.head_left = doc->title;
	sec->page.head_right = doc->title;
	/* a document symbol and a date, as every circulated paper has: the
	 * period names the report, the as-of date dates it */
	char day[24];
	dt_para(doc, sec, "small", "Convention on Cluster Munitions");
	dt_para(doc, sec, "report-symbol",
	        dt_printf(doc, "CCM/PR/%s", m->period ? m->period : "-"));
	dt_para(doc, sec, "report-symbol", val_day_long(m->as_of, day));
	dt_heading(doc, sec, 1, doc->title, "top", 0);
	dt_para(doc, sec, NULL,
	        dt_printf(doc,
	                  "Status of %zu States on %zu actions in %s, compared with %s; Article 7 "
	                  "reports as of %s; recorded international funding.",
	                  m->nstates, m->nacts, m->period ? m->period : "-",
	                  m->previous ? m->previous : "no earlier period",
	                  val_day_long(m->as_of, day)));
	dt_heading(doc, sec, 1, "Contents", "contents", 0);
	dt_add(doc, sec, DT_TOC)->toc_depth = 2;
	filt all = {0};
	dt_node *p = dt_section(doc);
	p->page.head_left = doc->title;
	p->page.head_level = 1;
	dt_heading(doc, p, 1, "Status by action", "status", 1);
	status_chart(doc, p, m, &all);
	status_table(doc, p, m, &all);
	p = dt_section(doc);
	p->page.head_left = doc->title;
	p->page.head_level = 1;
	dt_heading(doc, p, 1, "Changes since the last report", "changes", 1);
	changes_table(doc, p, m, &all);
	dt_heading(doc, p, 1, "States and actions", "matrix", 1);
	matrix_table(doc, p, m, &all);
	p = dt_section(doc);
	p->page.head_left = doc->title;
	p->page.head_level = 1;
	dt_heading(doc, p, 1, "Article 7 transparency reports", "article7", 1);
	article7_table(doc, p, m, &all);
	dt_heading(doc, p, 1, "International funding", "funding", 1);
	char *sent = m->latest_year ? funding_sentence(m, m->latest_year) : NULL;
	if (sent) {
		dt_para(doc, p, NULL, sent);
		free(sent);
	}
	funding_chart(doc, p, m, &all);
	static const char *bys[] = {"area", "donor", "recipient", "year"};
	for (int i = 0; i < 4; i++) {
		filt f = {0};
		f.by = bys[i];
		funding_table(doc, p, m, &f);
	}
	return doc;
}

/* The status of every action as a native chart: a sheet of counts (an
 * action a row, a status of the main scale a column) and a stacked bar
 * chart of it. */
static void status_chart_sheet(xw_book *b, const prg_model *m)
{
	filt all = {0};
	const rec_action *scale = main_scale(m, &all);
	if (!scale || !m->nacts)
		return;
	size_t ns = scale->nstatuses < 12 ? scale->nstatuses : 12;
	const char *h[14];
	h[0] = "Action";
	for (size_t k = 0; k < ns; k++)
		h[k + 1] = scale->statuses[k];
	xw_sheet *s = xw_add_sheet(b, "Status chart", h, (int)ns + 1, NULL);
	if (!s)
		return;
	xw_max_width(s, 0, 50);
	out_sheet_print(s, NULL);
	int first = xw_first_row(s), row = first;
	for (size_t i = 0; i < m->nacts; i++, row++) {
		const act *x = &m->acts[i];
		dt_doc *tmp = dt_doc_new(); /* short_title writes in a tree's arena */
		xw_text(s, row, 0, tmp ? short_title(tmp, x->a, 64) : x->a->label);
		dt_doc_free(tmp);
		double c[12] = {0};
		for (size_t st = 0; st < m->nstates; st++) {
			int idx = x->now[st];
			size_t k = idx == x->noinfo       ? ns - 1
			           : (size_t)idx < ns - 1 ? (size_t)idx
			                                  : ns - 2;
			c[k]++;
		}
		for (size_t k = 0; k < ns; k++)
			xw_integer(s, row, (int)k + 1, c[k]);
	}
	lxw_chart *chart = workbook_add_chart(xw_workbook(b), LXW_CHART_BAR_STACKED);
	if (!chart)
		return;
	static const char *colors[] = {"3C8D5A", "9CC97A", "E0B040", "C0504D",
	                               "8064A2", "4F81BD", "F79646"};
	for (size_t k = 0; k < ns; k++) {
		lxw_chart_series *ser = chart_add_series(chart, NULL, NULL);
		if (!ser)
			continue;
		chart_series_set_categories(ser, "Status chart", (lxw_row_t)first, 0,
		                            (lxw_row_t)(row - 1), 0);
		chart_series_set_values(ser, "Status chart", (lxw_row_t)first, (lxw_col_t)(k + 1),
		                        (lxw_row_t)(row - 1), (lxw_col_t)(k + 1));
		chart_series_set_name_range(ser, "Status chart", 0, (lxw_col_t)(k + 1));
		lxw_chart_fill fill = {
		    .color = (lxw_color_t)strtol(k + 1 == ns ? "BBBBBB" : colors[k % 7], NULL, 16)};
		chart_series_set_fill(ser, &fill);
	}
	char title[96];
	snprintf(title, sizeof title, "States by status of each action, %s",
	         m->period ? m->period : "");
	chart_title_set_name(chart, title);
	chart_axis_set_reverse(chart->y_axis);
	chart_legend_set_position(chart, LXW_CHART_LEGEND_BOTTOM);
	lxw_chart_options opt = {.x_offset = 10,
	                         .y_offset = 10,
	                         .x_scale = 1.6,
	                         .y_scale = 0.5 + 0.1 * (double)m->nacts};
	worksheet_insert_chart_opt(xw_ws(s), 0, (lxw_col_t)(ns + 2), chart, &opt);
}

/* The data workbook, written but not yet in place (xw_write): NULL with a
 * diagnostic on failure. */
static xw_book *write_xlsx(const void *data, const char *path, ms_diags *d)
{
	const prg_model *m = data;
	xw_book *b = xw_open(path, d);
	if (!b)
		return NULL;
	xw_set_properties(b, "Progress report data", "Status, changes, Article 7 reports, funding");
	static const char *sh[] = {"Plan", "Action", "Text", "Status", "Previous", "Now", "Change"};
	xw_sheet *sum = xw_add_sheet(b, "Summary", sh, 7, NULL);
	xw_max_width(sum, 2, 50);
	out_sheet_print(sum, NULL);
	int row = xw_first_row(sum);
	for (size_t i = 0; i < m->nacts; i++) {
		const act *x = &m->acts[i];
		for (size_t k = 0; k < x->a->nstatuses; k++, row++) {
			int now = 0, prev = 0;
			for (size_t s = 0; s < m->nstates; s++) {
				now += x->now[s] == (int)k;
				prev += x->prev[s] == (int)k;
			}
			xw_text(sum, row, 0, x->a->plan);
			xw_text(sum, row, 1, x->a->label);
			xw_text(sum, row, 2, x->a->text);
			xw_text(sum, row, 3, x->a->statuses[k]);
			xw_integer(sum, row, 4, prev);
			xw_integer(sum, row, 5, now);
			xw_integer(sum, row, 6, now - prev);
		}
	}
	const char *mh[64];
	mh[0] = "State";
	size_t na = m->nacts < 63 ? m->nacts : 63;
	for (size_t i = 0; i < na; i++)
		mh[i + 1] = m->acts[i].a->label;
	xw_sheet *mx = xw_add_sheet(b, "Matrix", mh, (int)na + 1, NULL);
	out_sheet_print(mx, NULL);
	row = xw_first_row(mx);
	for (size_t s = 0; s < m->nstates; s++, row++) {
		xw_text(mx, row, 0, cty_get(m->states[s])->name);
		for (size_t i = 0; i < na; i++) {
			const act *x = &m->acts[i];
			xw_text_fill(mx, row, (int)i + 1, x->a->statuses[x->now[s]],
			             fill_of(x, x->now[s]));
		}
	}
	worksheet_freeze_panes(xw_ws(mx), 1, 1);
	static const char *ch[] = {"Action", "State", "Previous", "Now", "Change"};
	xw_sheet *cs = xw_add_sheet(b, "Changes", ch, 5, NULL);
	out_sheet_print(cs, NULL);
	row = xw_first_row(cs);
	for (size_t i = 0; i < m->nacts; i++) {
		const act *x = &m->acts[i];
		for (size_t s = 0; s < m->nstates; s++) {
			int now = x->now[s], prev = x->prev[s];
			if (now == prev)
				continue;
			xw_text(cs, row, 0, x->a->label);
			xw_text(cs, row, 1, cty_get(m->states[s])->name);
			xw_text(cs, row, 2, x->a->statuses[prev]);
			xw_text(cs, row, 3, x->a->statuses[now]);
			xw_text(cs, row, 4,
			        prev == x->noinfo  ? "newly reported"
			        : now == x->noinfo ? "no longer reported"
			        : now < prev       ? "forward"
			                           : "backward");
			row++;
		}
	}
	static const char *rh[] = {"State", "Report", "Due", "Submitted", "Status", "Days late"};
	xw_sheet *rs = xw_add_sheet(b, "Reports", rh, 6, NULL);
	out_sheet_print(rs, NULL);
	row = xw_first_row(rs);
	for (size_t i = 0; i < m->s->nreports; i++) {
		const rec_report *r = m->s->reports[i];
		if (r->b.rejected || r->country < 0)
			continue;
		int late;
		xw_text(rs, row, 0, cty_get(r->country)->name);
		xw_text(rs, row, 1, r->report);
		xw_date(rs, row, 2, r->due);
		xw_date(rs, row, 3, r->submitted);
		xw_text(rs, row, 4, report_state(r, m->as_of, &late));
		if (late)
			xw_integer(rs, row, 5, late);
		row++;
	}
	static const char *fh[] = {"By", "Key", "USD", "Share"};
	xw_sheet *fs = xw_add_sheet(b, "Funding", fh, 4, NULL);
	out_sheet_print(fs, NULL);
	row = xw_first_row(fs);
	static const char *bys[] = {"area", "donor", "recipient", "year"};
	int area_first = row, area_last = row;
	for (int k = 0; k < 4; k++) {
		total tot[256];
		double sumv;
		size_t n = fund_totals(m, bys[k], 0, tot, 256, &sumv);
		for (size_t i = 0; i < n; i++, row++) {
			xw_text(fs, row, 0, bys[k]);
			xw_text(fs, row, 1, tot[i].key);
			if (tot[i].v == (double)(long long)tot[i].v)
				xw_integer(fs, row, 2, tot[i].v); /* #,##0: never "95,000." */
			else
				xw_number(fs, row, 2, tot[i].v);
			xw_percent(fs, row, 3, sumv > 0 ? tot[i].v / sumv : 0);
		}
		if (k == 0)
			area_last = row - 1;
	}
	lxw_chart *chart = workbook_add_chart(xw_workbook(b), LXW_CHART_BAR);
	lxw_chart_series *ser = chart ? chart_add_series(chart, NULL, NULL) : NULL;
	if (ser && area_last >= area_first) {
		chart_series_set_categories(ser, "Funding", (lxw_row_t)area_first, 1,
		                            (lxw_row_t)area_last, 1);
		chart_series_set_values(ser, "Funding", (lxw_row_t)area_first, 2,
		                        (lxw_row_t)area_last, 2);
		char yb[32], title[96];
		snprintf(title, sizeof title, "Recorded funding by area, %s (USD)",
		         years_text(m, 0, yb, sizeof yb));
		chart_title_set_name(chart, title);
		chart_legend_set_position(chart, LXW_CHART_LEGEND_NONE);
		worksheet_insert_chart(xw_ws(fs), 1, 6, chart);
	}
	status_chart_sheet(b, m);
	return xw_write(b, d) < 0 ? NULL : b;
}

int prg_build(const rec_set *s, const prg_model *m, const ly_style *st, const char *prefix,
              prg_stats *stats, ms_diags *d)
{
	memset(stats, 0, sizeof *stats);
	stats->states = m->nstates;
	stats->actions = m->nacts;
	stats->status_rows = s->nstatuses;
	stats->reports = s->nreports;
	stats->funding_rows = s->nfundings;
	snprintf(stats->period, sizeof stats->period, "%s", m->period ? m->period : "-");
	snprintf(stats->previous, sizeof stats->previous, "%s", m->previous ? m->previous : "-");
	dt_doc *doc = prg_tree(s, m, d);
	char *pdf = ms_printf("%s.pdf", prefix), *xlsx = ms_printf("%s.xlsx", prefix);
	ly_result res = {0};
	int rc = doc && pdf && xlsx
	             ? out_write_pair(doc, st, pdf, NULL, &res, write_xlsx, m, xlsx, d)
	             : -1;
	stats->pages = res.pages;
	ly_result_free(&res);
	dt_doc_free(doc);
	free(pdf);
	free(xlsx);
	return rc;
}

void prg_report(const prg_stats *st, ms_buf *out)
{
	ms_buf_printf(
	    out,
	    "Progress report: progress.pdf, %d pages; period %s compared with %s; %zu States, %zu "
	    "actions; %zu status rows, %zu Article 7 reports, %zu funding rows read\n\n",
	    st->pages, st->period, st->previous, st->states, st->actions, st->status_rows,
	    st->reports, st->funding_rows);
}
