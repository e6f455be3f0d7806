/* update.c — see update.h. */
#include "update.h"

#include <errno.h>
#include <fcntl.h>
#include <libdeflate.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../util/buf.h"
#include "../util/job.h"

/* libdeflate's fastest level: the page contents of the 2,000-entry digest
 * come out 10 % larger than at level 6 (the file 2 %, a catalogue with
 * photos 0.5 %) in 40 % of the time (docs/DECISIONS.md). */
#define PDFU_LEVEL 1

typedef struct pstream {
	unsigned id;
	char *dict; /* its dictionary's entries but /Length (and /Filter when deflated) */
	int deflated;
	int raw;       /* an object given whole (pdfu_object), not a stream */
	const char *z; /* its bytes in a block (a content stream, a whole object) */
	size_t len;
	unsigned char *own; /* else its own bytes (a photo made smaller), or NULL */
	char *path;         /* else a photo read when written (len its size) */
	int w, h;
} pstream;

/* The content streams, deflated, one after the other in blocks of 256
 * KiB or more: one growing buffer copied itself at each doubling, and its
 * copies were fresh memory. */
typedef struct zblock {
	struct zblock *next;
	size_t len, cap;
	char data[];
} zblock;

#define ZBLOCK (256u << 10)

/* The streams are deflated on both cores while the first makes the pages
 * (deflating was a quarter of the book's run and of the digest's first
 * thread): a stream's bytes are copied to the deflater on the second core
 * when it has none waiting, else deflated here. The deflater puts its
 * results in blocks of its own, which pdfu_append takes once it has
 * joined it. Deflating is deterministic: the file is the same bytes either
 * way. */
#define QN 8
#define QBYTES (4u << 20)

typedef struct qitem {
	size_t idx; /* the stream's place in pdfu.v */
	char *raw;  /* its bytes, the queue's copy */
	size_t len;
} qitem;

typedef struct done {
	size_t idx;
	const char *z;
	size_t len;
	int deflated;
} done;

struct pdfu {
	pstream *v;
	size_t n, cap;
	zblock *z; /* the block being filled, then the earlier ones */
	struct libdeflate_compressor *c;
	int oom;
	const char *changed; /* a photo that changed before it was written */
	/* the deflater: started at the first stream when a thread can be had */
	int tried, threaded;
	ms_job job;
	pthread_mutex_t mu;
	pthread_cond_t work;
	qitem q[QN];
	size_t qhead, qn, qbytes;
	int stop;
	/* the deflater's own, read after it is joined */
	zblock *wz;
	done *d;
	size_t nd, capd;
	int woom;
};

pdfu *pdfu_new(void)
{
	return calloc(1, sizeof(pdfu));
}

static void finish(pdfu *u);

static void free_blocks(zblock *b)
{
	for (zblock *next; b; b = next) {
		next = b->next;
		free(b);
	}
}

void pdfu_free(pdfu *u)
{
	if (!u)
		return;
	finish(u);
	for (size_t i = 0; i < u->n; i++) {
		free(u->v[i].dict);
		free(u->v[i].own);
		free(u->v[i].path);
	}
	free(u->v);
	free_blocks(u->z);
	free_blocks(u->wz);
	free(u->d);
	if (u->c)
		libdeflate_free_compressor(u->c);
	free(u);
}

static pstream *add(pdfu *u, unsigned id, const char *dict)
{
	char *d = dict ? ms_strdup(dict) : NULL;
	if (u->oom || !id || (dict && !d)) {
		free(d);
		u->oom = 1;
		return NULL;
	}
	if (u->n == u->cap) {
		size_t c = u->cap ? u->cap * 2 : 256;
		pstream *v = realloc(u->v, c * sizeof *v);
		if (!v) {
			free(d);
			u->oom = 1;
			return NULL;
		}
		u->v = v;
		u->cap = c;
	}
	pstream *s = &u->v[u->n++];
	*s = (pstream){.id = id, .dict = d};
	return s;
}

/* Room for need bytes at the end of the block being filled of the list
 * *z (a new block when it has not that much left), or NULL. */
