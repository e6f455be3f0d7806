/* zip.c — bounded zip reading over minizip (see zip.h). */
#include "zip.h"

#include <libdeflate.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unzip.h>

#include "../util/hugemap.h"

/* The compression ratio refused: deflate reaches about 1,030 to 1 at most,
 * on a run of one byte, which is what bombs are made of; real parts stay
 * far below (styles.xml about 100 to 1, library-notes.md; a sheet of one
 * repeated value about 200 to 1). Small parts are not judged: a 20 KB
 * styles.xml of empty elements may compress beyond any rule. */
#define RZ_MAX_RATIO 1000
#define RZ_RATIO_FROM ((ZPOS64_T)1 << 20)

typedef struct memfile {
	const unsigned char *data;
	size_t len, pos;
} memfile;

/* One entry of the central directory, for lookups by name (bsearch):
 * unzLocateFile reads every header before the one it finds, which made
 * reading a workbook of 10,000 sheets quadratic. */
typedef struct rz_ent {
	char *name;
	unz64_file_pos at;
} rz_ent;

struct rz_zip {
	unzFile uf;
	rz_ent *ents;
	size_t nents;
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

static int ent_cmp(const void *a, const void *b)
{
	return strcmp(((const rz_ent *)a)->name, ((const rz_ent *)b)->name);
}

/* Read the central directory once, before anything is inflated: every
 * name (two entries of one name are an error: which one a reader takes is
 * its own choice), the sizes the entries declare, added up, and each one's
 * compression ratio. minizip stops inflating at the declared size, so
 * these caps bound what is inflated (the 4 x 250 MB parts of a bomb used
 * to pass one by one). NULL, or a static reason. */
static const char *index_entries(rz_zip *z, size_t n)
{
	z->ents = calloc(n ? n : 1, sizeof *z->ents);
	if (!z->ents)
		return "out of memory";
	size_t declared = 0;
	int r = unzGoToFirstFile(z->uf);
	for (size_t i = 0; i < n && r == UNZ_OK; i++, r = unzGoToNextFile(z->uf)) {
		unz_file_info64 fi;
		char name[1024];
		if (unzGetCurrentFileInfo64(z->uf, &fi, name, sizeof name, NULL, 0, NULL, 0) !=
		        UNZ_OK ||
		    unzGetFilePos64(z->uf, &z->ents[i].at) != UNZ_OK)
			return "the zip archive is damaged";
		if (fi.uncompressed_size > z->lim.max_entry_bytes)
			return "a part unpacks to more than the size limit: this looks like a zip "
			       "bomb";
		declared += (size_t)fi.uncompressed_size;
		if (declared > z->lim.max_total_bytes)
			return "the parts unpack to more than the size limit together: this looks "
			       "like a zip bomb";
		if (fi.uncompressed_size > RZ_RATIO_FROM &&
		    fi.uncompressed_size / (fi.compressed_size ? fi.compressed_size : 1) >
		        RZ_MAX_RATIO)
			return "a part is compressed more than any spreadsheet is (over "
			       "1,000 to 1): this looks like a zip bomb";
		const char *nm = name;
		while (*nm == '/')
			nm++;
		z->ents[i].name = strdup(nm);
		if (!z->ents[i].name)
			return "out of memory";
		z->nents = i + 1;
	}
	if (z->nents != n)
		return "the zip archive is damaged";
	qsort(z->ents, z->nents, sizeof *z->ents, ent_cmp);
	for (size_t i = 1; i < z->nents; i++)
		if (!strcmp(z->ents[i - 1].name, z->ents[i].name))
			return "two entries of the zip archive have the same name: the file was "
			       "tampered with or not written by a spreadsheet program";
	return NULL;
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
	if ((*why = index_entries(z, (size_t)gi.number_entry)) != NULL) {
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
	for (size_t i = 0; i < z->nents; i++)
		free(z->ents[i].name);
	free(z->ents);
	free(z);
}

static int locate(rz_zip *z, const char *name)
{
	while (*name == '/')
		name++;
	/* Case-sensitive: part names in OOXML are case-insensitive in theory,
	 * but every writer uses the names its relationships give. */
	rz_ent key = {(char *)name, {0, 0}};
	const rz_ent *e = bsearch(&key, z->ents, z->nents, sizeof *z->ents, ent_cmp);
	if (!e)
		return -1;
	unz64_file_pos at = e->at;
	return unzGoToFilePos64(z->uf, &at) == UNZ_OK ? 0 : -1;
}

int rz_has(rz_zip *z, const char *name)
{
	return z && name && locate(z, name) == 0;
}

size_t rz_size(rz_zip *z, const char *name)
{
	unz_file_info64 fi;
	if (locate(z, name) < 0 ||
	    unzGetCurrentFileInfo64(z->uf, &fi, NULL, 0, NULL, 0, NULL, 0) != UNZ_OK)
		return 0;
	return (size_t)fi.uncompressed_size;
}

/* Make name the current entry and open it for inflating; 0, or -1 with
 * *why ("missing" when absent). */
static int entry_open(rz_zip *z, const char *name, const char **why)
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
	return 0;
}

/* Inflate up to cap bytes of the open entry into buf: the count (0 at its
 * end), or -1 with *why. *entry: the entry's bytes so far, checked with
 * all entries' against the caps. */
static int entry_read(rz_zip *z, char *buf, size_t cap, size_t *entry, const char **why)
{
	int n = unzReadCurrentFile(z->uf, buf, (unsigned)cap);
	if (n < 0) {
		*why = "the zip archive is damaged (bad compressed data)";
		return -1;
	}
	*entry += (size_t)n;
	size_t total = atomic_fetch_add(z->total, (size_t)n) + (size_t)n;
	if (*entry > z->lim.max_entry_bytes || total > z->lim.max_total_bytes) {
		*why = "a part unpacks to more than the size limit: this looks like a zip bomb";
		return -1;
	}
	return n;
}

/* Close the entry; r (0 or -1), -1 with *why on a CRC error. */
static int entry_close(rz_zip *z, int r, const char **why)
{
	int c = unzCloseCurrentFile(z->uf);
	if (r == 0 && c == UNZ_CRCERROR) {
		*why = "the zip archive is damaged (CRC error)";
		r = -1;
	}
	return r;
}

int rz_stream(rz_zip *z, const char *name, rz_chunk_fn fn, void *ctx, const char **why)
{
	if (entry_open(z, name, why) < 0)
		return -1;
	char buf[65536];
	size_t entry = 0;
	int r = 0;
	for (;;) {
		int n = entry_read(z, buf, sizeof buf, &entry, why);
		if (n <= 0) {
			r = n;
			break;
		}
		if (fn(ctx, buf, (size_t)n) != 0) {
			r = -1;
			break;
		}
	}
	return entry_close(z, r, why);
}

/* The open entry inflated whole by libdeflate, straight from the archive
 * in memory into a block of the size it declares (its CRC checked): about
 * twice zlib's speed, and its CRC several times. 1 when done (or failed:
 * *why set); 0 when the entry is not for it (stored, too short, longer
 * than it says, or no memory): then minizip reads it, counting. */
static int inflate_whole(rz_zip *z, char **data, size_t *len, size_t *map, const char **why)
{
	unz_file_info64 fi;
	if (unzGetCurrentFileInfo64(z->uf, &fi, NULL, 0, NULL, 0, NULL, 0) != UNZ_OK ||
	    fi.compression_method != Z_DEFLATED || fi.uncompressed_size == 0 ||
	    fi.uncompressed_size > z->lim.max_entry_bytes)
		return 0;
	ZPOS64_T at = unzGetCurrentFileZStreamPos64(z->uf);
	if (at > z->mf.len || fi.compressed_size > z->mf.len - at)
		return 0;
	size_t want = (size_t)fi.uncompressed_size, mlen, got = 0;
	size_t total = atomic_load(z->total);
	if (total + want > z->lim.max_total_bytes)
		return 0; /* minizip's reading finds where the cap is passed */
	char *p = ms_map_huge(want + 1, &mlen);
	struct libdeflate_decompressor *dc = p ? libdeflate_alloc_decompressor() : NULL;
	if (!dc) {
		ms_unmap(p, mlen);
		return 0;
	}
	enum libdeflate_result r = libdeflate_deflate_decompress(
	    dc, z->mf.data + at, (size_t)fi.compressed_size, p, want, &got);
	libdeflate_free_decompressor(dc);
	if (r == LIBDEFLATE_INSUFFICIENT_SPACE) { /* longer than it says */
		ms_unmap(p, mlen);
		return 0;
	}
	atomic_fetch_add(z->total, got);
	if (r != LIBDEFLATE_SUCCESS)
		*why = "the zip archive is damaged (bad compressed data)";
	else if (libdeflate_crc32(0, p, got) != fi.crc)
		*why = "the zip archive is damaged (CRC error)";
	if (*why) {
		ms_unmap(p, mlen);
		return 1;
	}
	p[got] = 0; /* the block is zeroed: the NUL is there already */
	*data = p;
	*len = got;
	*map = mlen;
	return 1;
}

int rz_read_block(rz_zip *z, const char *name, char **data, size_t *len, size_t *map,
                  const char **why)
{
	*data = NULL;
	*len = *map = 0;
	size_t want = rz_size(z, name); /* untrusted: more is read if it comes */
	if (entry_open(z, name, why) < 0)
		return -1;
	if (inflate_whole(z, data, len, map, why)) {
		unzCloseCurrentFile(z->uf); /* nothing read through it: no CRC to check */
		return *why ? -1 : 0;
	}
	size_t cap = 0, n = 0, entry = 0;
	char *p = NULL;
	int r = 0;
	for (;;) {
		if (cap - n < 2) { /* room for one more byte and the NUL */
			size_t mlen, ncap = cap ? cap * 2 : want + 2;
			char *q = ms_map_huge(ncap, &mlen);
			if (!q) {
				*why = "out of memory";
				r = -1;
				break;
			}
			if (n)
				memcpy(q, p, n);
			ms_unmap(p, *map);
			p = q;
			*map = mlen;
			cap = mlen;
		}
		size_t ask = cap - n - 1;
		int got = entry_read(z, p + n, ask < (1u << 30) ? ask : (1u << 30), &entry, why);
		if (got <= 0) {
			r = got;
			break;
		}
		n += (size_t)got;
	}
	r = entry_close(z, r, why);
	if (r < 0) {
		ms_unmap(p, *map);
		*map = 0;
		return -1;
	}
	p[n] = 0; /* the block is zeroed: the NUL is there already */
	*data = p;
	*len = n;
	return 0;
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
