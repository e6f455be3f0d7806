/* outputs.h — a document's PDF and its workbook, written side by side. */
#ifndef OUT_OUTPUTS_H
#define OUT_OUTPUTS_H

#include "../layout/layout.h"
#include "../xlsx/xw.h"

/* Writes the workbook from read-only data: the book written but not yet in
 * place (xw_write), or NULL with a diagnostic in d. */
typedef xw_book *(*out_xlsx_fn)(const void *data, const char *path, ms_diags *d);

/* A workbook being written on a second core (util/job.h) while the PDF is
 * built and laid out. */
typedef struct out_pair out_pair;

/* Starts xlsx(data, xlsx_path); data must not change until out_pair_finish.
 * Returns the pair, owned by the caller until out_pair_finish, or NULL when
 * out of memory (nothing started). */
out_pair *out_pair_start(out_xlsx_fn xlsx, const void *data, const char *xlsx_path);

/* Typesets doc to pdf (encrypted when password is not NULL), then waits for
 * the workbook. The workbook is put in place only if the PDF was: a failed
 * run leaves both earlier files and reports only why the PDF failed. The
 * workbook's diagnostics follow the PDF's, as if written one after the
 * other. doc NULL (it could not be built) or p NULL: the workbook is
 * dropped and -1 returned. Frees p. Returns 0, or -1. */
int out_pair_finish(out_pair *p, const dt_doc *doc, const ly_style *st, const char *pdf,
                    const char *password, ly_result *res, ms_diags *d);

/* out_pair_start, then out_pair_finish: the workbook and the PDF side by
 * side; -1 with a diagnostic when out of memory. */
int out_write_pair(const dt_doc *doc, const ly_style *st, const char *pdf, const char *password,
                   ly_result *res, out_xlsx_fn xlsx, const void *data, const char *xlsx_path,
                   ms_diags *d);

/* A data sheet as it prints (xw_print_setup, xw_header_footer): landscape,
 * one page wide (as many pages long as it takes), the header row (row 1)
 * repeated on every page, page numbers, and the page header and footer
 * marked with `mark` ("Restricted — ...") when it is not NULL. */
void out_sheet_print(xw_sheet *s, const char *mark);

/* A restricted workbook's note sheet: the mark in words, instead of a
 * banner row above the data (the header row stays row 1 for filters, pivot
 * tables and mail merge). */
void out_note_sheet(xw_book *b, const char *mark);

/* A contact "Name <name@x.org>" or "Name, name@x.org" split: the name (a
 * new string, or NULL when there is none) and the e-mail address (a new
 * string, or NULL). */
void out_split_contact(const char *contact, char **name, char **email);

#endif
