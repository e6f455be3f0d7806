/* zq.h — the PDF's streams deflated with libdeflate: a page's contents on a
 * second core while the next pages are written (zq_*), and every other
 * stream when libharu saves (zq.c replaces libharu's deflating function). */
#ifndef PDF_ZQ_H
#define PDF_ZQ_H

#include <hpdf.h>
#include <libdeflate.h>
#include <pthread.h>
#include <stddef.h>

/* Page contents deflated on a second core (zq_*) while the next pages are
 * written: at the end of each page its content stream is taken out of
 * libharu, deflated by a worker thread, and put back deflated before the
 * file is saved; the streams so done are listed (sorted) in `done`, and
 * while the document saves (zq_saving) the deflate hook in zq.c passes
 * them through as they are. libharu only runs
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

/* Start the worker (none with MSPDOC_THREADS=1: pages are deflated as
 * they are handed over). */
void zq_init(zq *q);
/* Hand over a finished page's contents (see zq.c). */
void zq_page(zq *q, HPDF_Page page);
/* Wait for the worker, helping it, and give every stream back its bytes. */
void zq_finish(zq *q);
/* Free q; stops the worker first on an error path. */
void zq_free(zq *q);
/* The document about to be saved (NULL after): its deflated streams are
 * passed through as they are, the others deflated with its compressor. */
void zq_saving(const zq *q);

#endif
