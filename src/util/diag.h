/* diag.h — the one error type: positioned diagnostics collected in a list.
 *
 * Library code never prints or exits. A function that can fail appends one or
 * more diagnostics to an `ms_diags` list and returns -1 (or NULL); `main.c`
 * prints the list and chooses the exit status.
 *
 * A position names where a value came from, formatted as cli.md requires:
 *   FILE:LINE            Markdown and CSV (line > 0)
 *   FILE:SHEET!CELL      spreadsheets ('Sheet name'!B7 when the name has spaces)
 *   FILE                 a whole file (line == 0 and no sheet)
 *   mspdoc               usage errors (file == NULL)
 */
#ifndef MS_DIAG_H
#define MS_DIAG_H

#include <stdarg.h>
#include <stddef.h>

typedef enum {
	MS_NOTE = 0, /* informational, report only (never printed to stderr) */
	MS_WARNING,  /* accepted but doubtful */
	MS_ERROR,    /* input rejected: exit 1 */
	MS_USAGE,    /* bad command line or missing password: exit 2 */
	MS_ENV       /* the environment failed (font, disk, memory): exit 3 */
} ms_severity;

/* A source position. `file` and `sheet` are borrowed (they must outlive every
 * diagnostic that copies the position: diagnostics copy the formatted text, so
 * in practice they only need to live for the call). Rows and columns are
 * 1-based; 0 means "not known". */
typedef struct ms_pos {
	const char *file;
	const char *sheet; /* NULL for Markdown and CSV */
	int line;          /* Markdown/CSV line, 0 = whole file */
	int row, col;      /* spreadsheet cell, 1-based */
} ms_pos;

typedef struct ms_diag {
	ms_severity sev;
	char *where; /* formatted position, owned ("" for usage) */
	char *msg;   /* owned, plain English, says what to fix */
} ms_diag;

typedef struct ms_diags {
	ms_diag *v;
	size_t n, cap;
	size_t count[5]; /* per severity */
} ms_diags;

void ms_diags_init(ms_diags *d);
void ms_diags_free(ms_diags *d); /* NULL-safe; frees the entries, not d */

/* Append a diagnostic. Formats `where` from pos (NULL pos = "mspdoc"). */
void ms_diag_add(ms_diags *d, ms_severity sev, const ms_pos *pos, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void ms_diag_vadd(ms_diags *d, ms_severity sev, const ms_pos *pos, const char *fmt, va_list ap);
/* A message longer than this is cut (on a character boundary) with "...". */
#define MS_DIAG_MAX_MSG 600

/* Move every diagnostic of from to the end of to, in order; from is left
 * empty (still initialised). An entry that cannot be moved (out of memory)
 * is dropped and counted in to as MS_ENV only, as for ms_diag_add. */
void ms_diags_move(ms_diags *to, ms_diags *from);

/* Convenience: a whole-file position. */
ms_pos ms_pos_file(const char *file);
ms_pos ms_pos_line(const char *file, int line);
ms_pos ms_pos_cell(const char *file, const char *sheet, int row, int col);

/* Format a position into buf ("FILE:SHEET!B7"); returns buf. */
char *ms_pos_format(const ms_pos *pos, char *buf, size_t size);
/* Column letters for a 1-based column: 1 -> "A", 28 -> "AB". buf >= 8. */
char *ms_col_letters(int col, char *buf);

/* One line "WHERE: error: MSG" (no newline) into a new string, owned. */
char *ms_diag_line(const ms_diag *dg);

/* Worst severity present (MS_NOTE when empty). */
ms_severity ms_diags_worst(const ms_diags *d);

#endif
