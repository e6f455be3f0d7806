/* arena.h — a bump allocator for data freed all at once (a workbook's
 * cells, a document tree, a record set). Allocation failure returns NULL and
 * sets `oom`; callers check once at the end. */
#ifndef MS_ARENA_H
#define MS_ARENA_H

#include <stddef.h>
#include <string.h>

typedef struct ms_arena ms_arena;

/* Private: here for the inline fast path of ms_arena_alloc (a layout makes
 * a million small allocations; the call and a memset of unknown size cost
 * more than the bump). Use the functions. */
typedef struct ms_arena_chunk {
	struct ms_arena_chunk *next;
	size_t size, used;
	_Alignas(16) unsigned char data[];
} ms_arena_chunk;

struct ms_arena {
	ms_arena_chunk *head;
	size_t total;
	size_t fixed; /* chunk size, or 0: 64 KiB doubling to 8 MiB */
	int oom;
};

void *ms_arena_alloc_chunk(ms_arena *a, size_t n); /* the slow path: a new chunk */

ms_arena *ms_arena_new(void);
/* An arena of fixed `size`-byte chunks (no doubling): for many small
 * arenas, such as one a page, where doubling would waste more than it saves. */
ms_arena *ms_arena_new_fixed(size_t size);
void ms_arena_free(ms_arena *a); /* NULL-safe */
/* Free the arena but hand each of its chunks (p, n bytes) to take, which
 * may use the memory until it gives it back with ms_arena_chunk_release:
 * the PDF back-end reuses a written page's memory for libharu's objects. */
void ms_arena_free_to(ms_arena *a, void (*take)(void *p, size_t n));
void ms_arena_chunk_release(void *p, size_t n);

/* n bytes, zeroed, 16-byte aligned; NULL (and oom set) when out of memory. */
static inline void *ms_arena_alloc(ms_arena *a, size_t n)
{
	size_t m = n ? (n + 15) & ~(size_t)15 : 16;
	ms_arena_chunk *c = a && !a->oom ? a->head : NULL;
	if (!c || c->size - c->used < m || m < n)
		return ms_arena_alloc_chunk(a, n);
	void *p = c->data + c->used;
	c->used += m;
	a->total += m;
	memset(p, 0, m); /* of a constant size at most calls: stores */
	return p;
}

char *ms_arena_strdup(ms_arena *a, const char *s); /* NULL -> NULL */
char *ms_arena_strndup(ms_arena *a, const char *s, size_t n);
int ms_arena_oom(const ms_arena *a);
size_t ms_arena_used(const ms_arena *a); /* bytes handed out */

#endif
