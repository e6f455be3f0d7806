/* haru.c — what mspdoc changes in libharu 2.3.0 from the outside: a pool
 * for its small blocks (pdf_doc_new, through HPDF_NewEx's allocator hooks),
 * and definitions that take the place of some of its own functions (its
 * byte-at-a-time copies, its cmap lookup, its file writer and reader).
 * libharu calls these through the PLT, so the program's definitions win
 * (ELF symbol interposition); each keeps the contract of the function it
 * replaces, and tests/unit/test_pdf.c holds them to libharu's results. With
 * a libharu that binds them directly, its own are used and nothing else
 * changes. The deflating of streams is zq.c's. */
#define _GNU_SOURCE /* RTLD_NEXT */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <hpdf_destination.h>
#include <hpdf_encrypt.h>
#include <hpdf_font.h>
#include <hpdf_fontdef.h>
#include <hpdf_objects.h>
#include <hpdf_utils.h>
#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../layout/ly.h"
#include "../util/buf.h"
#include "../util/job.h"

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
 * or a double). The malloc'd blocks are listed too, as are the file
 * readers below, so the pool knows all the document holds: pdf_doc_free
 * releases it whole instead of letting HPDF_Free walk every object (9 ms
 * for the 2,000-entry digest). libharu holds nothing else: no file stays
 * open once a document is saved, and it has no global state. */
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

/* A malloc'd block: its place in the pool's list, then its head. */
typedef struct hp_big {
	struct hp_big *next, **pprev;
	hp_head head;
} hp_big;

struct freader;

typedef struct hp_chunk {
	struct hp_chunk *next;
	size_t used;
	size_t data[]; /* to HP_CHUNK bytes in all */
} hp_chunk;

static _Thread_local struct {
	HPDF_Doc owner; /* the document the pool serves, or NULL */
	hp_chunk *chunks;
	hp_freed *free[HP_SMALL / HP_CLASS + 1]; /* by class */
	hp_big *big;                             /* the malloc'd blocks */
	struct freader *readers;                 /* the file readers (fonts, photos) */
	struct hp_subsets *subsets;              /* fonts subset on a second core */
	HPDF_Page annots_page;                   /* the page pdf_link added to last */
	HPDF_Array annots;                       /* and its Annots array */
} hp;

static void big_unlink(hp_big *b)
{
	*b->pprev = b->next;
	if (b->next)
		b->next->pprev = b->pprev;
}

static void *hp_alloc(HPDF_UINT size)
{
	hp_head *h;
	if (size >= HP_SMALL) {
		hp_big *b = malloc(sizeof *b + size);
		if (!b)
			return NULL;
		b->next = hp.big;
		b->pprev = &hp.big;
		if (hp.big)
			hp.big->pprev = &b->next;
		hp.big = b;
		b->head.cls = 0;
		return &b->head + 1;
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
		hp_big *b = (hp_big *)((unsigned char *)h - offsetof(hp_big, head));
		big_unlink(b);
		free(b);
		return;
	}
	hp_freed *f = (hp_freed *)h;
	f->next = hp.free[h->cls];
	hp.free[h->cls] = f;
}

static void readers_release(void);
static void subsets_free(struct hp_subsets *ss);

