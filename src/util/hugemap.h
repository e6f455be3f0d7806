/* hugemap.h — big blocks of fresh memory mapped on their own. */
#ifndef MS_HUGEMAP_H
#define MS_HUGEMAP_H

#include <stddef.h>

#define MS_HUGE_PAGE ((size_t)2 << 20) /* a huge page on x86-64 and arm64 */

/* 1 under AddressSanitizer, MemorySanitizer or ThreadSanitizer: the
 * program's own allocators (the page arenas' pool, libharu's memory) then
 * step aside for malloc, so that the sanitizers see every block. */
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define MS_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(memory_sanitizer) ||                         \
    __has_feature(thread_sanitizer)
#define MS_SANITIZED 1
#endif
#endif
#ifndef MS_SANITIZED
#define MS_SANITIZED 0
#endif

/* At least bytes of zeroed memory, aligned to MS_HUGE_PAGE and advised
 * for transparent huge pages; *len is the length mapped (bytes rounded up
 * to MS_HUGE_PAGE), for ms_unmap. NULL when the kernel refuses. For the
 * reader's big blocks only (hugemap.c says why). */
void *ms_map_huge(size_t bytes, size_t *len);
/* The same, not advised: the page arenas' pool, libharu's memory. */
void *ms_map(size_t bytes, size_t *len);
void ms_unmap(void *p, size_t len); /* NULL-safe */

/* Once at the start of a run and before any thread: glibc's malloc grows
 * its heap in large steps, keeps blocks of a few MB in it, and keeps what
 * is freed for the next block. Elsewhere, and under sanitizers, nothing. */
void ms_heap_setup(void);

#endif
