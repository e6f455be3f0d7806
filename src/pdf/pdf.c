/* pdf.c — the PDF back-end (pdf.h): display lists to libharu (text
 * and rules as bytes into the content streams: content.c; the functions
 * hpdf.h lacks: hpdfx.c), outline, links, page labels and document info;
 * the finished file written through a temporary file, and encrypted with
 * AES-256 by libqpdf when a password is given (libharu only has RC4). */
#define _GNU_SOURCE /* fallocate, FALLOC_FL_KEEP_SIZE (Linux) */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <qpdf/qpdf-c.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../img/img.h"
#include "../util/buf.h"
#include "../util/job.h"
#include "content.h"
#include "hpdfmem.h"
#include "hpdfx.h"
#include "pdf.h"
#include "tags.h"
#include "update.h"

/* libharu's errors are sticky: this handler (given to HPDF_New with a
 * herr as user data) records the first one. */
typedef struct herr {
	HPDF_STATUS code, detail;
} herr;

static void on_error(HPDF_STATUS code, HPDF_STATUS detail, void *data)
{
	herr *e = data;
	if (!e->code) {
		e->code = code;
		e->detail = detail;
	}
}

/* Drawing ----------------------------------------------------------------- */

/* A photo checked and decoded by src/img: a JPEG a PDF holds as it is
 * goes in as its bytes, anything else (PNG, interlaced or not) as 8-bit
 * pixels with its alpha as a soft mask; libharu's own PNG reader (whose
 * libpng errors abort the process) is never used. */
static HPDF_Image pdf_photo(HPDF_Doc pdf, pdfu *upd, const char *path, int need_w, int need_h)
{
	ms_img m;
	char err[256];
	HPDF_Image im = NULL;
	/* A JPEG that passes through goes to the file with the update
	 * (update.h), libharu holding an empty dictionary in its place: as
	 * sent, it is read there, once, into one buffer for all the photos. */
	if (img_pass_head(path, &m) && img_kept_as_sent(&m, need_w, need_h)) {
		im = pdfx_dict(pdf, 1);
		if (im && pdfu_jpeg_file(upd, pdfx_id(im), path, &m) < 0)
			im = NULL;
		if (!im)
			HPDF_ResetError(pdf);
		return im;
	}
	if (img_load_fit(path, need_w, need_h, &m, err, sizeof err) < 0)
		return NULL;
	if (m.kind == IMG_PASS_JPEG) {
		im = pdfx_dict(pdf, 1);
		if (im && pdfu_jpeg(upd, pdfx_id(im), &m) < 0)
			im = NULL;
	} else {
		HPDF_ColorSpace cs = m.comps == 1   ? HPDF_CS_DEVICE_GRAY
		                     : m.comps == 3 ? HPDF_CS_DEVICE_RGB
		                                    : HPDF_CS_DEVICE_CMYK;
		im = HPDF_LoadRawImageFromMem(pdf, m.data, (HPDF_UINT)m.w, (HPDF_UINT)m.h, cs, 8);
		if (im && m.alpha) {
			HPDF_Image mask = HPDF_LoadRawImageFromMem(
			    pdf, m.alpha, (HPDF_UINT)m.w, (HPDF_UINT)m.h, HPDF_CS_DEVICE_GRAY, 8);
			if (!mask || HPDF_Image_AddSMask(im, mask) != HPDF_OK)
				im = NULL;
		}
	}
	img_free(&m);
	if (!im)
		HPDF_ResetError(pdf);
	return im;
}

typedef struct imgcache {
	const char *path;
	HPDF_Image img;
} imgcache;

/* A photo with more pixels than 300 ppi at its placed size is scaled down
 * once (src/img, issue 19); its first placement decides. */
#define PHOTO_PPI 300.0

static HPDF_Image load_image(HPDF_Doc pdf, pdfu *upd, const ly_op *o, imgcache **cache, size_t *n)
{
	const char *path = o->text;
	for (size_t i = 0; i < *n; i++)
		if (!strcmp((*cache)[i].path, path))
			return (*cache)[i].img;
	/* the stored width lies across the page for orientations 5..8 */
	double pw = o->orient >= 5 ? o->h : o->w, ph = o->orient >= 5 ? o->w : o->h;
	HPDF_Image img = pdf_photo(pdf, upd, path, (int)(pw / 72.0 * PHOTO_PPI + 0.999),
	                           (int)(ph / 72.0 * PHOTO_PPI + 0.999));
	if (!img)
		return NULL;
	imgcache *v = realloc(*cache, (*n + 1) * sizeof *v);
	if (v) {
		*cache = v;
		v[(*n)++] = (imgcache){path, img};
	}
	return img;
}

