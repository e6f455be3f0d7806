/* hpdfmem.c — see hpdfmem.h.
 *
 * A book's libharu document is a few hundred thousand small objects
 * (dictionaries, numbers, names, the structure tree's elements) and the
 * 4 KB buffers of its streams (page contents, photos), all alive until the
 * file is saved: most of the process's peak memory, in blocks malloc
 * would give each a header and free one by one. HPDF_NewEx, libharu's
 * published way to bring one's own allocator, gets these functions
 * instead: blocks of 16-byte size classes
 * carved from 2 MB regions (not advised for huge pages: see
 * util/hugemap.c), each class with its own free list, and every
 * region unmapped at once after HPDF_Free. The pages of a written page's
 * display list (pdfmem_adopt) are carved first: libharu's objects then
 * take the memory the layout's pages give back, as they did through
 * malloc, without new faults or unmapping. Larger requests (font files,
 * big arrays) go to malloc. libharu's own memory pool (mem_pool_buf_size)
 * is not used: it never reuses what libharu frees, and the Debian build
 * does not align what it hands out.
 *
 * libharu's allocation functions take no user data, so the document's
 * memory is found through a thread-local pointer: one document at a time
 * on a thread, called from that thread only (pdf_write does both). Under
 * AddressSanitizer and ThreadSanitizer everything goes to malloc, so their
 * checks still see libharu's heap (an instrumented ThreadSanitizer run of
 * the book faulted on stores into these blocks, which neither valgrind
 * nor the plain build shows). */
#include "hpdfmem.h"

#include "../util/arena.h"

#include "../util/hugemap.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define PDFMEM_OFF MS_SANITIZED

#define REGION ((size_t)2 << 20) /* one huge page on x86-64 and arm64 */
#define GRAIN 16
/* the largest block: a stream's 4 KB buffer (HPDF_STREAM_BUF_SIZ) and its
 * header */
#define SMALL_MAX (4096 + GRAIN)
#define NCLASS (SMALL_MAX / GRAIN + 1)

/* Before every block: its size class, 0 for a block from malloc. 16 bytes,
 * so that what libharu gets is aligned as malloc's is. */
typedef struct hdr {
	uint32_t cls;
	uint32_t pad[3];
} hdr;

typedef struct fblk {
	struct fblk *next;
} fblk;

/* a block given by pdfmem_adopt, waiting to be carved */
typedef struct spare {
	struct spare *next;
	size_t n;
} spare;

struct pdfmem {
	fblk *free[NCLASS];
	char *cur, *end; /* the unused rest of the latest region or block */
	void **regions;
	size_t nreg, capreg;
	spare *spares;  /* adopted blocks not carved yet */
	void **adopted; /* every adopted block, given back at the end */
	size_t *adlen;
	size_t nad, capad;
};

static _Thread_local pdfmem *tl_mem;

/* A new 2 MB region, or the next adopted block */
static int region_new(pdfmem *m)
{
	/* the rest of the current area: a free block of its own size */
	size_t r = (size_t)(m->end - m->cur);
	if (r >= 2 * GRAIN && r / GRAIN < NCLASS) {
		fblk *b = (fblk *)m->cur;
		b->next = m->free[r / GRAIN];
		m->free[r / GRAIN] = b;
	}
	m->cur = m->end = NULL;
	if (m->spares) {
		spare *s = m->spares;
		m->spares = s->next;
		m->cur = (char *)s;
		m->end = (char *)s + s->n;
		return 0;
	}
	if (m->nreg == m->capreg) {
		size_t c = m->capreg ? m->capreg * 2 : 32;
		void **v = realloc(m->regions, c * sizeof *v);
		if (!v)
			return -1;
		m->regions = v;
		m->capreg = c;
	}
	size_t len;
	char *a = ms_map(REGION, &len);
	if (!a)
		return -1;
	m->regions[m->nreg++] = a;
	m->cur = a;
	m->end = a + REGION;
	return 0;
}

pdfmem *pdfmem_begin(void)
{
	if (PDFMEM_OFF)
		return NULL;
	pdfmem *m = calloc(1, sizeof *m);
	tl_mem = m;
	return m;
}

void *pdfmem_alloc(HPDF_UINT size)
{
	size_t need = (size_t)size + sizeof(hdr);
	pdfmem *m = tl_mem;
	if (m && need <= SMALL_MAX) {
		size_t c = (need + GRAIN - 1) / GRAIN;
		hdr *h = (hdr *)m->free[c];
		if (h) {
			m->free[c] = m->free[c]->next;
		} else {
			size_t bytes = c * GRAIN;
			if ((size_t)(m->end - m->cur) < bytes && region_new(m) < 0)
				goto big;
			h = (hdr *)m->cur;
			m->cur += bytes;
		}
		h->cls = (uint32_t)c;
		return h + 1;
	}
big:;
	hdr *h = malloc(need);
	if (!h)
		return NULL;
	h->cls = 0;
	return h + 1;
}

void pdfmem_free(void *p)
{
	if (!p)
		return;
	hdr *h = (hdr *)p - 1;
	if (!h->cls) {
		free(h);
		return;
	}
	pdfmem *m = tl_mem;
	if (!m) /* never expected: the block goes with its region */
		return;
	fblk *b = (fblk *)h;
	b->next = m->free[h->cls];
	m->free[h->cls] = b;
}

void pdfmem_adopt(void *p, size_t n)
{
	pdfmem *m = tl_mem;
	if (!m || !p || n < 1024) {
		ms_arena_chunk_release(p, n);
		return;
	}
	if (m->nad == m->capad) {
		size_t c = m->capad ? m->capad * 2 : 256;
		void **v = realloc(m->adopted, c * sizeof *v);
		if (v)
			m->adopted = v;
		size_t *l = v ? realloc(m->adlen, c * sizeof *l) : NULL;
		if (l)
			m->adlen = l;
		if (!v || !l) {
			ms_arena_chunk_release(p, n);
			return;
		}
		m->capad = c;
	}
	m->adopted[m->nad] = p;
	m->adlen[m->nad++] = n;
	/* malloc's blocks and the arena's pool chunks are 16-byte aligned, as
	 * the blocks carved here */
	spare *s = p;
	s->n = n & ~(size_t)(GRAIN - 1);
	s->next = m->spares;
	m->spares = s;
}

void pdfmem_end(pdfmem *m)
{
	if (!m)
		return;
	if (tl_mem == m)
		tl_mem = NULL;
	for (size_t i = 0; i < m->nreg; i++)
		ms_unmap(m->regions[i], REGION);
	free(m->regions);
	for (size_t i = 0; i < m->nad; i++)
		ms_arena_chunk_release(m->adopted[i], m->adlen[i]);
	free(m->adopted);
	free(m->adlen);
	free(m);
}
