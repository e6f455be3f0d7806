/* outputs.c — see outputs.h. */
#include "outputs.h"

#include "../util/job.h"

typedef struct xlsx_job {
	out_xlsx_fn fn;
	const void *data;
	const char *path;
	xw_book *book; /* out */
	ms_diags d;    /* the job's own: nothing is shared but read-only data */
} xlsx_job;

static int run(void *p)
{
	xlsx_job *j = p;
	j->book = j->fn(j->data, j->path, &j->d);
	return j->book ? 0 : -1;
}

int out_write_pair(const dt_doc *doc, const ly_style *st, const char *pdf, const char *password,
                   ly_result *res, out_xlsx_fn xlsx, const void *data, const char *xlsx_path,
                   ms_diags *d)
{
	xlsx_job xj = {.fn = xlsx, .data = data, .path = xlsx_path};
	ms_diags_init(&xj.d);
	ms_job job;
	ms_job_start(&job, run, &xj);
	int rc = ly_render_pdf(doc, st, pdf, password, res, d);
	ms_job_join(&job);
	if (rc == 0) {
		ms_diags_move(d, &xj.d);
		rc = xj.book ? xw_commit(xj.book, d) : -1;
	} else {
		xw_abort(xj.book);
	}
	ms_diags_free(&xj.d);
	return rc;
}
