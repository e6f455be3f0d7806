/* render.c — see render.h. */
#include "render.h"

#include <stdlib.h>

#include "../pdf/pdf.h"

/* The photos of the tree, in document order (caller frees the array). */
static const char **photos(const dt_doc *doc, size_t *n)
{
	size_t cap = 16;
	const char **v = malloc(cap * sizeof *v);
	*n = 0;
	const dt_node *x = doc->root ? doc->root->first : NULL;
	while (v && x) {
		if (x->type == DT_IMAGE && x->path) {
			if (*n == cap) {
				const char **w = realloc(v, (cap *= 2) * sizeof *v);
				if (!w)
					break;
				v = w;
			}
			v[(*n)++] = x->path;
		}
		if (x->first && x->type != DT_TABLE && x->type != DT_IMAGE)
			x = x->first;
		else {
			while (x && !x->next)
				x = x->parent;
			x = x ? x->next : NULL;
		}
	}
	return v;
}

int doc_render_pdf(const dt_doc *doc, const ly_style *st, const char *out_path,
                   const char *password, ly_result *res, ms_diags *d)
{
	/* the photos are checked on a second core while the layout runs */
	size_t n = 0;
	const char **paths = photos(doc, &n);
	pdf_photos *ph = n ? pdf_photos_start(paths, n) : NULL;
	free(paths);
	ly_dlist dl;
	int rc = ly_layout(doc, st, &dl, res, d);
	if (rc == 0)
		rc = pdf_write(&dl, ph, out_path, password, d);
	ly_dlist_free(&dl);
	pdf_photos_free(ph);
	return rc;
}
