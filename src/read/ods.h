/* ods.h — LibreOffice / OpenDocument spreadsheet (.ods) reader.
 *
 * Reads every table of content.xml into an rd_book (sheet.h), like the
 * XLSX reader, so a workbook saved as .ods gives the same records: typed
 * cells (float, percentage and currency as numbers, date, boolean, string),
 * several paragraphs of a cell joined by line breaks, repeated rows and
 * columns expanded within the reader limits. An encrypted .ods gets a clear
 * error; a DOCTYPE is refused.
 */
#ifndef RD_ODS_H
#define RD_ODS_H

#include "sheet.h"

rd_book *ods_read(const char *path, const rd_limits *lim, ms_diags *d);
rd_book *ods_read_mem(const char *name, const void *data, size_t len, const rd_limits *lim,
                      ms_diags *d);

#endif
