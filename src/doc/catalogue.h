/* catalogue.h — the catalogue of best practices and lessons learned
 * (documents.md §1, rules.md 14–17): a book from Contribution forms and one
 * Book form, and its XLSX register. */
#ifndef CT_CATALOGUE_H
#define CT_CATALOGUE_H

#include "../layout/layout.h"
#include "../model/record.h"
#include "../util/buf.h"

typedef struct cat_stats {
	size_t contributions, included, rejected, late, on_time, unknown_received, over_limit,
	    photos;
	int pages;
} cat_stats;

/* The book's document tree (rejected contributions left out). Owned by the
 * caller (dt_doc_free); NULL on out of memory. */
dt_doc *cat_tree(const rec_set *s, ms_diags *d);

/* Build PREFIX.pdf and PREFIX.xlsx. Returns 0, or -1 with diagnostics. */
int cat_build(const rec_set *s, const ly_style *st, const char *prefix, cat_stats *stats,
              ms_diags *d);

/* The catalogue part of report.txt. */
void cat_report(const cat_stats *stats, ms_buf *out);

#endif
