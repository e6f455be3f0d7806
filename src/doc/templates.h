/* templates.h — `mspdoc templates`: blank forms for every kind. */
#ifndef TP_TEMPLATES_H
#define TP_TEMPLATES_H

#include "../util/diag.h"

/* Write every template into dir (which must exist): K.md and K.xlsx for
 * each record form kind, K.docx (Word) for each Markdown kind,
 * portal-register.xlsx, progress-data.xlsx and paper.md. Returns 0, or -1 with MS_ENV diagnostics.
 */
int tpl_write_all(const char *dir, ms_diags *d);

#endif
