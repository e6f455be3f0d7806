/* pdf.h — the PDF back-end: a display list (layout/dlist.h) written to a
 * PDF file through libharu (its published functions: hpdf.h, and the few
 * of its installed headers listed in hpdfx.c), encrypted with AES-256 by
 * libqpdf when a password is given. */
#ifndef PDF_PDF_H
#define PDF_PDF_H

#include "../layout/dlist.h"
#include "../util/diag.h"

/* Write dl to out_path (a temporary file renamed into place); with a
 * password, the file is encrypted (AES-256, the password as the user's).
 * Consumes the pages' operations as they are written (each page's arena
 * freed, its ops NULL): the objects libharu holds until it saves then take
 * the place of words already written. 0, or -1 with diagnostics (MS_ENV:
 * fonts, disk, memory, libqpdf); a photo that cannot be read is a warning
 * and left out. */
int pdf_write(ly_dlist *dl, const char *out_path, const char *password, ms_diags *d);

#endif
