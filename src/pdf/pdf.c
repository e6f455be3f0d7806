/* pdf.c — the PDF back-end: display lists (layout/ly.h) to libharu (text
 * and rules straight into the content streams: content.c),
 * outline, links, page labels and document info; the finished file written
 * through a temporary file, and encrypted with AES-256 by libqpdf when a
 * password is given (libharu only has RC4). */
#include <errno.h>
#include <fcntl.h>
#include <hpdf_encrypt.h>
#include <hpdf_fontdef.h>
#include <hpdf_pages.h>
#include <hpdf_utils.h>
#include <libdeflate.h>
#include <pthread.h>
#include <qpdf/qpdf-c.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../layout/ly.h"
#include "../util/buf.h"
#include "../util/job.h"
#include "content.h"

void ly_on_error(HPDF_STATUS code, HPDF_STATUS detail, void *data)
{
	ly_herr *e = data;
	if (!e->code) {
		e->code = code;
		e->detail = detail;
	}
}

/* libharu's memory ------------------------------------------------------ */

/* libharu allocates every object, name, number and dictionary entry (136
 * bytes each) separately, and frees them one by one in HPDF_Free: for the
 * 2,000-entry digest's 15,000 links, 25 ms at the end of the run. Through
 * HPDF_NewEx's allocator hooks, blocks under HP_SMALL bytes come from
 * chunks that live as long as the document, in size classes of 16 bytes: a
 * freed block goes on its class's free list and is taken again before the
 * chunk grows, so the pool holds no more than libharu keeps at its peak.
 * Larger blocks (stream buffers, photos, font files) are malloc'd and freed
 * as before. The chunks are small enough for glibc to serve them from
 * memory the layout has freed (a page's operations, in 16 KiB chunks). The
 * hooks take no user data, so the pool is the calling thread's: one
 * document a thread at a time (pdf_doc_new falls back to plain HPDF_New
 * otherwise). Each block has an 8-byte header giving its class (0: from
 * malloc), and 8-byte alignment (libharu keeps nothing wider than a pointer
 * or a double). */
#define HP_SMALL 256
#define HP_CLASS 16
#define HP_CHUNK (16 * 1024)

typedef struct hp_head {
	size_t cls; /* 0: malloc'd; else the block holds cls * HP_CLASS bytes */
} hp_head;

/* A freed small block: its head, then the next free block of its class. */
typedef struct hp_freed {
	hp_head head;
	struct hp_freed *next;
} hp_freed;

typedef struct hp_chunk {
	struct hp_chunk *next;
	size_t used;
	size_t data[]; /* to HP_CHUNK bytes in all */
} hp_chunk;

static _Thread_local struct {
	HPDF_Doc owner; /* the document the pool serves, or NULL */
	hp_chunk *chunks;
	hp_freed *free[HP_SMALL / HP_CLASS + 1]; /* by class */
} hp;

static void *hp_alloc(HPDF_UINT size)
{
	hp_head *h;
	if (size >= HP_SMALL) {
		h = malloc(sizeof *h + size);
		if (!h)
			return NULL;
		h->cls = 0;
		return h + 1;
	}
	size_t cls = ((size_t)size + HP_CLASS - 1) / HP_CLASS;
	cls += !cls; /* a block can hold the free list's link */
	hp_freed *f = hp.free[cls];
	if (f) {
		hp.free[cls] = f->next;
		return &f->head + 1;
	}
	size_t n = sizeof *h + cls * HP_CLASS;
	hp_chunk *c = hp.chunks;
	if (!c || sizeof *c + c->used + n > HP_CHUNK) {
		c = malloc(HP_CHUNK);
		if (!c)
			return NULL;
		c->next = hp.chunks;
		c->used = 0;
		hp.chunks = c;
	}
	h = (hp_head *)((unsigned char *)c->data + c->used);
	c->used += n;
	h->cls = cls;
	return h + 1;
}

static void hp_free(void *p)
{
	hp_head *h = p ? (hp_head *)p - 1 : NULL;
	if (!h)
		return;
	if (!h->cls) {
		free(h);
		return;
	}
	hp_freed *f = (hp_freed *)h;
	f->next = hp.free[h->cls];
	hp.free[h->cls] = f;
}

static void hp_release(void)
{
	while (hp.chunks) {
		hp_chunk *next = hp.chunks->next;
		free(hp.chunks);
		hp.chunks = next;
	}
	memset(hp.free, 0, sizeof hp.free);
	hp.owner = NULL;
}