/* Place an image in the box (x, y, w, h) honouring EXIF orientation: the
 * placement is rotated and mirrored, the pixels are untouched. */
static void draw_image(pdfc *tw, HPDF_Page pg, HPDF_Image img, const ly_op *o)
{
	double x = o->x, y = o->y, w = o->w, h = o->h;
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
	const char *name = pdfx_image_name(pg, img);
	if (name)
		pdfc_image(tw, name, (const double[6]){a, b, c, d, e, f});
}

/* Whether the file libharu saved at path is whole: libharu's
 * HPDF_SaveToFile goes through stdio and never checks the last flush (at
 * fclose), so on a full disk a PDF smaller than stdio's buffer, or the
 * last 4 KiB of any, is lost with success reported. A whole file ends with
 * its trailer, "startxref\nN\n%%EOF\n", and N is where its "xref" is. */
static int saved_whole(const char *path)
{
	int fd = open(path, O_RDONLY);
	struct stat sb;
	char tail[64], x[5] = "";
	int ok = fd >= 0 && fstat(fd, &sb) == 0 && sb.st_size > (off_t)sizeof tail;
	ok = ok && pread(fd, tail, sizeof tail - 1, sb.st_size - (off_t)(sizeof tail - 1)) ==
	               (ssize_t)(sizeof tail - 1);
	if (ok) {
		tail[sizeof tail - 1] = 0;
		const char *sx = strstr(tail, "startxref\n");
		char *end = NULL;
		long long at = sx ? strtoll(sx + 10, &end, 10) : -1;
		ok = sx && end && !strcmp(end, "\n%%EOF\n") && at > 0 && at < sb.st_size &&
		     pread(fd, x, 4, at) == 4 && !memcmp(x, "xref", 4);
	}
	if (fd >= 0)
		close(fd);
	return ok;
}

/* Write len bytes of data to path through a temporary file renamed into
 * place, every write and the close checked. */
