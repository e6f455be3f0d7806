/* arena.c — bump allocator in chunks (see arena.h). */
#include "arena.h"

#include <stdlib.h>
#include <string.h>

typedef ms_arena_chunk chunk;

ms_arena *ms_arena_new(void)
{
	return calloc(1, sizeof(ms_arena));
}

ms_arena *ms_arena_new_fixed(size_t size)
{
	ms_arena *a = calloc(1, sizeof(ms_arena));
	if (a)
		a->fixed = size > 1024 ? size : 1024;
	return a;
}

void ms_arena_free(ms_arena *a)
{
	ms_arena_free_to(a, NULL);
}

void ms_arena_free_to(ms_arena *a, void (*take)(void *p, size_t n))
{
	if (!a)
		return;
	chunk *c = a->head;
	while (c) {
		chunk *n = c->next;
		if (take)
			take(c, sizeof(chunk) + c->size);
		else
			free(c);
		c = n;
	}
	free(a);
}

void *ms_arena_alloc_chunk(ms_arena *a, size_t n)
{
	if (!a || a->oom)
		return NULL;
	if (n > (size_t)-1 - 64 - sizeof(chunk)) { /* no chunk can hold it */
		a->oom = 1;
		return NULL;
	}
	n = n ? (n + 15) & ~(size_t)15 : 16;
	chunk *c = a->head;
	if (!c || c->size - c->used < n) {
		size_t base = (a->fixed ? a->fixed : 65536) - sizeof(chunk);
		size_t size = n > base ? n : base;
		if (!a->fixed && c && c->size * 2 > size && c->size < (8u << 20))
			size = c->size * 2;
		chunk *nc = malloc(sizeof(chunk) + size);
		if (!nc) {
			a->oom = 1;
			return NULL;
		}
		nc->size = size;
		nc->used = 0;
		/* A big one-off block goes behind the head so the head's free
		 * space is kept for small allocations. */
		if (c && n > size / 2 && c->size - c->used > 1024) {
			nc->next = c->next;
			c->next = nc;
		} else {
			nc->next = c;
			a->head = nc;
		}
		c = nc;
	}
	void *p = c->data + c->used;
	c->used += n;
	a->total += n;
	memset(p, 0, n);
	return p;
}

char *ms_arena_strndup(ms_arena *a, const char *s, size_t n)
{
	if (!s)
		return NULL;
	char *r = ms_arena_alloc(a, n + 1);
	if (!r)
		return NULL;
	memcpy(r, s, n);
	r[n] = 0;
	return r;
}

char *ms_arena_strdup(ms_arena *a, const char *s)
{
	return s ? ms_arena_strndup(a, s, strlen(s)) : NULL;
}

int ms_arena_oom(const ms_arena *a)
{
	return !a || a->oom;
}

size_t ms_arena_used(const ms_arena *a)
{
	return a ? a->total : 0;
}
