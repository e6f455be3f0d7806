/* letter.h — the co-chairs', coordinators' and President's letters
 * (documents.md §6): one letter from a Letter form, or one per mission of a
 * recipients list (mail merge), as PDF and Word. */
#ifndef LT_LETTER_H
#define LT_LETTER_H

#include "../layout/layout.h"
#include "../model/record.h"
#include "../util/buf.h"

/* The tree of one letter, addressed as its form says (to == NULL) or to one
 * mission of a recipients list. Owned; NULL when out of memory. */
dt_doc *let_tree(const rec_letter *l, const rec_recipient *to);

/* What a run wrote, for the report. */
typedef struct let_stats {
	int pages;        /* the letter as its form addresses it */
	size_t merged;    /* letters written for missions */
	int merged_pages; /* pages of the combined PDF */
} let_stats;

/* Write outdir/NAME.pdf and NAME.docx; with recipients (n > 0, rejected
 * rows skipped), also outdir/NAME/MISSION.pdf and .docx for each mission,
 * outdir/NAME-all.pdf (every mission's letter, each numbered from 1) and
 * outdir/NAME-register.xlsx (who receives what, with the e-mails).
 * Returns 0, or -1 with diagnostics. */
int let_build(const rec_letter *l, rec_recipient *const *rcp, size_t n, const ly_style *st,
              const char *outdir, let_stats *stats, ms_diags *d);

/* A report paragraph of what let_build wrote. */
void let_report(const rec_letter *l, const let_stats *s, const char *outdir, ms_buf *out);

/* The file name a mission's letter takes: its name in ASCII letters, digits
 * and '-' (diacritics dropped), never empty, never a path. Owned. */
char *let_file_name(const char *mission);

#endif