HPDF_Doc pdf_doc_new(ly_herr *err)
{
	if (hp.owner) /* another document of this thread has the pool */
		return HPDF_New(ly_on_error, err);
	HPDF_Doc pdf = HPDF_NewEx(ly_on_error, hp_alloc, hp_free, 0, err);
	if (pdf)
		hp.owner = pdf;
	else
		hp_release();
	return pdf;
}

void pdf_doc_free(HPDF_Doc pdf)
{
	if (!pdf)
		return;
	HPDF_Free(pdf); /* its blocks: small ones stay in the chunks */
	if (pdf == hp.owner)
		hp_release();
}

/* Image headers --------------------------------------------------------- */

static unsigned be16(const unsigned char *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

static unsigned rd16(const unsigned char *p, int le)
{
	return le ? (unsigned)p[1] << 8 | p[0] : be16(p);
}

/* EXIF orientation from an APP1 segment (bounded reads). */
static int exif_orientation(const unsigned char *seg, size_t len)
{
	if (len < 14 || memcmp(seg, "Exif\0\0", 6))
		return 1;
	const unsigned char *t = seg + 6;
	size_t tl = len - 6;
	int le = t[0] == 'I';
	size_t ifd =
	    le ? (size_t)t[4] | (size_t)t[5] << 8 | (size_t)t[6] << 16 | (size_t)t[7] << 24
	       : (size_t)t[7] | (size_t)t[6] << 8 | (size_t)t[5] << 16 | (size_t)t[4] << 24;
	if (ifd + 2 > tl)
		return 1;
	unsigned n = rd16(t + ifd, le);
	for (unsigned i = 0; i < n && ifd + 2 + (i + 1) * 12 <= tl; i++) {
		const unsigned char *e = t + ifd + 2 + i * 12;
		if (rd16(e, le) == 0x0112) {
			unsigned v = rd16(e + 8, le);
			return v >= 1 && v <= 8 ? (int)v : 1;
		}
	}
	return 1;
}

int ly_image_info(const char *path, int *w, int *h, int *orient, int *is_png)
{
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return -1;
	unsigned char buf[65536];
	size_t n = fread(buf, 1, sizeof buf, fp);
	fclose(fp);
	*orient = 1;
	*is_png = 0;
	if (n >= 24 && !memcmp(buf, "\x89PNG\r\n\x1a\n", 8)) {
		*is_png = 1;
		*w = (int)(buf[16] << 24 | buf[17] << 16 | buf[18] << 8 | buf[19]);
		*h = (int)(buf[20] << 24 | buf[21] << 16 | buf[22] << 8 | buf[23]);
		return 0;
	}
	if (n < 4 || buf[0] != 0xFF || buf[1] != 0xD8)
		return -1;
	size_t i = 2;
	while (i + 9 < n) {
		if (buf[i] != 0xFF) {
			i++;
			continue;
		}
		unsigned m = buf[i + 1];
		unsigned len = be16(buf + i + 2);
		if (m == 0xE1 && i + 4 + len - 2 <= n)
			*orient = exif_orientation(buf + i + 4, len - 2);
		if ((m >= 0xC0 && m <= 0xC3) || (m >= 0xC5 && m <= 0xC7) ||
		    (m >= 0xC9 && m <= 0xCB) || (m >= 0xCD && m <= 0xCF)) {
			*h = (int)be16(buf + i + 5);
			*w = (int)be16(buf + i + 7);
			return 0;
		}
		i += 2 + len;
	}
	return -1;
}

/* libharu's own copies and cmap lookup -------------------------------------- */

/* libharu 2.3.0 copies and clears memory a byte at a time in HPDF_MemCpy and
 * HPDF_MemSet (hpdf_utils.c): every photo is copied twice that way, and
 * many calls clear a 512-byte buffer first; on a 370-page book that was an
 * eighth of the run. The library calls them through the PLT, so these
 * definitions in the program take their place (ELF symbol interposition),
 * with the same contract, the end pointer returned included. With a libharu
 * that binds them directly, its own are used and nothing changes.
 * tests/unit/test_pdf.c holds them to libharu's results. */
HPDF_BYTE *HPDF_MemCpy(HPDF_BYTE *out, const HPDF_BYTE *in, HPDF_UINT n)
{
	if (n)
		memmove(out, in, n);
	return out + n;
}

void *HPDF_MemSet(void *s, HPDF_BYTE c, HPDF_UINT n)
{
	if (n)
		memset(s, c, n);
	return (HPDF_BYTE *)s + n;
}

/* The glyph of a character, as libharu's (hpdf_fontdef_tt.c), with a binary
 * search of the cmap's segments where libharu scans them: it asks for all
 * 65,536 code points of every font it embeds, a tenth of a book's run. */
HPDF_UINT16 HPDF_TTFontDef_GetGlyphid(HPDF_FontDef fontdef, HPDF_UINT16 unicode)
{
	HPDF_TTFontDefAttr attr = (HPDF_TTFontDefAttr)fontdef->attr;
	const HPDF_TTF_CmapRange *cm = &attr->cmap;
	if (cm->format == 0)
		return cm->glyph_id_array[unicode & 0xFF];
	HPDF_UINT segs = cm->seg_count_x2 / 2;
	if (segs == 0) {
		HPDF_SetError(fontdef->error, HPDF_TTF_INVALID_CMAP, 0);
		return 0;
	}
	/* i: the first segment ending at or after it. libharu's sweeps go up one
	 * code point at a time, so the last answer is usually this one too; it
	 * is checked against this font's segments, whichever font it came from */
	static _Thread_local HPDF_UINT last;
	HPDF_UINT i = last;
	if (!(i < segs && cm->end_count[i] >= unicode &&
	      (i == 0 || cm->end_count[i - 1] < unicode))) {
		HPDF_UINT lo = 0, hi = segs;
		while (lo < hi) {
			HPDF_UINT mid = lo + (hi - lo) / 2;
			if (cm->end_count[mid] < unicode)
				lo = mid + 1;
			else
				hi = mid;
		}
		i = last = lo;
	}
	if (i == segs || cm->start_count[i] > unicode)
		return 0;
	if (cm->id_range_offset[i] == 0)
		return (HPDF_UINT16)(unicode + cm->id_delta[i]);
	HPDF_UINT idx = cm->id_range_offset[i] / 2 + (unicode - cm->start_count[i]) - (segs - i);
	if (idx >= cm->glyph_id_array_count) /* libharu reads one past the end */
		return 0;
	return (HPDF_UINT16)(cm->glyph_id_array[idx] + cm->id_delta[i]);
}

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

/* Page contents deflated on a second core (zq_*) while the next pages are
 * written: at the end of each page its content stream is taken out of
 * libharu, deflated by a worker thread, and put back deflated before the
 * file is saved; the streams so done are listed (sorted) in `saving`, and
 * the deflate hook below passes them through as they are. libharu only runs
 * on the calling thread; the worker touches nothing but its tasks' bytes
 * and its own compressor. The bytes are those the hook would have made. */
typedef struct ztask {
	HPDF_Stream s;
	unsigned char *raw, *out; /* in; out (NULL until done, or on failure) */
	size_t nraw, nout;
} ztask;

typedef struct zq {
	pthread_mutex_t m;
	pthread_cond_t c;
	ztask **v;
	size_t n, cap, next;
	int closing, threaded;
	pthread_t t;
	struct libdeflate_compressor *own; /* the calling thread's (NULL: none) */
	HPDF_Stream *done;                 /* sorted: the streams that hold deflated bytes */
	size_t ndone;
} zq;

static const zq *saving; /* during HPDF_Save*: the one document being saved */

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

static void zq_init(zq *q)
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
static void zq_page(zq *q, HPDF_Page page)
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
static void zq_finish(zq *q)
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

static void zq_free(zq *q)
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

/* The fields every file stream of libharu's has; the caller adds its
 * functions. */
static void file_stream(HPDF_Stream s, HPDF_MMgr mmgr, void *attr)
{
	memset(s, 0, sizeof(HPDF_Stream_Rec));
	s->sig_bytes = HPDF_STREAM_SIG_BYTES;
	s->type = HPDF_STREAM_FILE;
	s->mmgr = mmgr;
	s->error = mmgr->error;
	s->attr = attr;
}

/* libharu writes the file through stdio's 4 KiB buffer (3,500 write calls
 * for the 120-chapter book), and never checks the last flush, at fclose: a
 * disk filling up just then would go unnoticed. This replacement of its
 * file writer (same interposition as above; only HPDF_SaveToFile uses it)
 * writes through a 256 KiB buffer, and a failed write or close, the last
 * included, is a file error that HPDF_SaveToFile returns. */
typedef struct fwriter {
	int fd;
	size_t n;
	unsigned char buf[256 << 10];
} fwriter;

/* All n bytes to fd: 0, or -1 with errno. */
static int write_all(int fd, const void *p, size_t n)
{
	const char *c = p;
	while (n) {
		ssize_t k = write(fd, c, n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return -1;
		c += k;
		n -= (size_t)k;
	}
	return 0;
}

static int fw_flush(fwriter *w)
{
	if (write_all(w->fd, w->buf, w->n) < 0)
		return -1;
	w->n = 0;
	return 0;
}

static HPDF_STATUS fw_write(HPDF_Stream s, const HPDF_BYTE *p, HPDF_UINT n)
{
	fwriter *w = s->attr;
	while (n) {
		size_t k = sizeof w->buf - w->n < n ? sizeof w->buf - w->n : n;
		memcpy(w->buf + w->n, p, k);
		w->n += k;
		p += k;
		n -= (HPDF_UINT)k;
		if (w->n == sizeof w->buf && fw_flush(w) < 0)
			return HPDF_SetError(s->error, HPDF_FILE_IO_ERROR, (HPDF_STATUS)errno);
	}
	return HPDF_OK;
}

static HPDF_INT32 fw_tell(HPDF_Stream s)
{
	return (HPDF_INT32)s->size;
}

static void fw_free(HPDF_Stream s)
{
	fwriter *w = s->attr;
	int bad = fw_flush(w) < 0;
	bad |= close(w->fd) < 0;
	if (bad)
		HPDF_SetError(s->error, HPDF_FILE_IO_ERROR, (HPDF_STATUS)errno);
	free(w);
}

HPDF_Stream HPDF_FileWriter_New(HPDF_MMgr mmgr, const char *fname);
HPDF_Stream HPDF_FileWriter_New(HPDF_MMgr mmgr, const char *fname)
{
	fwriter *w = malloc(sizeof *w);
	int fd = w ? open(fname, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666) : -1;
	HPDF_Stream s = fd >= 0 ? HPDF_GetMem(mmgr, sizeof(HPDF_Stream_Rec)) : NULL;
	if (!s) {
		HPDF_SetError(mmgr->error, fd < 0 ? HPDF_FILE_OPEN_ERROR : HPDF_FAILD_TO_ALLOC_MEM,
		              (HPDF_STATUS)errno);
		if (fd >= 0)
			close(fd);
		free(w);
		return NULL;
	}
	w->fd = fd;
	w->n = 0;
	file_stream(s, mmgr, w);
	s->write_fn = fw_write;
	s->free_fn = fw_free;
	s->tell_fn = fw_tell;
	return s;
}

/* And its file reader (photos, fonts): stdio in 4 KiB reads and a seek
 * for each, 3,100 reads for the book's 120 photos. This one reads the file
 * in one call and serves libharu from memory, with the same answers: a
 * short read says HPDF_STREAM_EOF, a seek may pass the end. */
typedef struct freader {
	unsigned char *data;
	size_t len, pos;
} freader;

static HPDF_STATUS fr_read(HPDF_Stream s, HPDF_BYTE *p, HPDF_UINT *n)
{
	freader *r = s->attr;
	size_t left = r->pos < r->len ? r->len - r->pos : 0;
	size_t k = *n < left ? *n : left;
	if (k)
		memcpy(p, r->data + r->pos, k);
	r->pos += k;
	if (k < *n) {
		memset(p + k, 0, *n - k);
		*n = (HPDF_UINT)k;
		return HPDF_STREAM_EOF;
	}
	return HPDF_OK;
}

static HPDF_STATUS fr_seek(HPDF_Stream s, HPDF_INT pos, HPDF_WhenceMode mode)
{
	freader *r = s->attr;
	long long base = mode == HPDF_SEEK_CUR   ? (long long)r->pos
	                 : mode == HPDF_SEEK_END ? (long long)r->len
	                                         : 0;
	if (base + pos < 0)
		return HPDF_SetError(s->error, HPDF_FILE_IO_ERROR, EINVAL);
	r->pos = (size_t)(base + pos);
	return HPDF_OK;
}

static HPDF_INT32 fr_tell(HPDF_Stream s)
{
	return (HPDF_INT32)((freader *)s->attr)->pos;
}

static HPDF_UINT32 fr_size(HPDF_Stream s)
{
	return (HPDF_UINT32)((freader *)s->attr)->len;
}

static void fr_free(HPDF_Stream s)
{
	freader *r = s->attr;
	free(r->data);
	free(r);
}

HPDF_Stream HPDF_FileReader_New(HPDF_MMgr mmgr, const char *fname);
HPDF_Stream HPDF_FileReader_New(HPDF_MMgr mmgr, const char *fname)
{
	freader *r = calloc(1, sizeof *r);
	char *data = NULL;
	size_t len = 0;
	int big = 0;
	HPDF_Stream s = NULL;
	if (r && ms_read_file(fname, (size_t)1 << 30, &data, &len, &big) == 0)
		s = HPDF_GetMem(mmgr, sizeof(HPDF_Stream_Rec));
	if (!s) {
		HPDF_SetError(mmgr->error, data ? HPDF_FAILD_TO_ALLOC_MEM : HPDF_FILE_OPEN_ERROR,
		              (HPDF_STATUS)errno);
		free(data);
		free(r);
		return NULL;
	}
	r->data = (unsigned char *)data;
	r->len = len;
	file_stream(s, mmgr, r);
	s->read_fn = fr_read;
	s->seek_fn = fr_seek;
	s->tell_fn = fr_tell;
	s->size_fn = fr_size;
	s->free_fn = fr_free;
	return s;
}

/* Drawing ----------------------------------------------------------------- */

static void set_rgb(HPDF_Page pg, unsigned c, int fill)
{
	float r = (float)((c >> 16) & 255) / 255, g = (float)((c >> 8) & 255) / 255,
	      b = (float)(c & 255) / 255;
	if (fill)
		HPDF_Page_SetRGBFill(pg, r, g, b);
	else
		HPDF_Page_SetRGBStroke(pg, r, g, b);
}

typedef struct imgcache {
	const char *path;
	HPDF_Image img;
} imgcache;

static HPDF_Image load_image(HPDF_Doc pdf, const char *path, imgcache **cache, size_t *n)
{
	for (size_t i = 0; i < *n; i++)
		if (!strcmp((*cache)[i].path, path))
			return (*cache)[i].img;
	int w, h, o, png;
	if (ly_image_info(path, &w, &h, &o, &png) < 0)
		return NULL;
	HPDF_Image img =
	    png ? HPDF_LoadPngImageFromFile(pdf, path) : HPDF_LoadJpegImageFromFile(pdf, path);
	if (!img) {
		HPDF_ResetError(pdf);
		return NULL;
	}
	imgcache *v = realloc(*cache, (*n + 1) * sizeof *v);
	if (v) {
		*cache = v;
		v[(*n)++] = (imgcache){path, img};
	}
	return img;
}

/* Place an image in the box (x, y, w, h) honouring EXIF orientation: the
 * placement is rotated and mirrored, the pixels are untouched. */
static void draw_image(HPDF_Page pg, HPDF_Image img, const ly_op *o)
{
	double x = o->x, y = o->y, w = o->w, h = o->h;
	HPDF_Page_GSave(pg);
	/* matrix mapping the unit square to the box, per orientation */
	double a = w, b = 0, c = 0, d = h, e = x, f = y;
	switch (o->orient) {
	case 2:
		a = -w;
		e = x + w;
		break;
	case 3:
		a = -w;
		d = -h;
		e = x + w;
		f = y + h;
		break;
	case 4:
		d = -h;
		f = y + h;
		break;
	case 5:
		a = 0;
		b = -h;
		c = -w;
		d = 0;
		e = x + w;
		f = y + h;
		break;
	case 6:
		a = 0;
		b = -h;
		c = w;
		d = 0;
		e = x;
		f = y + h;
		break;
	case 7:
		a = 0;
		b = h;
		c = w;
		d = 0;
		e = x;
		f = y;
		break;
	case 8:
		a = 0;
		b = h;
		c = -w;
		d = 0;
		e = x + w;
		f = y;
		break;
	default: break;
	}
	HPDF_Page_Concat(pg, (float)a, (float)b, (float)c, (float)d, (float)e, (float)f);
	HPDF_Page_DrawImage(pg, img, 0, 0, 1, 1);
	HPDF_Page_GRestore(pg);
}

static int write_file(const char *path, const void *data, size_t len, ms_diags *d)
{
	char *tmp = ms_printf("%s.tmp.XXXXXX", path);
	int fd = tmp ? mkstemp(tmp) : -1;
	int ok = fd >= 0;
	if (ok) {
		ok = write_all(fd, data, len) == 0;
		ok = fchmod(fd, 0644) == 0 && ok; /* mkstemp makes 0600 */
		ok = close(fd) == 0 && ok;
	}
	if (ok && rename(tmp, path) == 0) {
		free(tmp);
		return 0;
	}
	ms_pos pos = ms_pos_file(path);
	ms_diag_add(d, MS_ENV, &pos,
	            "cannot write the PDF (%s): check free disk space and permissions",
	            strerror(errno));
	if (fd >= 0 && tmp)
		unlink(tmp);
	free(tmp);
	return -1;
}

/* AES-256 (R6) with libqpdf, in memory. */
static int encrypt(const unsigned char *in, size_t len, const char *password, unsigned char **out,
                   size_t *outlen)
{
	qpdf_data q = qpdf_init();
	qpdf_set_suppress_warnings(q, QPDF_TRUE);
	int ok = !(qpdf_read_memory(q, "digest", (const char *)in, len, NULL) & QPDF_ERRORS);
	char owner[33];
	unsigned char rnd[16];
	int fd = open("/dev/urandom", O_RDONLY);
	ok = ok && fd >= 0 && read(fd, rnd, sizeof rnd) == (ssize_t)sizeof rnd;
	if (fd >= 0)
		close(fd);
	for (int i = 0; i < 16; i++)
		snprintf(owner + 2 * i, 3, "%02x", rnd[i]);
	ok = ok && !(qpdf_init_write_memory(q) & QPDF_ERRORS);
	/* streams as they are, only encrypted: by default qpdf inflates every
	 * deflated stream and deflates it again at zlib's level 6 (a tenth of a
	 * whole `build` of the sample, for 4 % off the restricted digest) */
	if (ok)
		qpdf_set_stream_data_mode(q, qpdf_s_preserve);
	if (ok)
		qpdf_set_r6_encryption_parameters2(q, password, owner, QPDF_TRUE, QPDF_TRUE,
		                                   QPDF_TRUE, QPDF_TRUE, QPDF_TRUE, QPDF_TRUE,
		                                   qpdf_r3p_full, QPDF_TRUE);
	ok = ok && !(qpdf_write(q) & QPDF_ERRORS);
	if (ok) {
		*outlen = qpdf_get_buffer_length(q);
		*out = malloc(*outlen ? *outlen : 1);
		if (*out)
			memcpy(*out, qpdf_get_buffer(q), *outlen);
		ok = *out != NULL;
	}
	memset(owner, 0, sizeof owner);
	qpdf_cleanup(&q);
	return ok ? 0 : -1;
}

/* Link targets, sorted by id (then page order) for a binary search: a
 * digest has thousands of links and as many targets. */
typedef struct dest {
	const char *id;
	HPDF_Destination dst;
	size_t order;
} dest;

static int dest_cmp(const void *a, const void *b)
{
	const dest *x = a, *y = b;
	int c = strcmp(x->id, y->id);
	return c ? c : (x->order > y->order) - (x->order < y->order);
}

/* The first destination (in page order) with this id, or NULL. */
static const dest *find_dest(const dest *v, size_t n, const char *id)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(v[mid].id, id) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && !strcmp(v[lo].id, id) ? &v[lo] : NULL;
}

int pdf_write(HPDF_Doc pdf, ly_herr *errp, ly_fonts *fonts, const dt_doc *doc, ly_page *pages,
              int npages, const ly_outline *outl, size_t noutl, const char *out_path,
              const char *password, ms_diags *d)
{
	HPDF_Encoder utf8 = HPDF_GetEncoder(pdf, "UTF-8");
	if (doc->title)
		HPDF_SetInfoAttr(pdf, HPDF_INFO_TITLE, doc->title);
	if (doc->author)
		HPDF_SetInfoAttr(pdf, HPDF_INFO_AUTHOR, doc->author);
	if (doc->subject)
		HPDF_SetInfoAttr(pdf, HPDF_INFO_SUBJECT, doc->subject);
	if (doc->keywords)
		HPDF_SetInfoAttr(pdf, HPDF_INFO_KEYWORDS, doc->keywords);
	HPDF_SetInfoAttr(pdf, HPDF_INFO_CREATOR, "mspdoc");
	if (doc->created != MS_NO_DAY) {
		int y, m, dd;
		ms_day_to_ymd(doc->created, &y, &m, &dd);
		HPDF_Date date = {y, m, dd, 0, 0, 0, 'Z', 0, 0};
		HPDF_SetInfoDateAttr(pdf, HPDF_INFO_CREATION_DATE, date);
		HPDF_SetInfoDateAttr(pdf, HPDF_INFO_MOD_DATE, date);
	}
	const ly_style *st = NULL;
	(void)st;
	HPDF_Page *pg = calloc((size_t)(npages ? npages : 1), sizeof *pg);
	imgcache *cache = NULL;
	size_t ncache = 0;
	if (!pg) {
		ms_diag_add(d, MS_ENV, NULL, "out of memory");
		return -1;
	}
	char prev_style = 1;
	for (int i = 0; i < npages; i++) {
		pg[i] = HPDF_AddPage(pdf);
		HPDF_Page_SetWidth(pg[i], 595.276f);
		HPDF_Page_SetHeight(pg[i], 841.89f);
		if (pages[i].label_style != prev_style ||
		    (i > 0 && pages[i].label_style && pages[i].number != pages[i - 1].number + 1)) {
			HPDF_PageNumStyle style = pages[i].label_style == 'r'
			                              ? HPDF_PAGE_NUM_STYLE_LOWER_ROMAN
			                              : HPDF_PAGE_NUM_STYLE_DECIMAL;
			if (pages[i].label_style)
				HPDF_AddPageLabel(pdf, (HPDF_UINT)i, style,
				                  (HPDF_UINT)pages[i].number, NULL);
			else
				HPDF_AddPageLabel(pdf, (HPDF_UINT)i, HPDF_PAGE_NUM_STYLE_DECIMAL, 1,
				                  "cover-");
			prev_style = pages[i].label_style;
		}
	}
	/* destinations first: links may point forward */
	dest *dests = NULL;
	size_t ndests = 0, capdests = 0;
	for (int i = 0; i < npages; i++)
		for (const ly_op *o = pages[i].ops; o; o = o->next)
			if (o->kind == OP_DEST) {
				if (ndests == capdests) {
					capdests = capdests ? capdests * 2 : 64;
					dest *v = realloc(dests, capdests * sizeof *v);
					if (!v)
						break;
					dests = v;
				}
				HPDF_Destination dst = HPDF_Page_CreateDestination(pg[i]);
				HPDF_Destination_SetFitH(dst, (float)o->y + 14);
				dests[ndests] = (dest){o->text, dst, ndests};
				ndests++;
			}
	if (ndests)
		qsort(dests, ndests, sizeof *dests, dest_cmp);
	pdfc tw = {.fonts = fonts};
	ms_buf_init(&tw.b);
	zq zip;
	zq_init(&zip);
	const ly_op **rules = NULL; /* the page's lines */
	size_t nrules = 0, caprules = 0;
	for (int i = 0; i < npages && !errp->code; i++) {
		HPDF_Page p = pg[i];
		tw.page = p;
		for (const ly_op *o = pages[i].ops; o; o = o->next) {
			if (o->kind != OP_TEXT && o->kind != OP_LINK && o->kind != OP_DEST &&
			    o->kind != OP_LINE)
				pdfc_flush(&tw); /* links are annotations: the text goes on */
			switch (o->kind) {
			case OP_TEXT: {
				HPDF_Font font = ly_font(fonts, o->face);
				if (font)
					pdfc_text(&tw, font, o);
				break;
			}
			case OP_RECT:
				set_rgb(p, o->color, o->fill);
				HPDF_Page_Rectangle(p, (float)o->x, (float)o->y, (float)o->w,
				                    (float)o->h);
				if (o->fill)
					HPDF_Page_Fill(p);
				else
					HPDF_Page_Stroke(p);
				break;
			case OP_LINE: /* drawn after the page's text, all in one path a style */
				if (nrules == caprules) {
					size_t c = caprules ? caprules * 2 : 64;
					const ly_op **v = realloc(rules, c * sizeof *v);
					if (!v) {
						tw.oom = 1;
						break;
					}
					rules = v;
					caprules = c;
				}
				rules[nrules++] = o;
				break;
			case OP_IMAGE: {
				HPDF_Image img = load_image(pdf, o->text, &cache, &ncache);
				if (img)
					draw_image(p, img, o);
				else {
					ms_pos pos = ms_pos_file(o->text);
					ms_diag_add(d, MS_WARNING, &pos,
					            "the image could not be read and is left out");
				}
				break;
			}
			case OP_LINK: {
				HPDF_Rect r = {(float)o->x, (float)o->y, (float)(o->x + o->w),
				               (float)(o->y + o->h)};
				HPDF_Annotation a = NULL;
				if (o->text[0] == '#') {
					const dest *t = find_dest(dests, ndests, o->text + 1);
					if (t)
						a = HPDF_Page_CreateLinkAnnot(p, r, t->dst);
				} else {
					a = HPDF_Page_CreateURILinkAnnot(p, r, o->text);
				}
				if (a)
					HPDF_LinkAnnot_SetBorderStyle(a, 0, 0, 0);
				break;
			}
			default: break;
			}
		}
		pdfc_rules(&tw, rules, nrules); /* closes the text first */
		nrules = 0;
		zq_page(&zip, p);
		/* the page is in libharu now: its operations can go, making room
		 * for the photos libharu holds until it saves */
		ms_arena_free(pages[i].arena);
		pages[i].arena = NULL;
		pages[i].ops = pages[i].last = NULL;
	}
	free(rules);
	ms_buf_free(&tw.b);
	if (tw.oom && !errp->code)
		errp->code = HPDF_FAILD_TO_ALLOC_MEM;
	/* outline: nested by level */
	HPDF_Outline parents[6] = {NULL};
	for (size_t i = 0; i < noutl && !errp->code; i++) {
		int lv = outl[i].level < 1 ? 1 : outl[i].level > 4 ? 4 : outl[i].level;
		HPDF_Outline parent = NULL;
		for (int l = lv - 1; l >= 1 && !parent; l--)
			parent = parents[l];
		HPDF_Outline o = HPDF_CreateOutline(pdf, parent, outl[i].title, utf8);
		if (!o)
			continue;
		if (outl[i].page >= 1 && outl[i].page <= npages) {
			HPDF_Destination dst = HPDF_Page_CreateDestination(pg[outl[i].page - 1]);
			HPDF_Destination_SetFitH(dst, (float)outl[i].y + 14);
			HPDF_Outline_SetDestination(o, dst);
		}
		parents[lv] = o;
		for (int l = lv + 1; l < 6; l++)
			parents[l] = NULL;
	}
	HPDF_SetPageMode(pdf, noutl ? HPDF_PAGE_MODE_USE_OUTLINE : HPDF_PAGE_MODE_USE_NONE);
	free(dests);
	free(cache);
	free(pg);
	zq_finish(&zip);
	saving = &zip;
	int rc = -1;
	if (!errp->code && !password) {
		/* straight to a temporary file beside the target: no copy in memory */
		char *tmp = ms_printf("%s.tmp.XXXXXX", out_path);
		int fd = tmp ? mkstemp(tmp) : -1;
		if (fd >= 0) {
			fchmod(fd, 0644);
			close(fd);
			int sv = HPDF_SaveToFile(pdf, tmp);
			if (sv == HPDF_OK && !errp->code && rename(tmp, out_path) == 0)
				rc = 0;
			else
				unlink(tmp);
		}
		if (rc < 0 && !errp->code) {
			ms_pos pos = ms_pos_file(out_path);
			ms_diag_add(
			    d, MS_ENV, &pos,
			    "cannot write the PDF (%s): check free disk space and permissions",
			    strerror(errno));
		}
		free(tmp);
	} else if (!errp->code && HPDF_SaveToStream(pdf) == HPDF_OK) {
		HPDF_UINT32 size = HPDF_GetStreamSize(pdf);
		unsigned char *buf = malloc(size ? size : 1);
		HPDF_UINT32 got = size;
		if (buf && HPDF_ReadFromStream(pdf, buf, &got) != HPDF_OK && got == 0)
			got = 0;
		if (buf && got == size) {
			if (password) {
				unsigned char *enc;
				size_t elen;
				if (encrypt(buf, size, password, &enc, &elen) == 0) {
					rc = write_file(out_path, enc, elen, d);
					free(enc);
				} else {
					ms_pos pos = ms_pos_file(out_path);
					ms_diag_add(
					    d, MS_ENV, &pos,
					    "the PDF could not be encrypted (libqpdf failed)");
				}
			} else {
				rc = write_file(out_path, buf, size, d);
			}
		} else {
			ms_diag_add(d, MS_ENV, NULL, "out of memory while writing %s", out_path);
		}
		free(buf);
	}
	if (errp->code) {
		ms_pos pos = ms_pos_file(out_path);
		if (errp->code == HPDF_FILE_IO_ERROR || errp->code == HPDF_FILE_OPEN_ERROR ||
		    errp->detail == HPDF_FILE_IO_ERROR || errp->detail == HPDF_FILE_OPEN_ERROR)
			ms_diag_add(
			    d, MS_ENV, &pos,
			    "cannot write the PDF: check free disk space and that the folder is "
			    "writable (libharu error 0x%04X)",
			    (unsigned)errp->code);
		else
			ms_diag_add(d, MS_ENV, &pos,
			            "the PDF library failed (error 0x%04X, detail %u)",
			            (unsigned)errp->code, (unsigned)errp->detail);
		rc = -1;
	}
	saving = NULL;
	zq_free(&zip);
	return rc;
}
