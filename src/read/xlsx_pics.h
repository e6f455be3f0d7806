/* xlsx_pics.h — pictures pasted into a worksheet (forms.md 6): read
 * through the sheet's drawing from xl/media, written as files into a
 * folder the caller owns, so a Form sheet's photos are never dropped. */
#ifndef RD_XLSX_PICS_H
#define RD_XLSX_PICS_H

#include <stddef.h>

typedef struct xlsx_pic {
	char *path;   /* the picture written out, NULL when not JPEG or PNG */
	char *descr;  /* its alternative text (caption, "Credit: ..."), or NULL */
	int row, col; /* the cell of its top-left corner, 1-based */
} xlsx_pic;

/* The pictures of sheet `sheet` of the workbook at path, written into
 * media_dir as pictureN (N from *counter, incremented). 0 (maybe none), or
 * -1 when the workbook cannot be opened (the sheet reader says why). */
int xlsx_sheet_pictures(const char *path, const char *sheet, const char *media_dir, int *counter,
                        xlsx_pic **out, size_t *n);
void xlsx_pics_free(xlsx_pic *v, size_t n);

#endif