/* Everything the pool's document holds. */
static void hp_release(void)
{
	subsets_free(hp.subsets);
	hp.subsets = NULL;
	hp.annots_page = NULL;
	hp.annots = NULL;
	while (hp.chunks) {
		hp_chunk *next = hp.chunks->next;
		free(hp.chunks);
		hp.chunks = next;
	}
	while (hp.big) {
		hp_big *next = hp.big->next;
		free(hp.big);
		hp.big = next;
	}
	readers_release();
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
	if (pdf == hp.owner)
		hp_release(); /* the document and all it holds, at once */
	else
		HPDF_Free(pdf);
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
	if (n == 2) { /* a font's CIDToGIDMap is made of 65,535 such copies */
		HPDF_BYTE a = in[0], b = in[1];
		out[0] = a;
		out[1] = b;
	} else if (n) {
		memmove(out, in, n);
	}
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

/* libharu's file streams ---------------------------------------------------- */

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

static int fw_flush(fwriter *w)
{
	if (ms_write_all(w->fd, w->buf, w->n) < 0)
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
	struct freader *next, **pprev; /* in the pool's list, or pprev NULL */
} freader;

static void reader_free(freader *r)
{
	if (r->pprev) {
		*r->pprev = r->next;
		if (r->next)
			r->next->pprev = r->pprev;
	}
	free(r->data);
	free(r);
}

static void readers_release(void)
{
	while (hp.readers)
		reader_free(hp.readers);
}

static HPDF_STATUS fr_read(HPDF_Stream s, HPDF_BYTE *p, HPDF_UINT *n)
{
	freader *r = s->attr;
	size_t left = r->pos < r->len ? r->len - r->pos : 0;
	size_t k = *n < left ? *n : left;
	if (k <= 4) /* a font's tables are read two and four bytes at a time */
		for (size_t i = 0; i < k; i++)
			p[i] = r->data[r->pos + i];
	else
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
	reader_free(s->attr);
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
	if (hp.owner && mmgr == hp.owner->mmgr) { /* the pool's document: listed */
		r->next = hp.readers;
		r->pprev = &hp.readers;
		if (hp.readers)
			hp.readers->pprev = &r->next;
		hp.readers = r;
	}
	file_stream(s, mmgr, r);
	s->read_fn = fr_read;
	s->seek_fn = fr_seek;
	s->tell_fn = fr_tell;
	s->size_fn = fr_size;
	s->free_fn = fr_free;
	return s;
}

/* libharu's objects, written in one piece ------------------------------------ */

/* libharu writes an object token by token: each key, space, value and line
 * end of a dictionary is an HPDF_Stream_Write of its own, through four
 * functions. For the 2,000-entry digest's 15,000 links that is 880,000
 * writes, 0.23 G instructions: most of its saving. HPDF_Dict_Write and
 * HPDF_Array_Write are replaced here (interposition, as above) by one that
 * puts the same bytes in a buffer and hands it over in a few calls, for
 * objects made only of names, numbers, reals, booleans, nulls, references,
 * arrays and dictionaries without a stream or write hooks. Anything else
 * (streams, strings, encryption) goes to libharu's own, found with
 * RTLD_NEXT, which calls back here for what it holds. Numbers are written
 * as libharu's HPDF_IToA and HPDF_FToA write them (ow_int, ow_real);
 * tests/unit/test_pdf.c compares the bytes with libharu's. */
#define OW_DEPTH 16 /* deeper direct objects go to libharu's (none are) */

/* libharu's own functions of those replaced here, for what they still do. */
static struct {
	HPDF_STATUS (*dict)(HPDF_Dict, HPDF_Stream, HPDF_Encrypt);
	HPDF_STATUS (*array)(HPDF_Array, HPDF_Stream, HPDF_Encrypt);
	HPDF_STATUS (*save_font)(HPDF_FontDef, HPDF_Stream); /* font subsets, below */
} haru;
static pthread_once_t haru_once = PTHREAD_ONCE_INIT;

static void find_haru(void)
{
	void *d = dlsym(RTLD_NEXT, "HPDF_Dict_Write"), *a = dlsym(RTLD_NEXT, "HPDF_Array_Write"),
	     *f = dlsym(RTLD_NEXT, "HPDF_TTFontDef_SaveFontData");
	memcpy(&haru.dict, &d, sizeof d); /* data pointers to functions' */
	memcpy(&haru.array, &a, sizeof a);
	memcpy(&haru.save_font, &f, sizeof f);
}

static int ow_plain(const void *obj, int depth);

static int dict_plain(HPDF_Dict d, int depth)
{
	if (depth > OW_DEPTH || d->stream || d->before_write_fn || d->write_fn || d->after_write_fn)
		return 0;
	for (HPDF_UINT i = 0; i < d->list->count; i++) {
		const HPDF_DictElement el = d->list->obj[i];
		if (!el->value || !ow_plain(el->value, depth + 1))
			return 0;
	}
	return 1;
}

/* Can ow_obj write it as libharu's HPDF_Obj_Write would? */
static int ow_plain(const void *obj, int depth)
{
	const HPDF_Obj_Header *h = obj;
	if (h->obj_id & HPDF_OTYPE_HIDDEN || h->obj_class == HPDF_OCLASS_PROXY)
		return 1;
	switch (h->obj_class & HPDF_OCLASS_ANY) {
	case HPDF_OCLASS_NAME:
	case HPDF_OCLASS_NUMBER:
	case HPDF_OCLASS_REAL:
	case HPDF_OCLASS_BOOLEAN:
	case HPDF_OCLASS_NULL: return 1;
	case HPDF_OCLASS_ARRAY: {
		const HPDF_List l = ((HPDF_Array)obj)->list;
		if (depth > OW_DEPTH)
			return 0;
		for (HPDF_UINT i = 0; i < l->count; i++)
			if (!ow_plain(l->obj[i], depth + 1))
				return 0;
		return 1;
	}
	case HPDF_OCLASS_DICT: return dict_plain((HPDF_Dict)obj, depth);
	default: return 0;
	}
}

typedef struct ow {
	HPDF_Stream s;
	HPDF_STATUS rc;
	size_t n;
	char buf[4096];
} ow;

/* The buffer is not cleared: only its first n bytes are ever read. */
static void ow_init(ow *w, HPDF_Stream s)
{
	w->s = s;
	w->rc = HPDF_OK;
	w->n = 0;
}

static void ow_flush(ow *w)
{
	if (w->n && w->rc == HPDF_OK)
		w->rc = HPDF_Stream_Write(w->s, (const HPDF_BYTE *)w->buf, (HPDF_UINT)w->n);
	w->n = 0;
}

static inline void ow_put(ow *w, const char *p, size_t n)
{
	if (w->n + n > sizeof w->buf)
		ow_flush(w);
	memcpy(w->buf + w->n, p, n); /* n is at most a name's 383 bytes */
	w->n += n;
}

/* As HPDF_Stream_WriteEscapeName: at most 127 bytes, escaped as #XX. */
static void ow_name(ow *w, const char *v)
{
	char tmp[HPDF_LIMIT_MAX_NAME_LEN * 3 + 2], *p = tmp;
	*p++ = '/';
	for (int i = 0; i < HPDF_LIMIT_MAX_NAME_LEN && v[i]; i++) {
		HPDF_BYTE c = (HPDF_BYTE)v[i];
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
			*p++ = (char)c; /* most of every name */
		} else if (HPDF_NEEDS_ESCAPE(c)) {
			*p++ = '#';
			*p++ = "0123456789ABCDEF"[c >> 4];
			*p++ = "0123456789ABCDEF"[c & 15];
		} else {
			*p++ = (char)c;
		}
	}
	ow_put(w, tmp, (size_t)(p - tmp));
}

