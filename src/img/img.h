/* img.h — photos read and checked by our own code before libharu sees
 * them (quality.md, Photos): JPEG through libjpeg-turbo, PNG through
 * libpng, each library's errors caught with setjmp (libpng's default
 * handler aborts the process). The pixel count is capped before any pixel
 * is decoded. What a PDF holds as it is (baseline, extended or progressive
 * JPEG, 8-bit, 1, 3 or 4 components) is passed through as the file's
 * bytes; everything else that can be decoded (any PNG, interlaced too;
 * arithmetic-coded or 2-component JPEG) becomes 8-bit raw pixels with an
 * optional alpha plane; the rest is refused with a message saying how to
 * re-save the photo. Library code: never prints. */
#ifndef MS_IMG_H
#define MS_IMG_H

#include <stddef.h>

/* 50 megapixels: a 8,660 x 5,773 photo, more than any camera the senders
 * use and 200 MB decoded as RGBA; 30,000 x 30,000 claimed by a 2 MB PNG is
 * refused before a row is decoded. */
#define IMG_MAX_PIXELS 50000000ULL
/* A photo file larger than this is refused unread. */
#define IMG_MAX_BYTES ((size_t)100 << 20)

typedef enum { IMG_PASS_JPEG, IMG_RAW } img_kind;

typedef struct ms_img {
	int w, h;      /* pixels as stored (before the EXIF orientation) */
	int orient;    /* EXIF orientation 1..8 (1 when none) */
	img_kind kind; /* PASS_JPEG: data is the file; RAW: decoded pixels */
	int comps;     /* RAW: 1 gray, 3 RGB, 4 CMYK (8 bits each) */
	unsigned char *data;
	size_t len;
	unsigned char *alpha; /* RAW: w*h bytes of alpha, or NULL */
} ms_img;

/* Size and orientation from the headers only (no pixel decoded): 0, or -1
 * with a plain message in err (what is wrong and how to re-save). */
int img_info_mem(const unsigned char *p, size_t n, int *w, int *h, int *orient, char *err,
                 size_t errlen);
int img_info(const char *path, int *w, int *h, int *orient, char *err, size_t errlen);

/* What img_load does with a photo. */
enum {
	IMG_CHECK = 0, /* decode every byte (a JPEG that passes through: its
	                * headers and its end-of-image marker); make nothing:
	                * out->data is NULL for RAW */
	IMG_MAKE = 1,  /* check as IMG_CHECK and make what the PDF holds */
	/* Make what the PDF holds from a photo that IMG_CHECK accepted earlier
	 * in this run (the model stage checks every photo it keeps): the
	 * headers are read and judged again, but the scan data of a JPEG that
	 * passes through is not decoded a second time. */
	IMG_MAKE_CHECKED = 2,
};

/* Check a photo (want_pixels: IMG_CHECK, IMG_MAKE or IMG_MAKE_CHECKED)
 * and make what the PDF holds. 0, or -1 with a message in err; out is
 * then empty. */
int img_load_mem(const unsigned char *p, size_t n, int want_pixels, ms_img *out, char *err,
                 size_t errlen);
int img_load(const char *path, int want_pixels, ms_img *out, char *err, size_t errlen);
void img_free(ms_img *m);
/* A JPEG that passes through as it is, judged as IMG_CHECK judges one
 * from its headers and its end-of-image marker, without reading the rest:
 * 1 with out filled (data NULL, len the file's size), else 0 (read and
 * judge it with img_load). */
int img_pass_head(const char *path, ms_img *out);
/* Whether img_load_fit keeps the photo as it was sent for this need (it
 * is not a gray or RGB JPEG with more than 8/7 of the pixels needed). */
int img_kept_as_sent(const ms_img *m, int need_w, int need_h);

/* img_load (IMG_MAKE_CHECKED: the photo was checked earlier in the run)
 * for a photo printed at need_w x need_h pixels (its placed size
 * at 300 ppi, in the stored orientation): a gray or RGB JPEG with more
 * than 8/7 of the pixels needed is decoded at the smallest n/8 scale that
 * still covers the need (libjpeg's scaled DCT) and encoded again (quality
 * 90); the EXIF orientation is unchanged (it is applied by the placement).
 * Anything else, or a failure there, is img_load's result. */
int img_load_fit(const char *path, int need_w, int need_h, ms_img *out, char *err, size_t errlen);

#endif
