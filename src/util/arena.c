/* arena.c — bump allocator in chunks (see arena.h). */
#include "arena.h"

#include "hugemap.h"
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef ms_arena_chunk chunk;

/* The chunks of page arenas (fixed at POOL_CHUNK bytes: one a page of a
 * layout, a book has hundreds) come from a pool carved from 2 MB regions
 * (not advised for huge pages: see hugemap.c). What is freed goes back to
 * the pool for the next page, or, handed
 * to the PDF back-end by ms_arena_free_to, for libharu's objects until that
 * document is freed. The regions stay for the rest of the run. Under
 * AddressSanitizer and ThreadSanitizer the chunks are malloc'd, so their
 * checks still see them. */
#define POOL_OFF MS_SANITIZED
#define POOL_CHUNK ((size_t)16384)
#define POOL_REGION ((size_t)2 << 20)

static pthread_mutex_t pool_mu = PTHREAD_MUTEX_INITIALIZER;
static chunk *pool_free;          /* chunks given back */
static char *pool_cur, *pool_end; /* the unused rest of the latest region */

static chunk *pool_get(void)
{
	chunk *c = NULL;
	pthread_mutex_lock(&pool_mu);
	if (pool_free) {
		c = pool_free;
		pool_free = c->next;
	} else {
		if (pool_cur == pool_end) {
			size_t len;
			char *a = ms_map(POOL_REGION, &len);
			if (a) {
				pool_cur = a;
				pool_end = a + len;
			}
		}
		if (pool_cur != pool_end) {
			c = (chunk *)pool_cur;
			pool_cur += POOL_CHUNK;
		}
	}
	pthread_mutex_unlock(&pool_mu);
	return c;
}

void ms_arena_chunk_release(void *p, size_t n)
{
	if (!p)
		return;
	if (POOL_OFF || n != POOL_CHUNK) {
		free(p);
		return;
	}
	chunk *c = p;
	pthread_mutex_lock(&pool_mu);
	c->next = pool_free;
	pool_free = c;
	pthread_mutex_unlock(&pool_mu);
}

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
		size_t bytes = sizeof(chunk) + c->size;
		if (take)
			take(c, bytes);
		else
			ms_arena_chunk_release(c, bytes);
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
		chunk *nc =
		    !POOL_OFF && sizeof(chunk) + size == POOL_CHUNK && a->fixed == POOL_CHUNK
		        ? pool_get()
		        : NULL;
		if (!nc)
			nc = malloc(sizeof(chunk) + size);
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
