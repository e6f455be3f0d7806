/* progress.h — the progress report (documents.md §3, rules.md 25–29) and
 * the computed progress model the working papers embed (paper.h). */
#ifndef PG_PROGRESS_H
#define PG_PROGRESS_H

#include "../layout/layout.h"
#include "../model/record.h"
#include "../util/buf.h"

typedef struct prg_stats {
	size_t states, actions, status_rows, reports, funding_rows, rejected;
	char period[32], previous[32];
	int pages;
} prg_stats;

/* The computed model: periods, per-action counts then and now, moves,
 * Article 7 statuses, funding totals. Opaque; built once, used by the
 * report and by papers. */
typedef struct prg_model prg_model;

/* Compute for `period` (NULL: the latest in the data) as of `as_of`.
 * NULL with diagnostics when the period is unknown (MS_USAGE) or on OOM. */
prg_model *prg_compute(const rec_set *s, const char *period, ms_day as_of, ms_diags *d);
void prg_model_free(prg_model *m); /* NULL-safe */

/* Build PREFIX.pdf and PREFIX.xlsx. Returns 0, or -1 with diagnostics. */
int prg_build(const rec_set *s, const prg_model *m, const ly_style *st, const char *prefix,
              prg_stats *stats, ms_diags *d);
dt_doc *prg_tree(const rec_set *s, const prg_model *m, ms_diags *d);
void prg_report(const prg_stats *stats, ms_buf *out);

/* Embedding in papers: append the table or chart a ```mspdoc block asks for
 * (its text, at pos for diagnostics) to parent. Returns 0, or -1 with an
 * MS_ERROR diagnostic (unknown table, a filter matching nothing). */
int prg_embed(dt_doc *doc, dt_node *parent, const prg_model *m, const char *spec, const ms_pos *pos,
              ms_diags *d);

#endif
