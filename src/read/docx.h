/* docx.h — Word (.docx) forms, read into what the Markdown form reader
 * gives (forms.md §6).
 *
 * The document is turned into the Markdown form a sender would have typed
 * and parsed by mdf_parse, so that a Word contribution and its Markdown
 * original give the same fields, sections and blocks, through the same
 * caps. What is read:
 *   - fields: "Key: value" paragraphs at the top (or lines of one
 *     paragraph split by line breaks), or a two-column Field | Value table
 *     before the first heading;
 *   - headings, by style (Heading 1..9, Title) or outline level; a heading
 *     whose text is a section of the form's kind opens that section;
 *   - paragraphs with bold, italic and links (http, https, mailto);
 *     numbered and bulleted lists (nested); tables; footnotes; block quotes
 *     (Quote, Intense Quote, Block Text styles);
 *   - embedded JPEG and PNG pictures: the caption is the next paragraph
 *     when it has a Caption style or starts with "Caption:", else the
 *     picture's alternative text; "Credit:" in it starts the credit;
 *   - paragraphs in the "Template Instructions" style (mspdoc's Word
 *     templates) count as the template's instructions, not as text.
 * What is ignored, with one warning each: headers and footers, comments,
 * deleted text of tracked changes, text boxes, charts and shapes, embedded
 * objects, equations, pictures that are not JPEG or PNG, linked pictures.
 *
 * Positions: in a Word file LINE is the paragraph's number counted from
 * the top of the document (table cells' paragraphs included).
 */
#ifndef RD_DOCX_H
#define RD_DOCX_H

#include "mdform.h"

/* Is `name` a section (section = 1) or a field (0) of form kind `kind`
 * (the Form: value)? Given by the caller: the reader knows nothing of form
 * kinds. Fields let the reader split a first paragraph in which a word
 * processor ran the "Key: value" lines together ("Form: Contribution
 * Country: Lao PDR Title: ..."). */
typedef int (*docx_section_fn)(const char *kind, const char *name, int section);

typedef struct docx_form {
	mdf_form *form; /* fields and body; lines are paragraph numbers */
	int *para;      /* Markdown line (1-based index) -> paragraph number */
	size_t npara;
	char *media_dir; /* pictures written here (NULL when none); the caller
	                    removes it with docx_media_remove when done */
} docx_form;

#define DOCX_MAX_PART (64u << 20) /* inflated bytes of one part */

/* Read a .docx file. NULL with diagnostics when it cannot be read as a
 * form. */
docx_form *docx_read(const char *path, docx_section_fn is_section, ms_diags *d);
/* Same from memory; `name` is used in diagnostics. */
docx_form *docx_read_mem(const char *name, const void *data, size_t len, docx_section_fn is_section,
                         ms_diags *d);
/* Map a Markdown line of the form to its paragraph number. */
int docx_line(const docx_form *f, int md_line);
/* Frees everything but leaves media_dir on disk (the records point at it). */
void docx_free(docx_form *f);
/* Remove a media folder written by docx_read and the pictures in it. */
void docx_media_remove(const char *dir);

#endif
