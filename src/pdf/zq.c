/* zq.c — see zq.h. */
#include "zq.h"

#include <hpdf_pages.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../util/job.h"
#include "content.h"

/* libharu deflates every stream at zlib's default level and offers no other
 * (hpdf_streams.c, through 4 KiB buffers). This replacement (the hook
 * below) compresses each stream whole with libdeflate at PDF_DEFLATE_LEVEL:
 * the same zlib format, in less than half of zlib's time at its level 1,
 * and smaller (the 2,000-entry digest's page contents: 3.13 MB in 49 ms,
 * zlib level 1: 3.53 MB in 112 ms). */
#define PDF_DEFLATE_LEVEL 1

/* in[0..n) as a zlib stream, in a new buffer (*out, *nout, the caller's);
 * c is the calling thread's compressor. 0, or -1 out of memory. */
static int zcompress(struct libdeflate_compressor *c, const unsigned char *in, size_t n,
                     unsigned char **out, size_t *nout)
{
	size_t bound = c ? libdeflate_zlib_compress_bound(c, n) : 0;
	unsigned char *o = c ? malloc(bound) : NULL;
	size_t got = o ? libdeflate_zlib_compress(c, in, n, o, bound) : 0;
	if (!got) { /* never with a bound's room */
		free(o);
		return -1;
	}
	/* the bound is about the input's size, four times the output's: give
	 * back the rest, a page's contents wait in memory until saving */
	unsigned char *fit = realloc(o, got);
	*out = fit ? fit : o;
	*nout = got;
	return 0;
}

static const zq *saving; /* during HPDF_Save*: the one document being saved */

void zq_saving(const zq *q)
{
	saving = q;
}

static void zdeflate(ztask *k, struct libdeflate_compressor *c)
{
	if (zcompress(c, k->raw, k->nraw, &k->out, &k->nout) == 0) {
		free(k->raw);
		k->raw = NULL;
	}
}

/* A task's work: a page made into its content (detached), then deflated;
 * a page that cannot be made is left with neither raw nor out. */
static void zrun(zq *q, ztask *k, struct libdeflate_compressor *c)
{
	if (k->page >= 0) {
		pdfc w;
		memset(&w, 0, sizeof w);
		w.fonts = q->fonts;
		if (pdfc_page(&w, k->ops) == 0 && w.b.len) {
			k->raw = (unsigned char *)w.b.s;
			k->nraw = w.b.len;
			ms_buf_init(&w.b); /* the task has the bytes */
			memcpy(k->order, w.order, sizeof k->order);
			k->nfaces = w.nfaces;
		}
		pdfc_free(&w);
		if (!k->raw)
			return;
	}
	zdeflate(k, c);
}

/* The next task waiting, or NULL. Called with q->m held. */
static ztask *znext(zq *q)
{
	while (q->next < q->n && q->v[q->next]->state != ZQ_WAITING)
		q->next++;
	return q->next < q->n ? q->v[q->next++] : NULL;
}

/* Run k here. Called and returns with q->m held. */
static void zdo(zq *q, ztask *k, struct libdeflate_compressor *c)
{
	k->state = ZQ_RUNNING;
	q->busy++;
	pthread_mutex_unlock(&q->m);
	zrun(q, k, c);
	pthread_mutex_lock(&q->m);
	q->busy--;
	k->state = ZQ_DONE;
	pthread_cond_broadcast(&q->c);
}

/* Run the queued tasks until the queue is closed (worker) or, with
 * until_empty, until none is waiting (the caller helping at the end).
 * Called and returns with q->m held. */
static void zdrain(zq *q, struct libdeflate_compressor *c, int until_empty)
{
	for (;;) {
		ztask *k = znext(q);
		if (!k) {
			if (q->closing || until_empty)
				return;
			pthread_cond_wait(&q->c, &q->m);
			continue;
		}
		zdo(q, k, c);
	}
}

static void *zworker(void *p)
{
	zq *q = p;
	struct libdeflate_compressor *c = libdeflate_alloc_compressor(PDF_DEFLATE_LEVEL);
	pthread_mutex_lock(&q->m);
	if (c)
		zdrain(q, c, 0); /* without a compressor the caller does them */
	pthread_mutex_unlock(&q->m);
	libdeflate_free_compressor(c);
	return NULL;
}