/* Room for n more bytes at w->buf + w->n (n <= the buffer). */
static inline char *ow_room(ow *w, size_t n)
{
	if (w->n + n > sizeof w->buf)
		ow_flush(w);
	return w->buf + w->n;
}

/* HPDF_IToA's answer (from -2,147,483,647), written once. */
static void ow_int(ow *w, HPDF_INT32 v)
{
	char *q = ow_room(w, 12), *q0 = q;
	long long x = v < -2147483647 ? -2147483647 : v;
	if (x < 0)
		*q++ = '-';
	q += ms_utoa(q, (unsigned long long)(x < 0 ? -x : x));
	w->n += (size_t)(q - q0);
}

/* HPDF_FToA's answer: the same float arithmetic (five decimals, within
 * +-32,767), the trailing zeros of the decimals and a bare point dropped,
 * written once in place instead of into a buffer, copied and trimmed. */
static void ow_real(ow *w, HPDF_REAL val)
{
	char *q = ow_room(w, 16), *q0 = q;
	if (val > HPDF_LIMIT_MAX_REAL)
		val = HPDF_LIMIT_MAX_REAL;
	else if (val < HPDF_LIMIT_MIN_REAL)
		val = HPDF_LIMIT_MIN_REAL;
	if (val < 0) {
		*q++ = '-';
		val = -val;
	}
	HPDF_INT32 int_val = (HPDF_INT32)(val + 0.000005);
	HPDF_INT32 fpart_val = (HPDF_INT32)((HPDF_REAL)(val - int_val + 0.000005) * 100000);
	q += ms_utoa(q, (unsigned long long)(int_val > 0 ? int_val : 0));
	char frac[5];
	for (int i = 4; i >= 0; i--) {
		frac[i] = (char)((char)(fpart_val % 10) + '0');
		fpart_val /= 10;
	}
	int nf = 5;
	while (nf > 0 && frac[nf - 1] == '0')
		nf--;
	if (nf) {
		*q++ = '.';
		for (int i = 0; i < nf; i++)
			*q++ = frac[i];
	}
	w->n += (size_t)(q - q0);
}

