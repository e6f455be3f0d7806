/* render.c — see render.h. */
#include "render.h"

#include "../docx/docx.h"
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

int doc_render_docx(const dt_doc *doc, const ly_style *st, const char *out_path, ms_diags *d)
{
	ly_paper p = ly_style_paper(st);
	dx_page page = {p.width, p.height, p.top, p.bottom, p.inner, p.outer};
	return docx_write(doc, &page, out_path, d);
}