static char *room_in(zblock **z, size_t need)
{
	if (!*z || (*z)->cap - (*z)->len < need) {
		size_t cap = need > ZBLOCK ? need : ZBLOCK;
		zblock *b = malloc(sizeof *b + cap);
		if (!b)
			return NULL;
		*b = (zblock){*z, 0, cap};
		*z = b;
	}
	return (*z)->data + (*z)->len;
}

static char *room(pdfu *u, size_t need)
{
	return room_in(&u->z, need);
}

/* len bytes at data deflated with c into the list *z: where they went, and
 * their length in *out (the bytes as they are when deflating cannot make
 * them smaller than its bound, which cannot be). NULL when out of memory. */
static const char *deflate_into(struct libdeflate_compressor *c, zblock **z, const char *data,
                                size_t len, size_t *out, int *deflated)
{
	size_t need = libdeflate_zlib_compress_bound(c, len);
	if (need < len)
		need = len;
	char *to = room_in(z, need);
	if (!to)
		return NULL;
	size_t k = libdeflate_zlib_compress(c, data, len, to, need);
	*deflated = k > 0;
	if (!k)
		memcpy(to, data, k = len);
	(*z)->len += k;
	*out = k;
	return to;
}

static int deflater(void *arg)
{
	pdfu *u = arg;
	struct libdeflate_compressor *c = libdeflate_alloc_compressor(PDFU_LEVEL);
	pthread_mutex_lock(&u->mu);
	for (;;) {
		while (!u->qn && !u->stop)
			pthread_cond_wait(&u->work, &u->mu);
		if (!u->qn)
			break;
		qitem it = u->q[u->qhead];
		u->qhead = (u->qhead + 1) % QN;
		u->qn--;
		u->qbytes -= it.len;
		pthread_mutex_unlock(&u->mu);
		done r = {it.idx, NULL, 0, 0};
		if (c && !u->woom)
			r.z = deflate_into(c, &u->wz, it.raw, it.len, &r.len, &r.deflated);
		free(it.raw);
		if (r.z && u->nd == u->capd) {
			size_t cap = u->capd ? u->capd * 2 : 256;
			done *d = realloc(u->d, cap * sizeof *d);
			if (d) {
				u->d = d;
				u->capd = cap;
			} else {
				r.z = NULL;
			}
		}
		if (r.z)
			u->d[u->nd++] = r;
		else
			u->woom = 1;
		pthread_mutex_lock(&u->mu);
	}
	pthread_mutex_unlock(&u->mu);
	if (c)
		libdeflate_free_compressor(c);
	return 0;
}

/* Waits for the deflater to empty its queue and stop, and gives each
 * stream it deflated its bytes. */
static void finish(pdfu *u)
{
	if (!u->threaded)
		return;
	pthread_mutex_lock(&u->mu);
	u->stop = 1;
	pthread_cond_signal(&u->work);
	pthread_mutex_unlock(&u->mu);
	ms_job_join(&u->job);
	u->threaded = 0;
	pthread_mutex_destroy(&u->mu);
	pthread_cond_destroy(&u->work);
	for (size_t i = 0; i < u->nd; i++) {
		pstream *s = &u->v[u->d[i].idx];
		s->z = u->d[i].z;
		s->len = u->d[i].len;
		s->deflated = u->d[i].deflated;
	}
	if (u->woom)
		u->oom = 1;
}

/* Hands a copy of the stream's bytes to the deflater unless it has a
 * stream waiting already: 0 when handed, 1 when the caller deflates it
 * (both cores then deflate, the first only while the second is behind),
 * -1 when out of memory. Only this thread adds to the queue, so it holds
 * no more than QN - 1 streams, and QBYTES. */
