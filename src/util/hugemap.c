/* hugemap.c — see hugemap.h.
 *
 * Memory from malloc is touched for the first time one 4 KB page at a
 * time, each by a page fault of its own, and a fault is dear on a virtual
 * machine. A block aligned to 2 MB and advised MADV_HUGEPAGE takes one
 * fault per 2 MB where the kernel's transparent huge pages are enabled
 * ("always" or "madvise"), and no more than before where they are not:
 * that pays for the reader's big blocks (DECISIONS.md, "A big read is
 * paid in fresh memory"), which come first in a run, while the kernel
 * still has huge pages at hand; beyond a few tens of MB, a huge page
 * found afresh costs more than the faults it saves (ms_heap_setup). Pages
 * never written cost nothing (MAP_NORESERVE). */
#include "hugemap.h"

#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

void *ms_map(size_t bytes, size_t *len)
{
	if (bytes == 0 || bytes > ((size_t)-1) / 4)
		return NULL;
	bytes = (bytes + MS_HUGE_PAGE - 1) & ~(MS_HUGE_PAGE - 1);
	char *p = mmap(NULL, bytes + MS_HUGE_PAGE, PROT_READ | PROT_WRITE,
	               MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	/* map one huge page more, then give back what lies either side of the
	 * aligned block */
	char *a = (char *)(((uintptr_t)p + MS_HUGE_PAGE - 1) & ~(uintptr_t)(MS_HUGE_PAGE - 1));
	if (a > p)
		munmap(p, (size_t)(a - p));
	if (a + bytes < p + bytes + MS_HUGE_PAGE)
		munmap(a + bytes, (size_t)(p + MS_HUGE_PAGE - a));
	*len = bytes;
	return a;
}

void *ms_map_huge(size_t bytes, size_t *len)
{
	char *a = ms_map(bytes, len);
#ifdef MADV_HUGEPAGE
	if (a)
		madvise(a, *len, MADV_HUGEPAGE); /* advice: no matter if refused */
#endif
	return a;
}

void ms_unmap(void *p, size_t len)
{
	if (p && len)
		munmap(p, len);
}

/* glibc's malloc serves blocks under M_MMAP_THRESHOLD from its main heap,
 * which it extends with sbrk by what a block needs plus M_TOP_PAD. So: a
 * pad of HEAP_STEP (address space only: a page never touched costs no
 * memory), a threshold that keeps blocks of up to a few MB (the arenas'
 * bigger chunks, the libraries' buffers) in that heap instead of in
 * mappings of their own, and a trim threshold that keeps freed memory for
 * the next block instead of returning it and faulting it in again.
 *
 * The heap is not advised for huge pages (docs/DECISIONS.md, "Memory"):
 * on this VM a huge page the kernel must find afresh costs about six
 * times a 4 KB page's fault per byte, so the 2,000-entry digest run after
 * a pause took 0.54 s instead of 0.35. */
#define HEAP_STEP ((size_t)256 << 20)

void ms_heap_setup(void)
{
#if defined(__GLIBC__) && defined(M_TOP_PAD) && !MS_SANITIZED
	mallopt(M_MMAP_THRESHOLD, 32 << 20);
	mallopt(M_TOP_PAD, (int)HEAP_STEP);
	mallopt(M_TRIM_THRESHOLD, (int)(2 * HEAP_STEP));
#endif
}
