/* zip.h — a bounded zip reader over minizip, for XLSX parts.
 *
 * The whole archive is held in memory (read once, bounded by the caller);
 * entries are inflated in chunks and counted while inflating, so a zip bomb
 * is an error, never an out-of-memory. CRCs are checked. When it is opened,
 * the central directory is read once: the sizes the entries declare are
 * capped (each, all together, and each one's compression ratio) before
 * anything is inflated; two entries of one name are refused; names are
 * then found by binary search. */
#ifndef RD_ZIP_H
#define RD_ZIP_H

#include <stddef.h>

typedef struct rz_zip rz_zip;

typedef struct rz_limits {
	size_t max_entries;
	size_t max_entry_bytes;
	size_t max_total_bytes;
} rz_limits;

/* Open an archive from memory (data must outlive the rz_zip). NULL when it
 * is not a zip or has too many entries; *why gets a static English reason. */
rz_zip *rz_open_mem(const void *data, size_t len, const rz_limits *lim, const char **why);
void rz_close(rz_zip *z); /* NULL-safe */

/* A second handle on z's archive, for another thread: the two count their
 * inflated bytes together against max_total_bytes. Close it before z.
 * NULL with *why set on failure. */
rz_zip *rz_open_twin(rz_zip *z, const char **why);

/* The size an entry says it unpacks to (untrusted: for planning only), or 0
 * when it is missing. */
size_t rz_size(rz_zip *z, const char *name);

/* 1 when the archive has an entry of that name (a leading '/' ignored). */
int rz_has(rz_zip *z, const char *name);

/* Stream an entry through fn in chunks. Returns 0; -1 when missing (*why
 * "missing"), damaged, over a size cap, or when fn returned non-zero.
 * *why is a static English reason (NULL when fn stopped). */
typedef int (*rz_chunk_fn)(void *ctx, const char *buf, size_t len);
int rz_stream(rz_zip *z, const char *name, rz_chunk_fn fn, void *ctx, const char **why);

/* Read a whole entry into a block of its own, mapped (util/hugemap.h: few
 * page faults), NUL-terminated; *map is its length, for ms_unmap. Sized as
 * the entry declares, grown if more comes. 0, or -1 with *why. */
int rz_read_block(rz_zip *z, const char *name, char **data, size_t *len, size_t *map,
                  const char **why);

/* Read a whole entry into a new NUL-terminated buffer (caller frees). */
int rz_read(rz_zip *z, const char *name, char **data, size_t *len, const char **why);

#endif
