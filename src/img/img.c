/* img.c — photos checked and decoded before libharu sees them (img.h).
 *
 * Every library call that can fail runs under a setjmp set up in a small
 * function whose state lives in a context owned by its caller, so nothing
 * the longjmp skips over is an automatic variable of the function that
 * called setjmp (C11 7.13.2.1). */
#include "img.h"

#include <errno.h>
#include <fcntl.h>
#include <jerror.h>
#include <limits.h>
#include <math.h>
#include <png.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* jpeglib.h needs FILE and size_t first */
#include <jpeglib.h>

#include "../util/buf.h"

/* Progressive JPEGs may hold any number of scans, each a pass over the
 * whole image: a small file of thousands of scans takes minutes to decode.
 * Cameras and editors write at most a dozen. */
#define IMG_MAX_SCANS 500

static void say(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void say(char *err, size_t errlen, const char *fmt, ...)
{
	if (!err || !errlen)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

static const char RESAVE[] = "open it in a photo editor and save it again as JPEG";

static unsigned be16(const unsigned char *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

static unsigned rd16(const unsigned char *p, int le)
{
	return le ? (unsigned)p[1] << 8 | p[0] : be16(p);
}

static uint32_t rd32(const unsigned char *p, int le)
{
	return le ? (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	                (uint32_t)p[3] << 24
	          : (uint32_t)p[3] | (uint32_t)p[2] << 8 | (uint32_t)p[1] << 16 |
	                (uint32_t)p[0] << 24;
}

/* EXIF orientation from an APP1 segment's payload (after the length): 1..8,
 * or 0 when the segment holds none. Every read is checked against len. */
static int exif_orientation(const unsigned char *seg, size_t len)
{
	if (len < 6 + 8 || memcmp(seg, "Exif\0\0", 6))
		return 0;
	const unsigned char *t = seg + 6;
	size_t tl = len - 6;
	int le;
	if (t[0] == 'I' && t[1] == 'I')
		le = 1;
	else if (t[0] == 'M' && t[1] == 'M')
		le = 0;
	else
		return 0;
	size_t ifd = rd32(t + 4, le);
	if (ifd > tl - 2)
		return 0;
	size_t cnt = rd16(t + ifd, le);
	size_t room = (tl - ifd - 2) / 12;
	if (cnt > room)
		cnt = room;
	for (size_t i = 0; i < cnt; i++) {
		const unsigned char *e = t + ifd + 2 + i * 12;
		if (rd16(e, le) != 0x0112)
			continue;
		unsigned type = rd16(e + 2, le);
		unsigned v = type == 4 ? (unsigned)rd32(e + 8, le) : rd16(e + 8, le);
		return v >= 1 && v <= 8 ? (int)v : 0;
	}
	return 0;
}

/* JPEG headers ---------------------------------------------------------- */

typedef struct jhdr {
	int sof; /* the frame marker (0xC0..0xCF), -1 before one is seen */
	int prec, comps;
	unsigned w, h;
	int orient;
	size_t scan; /* where the first scan header's segment starts */
} jhdr;

static int is_sof(unsigned m)
{
	return m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC;
}

/* Walk the marker segments from SOI to the first SOS: each length at least
 * 2 and inside the file, one frame header, read before the scan. */
static int jpeg_scan(const unsigned char *p, size_t n, jhdr *j, char *err, size_t errlen)
{
	*j = (jhdr){.sof = -1, .orient = 1};
	int exif_seen = 0;
	if (n < 2 || p[0] != 0xFF || p[1] != 0xD8) {
		say(err, errlen, "it is not a JPEG file: %s", RESAVE);
		return -1;
	}
	size_t i = 2;
	for (;;) {
		if (i >= n)
			goto cut;
		if (p[i] != 0xFF) {
			say(err, errlen, "it is damaged (stray bytes between its headers): %s",
			    RESAVE);
			return -1;
		}
		while (i < n && p[i] == 0xFF) /* fill bytes */
			i++;
		if (i >= n)
			goto cut;
		unsigned m = p[i++];
		if (m == 0xD8 || m == 0x01 || (m >= 0xD0 && m <= 0xD7))
			continue; /* markers without a segment */
		if (m == 0xD9) {
			say(err, errlen, "it holds no picture (it ends before any image data): %s",
			    RESAVE);
			return -1;
		}
		if (m == 0x00) {
			say(err, errlen, "it is damaged (a bad marker in its headers): %s", RESAVE);
			return -1;
		}
		if (n - i < 2)
			goto cut;
		size_t len = be16(p + i);
		if (len < 2) {
			say(err, errlen, "it is damaged (a header segment of length %zu): %s", len,
			    RESAVE);
			return -1;
		}
		if (len > n - i)
			goto cut;
		const unsigned char *seg = p + i + 2;
		size_t sl = len - 2;
		if (m == 0xE1 && !exif_seen) {
			int o = exif_orientation(seg, sl);
			if (o) {
				j->orient = o;
				exif_seen = 1;
			}
		}
		if (is_sof(m)) {
			if (j->sof >= 0) {
				say(err, errlen, "it is damaged (two frame headers): %s", RESAVE);
				return -1;
			}
			if (sl < 6 || sl < 6 + 3 * (size_t)seg[5]) {
				say(err, errlen, "it is damaged (a short frame header): %s",
				    RESAVE);
				return -1;
			}
			j->sof = (int)m;
			j->prec = seg[0];
			j->h = be16(seg + 1);
			j->w = be16(seg + 3);
			j->comps = seg[5];
		}
		if (m == 0xDA) {
			if (j->sof < 0) {
				say(err, errlen,
				    "it is damaged (no frame header before the image data): %s",
				    RESAVE);
				return -1;
			}
			j->scan = i;
			return 0;
		}
		i += len;
	}
cut:
	if (j->sof < 0)
		say(err, errlen,
		    "it holds no picture (no frame header: the file is cut short or is not a "
		    "photo): %s",
		    RESAVE);
	else
		say(err, errlen,
		    "it is cut short (the file ends before the picture does): copy it again "
		    "from the original, or %s",
		    RESAVE);
	return -1;
}

/* Whether the image data from the first scan on ends with an end-of-image
 * marker. Entropy-coded data never holds 0xFF 0xD9 (a 0xFF in it is
 * followed by 0x00 or a restart marker, and the markers between the scans
 * of a progressive JPEG are others), so finding one there means the file
 * was not cut short; a thumbnail's own marker, in an APP1 segment before
 * the scan, is not looked at. */
static int jpeg_ends(const unsigned char *p, size_t n, size_t from)
{
	const unsigned char *q = p + from, *end = p + n;
	while (q < end && (q = memchr(q, 0xFF, (size_t)(end - q))) != NULL && q + 1 < end) {
		if (q[1] == 0xD9)
			return 1;
		q++;
	}
	return 0;
}

/* What the frame header allows: 1 pass through, 0 decode, -1 refuse. */
static int jpeg_judge(const jhdr *j, char *err, size_t errlen)
{
	unsigned m = (unsigned)j->sof;
	if (m == 0xC3 || m == 0xC7 || m == 0xCB || m == 0xCF) {
		say(err, errlen,
		    "it is a lossless JPEG, which a PDF cannot hold: save it again as an "
		    "ordinary (baseline) JPEG, 8 bits per channel");
		return -1;
	}
	if (m == 0xC5 || m == 0xC6 || m == 0xCD || m == 0xCE) {
		say(err, errlen,
		    "it is a hierarchical JPEG, which a PDF cannot hold: save it again as an "
		    "ordinary (baseline) JPEG");
		return -1;
	}
	if (j->prec != 8) {
		say(err, errlen,
		    "it is a %d-bit JPEG, which a PDF cannot hold: save it again as an ordinary "
		    "JPEG with 8 bits per channel",
		    j->prec);
		return -1;
	}
	if (j->w == 0 || j->h == 0) {
		say(err, errlen, "its width or height is 0: %s", RESAVE);
		return -1;
	}
	if (j->comps < 1 || j->comps > 4) {
		say(err, errlen,
		    "it has %d colour channels (1, 3 or 4 are possible): save it again as an "
		    "ordinary RGB JPEG",
		    j->comps);
		return -1;
	}
	if ((unsigned long long)j->w * j->h > IMG_MAX_PIXELS) {
		say(err, errlen,
		    "it is %u x %u pixels, more than the %llu megapixels a photo may have: save "
		    "it again smaller, e.g. 4,000 pixels wide",
		    j->w, j->h, IMG_MAX_PIXELS / 1000000);
		return -1;
	}
	/* arithmetic coding (C9..CB) and 2 channels: PDF readers cannot show
	 * them, libjpeg decodes them */
	return (m <= 0xC2 && j->comps != 2) ? 1 : 0;
}

/* PNG headers ----------------------------------------------------------- */

static const unsigned char PNG_SIG[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

static int png_head(const unsigned char *p, size_t n, unsigned *w, unsigned *h, char *err,
                    size_t errlen)
{
	if (n < 33 || memcmp(p + 12, "IHDR", 4) || rd32(p + 8, 0) != 13) {
		say(err, errlen, "it is damaged (no PNG header): %s", RESAVE);
		return -1;
	}
	*w = rd32(p + 16, 0);
	*h = rd32(p + 20, 0);
	if (*w == 0 || *h == 0 || *w > 0x7fffffffu || *h > 0x7fffffffu) {
		say(err, errlen, "its width or height is 0 or impossible: %s", RESAVE);
		return -1;
	}
	if ((unsigned long long)*w * *h > IMG_MAX_PIXELS) {
		say(err, errlen,
		    "it is %u x %u pixels, more than the %llu megapixels a photo may have: save "
		    "it again smaller, e.g. 4,000 pixels wide",
		    *w, *h, IMG_MAX_PIXELS / 1000000);
		return -1;
	}
	return 0;
}

int img_info_mem(const unsigned char *p, size_t n, int *w, int *h, int *orient, char *err,
                 size_t errlen)
{
	*w = *h = 0;
	*orient = 1;
	if (n >= 8 && !memcmp(p, PNG_SIG, 8)) {
		unsigned pw, ph;
		if (png_head(p, n, &pw, &ph, err, errlen) < 0)
			return -1;
		*w = (int)pw;
		*h = (int)ph;
		return 0;
	}
	jhdr j;
	if (jpeg_scan(p, n, &j, err, errlen) < 0 || jpeg_judge(&j, err, errlen) < 0)
		return -1;
	*w = (int)j.w;
	*h = (int)j.h;
	*orient = j.orient;
	return 0;
}

/* JPEG decoding --------------------------------------------------------- */

typedef struct jctx {
	struct jpeg_error_mgr pub;
	struct jpeg_progress_mgr prog;
	jmp_buf jb;
	struct jpeg_decompress_struct ci;
	int made;
	unsigned char *row, *pix;
	char msg[JMSG_LENGTH_MAX];
	int cut; /* the data ran out or was damaged inside a scan */
} jctx;

static void j_error_exit(j_common_ptr ci)
{
	jctx *c = (jctx *)ci->err;
	(*ci->err->format_message)(ci, c->msg);
	longjmp(c->jb, 1);
}

/* Warnings: the ones that mean lost picture data end the decoding. */
static void j_emit(j_common_ptr ci, int level)
{
	if (level >= 0)
		return;
	jctx *c = (jctx *)ci->err;
	switch (ci->err->msg_code) {
	case JWRN_JPEG_EOF:
	case JWRN_HIT_MARKER:
	case JWRN_MUST_RESYNC:
	case JWRN_HUFF_BAD_CODE:
	case JWRN_NOT_SEQUENTIAL:
		c->cut = ci->err->msg_code == JWRN_JPEG_EOF;
		(*ci->err->format_message)(ci, c->msg);
		longjmp(c->jb, 1);
	default: break; /* extraneous bytes, unknown JFIF version, bad ICC: shown */
	}
}

static void j_silent(j_common_ptr ci)
{
	(void)ci;
}

static void j_progress(j_common_ptr ci)
{
	j_decompress_ptr d = (j_decompress_ptr)ci;
	if (d->input_scan_number > IMG_MAX_SCANS) {
		jctx *c = (jctx *)ci->err;
		snprintf(c->msg, sizeof c->msg, "more than %d scans", IMG_MAX_SCANS);
		longjmp(c->jb, 1);
	}
}

/* Decode with libjpeg: all rows at 1/8 scale when only checking, at full
 * size into c->pix (comps bytes a pixel) otherwise. */
static int jpeg_run(jctx *c, const unsigned char *p, size_t n, int full, int comps)
{
	if (setjmp(c->jb))
		return -1;
	c->ci.err = jpeg_std_error(&c->pub);
	c->pub.error_exit = j_error_exit;
	c->pub.emit_message = j_emit;
	c->pub.output_message = j_silent;
	jpeg_create_decompress(&c->ci);
	c->made = 1;
	c->prog.progress_monitor = j_progress;
	c->ci.progress = &c->prog;
	c->ci.mem->max_memory_to_use = (long)768 << 20;
	jpeg_mem_src(&c->ci, p, (unsigned long)n);
	jpeg_read_header(&c->ci, TRUE);
	if ((unsigned long long)c->ci.image_width * c->ci.image_height > IMG_MAX_PIXELS) {
		snprintf(c->msg, sizeof c->msg, "too many pixels");
		return -1;
	}
	if (!full) {
		c->ci.scale_num = 1;
		c->ci.scale_denom = 8;
		c->ci.dct_method = JDCT_IFAST;
		c->ci.do_fancy_upsampling = FALSE;
	} else if (c->ci.num_components == 2 || c->ci.jpeg_color_space == JCS_UNKNOWN) {
		c->ci.out_color_space = JCS_UNKNOWN;
	} else {
		c->ci.out_color_space = comps == 1   ? JCS_GRAYSCALE
		                        : comps == 3 ? JCS_RGB
		                                     : JCS_CMYK;
	}
	jpeg_start_decompress(&c->ci);
	size_t oc = (size_t)c->ci.output_components;
	size_t stride = (size_t)c->ci.output_width * oc;
	c->row = malloc(stride ? stride : 1);
	if (!c->row) {
		snprintf(c->msg, sizeof c->msg, "out of memory");
		return -1;
	}
	if (full) {
		c->pix = malloc((size_t)c->ci.output_width * c->ci.output_height * (size_t)comps);
		if (!c->pix) {
			snprintf(c->msg, sizeof c->msg, "out of memory");
			return -1;
		}
	}
	int invert = full && comps == 4 && c->ci.saw_Adobe_marker;
	while (c->ci.output_scanline < c->ci.output_height) {
		JSAMPROW r = c->row;
		size_t y = c->ci.output_scanline;
		if (jpeg_read_scanlines(&c->ci, &r, 1) != 1)
			break;
		if (!full)
			continue;
		unsigned char *dst = c->pix + y * c->ci.output_width * (size_t)comps;
		for (size_t x = 0; x < c->ci.output_width; x++)
			for (int k = 0; k < comps; k++) {
				/* 2 channels: the first (the picture) as gray */
				unsigned char v =
				    c->row[x * oc + (size_t)(oc >= (size_t)comps ? k : 0)];
				dst[x * (size_t)comps + (size_t)k] =
				    invert ? (unsigned char)(255 - v) : v;
			}
	}
	jpeg_finish_decompress(&c->ci);
	return 0;
}

/* own: p itself when the caller hands its buffer over (the file read by
 * img_load), else NULL: a JPEG that passes through then keeps that buffer
 * instead of a copy of it. */
static int jpeg_load(const unsigned char *p, size_t n, int want, unsigned char *own, ms_img *out,
                     char *err, size_t errlen)
{
	jhdr j;
	if (jpeg_scan(p, n, &j, err, errlen) < 0)
		return -1;
	int pass = jpeg_judge(&j, err, errlen);
	if (pass < 0)
		return -1;
	int comps = j.comps == 2 ? 1 : j.comps;
	int full = !pass && want;
	jctx *c = calloc(1, sizeof *c);
	if (!c) {
		say(err, errlen, "out of memory while reading it");
		return -1;
	}
	/* A JPEG that passes through is checked by its headers (above) and by
	 * its end-of-image marker: decoding its data, even at 1/8 scale, would
	 * cost more than all the rest of the book's layout, and a PDF reader
	 * shows a damaged stretch of it as a damaged stretch, no worse. One
	 * already checked in this run is not checked again. */
	int r;
	if (pass && want == IMG_MAKE_CHECKED)
		r = 0;
	else if (pass)
		r = jpeg_ends(p, n, j.scan) ? 0 : (c->cut = 1, -1);
	else
		r = jpeg_run(c, p, n, full, comps);
	if (r == 0 && full &&
	    (c->ci.output_width != j.w || c->ci.output_height != j.h)) /* never expected */
		r = -1;
	if (r < 0) {
		if (c->cut)
			say(err, errlen,
			    "it is cut short (the file ends before the picture does): copy it "
			    "again from the original, or %s",
			    RESAVE);
		else
			say(err, errlen, "it cannot be read (%s): %s", c->msg, RESAVE);
	}
	if (c->made)
		jpeg_destroy_decompress(&c->ci);
	free(c->row);
	*out = (ms_img){(int)j.w, (int)j.h, j.orient, IMG_RAW, comps, NULL, 0, NULL};
	if (r == 0 && pass) {
		out->kind = IMG_PASS_JPEG;
		if (want && own) { /* the file's bytes, as they are */
			out->data = own;
			out->len = n;
		} else if (want) {
			out->data = malloc(n);
			if (out->data) {
				memcpy(out->data, p, n);
				out->len = n;
			} else {
				say(err, errlen, "out of memory while reading it");
				r = -1;
			}
		}
	} else if (r == 0 && full) {
		out->data = c->pix;
		out->len = (size_t)j.w * j.h * (size_t)comps;
		c->pix = NULL;
	}
	free(c->pix);
	free(c);
	return r;
}

/* PNG decoding ---------------------------------------------------------- */

typedef struct pctx {
	jmp_buf jb;
	png_structp png;
	png_infop info;
	const unsigned char *p;
	size_t n, off;
	unsigned char *pix, *row;
	char msg[160];
} pctx;

static void p_error(png_structp png, png_const_charp msg)
{
	pctx *c = png_get_error_ptr(png);
	snprintf(c->msg, sizeof c->msg, "%s", msg ? msg : "error");
	longjmp(c->jb, 1);
}

static void p_warning(png_structp png, png_const_charp msg)
{
	(void)png;
	(void)msg;
}

static void p_read(png_structp png, png_bytep dst, size_t len)
{
	pctx *c = png_get_io_ptr(png);
	if (len > c->n - c->off)
		png_error(png, "the file ends before the picture does");
	memcpy(dst, c->p + c->off, len);
	c->off += len;
}

static int png_run(pctx *c, int want, ms_img *out)
{
	if (setjmp(c->jb))
		return -1;
	c->png = png_create_read_struct(PNG_LIBPNG_VER_STRING, c, p_error, p_warning);
	if (!c->png) {
		snprintf(c->msg, sizeof c->msg, "out of memory");
		return -1;
	}
	c->info = png_create_info_struct(c->png);
	if (!c->info) {
		snprintf(c->msg, sizeof c->msg, "out of memory");
		return -1;
	}
	png_set_read_fn(c->png, c, p_read);
	png_set_user_limits(c->png, 1000000, 1000000);
	png_set_chunk_malloc_max(c->png, 8000000);
	png_read_info(c->png, c->info);
	png_uint_32 w = png_get_image_width(c->png, c->info);
	png_uint_32 h = png_get_image_height(c->png, c->info);
	if ((unsigned long long)w * h > IMG_MAX_PIXELS || !w || !h) {
		snprintf(c->msg, sizeof c->msg, "too many pixels");
		return -1;
	}
	png_set_expand(c->png); /* palette to RGB, small gray to 8 bits, tRNS to alpha */
	png_set_strip_16(c->png);
	int passes = png_set_interlace_handling(c->png);
	png_read_update_info(c->png, c->info);
	size_t ch = png_get_channels(c->png, c->info);
	size_t rb = png_get_rowbytes(c->png, c->info);
	if (ch < 1 || ch > 4 || rb != (size_t)w * ch) {
		snprintf(c->msg, sizeof c->msg, "an unexpected pixel format");
		return -1;
	}
	if (want) {
		c->pix = malloc(rb * h);
		if (!c->pix) {
			snprintf(c->msg, sizeof c->msg, "out of memory");
			return -1;
		}
		for (int pass = 0; pass < passes; pass++)
			for (png_uint_32 y = 0; y < h; y++)
				png_read_row(c->png, c->pix + rb * y, NULL);
	} else {
		c->row = malloc(rb);
		if (!c->row) {
			snprintf(c->msg, sizeof c->msg, "out of memory");
			return -1;
		}
		for (int pass = 0; pass < passes; pass++)
			for (png_uint_32 y = 0; y < h; y++)
				png_read_row(c->png, c->row, NULL);
	}
	png_read_end(c->png, NULL); /* the chunks after the image, to IEND */
	int alpha = ch == 2 || ch == 4;
	int comps = (int)(alpha ? ch - 1 : ch);
	*out = (ms_img){(int)w, (int)h, 1, IMG_RAW, comps, NULL, 0, NULL};
	if (!want)
		return 0;
	size_t np = (size_t)w * h;
	if (alpha) {
		out->alpha = malloc(np);
		if (!out->alpha) {
			snprintf(c->msg, sizeof c->msg, "out of memory");
			return -1;
		}
		/* split the interleaved alpha off, in place: the colour of pixel i
		 * moves to i * comps, never past where it was read */
		for (size_t i = 0; i < np; i++) {
			const unsigned char *s = c->pix + i * ch;
			out->alpha[i] = s[comps];
			memmove(c->pix + i * (size_t)comps, s, (size_t)comps);
		}
	}
	out->data = c->pix;
	out->len = np * (size_t)comps;
	c->pix = NULL;
	return 0;
}

static int png_load(const unsigned char *p, size_t n, int want, ms_img *out, char *err,
                    size_t errlen)
{
	unsigned w, h;
	if (png_head(p, n, &w, &h, err, errlen) < 0)
		return -1;
	pctx *c = calloc(1, sizeof *c);
	if (!c) {
		say(err, errlen, "out of memory while reading it");
		return -1;
	}
	c->p = p;
	c->n = n;
	*out = (ms_img){0};
	int r = png_run(c, want, out);
	if (r < 0) {
		free(out->alpha);
		*out = (ms_img){0};
		if (strstr(c->msg, "ends before"))
			say(err, errlen,
			    "it is cut short (the file ends before the picture does): copy it "
			    "again from the original, or %s",
			    RESAVE);
		else if (strstr(c->msg, "CRC"))
			say(err, errlen, "it is damaged (a checksum does not match): %s", RESAVE);
		else if (strstr(c->msg, "IEND") || strstr(c->msg, "IDAT") ||
		         strstr(c->msg, "image data"))
			say(err, errlen, "it is damaged (its picture data is missing or short): %s",
			    RESAVE);
		else
			say(err, errlen, "it is damaged (%s): %s", c->msg, RESAVE);
	}
	if (c->png)
		png_destroy_read_struct(&c->png, c->info ? &c->info : NULL, NULL);
	free(c->pix);
	free(c->row);
	free(c);
	return r;
}

/* Entry points ----------------------------------------------------------- */

static int load_any(const unsigned char *p, size_t n, int want_pixels, unsigned char *own,
                    ms_img *out, char *err, size_t errlen)
{
	*out = (ms_img){0};
	if (n >= 8 && !memcmp(p, PNG_SIG, 8))
		return png_load(p, n, want_pixels, out, err, errlen);
	if (n >= 2 && p[0] == 0xFF && p[1] == 0xD8)
		return jpeg_load(p, n, want_pixels, own, out, err, errlen);
	say(err, errlen, "it is neither a JPEG nor a PNG file: save it again as JPEG");
	return -1;
}

int img_load_mem(const unsigned char *p, size_t n, int want_pixels, ms_img *out, char *err,
                 size_t errlen)
{
	return load_any(p, n, want_pixels, NULL, out, err, errlen);
}

static int slurp(const char *path, unsigned char **data, size_t *len, char *err, size_t errlen)
{
	char *d;
	int big;
	if (ms_read_file(path, IMG_MAX_BYTES, &d, len, &big) < 0) {
		if (big)
			say(err, errlen,
			    "the file is larger than %zu MB: save it again smaller, e.g. 4,000 "
			    "pixels wide",
			    IMG_MAX_BYTES >> 20);
		else
			say(err, errlen, "the file cannot be read: check that it is a photo");
		return -1;
	}
	*data = (unsigned char *)d;
	return 0;
}

/* Reading a photo by its headers ----------------------------------------- */

/* What the size query and the check read of a photo first: the marker
 * segments of a camera JPEG (EXIF with its thumbnail, ICC profile) fit in
 * this as a rule; whatever does not is read whole, as before. */
#define HEAD_BYTES 16384
/* and from its end, where a JPEG's end-of-image marker is */
#define TAIL_BYTES 4096

typedef struct phead {
	int fd;
	size_t size; /* from fstat */
	size_t n;    /* bytes in head */
	unsigned char head[HEAD_BYTES];
} phead;

static size_t pread_all(int fd, unsigned char *p, size_t want, size_t off)
{
	size_t got = 0;
	while (got < want) {
		ssize_t k = pread(fd, p + got, want - got, (off_t)(off + got));
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			break;
		got += (size_t)k;
	}
	return got;
}

/* Open a regular photo file within the size cap and read its first bytes:
 * 0, or -1 (the caller then reads it whole, which says what is wrong). */
static int head_open(const char *path, phead *h)
{
	h->fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (h->fd < 0)
		return -1;
	struct stat st;
	if (fstat(h->fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size <= 0 ||
	    (size_t)st.st_size > IMG_MAX_BYTES) {
		close(h->fd);
		return -1;
	}
	h->size = (size_t)st.st_size;
	size_t want = h->size < HEAD_BYTES ? h->size : HEAD_BYTES;
	h->n = pread_all(h->fd, h->head, want, 0);
	if (h->n != want) {
		close(h->fd);
		return -1;
	}
	return 0;
}

/* The check of a JPEG that passes through, from its headers and its last
 * bytes: the same verdict as jpeg_load's on the whole file when it is 1
 * (the marker segments up to the first scan are identical in the head, and
 * an end-of-image marker after that scan's start is one in the whole
 * file); 0 means "read it whole and judge it there". */
static int jpeg_check_ends(phead *h, ms_img *out)
{
	jhdr j;
	if (jpeg_scan(h->head, h->n, &j, NULL, 0) < 0 || jpeg_judge(&j, NULL, 0) != 1)
		return 0;
	int ends;
	if (h->n == h->size) {
		ends = jpeg_ends(h->head, h->n, j.scan);
	} else {
		unsigned char tail[TAIL_BYTES];
		size_t from = h->size > TAIL_BYTES ? h->size - TAIL_BYTES : 0;
		if (from < j.scan)
			from = j.scan;
		size_t want = h->size - from;
		ends = pread_all(h->fd, tail, want, from) == want && jpeg_ends(tail, want, 0);
	}
	if (!ends)
		return 0;
	*out = (ms_img){(int)j.w, (int)j.h, j.orient, IMG_PASS_JPEG, j.comps, NULL, 0, NULL};
	return 1;
}

int img_info(const char *path, int *w, int *h, int *orient, char *err, size_t errlen)
{
	unsigned char *d;
	size_t n;
	*w = *h = 0;
	*orient = 1;
	/* the layout asks for every photo: its headers are enough */
	phead ph;
	if (head_open(path, &ph) == 0) {
		int r = img_info_mem(ph.head, ph.n, w, h, orient, err, errlen);
		int whole = ph.n == ph.size;
		close(ph.fd);
		if (r == 0 || whole)
			return r;
		*w = *h = 0;
		*orient = 1;
	}
	if (slurp(path, &d, &n, err, errlen) < 0)
		return -1;
	int r = img_info_mem(d, n, w, h, orient, err, errlen);
	free(d);
	return r;
}

int img_pass_head(const char *path, ms_img *out)
{
	*out = (ms_img){0};
	phead ph;
	int ok = 0;
	if (head_open(path, &ph) == 0) {
		ok = ph.n >= 2 && ph.head[0] == 0xFF && ph.head[1] == 0xD8 &&
		     jpeg_check_ends(&ph, out);
		out->len = ph.size;
		close(ph.fd);
	}
	if (!ok)
		*out = (ms_img){0};
	return ok;
}

int img_kept_as_sent(const ms_img *m, int need_w, int need_h)
{
	if (m->kind != IMG_PASS_JPEG || need_w <= 0 || need_h <= 0 || m->w <= 0 || m->h <= 0 ||
	    (m->comps != 1 && m->comps != 3))
		return 1;
	double sw = (double)need_w / m->w, sh = (double)need_h / m->h;
	return (sw > sh ? sw : sh) >= 7.0 / 8; /* at most 1/8 to save: kept as sent */
}

int img_load(const char *path, int want_pixels, ms_img *out, char *err, size_t errlen)
{
	unsigned char *d;
	size_t n;
	*out = (ms_img){0};
	/* the model checks every photo: a JPEG that passes through needs only
	 * its headers and its end; anything else is decoded whole */
	if (want_pixels == IMG_CHECK && img_pass_head(path, out)) {
		out->len = 0;
		return 0;
	}
	if (slurp(path, &d, &n, err, errlen) < 0)
		return -1;
	/* the buffer read is the photo's bytes when it passes through */
	int r = load_any(d, n, want_pixels, d, out, err, errlen);
	if (out->data != d)
		free(d);
	return r;
}

/* Downsampling ------------------------------------------------------------ */

typedef struct rctx {
	struct jpeg_error_mgr pub;
	jmp_buf jb;
	struct jpeg_decompress_struct di;
	struct jpeg_compress_struct co;
	int dmade, cmade;
	unsigned char *row, *out;
	unsigned long olen;
	char msg[JMSG_LENGTH_MAX];
} rctx;

static void r_error_exit(j_common_ptr ci)
{
	rctx *c = (rctx *)ci->err;
	(*ci->err->format_message)(ci, c->msg);
	longjmp(c->jb, 1);
}

static void r_emit(j_common_ptr ci, int level)
{
	(void)ci;
	(void)level; /* the photo was checked whole before: warnings are harmless */
}

/* Decode at num/8 of the size with libjpeg's scaled DCT (no full-size
 * pixels are ever made) and encode again at quality 90. */
static int jpeg_rescale(rctx *c, const unsigned char *p, size_t n, int num)
{
	if (setjmp(c->jb))
		return -1;
	c->di.err = jpeg_std_error(&c->pub);
	c->pub.error_exit = r_error_exit;
	c->pub.emit_message = r_emit;
	c->pub.output_message = j_silent;
	jpeg_create_decompress(&c->di);
	c->dmade = 1;
	c->di.mem->max_memory_to_use = (long)768 << 20;
	jpeg_mem_src(&c->di, p, (unsigned long)n);
	jpeg_read_header(&c->di, TRUE);
	c->di.scale_num = (unsigned)num;
	c->di.scale_denom = 8;
	c->di.out_color_space = c->di.num_components == 1 ? JCS_GRAYSCALE : JCS_RGB;
	jpeg_start_decompress(&c->di);
	c->co.err = &c->pub;
	jpeg_create_compress(&c->co);
	c->cmade = 1;
	jpeg_mem_dest(&c->co, &c->out, &c->olen);
	c->co.image_width = c->di.output_width;
	c->co.image_height = c->di.output_height;
	c->co.input_components = c->di.output_components;
	c->co.in_color_space = c->di.out_color_space;
	jpeg_set_defaults(&c->co);
	jpeg_set_quality(&c->co, 90, TRUE);
	jpeg_start_compress(&c->co, TRUE);
	c->row = malloc((size_t)c->di.output_width * (size_t)c->di.output_components);
	if (!c->row) {
		snprintf(c->msg, sizeof c->msg, "out of memory");
		return -1;
	}
	while (c->di.output_scanline < c->di.output_height) {
		JSAMPROW r = c->row;
		if (jpeg_read_scanlines(&c->di, &r, 1) != 1)
			return -1;
		jpeg_write_scanlines(&c->co, &r, 1);
	}
	jpeg_finish_decompress(&c->di);
	jpeg_finish_compress(&c->co);
	return 0;
}

int img_load_fit(const char *path, int need_w, int need_h, ms_img *out, char *err, size_t errlen)
{
	int r = img_load(path, IMG_MAKE_CHECKED, out, err, errlen);
	if (r < 0 || img_kept_as_sent(out, need_w, need_h))
		return r;
	double sw = (double)need_w / out->w, sh = (double)need_h / out->h;
	double sc = sw > sh ? sw : sh;
	int num = (int)ceil(sc * 8);
	if (num < 1)
		num = 1;
	rctx *c = calloc(1, sizeof *c);
	if (!c)
		return 0;
	if (jpeg_rescale(c, out->data, out->len, num) == 0 && c->out && c->olen) {
		unsigned char *v = malloc(c->olen);
		if (v) {
			memcpy(v, c->out, c->olen);
			free(out->data);
			out->data = v;
			out->len = c->olen;
			out->w = (int)c->di.output_width;
			out->h = (int)c->di.output_height;
		}
	}
	/* a failure keeps the photo as it was sent */
	if (c->cmade)
		jpeg_destroy_compress(&c->co);
	if (c->dmade)
		jpeg_destroy_decompress(&c->di);
	free(c->out);
	free(c->row);
	free(c);
	return 0;
}

void img_free(ms_img *m)
{
	if (!m)
		return;
	free(m->data);
	free(m->alpha);
	*m = (ms_img){0};
}
