/* render.c — see render.h. */
#include "render.h"

#include "../pdf/pdf.h"

int doc_render_pdf(const dt_doc *doc, const ly_style *st, const char *out_path,
                   const char *password, ly_result *res, ms_diags *d)
{
	ly_dlist dl;
	int rc = ly_layout(doc, st, &dl, res, d);
	if (rc == 0)
		rc = pdf_write(&dl, out_path, password, d);
	ly_dlist_free(&dl);
	return rc;
}