static void ow_dict(ow *w, HPDF_Dict d);
static void ow_ref(ow *w, const HPDF_Obj_Header *to);

/* As HPDF_Obj_Write, for what ow_plain accepts. */
static void ow_obj(ow *w, const void *obj)
{
	const HPDF_Obj_Header *h = obj;
	if (h->obj_id & HPDF_OTYPE_HIDDEN)
		return;
	if (h->obj_class == HPDF_OCLASS_PROXY) {
		ow_ref(w, ((const HPDF_Proxy_Rec *)obj)->obj);
		return;
	}
	switch (h->obj_class & HPDF_OCLASS_ANY) {
	case HPDF_OCLASS_NAME: ow_name(w, ((const HPDF_Name_Rec *)obj)->value); break;
	case HPDF_OCLASS_NUMBER: ow_int(w, ((const HPDF_Number_Rec *)obj)->value); break;
	case HPDF_OCLASS_REAL: ow_real(w, ((const HPDF_Real_Rec *)obj)->value); break;
	case HPDF_OCLASS_BOOLEAN:
		if (((const HPDF_Boolean_Rec *)obj)->value)
			ow_put(w, "true", 4);
		else
			ow_put(w, "false", 5);
		break;
	case HPDF_OCLASS_NULL: ow_put(w, "null", 4); break;
	case HPDF_OCLASS_ARRAY: {
		const HPDF_List l = ((const HPDF_Array_Rec *)obj)->list;
		ow_put(w, "[ ", 2);
		for (HPDF_UINT i = 0; i < l->count; i++) {
			ow_obj(w, l->obj[i]);
			ow_put(w, " ", 1);
		}
		ow_put(w, "]", 1);
		break;
	}
	case HPDF_OCLASS_DICT: ow_dict(w, (HPDF_Dict)obj); break;
	default: break; /* not reached: ow_plain said no */
	}
}

static void ow_dict(ow *w, HPDF_Dict d)
{
	ow_put(w, "<<\n", 3);
	for (HPDF_UINT i = 0; i < d->list->count; i++) {
		const HPDF_DictElement el = d->list->obj[i];
		if (((const HPDF_Obj_Header *)el->value)->obj_id & HPDF_OTYPE_HIDDEN)
			continue;
		ow_name(w, el->key);
		ow_put(w, " ", 1);
		ow_obj(w, el->value);
		ow_put(w, "\n", 1);
	}
	ow_put(w, ">>", 2);
}

/* A plain dictionary (dict set) or array written whole: one buffer, a few
 * stream writes; the stream's status. */
static HPDF_STATUS ow_write(HPDF_Stream stream, void *obj, int dict)
{
	ow w;
	ow_init(&w, stream);
	if (dict)
		ow_dict(&w, obj);
	else
		ow_obj(&w, obj);
	ow_flush(&w);
	return w.rc;
}

/* Links within the document ---------------------------------------------- */

