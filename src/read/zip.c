/* zip.c — bounded zip reading over minizip (see zip.h). */
#include "zip.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unzip.h>

typedef struct memfile {
	const unsigned char *data;
	size_t len, pos;
} memfile;

struct rz_zip {
	unzFile uf;
	memfile mf;
	rz_limits lim;
	atomic_size_t own;    /* bytes inflated so far, all entries... */
	atomic_size_t *total; /* ...counted here: &own, or a twin's original's */
};

/* minizip I/O over a memory buffer. */
static voidpf mem_open(voidpf opaque, const void *filename, int mode)
{
	(void)filename;
	(void)mode;
	return opaque;
}

static uLong mem_read(voidpf opaque, voidpf stream, void *buf, uLong size)
{
	memfile *m = stream;
	(void)opaque;
	size_t left = m->len - m->pos;
	size_t n = size < left ? size : left;
	memcpy(buf, m->data + m->pos, n);
	m->pos += n;
	return (uLong)n;
}

static uLong mem_write(voidpf opaque, voidpf stream, const void *buf, uLong size)
{
	(void)opaque;
	(void)stream;
	(void)buf;
	(void)size;
	return 0;
}

static ZPOS64_T mem_tell(voidpf opaque, voidpf stream)
{
	(void)opaque;
	return ((memfile *)stream)->pos;
}

static long mem_seek(voidpf opaque, voidpf stream, ZPOS64_T off, int origin)
{
	memfile *m = stream;
	(void)opaque;
	ZPOS64_T base = origin == ZLIB_FILEFUNC_SEEK_SET   ? 0
	                : origin == ZLIB_FILEFUNC_SEEK_CUR ? m->pos
	                                                   : m->len;
	if (base + off > m->len)
		return -1;
	m->pos = (size_t)(base + off);
	return 0;
}

static int mem_close(voidpf opaque, voidpf stream)
{
	(void)opaque;
	(void)stream;
	return 0;
}

static int mem_error(voidpf opaque, voidpf stream)
{
	(void)opaque;
	(void)stream;
	return 0;
}

rz_zip *rz_open_mem(const void *data, size_t len, const rz_limits *lim, const char **why)
{
	*why = NULL;
	if (len < 4 || memcmp(data, "PK", 2) != 0) {
		*why = "not a zip file";
		return NULL;
	}
	rz_zip *z = calloc(1, sizeof *z);
	if (!z) {
		*why = "out of memory";
		return NULL;
	}
	z->mf.data = data;
	z->mf.len = len;
	z->lim = *lim;
	atomic_init(&z->own, 0);
	z->total = &z->own;
	zlib_filefunc64_def ff = {mem_open, mem_read,  mem_write, mem_tell,
	                          mem_seek, mem_close, mem_error, &z->mf};
	z->uf = unzOpen2_64("", &ff);
	if (!z->uf) {
		*why = "the zip archive is damaged or truncated";
		free(z);
		return NULL;
	}
	unz_global_info64 gi;
	if (unzGetGlobalInfo64(z->uf, &gi) != UNZ_OK) {
		*why = "the zip archive is damaged";
		rz_close(z);
		return NULL;
	}
	if (gi.number_entry > z->lim.max_entries) {
		*why = "the zip archive has too many entries";
		rz_close(z);
		return NULL;
	}
	return z;
}

rz_zip *rz_open_twin(rz_zip *z, const char **why)
{
	rz_zip *t = rz_open_mem(z->mf.data, z->mf.len, &z->lim, why);
	if (t)
		t->total = z->total;
	return t;
}

void rz_close(rz_zip *z)
{
	if (!z)
		return;
	if (z->uf)
		unzClose(z->uf);
	free(z);
}

static int locate(rz_zip *z, const char *name)
{
	while (*name == '/')
		name++;
	/* Case-sensitive: part names in OOXML are case-insensitive in theory,
	 * but every writer uses the names its relationships give. */
	return unzLocateFile(z->uf, name, 1) == UNZ_OK ? 0 : -1;
}

int rz_has(rz_zip *z, const char *name)
{
	return z && locate(z, name) == 0;
}

size_t rz_size(rz_zip *z, const char *name)
{
	unz_file_info64 fi;
	if (locate(z, name) < 0 ||
	    unzGetCurrentFileInfo64(z->uf, &fi, NULL, 0, NULL, 0, NULL, 0) != UNZ_OK)
		return 0;
	return (size_t)fi.uncompressed_size;
}

int rz_stream(rz_zip *z, const char *name, rz_chunk_fn fn, void *ctx, const char **why)
{
	*why = NULL;
	if (locate(z, name) < 0) {
		*why = "missing";
		return -1;
	}
	unz_file_info64 fi;
	if (unzGetCurrentFileInfo64(z->uf, &fi, NULL, 0, NULL, 0, NULL, 0) != UNZ_OK) {
		*why = "the zip archive is damaged";
		return -1;
	}
	if (fi.flag & 1) {
		*why = "an entry is encrypted";
		return -1;
	}
	if (unzOpenCurrentFile(z->uf) != UNZ_OK) {
		*why = "the zip archive is damaged (unsupported compression or bad header)";
		return -1;
	}
	char buf[65536];
	size_t entry = 0;
	int r = 0;
	for (;;) {
		int n = unzReadCurrentFile(z->uf, buf, sizeof buf);
		if (n < 0) {
			*why = "the zip archive is damaged (bad compressed data)";
			r = -1;
			break;
		}
		if (n == 0)
			break;
		entry += (size_t)n;
		size_t total = atomic_fetch_add(z->total, (size_t)n) + (size_t)n;
		if (entry > z->lim.max_entry_bytes || total > z->lim.max_total_bytes) {
			*why = "a part unpacks to more than the size limit: this looks like a zip "
			       "bomb";
			r = -1;
			break;
		}
		if (fn(ctx, buf, (size_t)n) != 0) {
			r = -1;
			break;
		}
	}
	int c = unzCloseCurrentFile(z->uf);
	if (r == 0 && c == UNZ_CRCERROR) {
		*why = "the zip archive is damaged (CRC error)";
		r = -1;
	}
	return r;
}

typedef struct grow {
	char *p;
	size_t len, cap;
} grow;

static int grow_add(void *ctx, const char *buf, size_t len)
{
	grow *g = ctx;
	if (g->len + len + 1 > g->cap) {
		size_t cap = g->cap ? g->cap : 4096;
		while (cap < g->len + len + 1)
			cap *= 2;
		char *p = realloc(g->p, cap);
		if (!p)
			return -1;
		g->p = p;
		g->cap = cap;
	}
	memcpy(g->p + g->len, buf, len);
	g->len += len;
	g->p[g->len] = 0;
	return 0;
}

int rz_read(rz_zip *z, const char *name, char **data, size_t *len, const char **why)
{
	grow g = {0};
	int r = rz_stream(z, name, grow_add, &g, why);
	if (r < 0) {
		if (!*why)
			*why = "out of memory";
		free(g.p);
		return -1;
	}
	if (!g.p)
		g.p = calloc(1, 1);
	*data = g.p;
	*len = g.len;
	return g.p ? 0 : -1;
}
