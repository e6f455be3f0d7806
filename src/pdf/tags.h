/* tags.h — the structure tree of a tagged PDF (PDF/UA-1), built from the
 * display list's marks as its pages are written. Only src/pdf/ includes
 * this. */
#ifndef PDF_TAGS_H
#define PDF_TAGS_H

#include <hpdf.h>

#include "../layout/dlist.h"
#include "update.h"

typedef struct pdf_tags pdf_tags;

/* The marked-content keys of tags_key. */
#define TAG_NONE (-3)     /* no marked content (links, destinations, lines) */
#define TAG_ARTIFACT (-2) /* page furniture */
#define TAG_LOOSE (-1)    /* content of no element: a paragraph of its own */

/* NULL when out of memory (the PDF is then untagged, never wrong). */
pdf_tags *tags_new(HPDF_Doc pdf, const ly_dlist *dl);
void tags_free(pdf_tags *t); /* NULL-safe */

/* A page begins: its /StructParents and /Tabs. */
void tags_page(pdf_tags *t, HPDF_Page page);
/* What marked content an operation belongs to: TAG_NONE, TAG_ARTIFACT,
 * TAG_LOOSE or its element. */
int tags_key(const pdf_tags *t, const ly_op *o);
/* A new marked-content identifier on this page for the element (or
 * TAG_LOOSE), recorded in the tree; *tag is the structure type to name
 * in BDC. -1 on error. */
int tags_mcid(pdf_tags *t, int key, const char **tag);
/* A link annotation on this page over the rectangle r (x0, y0, x1, y1):
 * to the top `top` of the page whose object number is dest, or (dest 0)
 * to the address uri; drawn over the words of element elem (or -1), and
 * saying contents (its /Contents, what a screen reader says of it). */
void tags_link(pdf_tags *t, const double r[4], unsigned dest, double top, const char *uri, int elem,
               const char *contents);
/* After the last page: the catalogue's /StructTreeRoot (a placeholder),
 * /MarkInfo, /Lang, XMP and DisplayDocTitle; -1 if part of the tree could
 * not be made. */
int tags_finish(pdf_tags *t, const ly_dlist *dl);
/* After libharu saved the file, as the update is appended
 * (pdfu_append_with): the structure tree and the link annotations, new
 * objects numbered from first_free (the saved file's /Size) on. -1 when
 * out of memory or first_free is 0 (the file is then whole but
 * untagged). */
int tags_update(const pdf_tags *t, unsigned first_free, pdfu_out *o);

#endif
