/* hugemap.c — see hugemap.h.
 *
 * Memory from malloc is touched for the first time one 4 KB page at a
 * time, each by a page fault of its own, and a fault is dear on a virtual
 * machine: a big read or a book's libharu objects paid much of their time
 * so (DECISIONS.md, "A big read is paid in fresh memory", "The book's
 * photos and libharu's memory"). A block aligned to 2 MB and advised
 * MADV_HUGEPAGE takes one fault per 2 MB where the kernel's transparent
 * huge pages are enabled ("always" or "madvise"), and no more than before
 * where they are not. Pages never written cost nothing (MAP_NORESERVE). */
#include "hugemap.h"

#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

void *ms_map_huge(size_t bytes, size_t *len)
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
#ifdef MADV_HUGEPAGE
	madvise(a, bytes, MADV_HUGEPAGE); /* advice: no matter if refused */
#endif
	*len = bytes;
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
 * mappings of their own, a trim threshold that keeps freed memory for the
 * next block instead of returning it and faulting it in again, and one
 * block malloc'd to extend the heap now; what the break moved over is then
 * advised MADV_HUGEPAGE. All of it is advice: a malloc that does not use the
 * break leaves the break where it was, and nothing is advised. A run whose
 * heap outgrows HEAP_STEP gets 4 KB pages beyond it, as before; threads'
 * own malloc arenas are not covered. The cost is a peak a few MB higher:
 * memory is counted in 2 MB pages. */
#define HEAP_STEP ((size_t)256 << 20)

void ms_heap_huge(void)
{
#if defined(__GLIBC__) && defined(MADV_HUGEPAGE) && defined(M_TOP_PAD) && !MS_SANITIZED
	if (!mallopt(M_MMAP_THRESHOLD, 32 << 20) || !mallopt(M_TOP_PAD, (int)HEAP_STEP) ||
	    !mallopt(M_TRIM_THRESHOLD, (int)(2 * HEAP_STEP)))
		return;
	char *before = sbrk(0);
	void *grow = malloc(1 << 20);
	char *after = sbrk(0);
	if (grow && before != (char *)-1 && after != (char *)-1 && after > before) {
		char *lo = (char *)(((uintptr_t)before + MS_HUGE_PAGE - 1) &
		                    ~(uintptr_t)(MS_HUGE_PAGE - 1));
		if (after > lo)
			madvise(lo, (size_t)(after - lo), MADV_HUGEPAGE); /* advice */
	}
	free(grow);
#endif
}
