/* docx.h — the Word back-end (documents.md §7): a document tree (doc/tree.h)
 * as a .docx file, for UN document processing. Written with libxml2's
 * xmlTextWriter and minizip's public zip writer; no layout is needed, the
 * pages are Word's to make.
 *
 * Paragraph styles carry the UN template's names (SingleTxtG for the text,
 * HChG, H1G, H23G for headings...); a numbered paragraph of a working paper
 * is a real Word list paragraph (numbering.xml), a footnote a real Word
 * footnote (footnotes.xml), a table a Word table (side-by-side blocks of a
 * letter without borders), a photo an inline picture with its caption as
 * alternative text, and a chart a Word table of its data under its title
 * (charts are drawn by the PDF layout only).
 *
 * The bytes depend only on the tree: every zip entry is dated 1 January
 * 1980, and the document's date is doc->created. */
#ifndef DX_DOCX_H
#define DX_DOCX_H

#include "../doc/tree.h"
#include "../util/diag.h"

/* The paper and margins, in points: the style the PDF was laid out with,
 * so that both versions are on the same paper. Different inner and outer
 * margins are mirrored, inner on the left of odd pages, as in the PDF. */
typedef struct dx_page {
	double width, height, top, bottom, inner, outer;
} dx_page;

/* Write doc to path through a temporary file renamed into place; page NULL
 * for A4 with 25 mm margins. Returns 0, or -1 with an MS_ENV diagnostic
 * (disk, memory) or an MS_ERROR one (an image that cannot be read is left
 * out with a warning instead). */
int docx_write(const dt_doc *doc, const dx_page *page, const char *path, ms_diags *d);

#endif
