/* hpdfmem.h — the memory of one libharu document: given to HPDF_NewEx as
 * its allocation functions, released whole after HPDF_Free (hpdfmem.c says
 * why). Only src/pdf/ includes this. */
#ifndef PDF_HPDFMEM_H
#define PDF_HPDFMEM_H

#include <hpdf.h>

typedef struct pdfmem pdfmem;

/* Begin a document's memory on this thread, before HPDF_NewEx: NULL when
 * out of memory (libharu's allocations then go to malloc). One document
 * at a time per thread; libharu must be called on this thread only. */
pdfmem *pdfmem_begin(void);
/* HPDF_NewEx's alloc and free functions */
void *pdfmem_alloc(HPDF_UINT size);
void pdfmem_free(void *p);
/* Give the document's memory a chunk of a freed arena (ms_arena_free_to):
 * its pages, already in memory, are carved for libharu's objects before a
 * new region is mapped; pdfmem_end gives it back (ms_arena_chunk_release),
 * as does this call without a document's memory on this thread. */
void pdfmem_adopt(void *p, size_t n);
/* After HPDF_Free: the document's memory goes back to the system. */
void pdfmem_end(pdfmem *m);

#endif