zq *zq_new(ly_fonts *fonts)
{
	zq *q = calloc(1, sizeof *q);
	if (!q)
		return NULL;
	pthread_mutex_init(&q->m, NULL);
	pthread_cond_init(&q->c, NULL);
	q->fonts = fonts;
	q->own = libdeflate_alloc_compressor(PDF_DEFLATE_LEVEL);
	q->threaded = ms_threads_allowed() && pthread_create(&q->t, NULL, zworker, q) == 0;
	q->sync = ms_threads_sync();
	return q;
}

/* Queue k (q->m held); -1 out of memory. done grows with v, so that
 * zq_finish and zq_put_page allocate nothing. */
static int zpush(zq *q, ztask *k)
{
	if (q->n == q->cap) {
		size_t c = q->cap ? q->cap * 2 : 256;
		ztask **v = realloc(q->v, c * sizeof *v);
		if (v)
			q->v = v;
		HPDF_Stream *dn = v ? realloc(q->done, c * sizeof *dn) : NULL;
		if (dn)
			q->done = dn;
		if (!v || !dn)
			return -1;
		q->cap = c;
	}
	q->v[q->n++] = k;
	pthread_cond_broadcast(&q->c);
	return 0;
}

/* Can the worker make pg as pdf_write would? No photo, no page number
 * still to set, every character of its text measured already (measuring
 * one would need libharu, and the layout goes on measuring meanwhile):
 * checked here but for a paragraph's words, measured to be set. */
static int detachable(const zq *q, const ly_page *pg)
{
	for (const ly_op *o = pg->ops; o; o = o->next) {
		if (o->kind == OP_IMAGE || o->kind == OP_PAGEREF)
			return 0;
		if (o->kind != OP_TEXT || o->measured)
			continue;
		const short *wt = ly_width_table(q->fonts, o->face);
		if (!wt)
			return 0;
		for (size_t i = 0; i < o->len;) {
			unsigned char c = (unsigned char)o->text[i];
			if (c < 0x80) {
				if (wt[c] < 0)
					return 0;
				i++;
			} else if (wt[ly_next_char(o->text, o->len, &i)] < 0) {
				return 0;
			}
		}
	}
	return 1;
}

void zq_layout_page(zq *q, int index, const ly_page *pg)
{
	if (!q || !q->threaded || !pg->ops || !detachable(q, pg))
		return; /* an empty page: nothing to make */
	ztask *k = calloc(1, sizeof *k);
	if (!k)
		return;
	k->ops = pg->ops;
	k->page = index;
	k->state = ZQ_WAITING;
	pthread_mutex_lock(&q->m);
	if (zpush(q, k) < 0) {
		free(k);
	} else {
		while (q->sync && k->state != ZQ_DONE)
			pthread_cond_wait(&q->c, &q->m);
	}
	pthread_mutex_unlock(&q->m);
}

static void ztask_free(ztask *k)
{
	free(k->raw);
	free(k->out);
	free(k);
}

void zq_forget(zq *q)
{
	if (!q)
		return;
	pthread_mutex_lock(&q->m);
	for (size_t i = 0; i < q->n; i++)
		if (q->v[i]->state == ZQ_WAITING)
			q->v[i]->state = ZQ_DONE; /* not to be started */
	while (q->busy)
		pthread_cond_wait(&q->c, &q->m);
	for (size_t i = 0; i < q->n; i++)
		ztask_free(q->v[i]);
	q->n = q->next = q->taken = q->back = 0;
	pthread_mutex_unlock(&q->m);
}

int zq_made_page(zq *q, int index)
{
	if (!q)
		return ZQ_NONE;
	pthread_mutex_lock(&q->m);
	/* page tasks come first, in page order */
	size_t lo = 0, hi = q->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int pg = q->v[mid]->page;
		if (pg >= 0 && pg < index)
			lo = mid + 1;
		else
			hi = mid;
	}
	const ztask *k = lo < q->n && q->v[lo]->page == index ? q->v[lo] : NULL;
	int st = !k ? ZQ_NONE : k->state != ZQ_DONE ? ZQ_PENDING : k->out ? ZQ_MADE : ZQ_NONE;
	pthread_mutex_unlock(&q->m);
	return st;
}

