/* recpriv.h — private to model/: the storage behind a rec_set. */
#ifndef MS_RECPRIV_H
#define MS_RECPRIV_H

#include <cmark-gfm.h>

#include "../util/arena.h"
#include "record.h"

typedef struct rec_pool {
	ms_arena *arena;    /* records and their strings */
	cmark_node **nodes; /* section documents, freed with the set */
	size_t nnodes, capnodes;
	size_t seq;
	char **media; /* folders of pictures taken out of Word files, removed
	                 with the set */
	size_t nmedia;
} rec_pool;

char *rec_strdup(rec_set *s, const char *t);

#endif
