/* layout.h — the typesetter: document tree (doc/tree.h) to a display list
 * (dlist.h), pages of positioned operations that a back-end (pdf/) writes.
 *
 * One engine for every document: measuring (font/), US-English
 * hyphenation (libhyphen), total-fit line breaking, block flow, tables
 * that repeat their header, images, footnotes, page breaking with
 * widow/orphan and keep-with-next rules, running heads, page labels,
 * contents and index page numbers (in one pass, see flow.c), outline,
 * links, document info and structure marks. It knows nothing of PDF.
 *
 * Layout values come from a style file read at run time (styles/NAME.style,
 * `key = value` lines; see styles/README.md), never from the code.
 */
#ifndef LY_LAYOUT_H
#define LY_LAYOUT_H

#include "../doc/tree.h"
#include "../util/diag.h"
#include "dlist.h"

typedef struct ly_style ly_style;

/* Load a style file. Missing keys take built-in defaults; an unreadable
 * file, an unknown key or a bad value is an MS_ENV diagnostic and NULL.
 * Font paths default to Debian's fonts-liberation2 files. */
ly_style *ly_style_load(const char *path, ms_diags *d);
void ly_style_free(ly_style *st); /* NULL-safe */

/* The paper and margins a style sets, in points (inner: the left margin of
 * odd pages). */
typedef struct ly_paper {
	double width, height, top, bottom, inner, outer;
} ly_paper;
ly_paper ly_style_paper(const ly_style *st);

/* What the layout learnt: pages and where anchors landed. */
typedef struct ly_result {
	int pages;
	/* Page (1-based physical page) of an anchor id, or 0 when unknown. */
	void *priv;
} ly_result;
int ly_anchor_page(const ly_result *r, const char *id);
void ly_result_free(ly_result *r); /* frees the contents, NULL-safe */

/* Typeset doc into *out (ly_dlist_free it), and what the layout learnt
 * (anchors' pages) into res (may be NULL; ly_result_free it). The tree is
 * only read; the display list's strings may point into it, so it must
 * outlive *out. Returns 0, or -1 with diagnostics (MS_ENV for fonts,
 * memory) and *out empty. */
int ly_layout(const dt_doc *doc, const ly_style *st, ly_dlist *out, ly_result *res, ms_diags *d);
void ly_dlist_free(ly_dlist *dl); /* NULL-safe; leaves it empty */

/* The hyphenation dictionary of a style that names none. */
#define LY_DEFAULT_HYPH "/usr/share/hyphen/hyph_en_US.dic"

/* Free what the layout keeps from one document to the next (the
 * hyphenation dictionary and its words, loaded once a process). Call at
 * exit, when no document is being typeset; safe to call more than once. */
void ly_cleanup(void);

#endif