/* A task waiting at the back of the queue, or NULL (q->m held). The worker
 * takes tasks from the front. */
static ztask *zsteal(zq *q)
{
	if (q->back <= q->next || q->back > q->n)
		q->back = q->n; /* from the end again: tasks may have been added */
	while (q->back > q->next && q->v[q->back - 1]->state != ZQ_WAITING)
		q->back--;
	return q->back > q->next ? q->v[--q->back] : NULL;
}

ztask *zq_take_page(zq *q, int index)
{
	pthread_mutex_lock(&q->m);
	while (q->taken < q->n && q->v[q->taken]->page >= 0 && q->v[q->taken]->page < index)
		q->taken++;
	ztask *k = q->taken < q->n && q->v[q->taken]->page == index ? q->v[q->taken] : NULL;
	if (k && k->state == ZQ_WAITING)
		zdo(q, k, q->own); /* not started yet: made here, not waited for */
	/* While the worker makes it, make pages from the back of the queue:
	 * when the layout ends, the worker has the last pages still to make,
	 * and the two cores share them instead of this one waiting */
	while (k && k->state != ZQ_DONE) {
		ztask *t = q->own ? zsteal(q) : NULL;
		if (t)
			zdo(q, t, q->own);
		else
			pthread_cond_wait(&q->c, &q->m);
	}
	pthread_mutex_unlock(&q->m);
	return k && k->out ? k : NULL;
}

void zq_put_page(zq *q, HPDF_Page page, ztask *k)
{
	HPDF_PageAttr attr = page->attr;
	HPDF_Stream_Write(attr->stream, k->out, (HPDF_UINT)k->nout);
	free(k->out);
	k->out = NULL;
	q->done[q->ndone++] = attr->stream; /* room: done grows with v */
	q->made++;
}

int zq_made(const zq *q)
{
	return q ? q->made : 0;
}

/* Hand over a finished page's contents, when libharu will add nothing to
 * them at saving (no open text, path or saved graphics state) and they are
 * to be deflated. Left in libharu otherwise: the hook deflates them then. */
void zq_page(zq *q, HPDF_Page page)
{
	HPDF_PageAttr attr = page->attr;
	if (attr->gmode == HPDF_GMODE_PAGE_DESCRIPTION && !attr->gstate->prev &&
	    (attr->contents->filter & HPDF_STREAM_FILTER_FLATE_DECODE))
		zq_stream(q, attr->stream);
}

void zq_stream(zq *q, HPDF_Stream s)
{
	size_t n = s ? HPDF_Stream_Size(s) : 0;
	if (!n)
		return;
	ztask *k = calloc(1, sizeof *k);
	unsigned char *raw = malloc(n);
	HPDF_UINT got = (HPDF_UINT)n;
	if (!k || !raw || HPDF_Stream_Seek(s, 0, HPDF_SEEK_SET) != HPDF_OK ||
	    HPDF_Stream_Read(s, raw, &got) != HPDF_OK || got != n) {
		free(k);
		free(raw);
		return;
	}
	*k = (ztask){.s = s, .raw = raw, .nraw = n, .page = -1, .state = ZQ_WAITING};
	pthread_mutex_lock(&q->m);
	if (zpush(q, k) < 0) {
		pthread_mutex_unlock(&q->m);
		free(k);
		free(raw);
		return;
	}
	if (!q->threaded)
		k->state = ZQ_DONE; /* done here, below */
	pthread_mutex_unlock(&q->m);
	HPDF_MemStream_FreeData(s); /* libharu's copy goes: only the task's is left */
	if (!q->threaded)
		zdeflate(k, q->own);
}

static int ptr_cmp(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t) * (HPDF_Stream const *)a,
	          y = (uintptr_t) * (HPDF_Stream const *)b;
	return (x > y) - (x < y);
}

/* Wait for the worker and give every raw task's stream back its bytes:
 * deflated, and listed in q->done, or raw when deflating failed (the hook
 * does it then). Page tasks were given theirs by zq_put_page. */
