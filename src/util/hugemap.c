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
#include <sys/mman.h>

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