/* HPDF_Page_CreateLinkAnnot and HPDF_LinkAnnot_SetBorderStyle(a, 0, 0, 0)
 * build each link of 21 libharu objects: six dictionary entries of 136
 * bytes, three names of 128, two arrays of numbers, two references. The
 * 2,000-entry digest has 15,000 links: 38 MB, a third of its memory and
 * 9,500 page faults. A link made here is an empty dictionary in the
 * document's cross-reference table and the page's Annots, as libharu's,
 * whose attr holds what the link says (32 bytes); HPDF_Dict_Write below
 * writes it as libharu writes its own, entry for entry. It holds no string,
 * so encryption changes none of its bytes. */
typedef struct hp_link {
	HPDF_REAL rect[4]; /* left, bottom, right, top */
	HPDF_Obj_Header *dest, *page;
} hp_link;

static void link_free(HPDF_Dict d)
{
	HPDF_FreeMem(d->mmgr, d->attr);
	d->attr = NULL;
}

int pdf_link(HPDF_Page page, HPDF_Rect r, HPDF_Destination dst)
{
	if (!HPDF_Page_Validate(page))
		return -1;
	if (!HPDF_Destination_Validate(dst)) { /* as HPDF_Page_CreateLinkAnnot */
		HPDF_RaiseError(page->error, HPDF_INVALID_DESTINATION, 0);
		return -1;
	}
	HPDF_MMgr mm = page->mmgr;
	HPDF_Dict d = HPDF_Dict_New(mm);
	if (!d)
		return -1;
	hp_link *l = HPDF_GetMem(mm, sizeof *l);
	if (!l) {
		HPDF_Dict_Free(d);
		return -1;
	}
	if (r.top < r.bottom) { /* as HPDF_Annotation_New */
		HPDF_REAL t = r.top;
		r.top = r.bottom;
		r.bottom = t;
	}
	*l = (hp_link){{r.left, r.bottom, r.right, r.top}, &dst->header, &page->header};
	d->attr = l;
	d->free_fn = link_free;
	d->header.obj_class |= HPDF_OSUBCLASS_ANNOTATION;
	if (HPDF_Xref_Add(((HPDF_PageAttr)page->attr)->xref, d) != HPDF_OK)
		return -1; /* the table has freed it */
	/* links come page after page: the page's array is looked up once */
	int pooled = hp.owner && mm == hp.owner->mmgr;
	HPDF_Array annots = pooled && hp.annots_page == page
	                        ? hp.annots
	                        : HPDF_Dict_GetItem(page, "Annots", HPDF_OCLASS_ARRAY);
	if (!annots) {
		annots = HPDF_Array_New(mm);
		if (!annots || HPDF_Dict_Add(page, "Annots", annots) != HPDF_OK)
			return -1;
	}
	if (pooled) {
		hp.annots_page = page;
		hp.annots = annots;
	}
	return HPDF_Array_Add(annots, d) == HPDF_OK ? 0 : -1;
}

static void ow_ref(ow *w, const HPDF_Obj_Header *to)
{
	ow_int(w, (HPDF_INT32)(to->obj_id & 0x00FFFFFF));
	ow_put(w, " ", 1);
	ow_int(w, to->gen_no);
	ow_put(w, " R", 2);
}

/* In libharu's order: Rect, Type and Subtype (HPDF_Annotation_New), Dest
 * (HPDF_LinkAnnot_New), P (its AddAnnotation), Border. */
static HPDF_STATUS link_write(HPDF_Stream stream, const hp_link *l)
{
	ow w;
	ow_init(&w, stream);
	ow_put(&w, "<<\n/Rect [ ", 11);
	for (int i = 0; i < 4; i++) {
		ow_real(&w, l->rect[i]);
		ow_put(&w, " ", 1);
	}
	static const char mid[] = "]\n/Type /Annot\n/Subtype /Link\n/Dest ";
	ow_put(&w, mid, sizeof mid - 1);
	ow_ref(&w, l->dest);
	ow_put(&w, "\n/P ", 4);
	ow_ref(&w, l->page);
	static const char end[] = "\n/Border [ 0 0 0 ]\n>>";
	ow_put(&w, end, sizeof end - 1);
	ow_flush(&w);
	return w.rc;
}

