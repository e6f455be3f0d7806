/* xlsx.h — streaming XLSX reader (minizip + libxml2 SAX2).
 *
 * Reads every worksheet of a workbook into an rd_book (sheet.h). Hostile
 * input is expected: zip caps counted while inflating, CRC checked, no DTD,
 * no entities, no network, any DOCTYPE rejected. Encrypted (OLE2) and legacy
 * .xls files get a clear error. Whole-file failures add one "FILE: error:"
 * diagnostic and return NULL.
 */
#ifndef RD_XLSX_H
#define RD_XLSX_H

#include "sheet.h"

/* Returns an owned book (free with rd_book_free) or NULL with diagnostics.
 * lim may be NULL for rd_limits_default(). */
rd_book *xlsx_read(const char *path, const rd_limits *lim, ms_diags *d);
/* Same from memory; `name` is used in diagnostics (fuzzing, tests). */
rd_book *xlsx_read_mem(const char *name, const void *data, size_t len, const rd_limits *lim,
                       ms_diags *d);

#endif
