/* vocab.h — the closed vocabularies of forms.md §4 and the ISO 4217
 * currency list. Values match case-insensitively by label or code
 * (areas also by "Article N"). */
#ifndef MS_VOCAB_H
#define MS_VOCAB_H

#include <stddef.h>

/* Areas, in Convention article order (the order of parts in the catalogue). */
typedef enum { AREA_UN, AREA_SD, AREA_CL, AREA_VA, AREA_CA, AREA_TR, AREA_NI, AREA_COUNT } voc_area;

typedef enum {
	VOC_AREA,
	VOC_ROLE,        /* Donor, Recipient, Both */
	VOC_SCOPE,       /* Bilateral, Regional, Multilateral */
	VOC_PARTNERSHIP, /* Inter-governmental, International organizations, Civil society */
	VOC_MODALITY,    /* North-South, South-South, Triangular */
	VOC_ASSISTANCE, /* Financial, Technical expertise, Equipment, Training, Information and good
	                   practices */
	VOC_SUBMITTER,  /* State Party, Signatory, Other State, International organization,
	                   Non-governmental organization, Other */
	VOC_ENTRY_TYPE, /* Need, Offer, Experience */
	VOC_COUNT
} voc_kind;

/* Number of values of a vocabulary, and value i's label / code (code is NULL
 * where a vocabulary has none; areas have UN, SD, ...). */
int voc_size(voc_kind k);
const char *voc_label(voc_kind k, int i);
const char *voc_code(voc_kind k, int i);
const char *voc_kind_name(voc_kind k); /* "area", "role", ... for messages */
/* Area article number or 0 (Universalization has none). */
int voc_area_article(int area);

/* Value index, or -1 when the text matches no value. */
int voc_lookup(voc_kind k, const char *text);
/* "Donor, Recipient or Both" — for messages; owned string. */
char *voc_list_text(voc_kind k);

/* ISO 4217: 1 when code (3 letters, any case) is a known currency. */
int voc_currency_known(const char *code);

#endif