HPDF_STATUS HPDF_Dict_Write(HPDF_Dict dict, HPDF_Stream stream, HPDF_Encrypt e)
{
	if (dict->free_fn == link_free && dict->attr)
		return link_write(stream, dict->attr);
	if (!e && dict_plain(dict, 0))
		return ow_write(stream, dict, 1);
	pthread_once(&haru_once, find_haru);
	return haru.dict ? haru.dict(dict, stream, e)
	                 : HPDF_SetError(dict->error, HPDF_INVALID_OBJECT, 0);
}

HPDF_STATUS HPDF_Array_Write(HPDF_Array array, HPDF_Stream stream, HPDF_Encrypt e)
{
	if (!e && ow_plain(array, 0))
		return ow_write(stream, array, 0);
	pthread_once(&haru_once, find_haru);
	return haru.array ? haru.array(array, stream, e)
	                  : HPDF_SetError(array->error, HPDF_INVALID_OBJECT, 0);
}

/* The cross-reference table ------------------------------------------------ */

/* libharu's HPDF_Xref_WriteToStream writes each object's "N 0 obj" and
 * "endobj" lines, and each line of the table, through HPDF_IToA, HPDF_StrCpy
 * and a stream write of its own: 61,000 writes and 20 M instructions for
 * the 2,000-entry digest's 20,000 objects. The same bytes here: an object's
 * "endobj" and the next one's header in one write, the table in writes of
 * 64 KiB. The objects themselves are written by libharu's
 * HPDF_Obj_WriteValue (and the dictionary writer above), the trailer as its
 * WriteTrailer writes it. */
#define XR_BUF (64 << 10)

/* v in width digits, zero-padded, at q (HPDF_IToA2, clamped as it clamps). */
static void xr_padded(char *q, unsigned long v, int width)
{
	if (v > HPDF_LIMIT_MAX_INT)
		v = HPDF_LIMIT_MAX_INT;
	for (int i = width - 1; i >= 0; i--) {
		q[i] = (char)('0' + v % 10);
		v /= 10;
	}
}

