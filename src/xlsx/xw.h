/* xw.h — the XLSX back-end: thin helpers over libxlsxwriter (1.1.4 and 1.2.x,
 * through its public API only) that every
 * document's workbook uses, so they all look alike: a bold frozen header row
 * with an autofilter, column widths computed from content (libxlsxwriter has
 * no autofit), real dates, right-aligned numbers, an optional banner row
 * ("Restricted — for the ISU, not for circulation"), reproducible files
 * (created date from SOURCE_DATE_EPOCH), and the temporary-file-and-rename
 * rule of cli.md. Library notes: never write a literal validation list with
 * non-ASCII items (heap overflow in 1.1.4): use list formulas on a hidden
 * sheet; sheet names <= 31 chars, no []:*?/\ ; strings <= 32,767 chars. */
#ifndef XW_XW_H
#define XW_XW_H

#include <xlsxwriter.h>

#include "../read/sheet.h"
#include "../util/diag.h"

typedef struct xw_book xw_book;
typedef struct xw_sheet xw_sheet;

/* Open a workbook that will be written to path (through a temporary file in
 * the same folder, renamed by xw_close). NULL with an MS_ENV diagnostic. */
xw_book *xw_open(const char *path, ms_diags *d);
lxw_workbook *xw_workbook(xw_book *b);
/* Title and subject in the document properties (created date as above). */
void xw_set_properties(xw_book *b, const char *title, const char *subject);

/* Add a table sheet: optional banner text in row 1 (merged, bold red), the
 * header row below it (bold, frozen, autofiltered at xw_close), widths
 * tracked. Returns a handle owned by the book, or NULL (a sheet name used
 * twice, more than 32 sheets, out of memory: xw_write then fails). */
xw_sheet *xw_add_sheet(xw_book *b, const char *name, const char *const *headers, int ncols,
                       const char *banner);
/* The same for a long sheet written strictly row after row (the cells of a
 * row in any order, never back to an earlier row). When it is the
 * workbook's first sheet, the whole workbook is written in libxlsxwriter's
 * constant-memory mode (lxw_workbook_options.constant_memory): each row
 * goes to a temporary file when the next one starts, its strings inline,
 * instead of every cell staying in memory until xw_write; every later
 * sheet of that workbook, xw_add_sheet's too, then takes its rows in order,
 * and a chart's cached values are left for the reading program to compute.
 * A cell written to an earlier row is refused: xw_write then fails. */
xw_sheet *xw_add_stream_sheet(xw_book *b, const char *name, const char *const *headers, int ncols,
                              const char *banner);
/* Kept for the builders that call it; no effect: libxlsxwriter's public
 * API shares the strings of every sheet outside constant-memory mode and
 * writes them inline in it. */
void xw_share_strings(xw_sheet *s);
lxw_worksheet *xw_ws(xw_sheet *s);
/* The first data row (0-based: 1, or 2 with a banner). */
int xw_first_row(const xw_sheet *s);

/* Cells (0-based row and column, as libxlsxwriter). Text longer than
 * 32,767 characters is cut with "…". Each call widens its column's width.
 * A NULL sheet (one xw_add_sheet could not add) is ignored: xw_write then
 * fails. */
void xw_text(xw_sheet *s, int row, int col, const char *text);
void xw_number(xw_sheet *s, int row, int col, double v);         /* #,##0.##; whole: #,##0 */
void xw_integer(xw_sheet *s, int row, int col, double v);        /* #,##0 */
void xw_percent(xw_sheet *s, int row, int col, double fraction); /* 0.0% */
void xw_date(xw_sheet *s, int row, int col, ms_day day);         /* yyyy-mm-dd; MS_NO_DAY = blank */
void xw_bool(xw_sheet *s, int row, int col, int v);              /* "yes"/"no" text */
/* Text with a fill colour ("#RRGGBB"), for status matrices. */
void xw_text_fill(xw_sheet *s, int row, int col, const char *text, const char *fill);
/* Cap a column's width (characters); wrap text beyond it. */
void xw_max_width(xw_sheet *s, int col, double chars);
/* Text wrapped in its column (beyond the cap, or holding line breaks)
 * makes its row tall enough for its lines, by the same word wrapping;
 * widths count East Asian wide characters as two. */

/* An e-mail cell: text as the sender wrote it ("Unit name
 * <unit@example.org>" or a bare address), linked to mailto: the address
 * in it; text without a plain address is written as xw_text writes it. */
void xw_email(xw_sheet *s, int row, int col, const char *text);
/* A web link: url (http or https only, else text alone) shown as text
 * (NULL: the url itself). */
void xw_url(xw_sheet *s, int row, int col, const char *url, const char *text);

/* Print setup: A4, landscape or portrait, fitted to one page wide (as
 * many pages tall as it needs), the banner and header rows repeated at the
 * top of every page. */
void xw_print_setup(xw_sheet *s, int landscape);
/* Printed header and footer, plain text (& is kept as &, line breaks
 * become spaces, cut at Excel's 255 characters): the header centred, the
 * footer on the left with "Page N of M" on the right. NULL: none (the
 * page numbers are printed all the same). */
void xw_header_footer(xw_sheet *s, const char *header, const char *footer);

/* Bold format, for totals rows. */
lxw_format *xw_bold(xw_book *b);

/* Set widths, autofilters and freeze panes, close, rename into place.
 * Frees b. Returns 0, or -1 with an MS_ENV diagnostic (disk full...).
 * xw_close is xw_write then xw_commit. */
int xw_close(xw_book *b, ms_diags *d);
/* Write the whole workbook to its temporary file, not yet in place. 0, or
 * -1 with an MS_ENV diagnostic, b freed and the temporary file removed. */
int xw_write(xw_book *b, ms_diags *d);
/* Rename a written workbook into place. Frees b. 0, or -1 (diagnostic). */
int xw_commit(xw_book *b, ms_diags *d);
/* Discard, written or not: the target is left as it was. NULL-safe. */
void xw_abort(xw_book *b);

#endif
