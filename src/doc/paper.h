/* paper.h — UN working papers (documents.md §4, rules.md 30). */
#ifndef PP_PAPER_H
#define PP_PAPER_H

#include "../layout/layout.h"
#include "../model/record.h"
#include "progress.h"

/* The tree of one paper; m may be NULL when no progress data was given (a
 * ```mspdoc block is then an error). Owned; NULL on failure. */
dt_doc *pap_tree(const rec_paper *p, const prg_model *m, ms_diags *d);
/* Typeset one paper to out_pdf. Returns 0, or -1 with diagnostics. */
int pap_build(const rec_paper *p, const prg_model *m, const ly_style *st, const char *out_pdf,
              int *pages, ms_diags *d);

#endif