HPDF_STATUS HPDF_Xref_WriteToStream(HPDF_Xref xref, HPDF_Stream stream, HPDF_Encrypt e)
{
	char head[64];
	size_t n = 0; /* bytes in head not yet written: the last "endobj" */
	HPDF_STATUS ret = HPDF_OK;
	for (HPDF_Xref x = xref; x; x = x->prev)
		for (HPDF_UINT i = x->start_offset == 0 ? 1 : 0; i < x->entries->count; i++) {
			HPDF_XrefEntry entry = x->entries->obj[i];
			HPDF_UINT id = x->start_offset + i;
			entry->byte_offset = stream->size + (HPDF_UINT)n;
			n += ms_utoa(head + n, id);
			head[n++] = ' ';
			n += ms_utoa(head + n, entry->gen_no);
			memcpy(head + n, " obj\n", 5);
			n += 5;
			if ((ret = HPDF_Stream_Write(stream, (HPDF_BYTE *)head, (HPDF_UINT)n)) !=
			    HPDF_OK)
				return ret;
			if (e)
				HPDF_Encrypt_InitKey(e, id, entry->gen_no);
			if ((ret = HPDF_Obj_WriteValue(entry->obj, stream, e)) != HPDF_OK)
				return ret;
			memcpy(head, "\nendobj\n", 8);
			n = 8;
		}
	if (n && (ret = HPDF_Stream_Write(stream, (HPDF_BYTE *)head, (HPDF_UINT)n)) != HPDF_OK)
		return ret;
	char *buf = malloc(XR_BUF);
	if (!buf)
		return HPDF_SetError(stream->error, HPDF_FAILD_TO_ALLOC_MEM, 0);
	for (HPDF_Xref x = xref; x && ret == HPDF_OK; x = x->prev) {
		x->addr = stream->size;
		memcpy(buf, "xref\n", 5);
		n = 5;
		n += ms_utoa(buf + n, x->start_offset);
		buf[n++] = ' ';
		n += ms_utoa(buf + n, x->entries->count);
		buf[n++] = '\n';
		for (HPDF_UINT i = 0; i < x->entries->count && ret == HPDF_OK; i++) {
			const HPDF_XrefEntry entry = x->entries->obj[i];
			if (n + 20 > XR_BUF) {
				ret = HPDF_Stream_Write(stream, (HPDF_BYTE *)buf, (HPDF_UINT)n);
				n = 0;
			}
			xr_padded(buf + n, entry->byte_offset, HPDF_BYTE_OFFSET_LEN);
			buf[n + 10] = ' ';
			xr_padded(buf + n + 11, entry->gen_no, HPDF_GEN_NO_LEN);
			buf[n + 16] = ' ';
			buf[n + 17] = entry->entry_typ;
			buf[n + 18] = '\r'; /* Acrobat 8.15 requires both \r and \n here */
			buf[n + 19] = '\n';
			n += 20;
		}
		if (ret == HPDF_OK)
			ret = HPDF_Stream_Write(stream, (HPDF_BYTE *)buf, (HPDF_UINT)n);
	}
	free(buf);
	if (ret != HPDF_OK)
		return ret;
	/* the trailer, as libharu's WriteTrailer */
	if ((ret = HPDF_Dict_AddNumber(xref->trailer, "Size",
	                               xref->entries->count + xref->start_offset)) != HPDF_OK)
		return ret;
	if (xref->prev &&
	    (ret = HPDF_Dict_AddNumber(xref->trailer, "Prev", xref->prev->addr)) != HPDF_OK)
		return ret;
	if ((ret = HPDF_Stream_WriteStr(stream, "trailer\n")) != HPDF_OK ||
	    (ret = HPDF_Dict_Write(xref->trailer, stream, NULL)) != HPDF_OK ||
	    (ret = HPDF_Stream_WriteStr(stream, "\nstartxref\n")) != HPDF_OK ||
	    (ret = HPDF_Stream_WriteUInt(stream, xref->addr)) != HPDF_OK)
		return ret;
	return HPDF_Stream_WriteStr(stream, "\n%%EOF\n");
}

/* Font subsets made on a second core ----------------------------------------- */

/* libharu makes each embedded font's subset (HPDF_TTFontDef_SaveFontData:
 * the glyphs used, the tables rewritten, the checksums) when the document
 * is saved, on the first core, while the second has nothing left to do:
 * 44 M instructions for the 2,000-entry digest's six faces. Once the layout
 * is final, the glyphs used are known: pdf_subset_start makes the subsets
 * then, on a second core, while the pages are written, and HPDF_TTFontDef_
 * SaveFontData, replaced here, writes the bytes made (the same bytes: the
 * same function wrote them) when libharu asks at saving.
 * - The job runs libharu's own function on fonts the first core no longer
 *   touches: measuring a new character would mark a glyph, so ly_units
 *   calls pdf_subset_cancel first, which waits for the job and drops what
 *   it made (libharu then subsets at saving, as before).
 * - It allocates through its own memory manager (its pool blocks are this
 *   thread's, all freed before it ends) and reports to its own error
 *   record, so that nothing it does reaches the document's.
 * - Without threads (MSPDOC_THREADS=1), nothing is made ahead. */
typedef struct hp_subset {
	HPDF_FontDef def;
	ms_buf bytes; /* what SaveFontData writes to its stream */
	HPDF_UINT length1;
	int ok;
} hp_subset;

typedef struct hp_subsets {
	hp_subset v[FACE_COUNT];
	int n;
	ms_job job;
	int running; /* started and not yet joined */
	int dropped; /* cancelled: libharu subsets at saving */
} hp_subsets;

static HPDF_STATUS mem_write(HPDF_Stream s, const HPDF_BYTE *p, HPDF_UINT n)
{
	return ms_buf_add(s->attr, p, n) < 0 ? HPDF_FAILD_TO_ALLOC_MEM : HPDF_OK;
}

