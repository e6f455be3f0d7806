/* render.h — a document tree to a PDF file: the layout (layout/) makes
 * its display list, the PDF back-end (pdf/) writes it; and to a Word file
 * on the same paper (docx/). */
#ifndef DOC_RENDER_H
#define DOC_RENDER_H

#include "../layout/layout.h"
#include "tree.h"

/* Typeset doc with style st and write it to out_path (through a temporary
 * file renamed into place), encrypted with AES-256 when password is
 * non-NULL (the password as the user's). What the layout learnt (pages,
 * anchors' pages) goes to res when non-NULL (ly_result_free it). 0, or -1
 * with diagnostics (MS_ENV for fonts, disk, memory). */
int doc_render_pdf(const dt_doc *doc, const ly_style *st, const char *out_path,
                   const char *password, ly_result *res, ms_diags *d);

/* Write doc as a .docx file on the paper, with the margins, of style st
 * (docx.h). 0, or -1 with diagnostics. */
int doc_render_docx(const dt_doc *doc, const ly_style *st, const char *out_path, ms_diags *d);

#endif
