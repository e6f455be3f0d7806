/* hugemap.h — big blocks of fresh memory mapped on their own. */
#ifndef MS_HUGEMAP_H
#define MS_HUGEMAP_H

#include <stddef.h>

#define MS_HUGE_PAGE ((size_t)2 << 20) /* a huge page on x86-64 and arm64 */

/* At least bytes of zeroed memory, aligned to MS_HUGE_PAGE and advised
 * for transparent huge pages; *len is the length mapped (bytes rounded up
 * to MS_HUGE_PAGE), for ms_unmap. NULL when the kernel refuses. */
void *ms_map_huge(size_t bytes, size_t *len);
void ms_unmap(void *p, size_t len); /* NULL-safe */

#endif
