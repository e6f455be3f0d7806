/* outputs.h — a document's PDF and its workbook, written side by side. */
#ifndef OUT_OUTPUTS_H
#define OUT_OUTPUTS_H

#include "../layout/layout.h"
#include "../xlsx/xw.h"

/* Writes the workbook from read-only data: the book written but not yet in
 * place (xw_write), or NULL with a diagnostic in d. */
typedef xw_book *(*out_xlsx_fn)(const void *data, const char *path, ms_diags *d);

/* Typeset doc to pdf (encrypted when password is not NULL) while xlsx(data,
 * xlsx_path) runs on a second core (util/job.h). The workbook is put in
 * place only if the PDF was: a failed run leaves both earlier files and
 * reports only why the PDF failed. The workbook's diagnostics follow the
 * PDF's, as if written one after the other. Returns 0, or -1. */
int out_write_pair(const dt_doc *doc, const ly_style *st, const char *pdf, const char *password,
                   ly_result *res, out_xlsx_fn xlsx, const void *data, const char *xlsx_path,
                   ms_diags *d);

#endif
