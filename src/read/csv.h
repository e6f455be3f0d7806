/* csv.h — RFC 4180 CSV reader producing a one-sheet rd_book.
 *
 * UTF-8 with or without BOM; a file that is not valid UTF-8 is decoded as
 * Windows-1252 with a warning (rules.md 7). The delimiter is chosen from the
 * header row among ',', ';' and TAB (rules.md 32). Quoted fields may span
 * lines; rd_row.line is the line where each record starts. Every field is
 * RD_TEXT (empty fields are omitted). The sheet is named after the file's
 * base name without extension.
 */
#ifndef RD_CSV_H
#define RD_CSV_H

#include "sheet.h"

rd_book *csv_read(const char *path, const rd_limits *lim, ms_diags *d);
rd_book *csv_read_mem(const char *name, const void *data, size_t len, const rd_limits *lim,
                      ms_diags *d);

#endif