void zq_finish(zq *q)
{
	pthread_mutex_lock(&q->m);
	q->closing = 1;
	pthread_cond_broadcast(&q->c);
	/* the pages are all written: rather than wait, help the worker with the
	 * ones it has not started */
	zdrain(q, q->own, 1);
	while (q->busy)
		pthread_cond_wait(&q->c, &q->m);
	pthread_mutex_unlock(&q->m);
	if (q->threaded)
		pthread_join(q->t, NULL);
	q->threaded = 0;
	for (size_t i = 0; i < q->n; i++) {
		ztask *k = q->v[i];
		if (k->s && k->out) {
			HPDF_Stream_Write(k->s, k->out, (HPDF_UINT)k->nout);
			q->done[q->ndone++] = k->s;
		} else if (k->s) {
			HPDF_Stream_Write(k->s, k->raw, (HPDF_UINT)k->nraw);
		}
		ztask_free(k);
	}
	free(q->v);
	q->v = NULL;
	q->n = q->next = q->taken = q->back = 0;
	if (q->done)
		qsort(q->done, q->ndone, sizeof *q->done, ptr_cmp);
}

void zq_delete(zq *q)
{
	if (!q)
		return;
	if (q->v || q->threaded) { /* an error path: nothing will be saved */
		zq_forget(q);      /* so the pages not made yet are not made */
		zq_finish(q);      /* and the worker stops */
	}
	free(q->done);
	libdeflate_free_compressor(q->own);
	pthread_mutex_destroy(&q->m);
	pthread_cond_destroy(&q->c);
	free(q);
}

static int zq_has(const zq *q, HPDF_Stream s)
{
	return q && q->done && bsearch(&s, q->done, q->ndone, sizeof s, ptr_cmp);
}

/* n bytes to dst, encrypted through enc first when e is given. */
static HPDF_STATUS put(HPDF_Stream dst, HPDF_Encrypt e, const HPDF_BYTE *p, HPDF_BYTE *enc,
                       HPDF_UINT n)
{
	if (!n)
		return HPDF_OK;
	if (e) {
		HPDF_Encrypt_CryptBuf(e, p, enc, n);
		p = enc;
	}
	return HPDF_Stream_Write(dst, p, n);
}

/* libharu exports it without declaring it in its installed headers */
HPDF_STATUS HPDF_Stream_WriteToStreamWithDeflate(HPDF_Stream src, HPDF_Stream dst, HPDF_Encrypt e);
HPDF_STATUS HPDF_Stream_WriteToStreamWithDeflate(HPDF_Stream src, HPDF_Stream dst, HPDF_Encrypt e)
{
	enum { BUF = 65536 };
	HPDF_STATUS ret = HPDF_Stream_Seek(src, 0, HPDF_SEEK_SET);
	if (ret != HPDF_OK)
		return ret;
	/* the stream whole, deflated unless it is already (zq_has) */
	size_t n = HPDF_Stream_Size(src), nout = 0;
	unsigned char *raw = malloc(n ? n : 1), *out = NULL, *enc = e ? malloc(BUF) : NULL;
	HPDF_UINT got = (HPDF_UINT)n;
	if (raw && n && (ret = HPDF_Stream_Read(src, raw, &got)) == HPDF_STREAM_EOF)
		ret = HPDF_OK;
	if (ret == HPDF_OK && got != n)
		ret = HPDF_SetError(src->error, HPDF_STREAM_EOF, 0);
	if (ret == HPDF_OK && raw && (!e || enc)) {
		if (zq_has(saving, src)) {
			out = raw;
			raw = NULL;
			nout = n;
		} else {
			/* the document's compressor; a stream saved otherwise, its own */
			struct libdeflate_compressor *own = saving ? saving->own : NULL;
			struct libdeflate_compressor *c =
			    own ? NULL : libdeflate_alloc_compressor(PDF_DEFLATE_LEVEL);
			if (zcompress(own ? own : c, raw, n, &out, &nout) < 0)
				out = NULL;
			libdeflate_free_compressor(c);
		}
	}
	if (ret == HPDF_OK && !out)
		ret = HPDF_SetError(src->error, HPDF_FAILD_TO_ALLOC_MEM, 0);
	for (size_t at = 0; ret == HPDF_OK && at < nout; at += BUF)
		ret = put(dst, e, out + at, enc, (HPDF_UINT)(nout - at < BUF ? nout - at : BUF));
	free(raw);
	free(out);
	free(enc);
	return ret;
}
