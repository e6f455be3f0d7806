/* update.h — page content streams written by mspdoc itself, deflated with
 * libdeflate, photos, and the structure tree and link annotations
 * (tags.c), as an incremental update (PDF 32000-1 7.5.6) of the file
 * libharu saved: libharu writes each page's content stream empty and
 * unfiltered, and the update gives the same object its bytes. libharu
 * (2.3.0 and 2.4) deflates a stream only as it saves, at zlib's level 6 on
 * the one thread, and has no way to take bytes already deflated: it writes
 * /Filter from a stream's own flags, and the flag that writes /FlateDecode
 * is the one that deflates. See docs/DECISIONS.md ("Page contents"). */
#ifndef PDF_UPDATE_H
#define PDF_UPDATE_H

#include <stddef.h>

#include "../img/img.h"
#include "../util/buf.h"

typedef struct pdfu pdfu;

/* NULL when out of memory. */
pdfu *pdfu_new(void);
void pdfu_free(pdfu *u); /* NULL-safe */

/* Object id (libharu's, written by it before the update) becomes a
 * stream of these len bytes, deflated now (the caller keeps data). 0, or
 * -1 when out of memory. */
int pdfu_stream(pdfu *u, unsigned id, const char *data, size_t len);
/* The same, with these entries in the stream's dictionary besides /Length
 * and /Filter ("/Length1 5120"; NULL for none). */
int pdfu_stream_dict(pdfu *u, unsigned id, const char *dict, const char *data, size_t len);

/* Object id (an empty dictionary of libharu's, pdfx_dict) becomes an
 * image of a JPEG's bytes as they are (/DCTDecode): m->w x m->h pixels of
 * m->comps 8-bit components (1 gray, 3 RGB, 4 CMYK inverted as Adobe's
 * are, which is what libharu's own JPEG loader writes). Takes m->data
 * (m->data is NULL after). 0, or -1 when out of memory. */
int pdfu_jpeg(pdfu *u, unsigned id, ms_img *m);
/* The same for the JPEG at path, read only when the update is written
 * (one buffer for all the photos): m is what img_pass_head said of it,
 * and the file must still be that JPEG then, else pdfu_append fails and
 * pdfu_changed names it. */
int pdfu_jpeg_file(pdfu *u, unsigned id, const char *path, const ms_img *m);
/* Object id becomes the object whose body (a dictionary, an array...)
 * is these len bytes, copied: a new version of one of libharu's
 * placeholders (a font's, embed.c). 0, or -1 when out of memory. */
int pdfu_object(pdfu *u, unsigned id, const char *body, size_t len);
/* The first object number free after the saved file whose last tail_len
 * bytes are tail (its trailer's /Size), 0 when it cannot be read. */
unsigned pdfu_first_free(const char *tail, size_t tail_len);

/* The photo that changed, or NULL. */
const char *pdfu_changed(const pdfu *u);

/* Write the update through put (0 on success) for a file of file_len
 * bytes whose last tail_len bytes (its trailer, at least) are tail, a
 * copy that put does not move. 0, or -1 when out of memory, when put
 * fails, when the trailer cannot be read or a photo changed. */
int pdfu_append(pdfu *u, const char *tail, size_t tail_len, unsigned long long file_len,
                int (*put)(void *ctx, const void *p, size_t n), void *ctx);

/* Whole objects written through put as they are made, after the
 * streams: the structure tree's and the links' (tags.c), tens of
 * thousands of small ones, are never held all at once. */
typedef struct pdfu_out pdfu_out;
/* Start object id (a new version of one of libharu's placeholders, or a
 * new object numbered from first_free on): its body (a dictionary, an
 * array...) goes into the buffer returned, then pdfu_end writes it. */
ms_buf *pdfu_begin(pdfu_out *o, unsigned id);
void pdfu_end(pdfu_out *o);
/* pdfu_append, with more called (when not NULL) after the streams with the
 * first free object number: it writes its objects with pdfu_begin and
 * pdfu_end, and what it returns is left in *more_rc (a failure of its own,
 * such as the structure tree refused, leaves the file whole: its objects
 * written so far are in the update). */
int pdfu_append_with(pdfu *u, const char *tail, size_t tail_len, unsigned long long file_len,
                     int (*put)(void *ctx, const void *p, size_t n), void *ctx,
                     int (*more)(void *mctx, unsigned first_free, pdfu_out *o), void *mctx,
                     int *more_rc);

/* The number of objects given to the update. */
size_t pdfu_count(const pdfu *u);

#endif
