/* mdform.h — the Markdown form reader (forms.md §2).
 *
 * A form is a metadata block of `Key: value` lines (optionally between `---`
 * lines) up to the first blank line, then a CommonMark body (cmark-gfm with
 * pipe tables, strikethrough, autolinks and footnotes). The reader knows
 * nothing of form kinds: it returns the fields in order and the parsed body;
 * mdf_sections() splits the body by the level-2 headings a kind names.
 *
 * Limits: input size (default 4 MiB) and block nesting depth (default 32
 * levels of lists/quotes) are checked before cmark sees the text, because
 * cmark-gfm 0.29 has known quadratic inputs. Invalid UTF-8 or NUL bytes are
 * an error (rules.md 7).
 */
#ifndef RD_MDFORM_H
#define RD_MDFORM_H

#include <cmark-gfm.h>
#include <stddef.h>

#include "../util/diag.h"

typedef struct mdf_field {
	char *key;   /* as written, trimmed */
	char *value; /* continuation lines joined with one space (rules.md 2) */
	int line;    /* 1-based line of the key */
} mdf_field;

typedef struct mdf_form {
	char *path;
	mdf_field *fields;
	size_t nfields;
	cmark_node *doc; /* the body (CMARK_NODE_DOCUMENT), owned */
	int body_line;   /* file line of the body's first line (for positions) */
} mdf_form;

#define MDF_MAX_BYTES (4u << 20)
#define MDF_MAX_DEPTH 32

/* Read a file. NULL with diagnostics when unreadable or not a form. */
mdf_form *mdf_read(const char *path, ms_diags *d);
/* Parse from memory; `path` is copied and used in diagnostics. */
mdf_form *mdf_parse(const char *path, const char *text, size_t len, ms_diags *d);
void mdf_free(mdf_form *f); /* NULL-safe */

/* UTF-16 text with a byte order mark as UTF-8 (owned, *out_len bytes).
 * *is16 says whether the text starts with a UTF-16 BOM; NULL when it does
 * not, or when the UTF-16 is damaged (odd length, lone surrogate). */
char *mdf_from_utf16(const char *text, size_t len, size_t *out_len, int *is16);

/* 1 when the text starts with a metadata block whose first key is `Form`. */
int mdf_has_form_key(const char *text, size_t len);

/* Parse Markdown text (e.g. an XLSX cell) into an owned document node using
 * the same extensions and caps; NULL with a diagnostic at pos when refused. */
cmark_node *mdf_parse_markdown(const char *text, size_t len, const ms_pos *pos, ms_diags *d);

/* Split f->doc into sections. names[0..n) are the kind's section names
 * (matched by ms_name_key). On return out[i] is a new owned DOCUMENT node with
 * the blocks of section i (NULL when the section is absent) and lines[i] its
 * heading line (0 if absent). Text before the first section heading goes to
 * section 0; a repeated heading appends (rules.md 3). f->doc is emptied. */
void mdf_sections(mdf_form *f, const char *const *names, size_t n, cmark_node **out, int *lines);

/* 1 when a link's target may become a link in a document: http, https or
 * mailto, no blank or control character, at most MDF_MAX_URL bytes
 * (quality.md). Anything else (javascript:, file:, data:, empty) is text. */
#define MDF_MAX_URL 2000
int mdf_link_allowed(const char *url);

/* Plain text of a node's inlines (for titles, captions). Owned. */
char *mdf_plain_text(cmark_node *node);

#endif
