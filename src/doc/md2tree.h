/* md2tree.h — Markdown (a cmark-gfm document) to the document tree. */
#ifndef DT_MD2TREE_H
#define DT_MD2TREE_H

#include <cmark-gfm.h>

#include "tree.h"

typedef struct m2t_opts {
	int head_shift;         /* '#' becomes level 1 + head_shift (capped at 4) */
	const char *para_style; /* style of body paragraphs (NULL: "body") */
} m2t_opts;

/* Append the blocks of a cmark DOCUMENT to parent. An image alone in a
 * paragraph becomes a DT_IMAGE (path = URL, caption = alt text, credit =
 * title); a block quote whose last paragraph starts with "—" or "--" gets it
 * as an "attribution" paragraph; footnote references become numbered marks
 * carrying the definition's text; a fenced code block keeps its info string
 * in node->caption (papers use "mspdoc" blocks). Returns 0, or -1 on OOM. */
int md2tree_append(dt_doc *doc, dt_node *parent, cmark_node *md, const m2t_opts *opts);

#endif
