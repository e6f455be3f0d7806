/* zq.c — see zq.h. */
#include "zq.h"

#include <hpdf_pages.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../util/job.h"

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

/* Deflate the queued tasks until the queue is closed (worker) or, with
 * until_empty, until none is waiting (the caller helping at the end).
 * Called and returns with q->m held. */
static void zdrain(zq *q, struct libdeflate_compressor *c, int until_empty)
{
	for (;;) {
		while (q->next == q->n && !q->closing && !until_empty)
			pthread_cond_wait(&q->c, &q->m);
		if (q->next == q->n)
			return;
		ztask *k = q->v[q->next++];
		pthread_mutex_unlock(&q->m);
		zdeflate(k, c);
		pthread_mutex_lock(&q->m);
	}
}

static void *zworker(void *p)
{
	zq *q = p;
	struct libdeflate_compressor *c = libdeflate_alloc_compressor(PDF_DEFLATE_LEVEL);
	pthread_mutex_lock(&q->m);
	zdrain(q, c, 0); /* without a compressor the hook deflates them */
	pthread_mutex_unlock(&q->m);
	libdeflate_free_compressor(c);
	return NULL;
}

void zq_init(zq *q)
{
	memset(q, 0, sizeof *q);
	pthread_mutex_init(&q->m, NULL);
	pthread_cond_init(&q->c, NULL);
	q->own = libdeflate_alloc_compressor(PDF_DEFLATE_LEVEL);
	q->threaded = ms_threads_allowed() && pthread_create(&q->t, NULL, zworker, q) == 0;
}

/* Hand over a finished page's contents, when libharu will add nothing to
 * them at saving (no open text, path or saved graphics state) and they are
 * to be deflated. Left in libharu otherwise: the hook deflates them then. */
void zq_page(zq *q, HPDF_Page page)
{
	HPDF_PageAttr attr = page->attr;
	HPDF_Stream s = attr->stream;
	size_t n = s ? HPDF_Stream_Size(s) : 0;
	if (!n || attr->gmode != HPDF_GMODE_PAGE_DESCRIPTION || attr->gstate->prev ||
	    !(attr->contents->filter & HPDF_STREAM_FILTER_FLATE_DECODE))
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
	*k = (ztask){s, raw, NULL, n, 0};
	pthread_mutex_lock(&q->m);
	if (q->n == q->cap) { /* done grows with v: zq_finish allocates nothing */
		size_t c = q->cap ? q->cap * 2 : 256;
		ztask **v = realloc(q->v, c * sizeof *v);
		if (v)
			q->v = v;
		HPDF_Stream *dn = v ? realloc(q->done, c * sizeof *dn) : NULL;
		if (dn)
			q->done = dn;
		if (!v || !dn) {
			pthread_mutex_unlock(&q->m);
			free(k);
			free(raw);
			return;
		}
		q->cap = c;
	}
	q->v[q->n++] = k;
	if (!q->threaded)
		q->next = q->n; /* done here, below */
	pthread_cond_signal(&q->c);
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

/* Wait for the worker and give every stream back its bytes: deflated, and
 * listed in q->done, or raw when deflating failed (the hook does it then). */
void zq_finish(zq *q)
{
	pthread_mutex_lock(&q->m);
	q->closing = 1;
	pthread_cond_signal(&q->c);
	/* the pages are all written: rather than wait, help the worker with the
	 * ones it has not started */
	zdrain(q, q->own, 1);
	pthread_mutex_unlock(&q->m);
	if (q->threaded)
		pthread_join(q->t, NULL);
	q->threaded = 0;
	for (size_t i = 0; i < q->n; i++) {
		ztask *k = q->v[i];
		if (k->out) {
			HPDF_Stream_Write(k->s, k->out, (HPDF_UINT)k->nout);
			q->done[q->ndone++] = k->s;
		} else {
			HPDF_Stream_Write(k->s, k->raw, (HPDF_UINT)k->nraw);
		}
		free(k->raw);
		free(k->out);
		free(k);
	}
	free(q->v);
	q->v = NULL;
	q->n = q->next = 0;
	if (q->done)
		qsort(q->done, q->ndone, sizeof *q->done, ptr_cmp);
}

void zq_free(zq *q)
{
	if (q->v || q->threaded)
		zq_finish(q); /* an error path: the worker still has to stop */
	free(q->done);
	libdeflate_free_compressor(q->own);
	pthread_mutex_destroy(&q->m);
	pthread_cond_destroy(&q->c);
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