/* On the second core: each font's subset, into its buffer. */
static int make_subsets(void *arg)
{
	hp_subsets *ss = arg;
	pthread_once(&haru_once, find_haru);
	for (int i = 0; haru.save_font && i < ss->n; i++) {
		hp_subset *u = &ss->v[i];
		HPDF_Error_Rec err;
		HPDF_Error_Init(&err, NULL);
		HPDF_MMgr own = HPDF_MMgr_New(&err, 0, hp_alloc, hp_free);
		HPDF_Stream_Rec out;
		if (!own)
			break;
		file_stream(&out, own, &u->bytes);
		out.type = HPDF_STREAM_MEMORY;
		out.write_fn = mem_write;
		HPDF_MMgr mm = u->def->mmgr;
		HPDF_Error er = u->def->error;
		u->def->mmgr = own;
		u->def->error = &err;
		u->ok = haru.save_font(u->def, &out) == HPDF_OK && !err.error_no && !u->bytes.oom;
		u->length1 = ((HPDF_TTFontDefAttr)u->def->attr)->length1;
		u->def->mmgr = mm;
		u->def->error = er;
		HPDF_MMgr_Free(own);
	}
	hp_release(); /* this thread's pool: nothing in it is still in use */
	return 0;
}

void pdf_subset_start(HPDF_Doc pdf, const HPDF_Font *fonts, int n)
{
	if (!pdf || pdf != hp.owner || hp.subsets || !ms_threads_allowed())
		return;
	hp_subsets *ss = calloc(1, sizeof *ss);
	if (!ss)
		return;
	for (int i = 0; i < n && ss->n < FACE_COUNT; i++) {
		HPDF_FontAttr fa = fonts[i] ? (HPDF_FontAttr)fonts[i]->attr : NULL;
		HPDF_FontDef def = fa ? fa->fontdef : NULL;
		if (def && def->type == HPDF_FONTDEF_TYPE_TRUETYPE &&
		    ((HPDF_TTFontDefAttr)def->attr)->embedding) {
			ss->v[ss->n].def = def;
			ms_buf_init(&ss->v[ss->n].bytes);
			ss->n++;
		}
	}
	if (ss->n && ms_job_try_start(&ss->job, make_subsets, ss) == 0) {
		ss->running = 1;
		hp.subsets = ss;
	} else {
		free(ss);
	}
}

/* Wait for the job, if it runs. */
static void subsets_join(hp_subsets *ss)
{
	if (ss && ss->running) {
		ms_job_join(&ss->job);
		ss->running = 0;
	}
}

void pdf_subset_cancel(HPDF_Doc pdf)
{
	if (pdf && pdf == hp.owner && hp.subsets) {
		subsets_join(hp.subsets);
		hp.subsets->dropped = 1;
	}
}

static void subsets_free(hp_subsets *ss)
{
	if (!ss)
		return;
	subsets_join(ss);
	for (int i = 0; i < ss->n; i++)
		ms_buf_free(&ss->v[i].bytes);
	free(ss);
}

HPDF_STATUS HPDF_TTFontDef_SaveFontData(HPDF_FontDef fontdef, HPDF_Stream stream)
{
	/* this thread's document's subsets, if it is the one that started them;
	 * the job, which swaps fontdef's memory manager while it runs, is waited
	 * for before fontdef is looked at */
	hp_subsets *ss = hp.subsets;
	subsets_join(ss);
	for (int i = 0; ss && !ss->dropped && i < ss->n; i++)
		if (ss->v[i].def == fontdef && ss->v[i].ok) {
			const hp_subset *u = &ss->v[i];
			((HPDF_TTFontDefAttr)fontdef->attr)->length1 = u->length1;
			return HPDF_Stream_Write(stream, (const HPDF_BYTE *)u->bytes.s,
			                         (HPDF_UINT)u->bytes.len);
		}
	pthread_once(&haru_once, find_haru);
	return haru.save_font ? haru.save_font(fontdef, stream)
	                      : HPDF_SetError(fontdef->error, HPDF_INVALID_OBJECT, 0);
}
