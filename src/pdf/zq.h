/* zq.h — the PDF's streams deflated with libdeflate: a page's contents made
 * and deflated on a second core while the next pages are laid out or
 * written (zq_*), and every other stream when libharu saves (zq.c replaces
 * libharu's deflating function). */
#ifndef PDF_ZQ_H
#define PDF_ZQ_H

#include <hpdf.h>
#include <libdeflate.h>
#include <pthread.h>
#include <stddef.h>

#include "../layout/ly.h"

/* Page contents made and deflated on a second core while the next pages
 * are laid out or written.
 * - Page tasks: each page the layout finishes (zq_layout_page) is made
 *   into its content stream apart from libharu (pdfc_page, detached) and
 *   deflated; pdf_write takes it (zq_take_page) and hands libharu the
 *   deflated bytes (zq_put_page). A page with a photo or a page number
 *   still to set, or one the worker could not make, is written the usual
 *   way by pdf_write instead.
 * - Raw tasks: such a page's contents, once written, are taken out of
 *   libharu (zq_page), deflated, and put back before the file is saved
 *   (zq_finish).
 * The streams so done are listed (sorted) in `done`, and while the document
 * saves (zq_saving) the deflate hook in zq.c passes them through as they
 * are. libharu only runs on the calling thread; the worker reads the
 * pages' operations and the fonts' width tables, and touches nothing else
 * but its tasks' bytes and its own compressor. The bytes are those the
 * usual way would have made. */
typedef struct ztask {
	HPDF_Stream s;            /* raw tasks: where the bytes came from */
	unsigned char *raw, *out; /* in; out (NULL until done, or on failure) */
	size_t nraw, nout;
	const ly_op *ops;                /* page tasks: the page's operations (in its arena,
	                                    which stays put while pages are added), its index */
	int page;                        /* -1: a raw task */
	int state;                       /* ZQ_WAITING, ZQ_RUNNING, ZQ_DONE */
	unsigned char order[FACE_COUNT]; /* page tasks: fonts in first use */
	int nfaces;
} ztask;

enum { ZQ_WAITING, ZQ_RUNNING, ZQ_DONE };

typedef struct zq {
	pthread_mutex_t m;
	pthread_cond_t c; /* a task queued, or one done */
	ztask **v;        /* page tasks first, in page order, then raw tasks */
	size_t n, cap, next, taken;
	size_t back; /* zsteal looks for waiting tasks below this one */
	int made;    /* pages given their content by zq_put_page */
	int closing, threaded, busy;
	int sync; /* MSPDOC_THREADS=sync: each page is made before the next is
	             laid out (the tests' fixed order; the files are the same) */
	pthread_t t;
	ly_fonts *fonts;
	struct libdeflate_compressor *own; /* the calling thread's (NULL: none) */
	HPDF_Stream *done;                 /* sorted: the streams that hold deflated bytes */
	size_t ndone;
} zq;

/* Start the worker (none with MSPDOC_THREADS=1: no page tasks then, and
 * raw ones are deflated as they are handed over). NULL: out of memory. */
zq *zq_new(ly_fonts *fonts);
/* A page the layout has finished, its operations final: made on the
 * second core unless it has a photo, a page number to set or a character
 * not measured yet (checked here). */
void zq_layout_page(zq *q, int index, const ly_page *pg);
/* The layout starts again: the pages handed over are dropped (once the
 * worker is done with the one it is making). */
void zq_forget(zq *q);
/* Page index's task: ZQ_MADE (its content is made: the worker no longer
 * reads its operations), ZQ_PENDING (not yet), or ZQ_NONE (no task, or it
 * failed: the page is to be written the usual way). */
enum { ZQ_NONE, ZQ_PENDING, ZQ_MADE };
int zq_made_page(zq *q, int index);
/* Page index's task, made (by the worker, or here when it has not started
 * it): NULL when there is none or it failed; the page is then to be
 * written the usual way. Pages are taken in order. */
ztask *zq_take_page(zq *q, int index);
/* Its deflated content into the page's stream, listed as done. */
void zq_put_page(zq *q, HPDF_Page page, ztask *k);
/* How many pages zq_put_page has given their content. */
int zq_made(const zq *q);
/* Hand over a finished page's contents (see zq.c). */
void zq_page(zq *q, HPDF_Page page);
/* Hand over a stream that libharu will deflate at saving and that nothing
 * writes to any more (a font's CIDToGIDMap): deflated on the second core,
 * given back by zq_finish. */
void zq_stream(zq *q, HPDF_Stream s);
/* Wait for the worker, helping it, and give every stream back its bytes. */
void zq_finish(zq *q);
/* Stop the worker (on an error path too) and free q. NULL-safe. */
void zq_delete(zq *q);
/* The document about to be saved (NULL after): its deflated streams are
 * passed through as they are, the others deflated with its compressor. */
void zq_saving(const zq *q);

#endif
