/* arena.h — a bump allocator for data freed all at once (a workbook's
 * cells, a document tree, a record set). Allocation failure returns NULL and
 * sets `oom`; callers check once at the end. */
#ifndef MS_ARENA_H
#define MS_ARENA_H

#include <stddef.h>

typedef struct ms_arena ms_arena;

ms_arena *ms_arena_new(void);
/* An arena of fixed `size`-byte chunks (no doubling): for many small
 * arenas, such as one a page, where doubling would waste more than it saves. */
ms_arena *ms_arena_new_fixed(size_t size);
void ms_arena_free(ms_arena *a);                   /* NULL-safe */
void *ms_arena_alloc(ms_arena *a, size_t n);       /* zeroed, 16-byte aligned */
char *ms_arena_strdup(ms_arena *a, const char *s); /* NULL -> NULL */
char *ms_arena_strndup(ms_arena *a, const char *s, size_t n);
int ms_arena_oom(const ms_arena *a);
size_t ms_arena_used(const ms_arena *a); /* bytes handed out */

#endif
