/* templates_docx.h — the Word (.docx) template of a form kind. */
#ifndef TP_TEMPLATES_DOCX_H
#define TP_TEMPLATES_DOCX_H

#include "../model/schema.h"
#include "../util/diag.h"

/* Write DIR/<kind>.docx. Returns 0, or -1 with an MS_ENV diagnostic. */
int tpl_write_docx(const char *dir, const sch_form *f, ms_diags *d);

#endif