static int write_file(const char *path, const void *data, size_t len, ms_diags *d)
{
	char *tmp = ms_printf("%s.tmp.XXXXXX", path);
	int fd = tmp ? mkstemp(tmp) : -1;
	int ok = fd >= 0;
	if (ok) {
		ok = ms_write_all(fd, data, len) == 0;
		ok = fchmod(fd, 0644) == 0 && ok; /* mkstemp makes 0600 */
		ok = close(fd) == 0 && ok;
	}
	if (ok && ms_replace(tmp, path) == 0) {
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

/* libqpdf is loaded when a digest is to be encrypted, not at every start:
 * with it come eleven more libraries (a C++ runtime, GnuTLS and its own),
 * whose mapping and relocation took 3.2 ms of every run. */
static struct {
	void *h;
	__typeof__(&qpdf_init) init;
	__typeof__(&qpdf_set_suppress_warnings) set_suppress_warnings;
	__typeof__(&qpdf_read_memory) read_memory;
	__typeof__(&qpdf_init_write_memory) init_write_memory;
	__typeof__(&qpdf_set_stream_data_mode) set_stream_data_mode;
	__typeof__(&qpdf_set_r6_encryption_parameters2) set_r6_encryption_parameters2;
	__typeof__(&qpdf_write) write;
	__typeof__(&qpdf_get_buffer_length) get_buffer_length;
	__typeof__(&qpdf_get_buffer) get_buffer;
	__typeof__(&qpdf_cleanup) cleanup;
	int ok;
} qp;
static pthread_once_t qp_once = PTHREAD_ONCE_INIT;

static void qp_sym(void *fn, const char *name)
{
	void *sym = qp.h ? dlsym(qp.h, name) : NULL;
	memcpy(fn, &sym, sizeof sym); /* a data pointer to a function's */
	qp.ok &= sym != NULL;
}

static void load_qpdf(void)
{
	qp.h = dlopen("libqpdf.so.29", RTLD_NOW | RTLD_LOCAL); /* Debian 12's */
	if (!qp.h)
		qp.h = dlopen("libqpdf.so.30", RTLD_NOW | RTLD_LOCAL); /* Debian 13's */
	if (!qp.h)
		qp.h = dlopen("libqpdf.so", RTLD_NOW | RTLD_LOCAL);
	qp.ok = qp.h != NULL;
	qp_sym(&qp.init, "qpdf_init");
	qp_sym(&qp.set_suppress_warnings, "qpdf_set_suppress_warnings");
	qp_sym(&qp.read_memory, "qpdf_read_memory");
	qp_sym(&qp.init_write_memory, "qpdf_init_write_memory");
	qp_sym(&qp.set_stream_data_mode, "qpdf_set_stream_data_mode");
	qp_sym(&qp.set_r6_encryption_parameters2, "qpdf_set_r6_encryption_parameters2");
	qp_sym(&qp.write, "qpdf_write");
	qp_sym(&qp.get_buffer_length, "qpdf_get_buffer_length");
	qp_sym(&qp.get_buffer, "qpdf_get_buffer");
	qp_sym(&qp.cleanup, "qpdf_cleanup");
}

/* AES-256 (R6) with libqpdf, in memory. -1 when it fails, -2 when libqpdf
 * cannot be loaded. */
static int encrypt(const unsigned char *in, size_t len, const char *password, unsigned char **out,
                   size_t *outlen)
{
	pthread_once(&qp_once, load_qpdf);
	if (!qp.ok)
		return -2;
	qpdf_data q = qp.init();
	qp.set_suppress_warnings(q, QPDF_TRUE);
	int ok = !(qp.read_memory(q, "digest", (const char *)in, len, NULL) & QPDF_ERRORS);
	char owner[33];
	unsigned char rnd[16];
	int fd = open("/dev/urandom", O_RDONLY);
	ok = ok && fd >= 0 && read(fd, rnd, sizeof rnd) == (ssize_t)sizeof rnd;
	if (fd >= 0)
		close(fd);
	for (int i = 0; i < 16; i++)
		snprintf(owner + 2 * i, 3, "%02x", rnd[i]);
	ok = ok && !(qp.init_write_memory(q) & QPDF_ERRORS);
	/* streams as they are, only encrypted: by default qpdf inflates every
	 * deflated stream and deflates it again at zlib's level 6 (a tenth of a
	 * whole `build` of the sample, for 4 % off the restricted digest) */
	if (ok)
		qp.set_stream_data_mode(q, qpdf_s_preserve);
	if (ok)
		qp.set_r6_encryption_parameters2(q, password, owner, QPDF_TRUE, QPDF_TRUE,
		                                 QPDF_TRUE, QPDF_TRUE, QPDF_TRUE, QPDF_TRUE,
		                                 qpdf_r3p_full, QPDF_TRUE);
	ok = ok && !(qp.write(q) & QPDF_ERRORS);
	if (ok) {
		*outlen = qp.get_buffer_length(q);
		*out = malloc(*outlen ? *outlen : 1);
		if (*out)
			memcpy(*out, qp.get_buffer(q), *outlen);
		ok = *out != NULL;
	}
	memset(owner, 0, sizeof owner);
	qp.cleanup(&q);
	return ok ? 0 : -1;
}

/* Link targets, sorted by id (then page order) for a binary search: a
 * digest has thousands of links and as many targets. */
typedef struct dest {
	const char *id;
	unsigned page; /* its page's object number */
	double top;
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

/* The words of each link on a page, for its annotation's /Contents (what
 * a screen reader says of the link): the text operations of the elements
 * a link of the page is drawn over. */
typedef struct linkwords {
	unsigned char *want; /* by element: a link of this page is over its words */
	struct lw {
		int elem;
		const char *s;
		unsigned len;
	} * v;
	size_t n, cap;
	ms_buf b;
} linkwords;

static void linkwords_page(linkwords *lw, const ly_page *p, size_t nelems)
{
	lw->n = 0;
	if (!lw->want)
		return;
	int any = 0;
	for (const ly_op *o = p->ops; o; o = o->next)
		if (o->kind == OP_LINK && o->elem >= 0 && (size_t)o->elem < nelems)
			any = lw->want[o->elem] = 1;
	if (!any)
		return;
	for (const ly_op *o = p->ops; o; o = o->next)
		if (o->kind == OP_TEXT && !o->artifact && o->elem >= 0 &&
		    (size_t)o->elem < nelems &&
		    lw->want[o->elem]) { /* not the contents' leader dots */
			if (lw->n == lw->cap) {
				size_t c = lw->cap ? lw->cap * 2 : 64;
				struct lw *v = realloc(lw->v, c * sizeof *v);
				if (!v)
					break;
				lw->v = v;
				lw->cap = c;
			}
			lw->v[lw->n++] = (struct lw){o->elem, o->text, o->len};
		}
	for (const ly_op *o = p->ops; o; o = o->next)
		if (o->kind == OP_LINK && o->elem >= 0 && (size_t)o->elem < nelems)
			lw->want[o->elem] = 0;
}

/* Whether s is a page number as the layout prints one: decimal, or a
 * front-matter page's lower-case roman numeral up to xxxix. */
static int page_label(const char *s)
{
	if (s[0] >= '0' && s[0] <= '9')
		return strspn(s, "0123456789") == strlen(s);
	size_t k = strspn(s, "x");
	if (k > 3)
		return 0;
	s += k;
	if (!strcmp(s, "ix") || !strcmp(s, "iv"))
		return 1;
	int v = *s == 'v';
	s += v;
	size_t i = strspn(s, "i");
	return i <= 3 && !s[i] && (k || v || i);
}

/* The link's words (at most a few hundred bytes), or its address. */
static const char *linkwords_of(linkwords *lw, const ly_op *o)
{
	ms_buf_clear(&lw->b);
	for (size_t i = 0; i < lw->n && lw->b.len < 300; i++)
		if (lw->v[i].elem == o->elem) {
			if (lw->b.len)
				ms_buf_addc(&lw->b, ' ');
			ms_buf_add(&lw->b, lw->v[i].s, lw->v[i].len);
		}
	if (!lw->b.len && o->text[0] != '#')
		ms_buf_adds(&lw->b, o->text);
	if (o->text[0] == '#' && lw->b.len < 12 && !lw->b.oom && page_label(lw->b.s)) {
		/* a page number (contents, index, a match's "p. 12"): a screen
		 * reader says "page 12", not a bare "12" */
		char num[12];
		memcpy(num, lw->b.s, lw->b.len + 1);
		ms_buf_clear(&lw->b);
		ms_buf_adds(&lw->b, "page ");
		ms_buf_adds(&lw->b, num);
	}
	return lw->b.len && !lw->b.oom ? lw->b.s : "Link within the document";
}

/* Warnings for what the fonts could not show, and for right-to-left text,
 * naming the page (the display list keeps no input positions). */
/* Where a structure element's text was written: its own source, else its
 * nearest ancestor's (a table cell's paragraph, a list's label); NULL when
 * none has one (text the program wrote, a running head). */
static const ms_pos *elem_src(const ly_dlist *dl, int e)
{
	for (int hops = 0; e >= 0 && (size_t)e < dl->nelems && hops < 64; hops++) {
		if (dl->elems[e].src)
			return dl->elems[e].src;
		e = dl->elems[e].parent;
	}
	return NULL;
}

/* "page 7" or "page 7 (printed "iv")" of out_path, into buf. */
static const char *page_words(const ly_dlist *dl, int pg, const char *out_path, char *buf,
                              size_t size)
{
	char num[16];
	snprintf(num, sizeof num, "%d", pg);
	const char *label = pg >= 1 && pg <= dl->npages && dl->pages[pg - 1].label[0] &&
	                            strcmp(dl->pages[pg - 1].label, num)
	                        ? dl->pages[pg - 1].label
	                        : NULL;
	snprintf(buf, size, "page %d%s%s%s of %s", pg, label ? " (printed \"" : "",
	         label ? label : "", label ? "\")" : "", out_path);
	return buf;
}

/* Each character no font shows, and right-to-left text, a warning at the
 * place in the inputs where it was written (FILE:LINE, or the cell), with
 * the page of the PDF it is printed on: one warning a place, listing its
 * characters (a line of Korean in a style with no Korean font is one
 * warning, not thirty). */
static void report_missing(const pdfc_missing *m, const ly_dlist *dl, const char *out_path,
                           ms_diags *d)
{
	ms_pos whole = ms_pos_file(out_path);
	char where[512], a[256], b[256];
	unsigned char done[PDFC_MISSING] = {0};
	for (int k = 0; k < m->n; k++) {
		if (done[k])
			continue;
		const ms_pos *src = elem_src(dl, m->elem[k]);
		if (src)
			ms_pos_format(src, a, sizeof a);
		ms_buf cps;
		ms_buf_init(&cps);
		int n = 0;
		for (int j = k; j < m->n; j++) {
			if (done[j])
				continue;
			const ms_pos *sj = elem_src(dl, m->elem[j]);
			int same =
			    src ? sj && (sj == src || !strcmp(ms_pos_format(sj, b, sizeof b), a))
			        : !sj && m->page[j] == m->page[k];
			if (!same)
				continue;
			done[j] = 1;
			if (n < 12)
				ms_buf_printf(&cps, "%sU+%04X", n ? ", " : "", (unsigned)m->cp[j]);
			else if (n == 12)
				ms_buf_adds(&cps, ", ...");
			n++;
		}
		page_words(dl, m->page[k], out_path, where, sizeof where);
		if (n == 1)
			ms_diag_add(
			    d, MS_WARNING, src ? src : &whole,
			    "character %s, on %s, cannot be shown by any font of the style or "
			    "its fallbacks; it is printed as a replacement mark and kept for "
			    "copying and screen readers: check the text, or use a style whose "
			    "fonts cover it",
			    cps.s ? cps.s : "", where);
		else
			ms_diag_add(
			    d, MS_WARNING, src ? src : &whole,
			    "%d characters (%s), on %s, cannot be shown by any font of the "
			    "style or its fallbacks; they are printed as replacement marks and "
			    "kept for copying and screen readers: check the text, or use a "
			    "style whose fonts cover them",
			    n, cps.s ? cps.s : "", where);
		ms_buf_free(&cps);
	}
	if (m->more)
		ms_diag_add(d, MS_WARNING, &whole,
		            "more characters cannot be shown by any font (only the first %d are "
		            "listed)",
		            PDFC_MISSING);
	if (m->rtl_page) {
		const ms_pos *src = elem_src(dl, m->rtl_elem);
		ms_diag_add(d, MS_WARNING, src ? src : &whole,
		            "right-to-left text (U+%04X), on %s, is printed left to right and "
		            "unshaped: Arabic and Hebrew are not laid out correctly yet; have the "
		            "text checked, or give it in a language written left to right",
		            (unsigned)m->rtl_cp,
		            page_words(dl, m->rtl_page, out_path, where, sizeof where));
	}
}

/* The update's pieces to the file: small ones (an object's dictionary,
 * a page's contents) gathered into writes of 256 KiB, a photo written
 * from its own buffer. The file's blocks are reserved 4 MiB ahead
 * (fallocate, keeping its size) and what is left over given back at the
 * end: on ext4, a file whose blocks are allocated as it grows replaces
 * the previous output in half the time of one allocated when it is
 * renamed over it (the 16 MB digest: 15.7 → 7.6 ms). Where the file
 * system cannot, it is written as before. */
typedef struct fdout {
	int fd;
	ms_buf b;
	unsigned long long pos, alloc; /* the file's length; what is reserved */
	int no_alloc;
} fdout;

#define FDOUT_BATCH (256u << 10)
#define FDOUT_AHEAD (4u << 20)

static int fdout_write(fdout *o, const void *p, size_t n)
{
#ifdef FALLOC_FL_KEEP_SIZE
	if (!o->no_alloc && o->pos + n > o->alloc) {
		unsigned long long from = o->alloc > o->pos ? o->alloc : o->pos;
		unsigned long long len = o->pos + n - from + FDOUT_AHEAD;
		if (fallocate(o->fd, FALLOC_FL_KEEP_SIZE, (off_t)from, (off_t)len) == 0)
			o->alloc = from + len;
		else
			o->no_alloc = 1; /* not supported here: no matter */
	}
#endif
	if (ms_write_all(o->fd, p, n) < 0)
		return -1;
	o->pos += n;
	return 0;
}

static int fdout_flush(fdout *o)
{
	int rc = o->b.oom ? -1 : fdout_write(o, o->b.s, o->b.len);
	ms_buf_clear(&o->b);
	return rc;
}

/* The blocks reserved past the end given back (a truncation to the
 * file's own length does that). */
static int fdout_end(fdout *o)
{
	return o->alloc > o->pos && ftruncate(o->fd, (off_t)o->pos) != 0 ? -1 : 0;
}

static int put_fd(void *ctx, const void *p, size_t n)
{
	fdout *o = ctx;
	if (n >= FDOUT_BATCH)
		return fdout_flush(o) || fdout_write(o, p, n) ? -1 : 0;
	if (o->b.len + n > FDOUT_BATCH && fdout_flush(o))
		return -1;
	return ms_buf_add(&o->b, p, n);
}

/* The structure tree and the links, written as the update is appended. */
static int more_tags(void *tags, unsigned first_free, pdfu_out *o)
{
	return tags_update(tags, first_free, o);
}

/* The pages' contents, photos, tags and links (update.h) appended to the
 * file saved at path: 0, or -1 with errno (ENOMEM, or the disk's);
 * *untagged when the tags could not be made (the file is whole then). */
static int append_update(pdfu *u, pdf_tags *tags, int *untagged, const char *path)
{
	int fd = open(path, O_RDWR | O_APPEND);
	struct stat sb;
	char tail[4096];
	int ok = fd >= 0 && fstat(fd, &sb) == 0 && sb.st_size > 0;
	size_t n = ok ? (sb.st_size < (off_t)sizeof tail ? (size_t)sb.st_size : sizeof tail) : 0;
	ok = ok && pread(fd, tail, n, sb.st_size - (off_t)n) == (ssize_t)n;
	/* the structure tree and the links join the update, their new
	 * objects numbered after the saved file's */
	errno = 0;
	fdout o = {fd, {0}, ok ? (unsigned long long)sb.st_size : 0, 0, 0};
	int tagged = 0;
	ok = ok &&
	     pdfu_append_with(u, tail, n, (unsigned long long)sb.st_size, put_fd, &o, more_tags,
	                      tags, &tagged) == 0 &&
	     fdout_flush(&o) == 0 && fdout_end(&o) == 0;
	*untagged = ok && tagged < 0;
	ms_buf_free(&o.b);
	if (!ok && !errno)
		errno = ENOMEM;
	if (fd >= 0 && close(fd) != 0)
		ok = 0;
	return ok ? 0 : -1;
}

static void photo_changed(const pdfu *u, ms_diags *d)
{
	ms_pos pos = ms_pos_file(pdfu_changed(u));
	ms_diag_add(d, MS_ENV, &pos,
	            "the photo changed while the PDF was being written: build the document again");
}

static int put_buf(void *ctx, const void *p, size_t n)
{
	return ms_buf_add(ctx, p, n);
}

static int write_doc(HPDF_Doc pdf, herr *errp, pdf_fonts *fonts, ly_dlist *dl, pdfu *upd,
                     const char *out_path, const char *password, ms_diags *d)
{
	ly_page *pages = dl->pages;
	int npages = dl->npages;
	const ly_outline *outl = dl->outl;
	size_t noutl = dl->noutl;
	HPDF_Encoder utf8 = HPDF_GetEncoder(pdf, "UTF-8");
	if (dl->title)
		HPDF_SetInfoAttr(pdf, HPDF_INFO_TITLE, dl->title);
	if (dl->author)
		HPDF_SetInfoAttr(pdf, HPDF_INFO_AUTHOR, dl->author);
	if (dl->subject)
		HPDF_SetInfoAttr(pdf, HPDF_INFO_SUBJECT, dl->subject);
	if (dl->keywords)
		HPDF_SetInfoAttr(pdf, HPDF_INFO_KEYWORDS, dl->keywords);
	HPDF_SetInfoAttr(pdf, HPDF_INFO_CREATOR, "mspdoc");
	if (dl->created != MS_NO_DAY) {
		int y, m, dd;
		ms_day_to_ymd(dl->created, &y, &m, &dd);
		HPDF_Date date = {y, m, dd, 0, 0, 0, 'Z', 0, 0};
		HPDF_SetInfoDateAttr(pdf, HPDF_INFO_CREATION_DATE, date);
		HPDF_SetInfoDateAttr(pdf, HPDF_INFO_MOD_DATE, date);
	}
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
		HPDF_Page_SetWidth(pg[i], (HPDF_REAL)pages[i].width);
		HPDF_Page_SetHeight(pg[i], (HPDF_REAL)pages[i].height);
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
				dests[ndests] = (dest){o->text, pdfx_id(pg[i]), o->y + 14, ndests};
				ndests++;
			}
	if (ndests)
		qsort(dests, ndests, sizeof *dests, dest_cmp);
	/* the tags hold the links too: a PDF without them cannot be made */
	pdf_tags *tags = tags_new(pdf, dl);
	if (!tags) {
		free(dests);
		free(pg);
		ms_diag_add(d, MS_ENV, NULL, "out of memory");
		return -1;
	}
	linkwords lw = {.want = calloc(dl->nelems ? dl->nelems : 1, 1)};
	ms_buf_init(&lw.b);
	pdfc tw = {.fonts = fonts, .tagged = 1};
	ms_buf_init(&tw.b);
	for (int i = 0; i < npages && !errp->code; i++) {
		HPDF_Page p = pg[i];
		pdfc_page(&tw, p, i + 1);
		unsigned content = pdfx_content_id(p);
		if (!content) {
			if (!errp->code)
				errp->code = HPDF_INVALID_OBJECT;
			break;
		}
		tags_page(tags, p);
		linkwords_page(&lw, &pages[i], dl->nelems);
		int cur = TAG_NONE;
		for (const ly_op *o = pages[i].ops; o; o = o->next) {
			int key = tags_key(tags, o);
			if (key != TAG_NONE && key != cur) {
				const char *tag = NULL;
				int id = key == TAG_ARTIFACT ? 0 : tags_mcid(tags, key, &tag);
				pdfc_mark(&tw, id < 0 ? NULL : tag, id);
				cur = key;
			}
			if (pdfc_op(&tw, o))
				continue;
			switch (o->kind) {
			case OP_IMAGE: {
				herr was = *errp; /* a photo libharu refuses costs the photo only */
				HPDF_Image img = load_image(pdf, upd, o, &cache, &ncache);
				if (!img)
					*errp = was;
				if (img)
					draw_image(&tw, p, img, o);
				else {
					ms_pos pos = ms_pos_file(o->text);
					ms_diag_add(d, MS_WARNING, &pos,
					            "the image could not be read and is left out");
				}
				break;
			}
			case OP_LINK: { /* written with the tags, after the save (tags.c) */
				double r[4] = {o->x, o->y, o->x + o->w, o->y + o->h};
				const dest *t = o->text[0] == '#'
				                    ? find_dest(dests, ndests, o->text + 1)
				                    : NULL;
				if (t)
					tags_link(tags, r, t->page, t->top, NULL, o->elem,
					          linkwords_of(&lw, o));
				else if (o->text[0] != '#')
					tags_link(tags, r, 0, 0, o->text, o->elem,
					          linkwords_of(&lw, o));
				break;
			}
			default: break;
			}
		}
		pdfc_end_page(&tw);
		if (tw.b.oom || pdfu_stream(upd, content, tw.b.s ? tw.b.s : "", tw.b.len) < 0)
			tw.oom = 1;
		ms_buf_clear(&tw.b);
		/* the page is in libharu now: its operations can go, their
		 * memory reused for libharu's objects (hpdfmem.c) */
		ms_arena_free_to(pages[i].arena, pdfmem_adopt);
		pages[i].arena = NULL;
		pages[i].ops = pages[i].last = NULL;
	}
	pdfc_free(&tw);
	/* the fonts, subset to what the pages show (embed.c) */
	if (!errp->code && !tw.oom && !fonts->failed)
		pdf_fonts_write(fonts, upd);
	report_missing(&tw.miss, dl, out_path, d);
	if (tags_finish(tags, dl) && !errp->code) {
		ms_pos pos = ms_pos_file(out_path);
		ms_diag_add(d, MS_WARNING, &pos,
		            "the PDF's structure tags are incomplete (the PDF library refused part "
		            "of them): screen readers may miss some content; please report this");
	}
	free(lw.want);
	free(lw.v);
	ms_buf_free(&lw.b);
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
	int rc = -1;
	if (fonts->failed && !errp->code) { /* font/ read it for the layout, not now */
		ms_pos pos = ms_pos_file(out_path);
		ms_diag_add(d, MS_ENV, &pos,
		            "a font of the style could not be embedded (%s): use a TrueType "
		            "(.ttf) font with a Unicode character map",
		            fonts->why ? fonts->why : "it could not be read");
		tags_free(tags);
		return -1;
	}
	int untagged = 0; /* the structure tree could not be added after the save */
	if (!errp->code && !password) {
		/* straight to a temporary file beside the target: no copy in memory */
		char *tmp = ms_printf("%s.tmp.XXXXXX", out_path);
		int fd = tmp ? mkstemp(tmp) : -1;
		if (fd >= 0) {
			int ok = fchmod(fd, 0644) == 0;
			ok = close(fd) == 0 && ok;
			errno = 0;
			ok = ok && HPDF_SaveToFile(pdf, tmp) == HPDF_OK && !errp->code;
			/* the pages' contents, photos, tags and links (update.h) */
			ok = ok && append_update(upd, tags, &untagged, tmp) == 0;
			if (ok && !saved_whole(tmp)) {
				ok = 0;
				if (!errno)
					errno = ENOSPC;
			}
			if (ok && ms_replace(tmp, out_path) == 0)
				rc = 0;
			else
				unlink(tmp);
		}
		if (rc < 0 && !errp->code && pdfu_changed(upd)) {
			photo_changed(upd, d);
		} else if (rc < 0 && !errp->code) {
			ms_pos pos = ms_pos_file(out_path);
			ms_diag_add(
			    d, MS_ENV, &pos,
			    "cannot write the PDF (%s): check free disk space and permissions",
			    strerror(errno ? errno : EIO));
		}
		free(tmp);
	} else if (!errp->code && HPDF_SaveToStream(pdf) == HPDF_OK) {
		HPDF_UINT32 size = HPDF_GetStreamSize(pdf);
		unsigned char *buf = malloc(size ? size : 1);
		HPDF_UINT32 got = size;
		if (buf && HPDF_ReadFromStream(pdf, buf, &got) != HPDF_OK && got == 0)
			got = 0;
		HPDF_ResetError(pdf); /* the end of the stream */
		/* the pages' contents, photos, tags and links (update.h) */
		ms_buf all = {(char *)buf, got, size ? size : 1, 0};
		char tail[4096];
		size_t n = got < sizeof tail ? got : sizeof tail;
		int ok = buf && got == size, tagged = 0;
		if (ok)
			memcpy(tail, buf + got - n, n);
		ok = ok &&
		     pdfu_append_with(upd, tail, n, got, put_buf, &all, more_tags, tags, &tagged) ==
		         0 &&
		     !all.oom;
		untagged = ok && tagged < 0;
		buf = (unsigned char *)all.s;
		unsigned char *enc;
		size_t elen;
		int er = ok ? encrypt(buf, all.len, password, &enc, &elen) : -3;
		if (er == 0) {
			rc = write_file(out_path, enc, elen, d);
			free(enc);
		} else if (pdfu_changed(upd)) {
			photo_changed(upd, d);
		} else {
			ms_pos pos = ms_pos_file(out_path);
			ms_diag_add(d, MS_ENV, &pos, "%s",
			            er == -3 ? "out of memory while writing the PDF"
			            : er == -2
			                ? "the PDF could not be encrypted: libqpdf could not be "
			                  "loaded (install the libqpdf29 package)"
			                : "the PDF could not be encrypted (libqpdf failed)");
		}
		free(buf);
	}
	tags_free(tags);
	if (untagged && rc == 0) {
		ms_pos pos = ms_pos_file(out_path);
		ms_diag_add(d, MS_WARNING, &pos,
		            "the PDF has no structure tags (they could not be added after the "
		            "PDF library saved it): screen readers cannot follow it; please "
		            "report this");
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
	return rc;
}

int pdf_write(ly_dlist *dl, const char *out_path, const char *password, ms_diags *d)
{
	herr e = {0, 0};
	/* the document's objects in memory of their own (hpdfmem.c) */
	pdfmem *mem = pdfmem_begin();
	HPDF_Doc pdf =
	    mem ? HPDF_NewEx(on_error, pdfmem_alloc, pdfmem_free, 0, &e) : HPDF_New(on_error, &e);
	if (!pdf) {
		pdfmem_end(mem);
		ms_diag_add(d, MS_ENV, NULL, "out of memory");
		return -1;
	}
	/* before any page, font or image: libharu deflates what is made after;
	 * pages' contents are left out, update.c deflates them */
	HPDF_SetCompressionMode(pdf, HPDF_COMP_IMAGE | HPDF_COMP_METADATA);
	HPDF_UseUTFEncodings(pdf);
	HPDF_SetCurrentEncoder(pdf, "UTF-8");
	pdf_fonts fonts = {.pdf = pdf, .ft = dl->fonts};
	pdfu *upd = pdfu_new();
	int rc = upd ? write_doc(pdf, &e, &fonts, dl, upd, out_path, password, d) : -1;
	if (!upd)
		ms_diag_add(d, MS_ENV, NULL, "out of memory");
	pdfu_free(upd);
	pdf_fonts_free(&fonts);
	HPDF_Free(pdf);
	pdfmem_end(mem);
	return rc;
}