static int offer(pdfu *u, size_t idx, const char *data, size_t len)
{
	pthread_mutex_lock(&u->mu);
	int busy = u->qn >= QN - 1 || (u->qn && u->qbytes + len > QBYTES);
	pthread_mutex_unlock(&u->mu);
	if (busy)
		return 1;
	char *raw = malloc(len ? len : 1);
	if (!raw)
		return -1;
	memcpy(raw, data, len);
	pthread_mutex_lock(&u->mu);
	u->q[(u->qhead + u->qn) % QN] = (qitem){idx, raw, len};
	u->qn++;
	u->qbytes += len;
	pthread_cond_signal(&u->work);
	pthread_mutex_unlock(&u->mu);
	return 0;
}

static void start_deflater(pdfu *u)
{
	u->tried = 1;
	if (!ms_threads_allowed() || pthread_mutex_init(&u->mu, NULL))
		return;
	if (pthread_cond_init(&u->work, NULL)) {
		pthread_mutex_destroy(&u->mu);
		return;
	}
	if (ms_job_try_start(&u->job, deflater, u) == 0) {
		u->threaded = 1;
		return;
	}
	pthread_cond_destroy(&u->work);
	pthread_mutex_destroy(&u->mu);
}

int pdfu_stream(pdfu *u, unsigned id, const char *data, size_t len)
{
	return pdfu_stream_dict(u, id, NULL, data, len);
}

int pdfu_stream_dict(pdfu *u, unsigned id, const char *dict, const char *data, size_t len)
{
	if (!u->tried)
		start_deflater(u);
	pstream *s = add(u, id, dict);
	if (!s)
		return -1;
	int r = u->threaded ? offer(u, u->n - 1, data, len) : 1;
	if (r <= 0) {
		u->oom |= r < 0;
		return r;
	}
	if (!u->c && !u->oom)
		u->c = libdeflate_alloc_compressor(PDFU_LEVEL);
	const char *to = u->c ? deflate_into(u->c, &u->z, data, len, &s->len, &s->deflated) : NULL;
	if (!to) {
		u->oom = 1;
		return -1;
	}
	s->z = to;
	return 0;
}

static void jpeg_dict(char *d, size_t n, const ms_img *m)
{
	snprintf(d, n,
	         "/Type/XObject/Subtype/Image/Width %d/Height %d/ColorSpace/%s/BitsPerComponent "
	         "8%s/Filter/DCTDecode",
	         m->w, m->h,
	         m->comps == 1   ? "DeviceGray"
	         : m->comps == 4 ? "DeviceCMYK"
	                         : "DeviceRGB",
	         m->comps == 4 ? "/Decode[1 0 1 0 1 0 1 0]" : "");
}

int pdfu_jpeg(pdfu *u, unsigned id, ms_img *m)
{
	char d[160];
	jpeg_dict(d, sizeof d, m);
	pstream *s = add(u, id, d);
	if (s) {
		s->own = m->data;
		s->len = m->len;
	} else {
		free(m->data);
	}
	m->data = NULL; /* the update's, or freed */
	return s ? 0 : -1;
}

int pdfu_jpeg_file(pdfu *u, unsigned id, const char *path, const ms_img *m)
{
	char d[160];
	jpeg_dict(d, sizeof d, m);
	char *p = ms_strdup(path);
	pstream *s = p ? add(u, id, d) : NULL;
	if (!s) {
		free(p);
		u->oom = 1;
		return -1;
	}
	s->path = p;
	s->len = m->len;
	s->w = m->w;
	s->h = m->h;
	return 0;
}

int pdfu_object(pdfu *u, unsigned id, const char *body, size_t len)
{
	pstream *s = add(u, id, NULL);
	char *to = s ? room(u, len ? len : 1) : NULL;
	if (!to) {
		u->oom = 1;
		return -1;
	}
	memcpy(to, body, len);
	u->z->len += len;
	s->raw = 1;
	s->z = to;
	s->len = len;
	return 0;
}

size_t pdfu_count(const pdfu *u)
{
	return u ? u->n : 0;
}

const char *pdfu_changed(const pdfu *u)
{
	return u ? u->changed : NULL;
}

/* A photo's bytes, read when they are written (pdfu_jpeg_file), into
 * buf: the file must still be the JPEG judged then (its size in bytes and
 * in pixels). 0, or -1. */
static int read_photo(const pstream *s, ms_buf *buf)
{
	ms_buf_clear(buf);
	int fd = open(s->path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	struct stat st;
	int ok = fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
	         (unsigned long long)st.st_size == s->len && ms_buf_reserve(buf, s->len) == 0;
	size_t got = 0;
	while (ok && got < s->len) {
		ssize_t k = pread(fd, buf->s + got, s->len - got, (off_t)got);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			ok = 0;
		else
			got += (size_t)k;
	}
	if (fd >= 0)
		close(fd);
	int w, h, orient;
	char err[8];
	ok = ok &&
	     img_info_mem((const unsigned char *)buf->s, got, &w, &h, &orient, err, sizeof err) ==
	         0 &&
	     w == s->w && h == s->h;
	buf->len = ok ? got : 0;
	return ok ? 0 : -1;
}

/* The last trailer of the file: where its cross-reference section is (our
 * /Prev) and its entries, copied into ours but for its own /Prev. */
typedef struct trailer {
	unsigned long long xref;
	const char *d; /* the dictionary's entries, between << and >> */
	size_t d_len;
	unsigned size; /* its /Size: the first free object number */
} trailer;

static const char *last_of(const char *s, size_t n, const char *word)
{
	size_t k = strlen(word);
	for (size_t i = n >= k ? n - k + 1 : 0; i-- > 0;)
		if (!memcmp(s + i, word, k))
			return s + i;
	return NULL;
}

static int read_trailer(const char *tail, size_t n, trailer *tr)
{
	const char *sx = last_of(tail, n, "startxref");
	const char *t = sx ? last_of(tail, (size_t)(sx - tail), "trailer") : NULL;
	const char *open = t;
	while (open && open + 1 < sx && (open[0] != '<' || open[1] != '<'))
		open++;
	if (open && open + 1 >= sx)
		open = NULL;
	const char *close = open ? last_of(open, (size_t)(sx - open), ">>") : NULL;
	if (!close || close < open + 2)
		return -1;
	const char *p = sx + 9;
	while (p < tail + n && (*p == ' ' || *p == '\r' || *p == '\n'))
		p++;
	unsigned long long x = 0;
	int digits = 0;
	for (; p < tail + n && *p >= '0' && *p <= '9' && digits < 19; p++, digits++)
		x = x * 10 + (unsigned long long)(*p - '0');
	tr->xref = x;
	tr->d = open + 2;
	tr->d_len = (size_t)(close - tr->d);
	const char *sz = last_of(tr->d, tr->d_len, "/Size");
	if (!digits || !sz || !last_of(tr->d, tr->d_len, "/Root"))
		return -1;
	unsigned long long v = 0;
	for (p = sz + 5; p < close && (*p == ' ' || *p == '\r' || *p == '\n'); p++)
		;
	for (digits = 0; p < close && *p >= '0' && *p <= '9' && digits < 9; p++, digits++)
		v = v * 10 + (unsigned long long)(*p - '0');
	tr->size = (unsigned)v;
	return digits && v > 0 ? 0 : -1;
}

unsigned pdfu_first_free(const char *tail, size_t tail_len)
{
	trailer tr;
	return read_trailer(tail, tail_len, &tr) == 0 ? tr.size : 0;
}

/* The trailer's entries without "/Prev N" (an earlier update's) and
 * "/Size N" (new objects make ours larger). */
static void copy_but_prev(ms_buf *b, const char *d, size_t n)
{
	for (size_t i = 0; i < n;) {
		if (n - i >= 5 && (!memcmp(d + i, "/Prev", 5) || !memcmp(d + i, "/Size", 5)) &&
		    (n - i == 5 || d[i + 5] == ' ' || d[i + 5] == '\r' || d[i + 5] == '\n')) {
			i += 5;
			while (i < n && (d[i] == ' ' || d[i] == '\r' || d[i] == '\n'))
				i++;
			while (i < n && d[i] >= '0' && d[i] <= '9')
				i++;
			while (i < n && (d[i] == '\r' || d[i] == '\n')) /* its line */
				i++;
			continue;
		}
		ms_buf_addc(b, d[i++]);
	}
}

static int by_id(const void *a, const void *b)
{
	unsigned x = ((const pstream *)a)->id, y = ((const pstream *)b)->id;
	return x < y ? -1 : x > y;
}

static void add_u(ms_buf *b, unsigned long long v)
{
	char d[20];
	ms_buf_add(b, d, ms_utoa(d, v));
}

/* Where each object of the update starts in the file, for the
 * cross-reference section. */
typedef struct xent {
	unsigned id;
	unsigned long long at;
} xent;

struct pdfu_out {
	int (*put)(void *ctx, const void *p, size_t n);
	void *ctx;
	unsigned long long pos; /* the file's length so far */
	xent *x;
	size_t nx, capx;
	ms_buf b; /* the object being written */
	unsigned id;
	int failed; /* put failed, or out of memory */
};

static int xent_cmp(const void *a, const void *b)
{
	unsigned x = ((const xent *)a)->id, y = ((const xent *)b)->id;
	return x < y ? -1 : x > y;
}

/* v in increasing order of object number. The numbers are dense (the
 * update's new objects are consecutive, the rest libharu's placeholders),
 * so each goes straight to its place in a table by number; a sparse or
 * repeated set (none is made) is sorted instead. */
static void sort_xents(xent *v, size_t n)
{
	if (n < 2)
		return;
	unsigned lo = v[0].id, hi = v[0].id;
	for (size_t i = 1; i < n; i++) {
		lo = v[i].id < lo ? v[i].id : lo;
		hi = v[i].id > hi ? v[i].id : hi;
	}
	size_t span = (size_t)(hi - lo) + 1;
	unsigned long long *at = span <= 4 * n ? malloc(span * sizeof *at) : NULL;
	int dense = at != NULL;
	if (at) {
		memset(at, 0xFF, span * sizeof *at); /* ~0: no object */
		for (size_t i = 0; i < n && dense; i++) {
			unsigned long long *slot = &at[v[i].id - lo];
			dense = *slot == ~0ULL;
			*slot = v[i].at;
		}
	}
	if (dense) {
		size_t k = 0;
		for (size_t i = 0; i < span; i++)
			if (at[i] != ~0ULL)
				v[k++] = (xent){lo + (unsigned)i, at[i]};
	} else {
		qsort(v, n, sizeof *v, xent_cmp);
	}
	free(at);
}

/* The object just written starts at o->pos and is n bytes long. */
static void placed(pdfu_out *o, unsigned id, size_t n)
{
	if (o->nx == o->capx) {
		size_t c = o->capx ? o->capx * 2 : 1024;
		xent *v = realloc(o->x, c * sizeof *v);
		if (!v) {
			o->failed = 1;
			return;
		}
		o->x = v;
		o->capx = c;
	}
	o->x[o->nx++] = (xent){id, o->pos};
	o->pos += n;
}

ms_buf *pdfu_begin(pdfu_out *o, unsigned id)
{
	ms_buf_clear(&o->b);
	add_u(&o->b, id);
	ms_buf_adds(&o->b, " 0 obj\n");
	o->id = id;
	return &o->b;
}

void pdfu_end(pdfu_out *o)
{
	ms_buf_adds(&o->b, "\nendobj\n");
	if (o->failed || !o->id || o->b.oom || o->put(o->ctx, o->b.s, o->b.len)) {
		o->failed = 1;
		return;
	}
	placed(o, o->id, o->b.len);
}

int pdfu_append_with(pdfu *u, const char *tail, size_t tail_len, unsigned long long file_len,
                     int (*put)(void *ctx, const void *p, size_t n), void *ctx,
                     int (*more)(void *mctx, unsigned first_free, pdfu_out *o), void *mctx,
                     int *more_rc)
{
	trailer tr;
	if (more_rc)
		*more_rc = 0;
	finish(u); /* every stream deflated */
	if (u->oom || read_trailer(tail, tail_len, &tr) < 0)
		return -1;
	if (!u->n && !more)
		return 0;
	if (u->n)
		qsort(u->v, u->n, sizeof *u->v, by_id);
	pdfu_out o = {.put = put, .ctx = ctx, .pos = file_len};
	ms_buf b, photo;
	ms_buf_init(&b);
	ms_buf_init(&photo);
	ms_buf_init(&o.b);
	int rc = 0;
	for (size_t i = 0; i < u->n && rc == 0; i++) {
		pstream *s = &u->v[i];
		if (s->path && read_photo(s, &photo) < 0) {
			u->changed = s->path;
			rc = -1;
			break;
		}
		ms_buf_clear(&b);
		add_u(&b, s->id);
		if (s->raw) { /* an object given whole (a font's dictionaries) */
			ms_buf_adds(&b, " 0 obj\n");
			if (b.oom || put(ctx, b.s, b.len) || put(ctx, s->z, s->len) ||
			    put(ctx, "\nendobj\n", 8))
				rc = -1;
			placed(&o, s->id, b.len + s->len + 8);
			continue;
		}
		ms_buf_adds(&b, " 0 obj\n<<");
		if (s->dict)
			ms_buf_adds(&b, s->dict);
		const char *data = s->path ? photo.s : s->own ? (const char *)s->own : s->z;
		size_t len = s->len;
		ms_buf_adds(&b, "/Length ");
		add_u(&b, len);
		ms_buf_adds(&b, s->deflated ? "/Filter/FlateDecode>>\nstream\n" : ">>\nstream\n");
		if (b.oom || put(ctx, b.s, b.len) || (len && put(ctx, data, len)) ||
		    put(ctx, "\nendstream\nendobj\n", 18))
			rc = -1;
		placed(&o, s->id, b.len + len + 18);
	}
	/* the objects written as they are made (the structure tree's) */
	if (rc == 0 && more) {
		int m = more(mctx, tr.size, &o);
		if (more_rc)
			*more_rc = m;
	}
	if (o.failed)
		rc = -1;
	if (rc == 0 && o.nx) {
		/* the cross-reference section: a subsection a run of numbers */
		sort_xents(o.x, o.nx);
		ms_buf_clear(&b);
		ms_buf_adds(&b, "xref\n");
		for (size_t i = 0; i < o.nx;) {
			size_t j = i + 1;
			while (j < o.nx && o.x[j].id == o.x[j - 1].id + 1)
				j++;
			add_u(&b, o.x[i].id);
			ms_buf_addc(&b, ' ');
			add_u(&b, j - i);
			ms_buf_addc(&b, '\n');
			for (; i < j; i++) { /* "nnnnnnnnnn 00000 n\r\n" (7.5.4) */
				char e[20];
				unsigned long long v = o.x[i].at;
				for (int k = 9; k >= 0; k--, v /= 10)
					e[k] = (char)('0' + v % 10);
				memcpy(e + 10, " 00000 n\r\n", 10);
				ms_buf_add(&b, e, 20);
			}
		}
		ms_buf_adds(&b, "trailer\n<<");
		copy_but_prev(&b, tr.d, tr.d_len);
		unsigned last = o.x[o.nx - 1].id; /* sorted: the largest number */
		ms_buf_adds(&b, "/Size ");
		add_u(&b, last >= tr.size ? (unsigned long long)last + 1 : tr.size);
		ms_buf_adds(&b, "\n/Prev ");
		add_u(&b, tr.xref);
		ms_buf_adds(&b, "\n>>\nstartxref\n");
		add_u(&b, o.pos);
		ms_buf_adds(&b, "\n%%EOF\n");
		if (b.oom || put(ctx, b.s, b.len))
			rc = -1;
	}
	ms_buf_free(&b);
	ms_buf_free(&photo);
	ms_buf_free(&o.b);
	free(o.x);
	return rc;
}

int pdfu_append(pdfu *u, const char *tail, size_t tail_len, unsigned long long file_len,
                int (*put)(void *ctx, const void *p, size_t n), void *ctx)
{
	return pdfu_append_with(u, tail, tail_len, file_len, put, ctx, NULL, NULL, NULL);
}
