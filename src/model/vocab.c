/* vocab.c — the closed vocabularies of forms.md §4 (see vocab.h).
 * Matching uses ms_name_key (case, spaces, '-' and '_' ignored); a few
 * spellings are accepted besides the labels: British "organisation(s)",
 * singular forms, "Article N" for areas, "NGO"/"IO" for submitter types. */
#include "vocab.h"

#include <stdlib.h>
#include <string.h>

#include "../util/buf.h"
#include "country_data.h"

typedef struct voc_value {
	const char *label, *code;
	const char *also[3]; /* other accepted spellings */
} voc_value;

static const voc_value areas[] = {
    {"Universalization", "UN", {"Universalisation"}},
    {"Stockpile destruction", "SD", {"Article 3"}},
    {"Clearance and risk reduction education",
     "CL",
     {"Article 4", "Clearance", "Clearance and risk reduction"}},
    {"Victim assistance", "VA", {"Article 5"}},
    {"International cooperation and assistance", "CA", {"Article 6", "Cooperation and assistance"}},
    {"Transparency measures", "TR", {"Article 7", "Transparency"}},
    {"National implementation measures", "NI", {"Article 9", "National implementation"}},
};
static const int area_article[] = {0, 3, 4, 5, 6, 7, 9};
static const voc_value roles[] = {
    {"Donor", NULL, {0}}, {"Recipient", NULL, {0}}, {"Both", NULL, {0}}};
static const voc_value scopes[] = {
    {"Bilateral", NULL, {0}}, {"Regional", NULL, {0}}, {"Multilateral", NULL, {0}}};
static const voc_value partnerships[] = {
    {"Inter-governmental", NULL, {"Intergovernmental"}},
    {"International organizations",
     NULL,
     {"International organisations", "International organization", "International organisation"}},
    {"Civil society", NULL, {0}},
};
static const voc_value modalities[] = {
    {"North-South", NULL, {0}}, {"South-South", NULL, {0}}, {"Triangular", NULL, {0}}};
static const voc_value assistance[] = {
    {"Financial", NULL, {0}},
    {"Technical expertise", NULL, {"Technical"}},
    {"Equipment", NULL, {0}},
    {"Training", NULL, {0}},
    {"Information and good practices", NULL, {"Information", "Good practices"}},
};
static const voc_value submitters[] = {
    {"State Party", NULL, {"State Parties", "States Parties"}},
    {"Signatory", NULL, {"Signatory State"}},
    {"Other State", NULL, {0}},
    {"International organization", NULL, {"International organisation", "IO"}},
    {"Non-governmental organization", NULL, {"Non-governmental organisation", "NGO"}},
    {"Other", NULL, {"Trust fund", "Regional body"}},
};
static const voc_value types[] = {
    {"Need", NULL, {"Needs"}}, {"Offer", NULL, {"Offers"}}, {"Experience", NULL, {"Experiences"}}};

#define V(a)                                                                                       \
	{                                                                                          \
		a, (int)(sizeof(a) / sizeof(a[0]))                                                 \
	}
static const struct {
	const voc_value *v;
	int n;
} vocabs[VOC_COUNT] = {V(areas),      V(roles),      V(scopes),     V(partnerships),
                       V(modalities), V(assistance), V(submitters), V(types)};
static const char *kind_names[VOC_COUNT] = {
    "area", "role", "scope", "partnership", "modality", "assistance", "submitter type", "type"};

int voc_size(voc_kind k)
{
	return (unsigned)k < VOC_COUNT ? vocabs[k].n : 0;
}

const char *voc_label(voc_kind k, int i)
{
	return i >= 0 && i < voc_size(k) ? vocabs[k].v[i].label : NULL;
}

const char *voc_code(voc_kind k, int i)
{
	return i >= 0 && i < voc_size(k) ? vocabs[k].v[i].code : NULL;
}

const char *voc_kind_name(voc_kind k)
{
	return (unsigned)k < VOC_COUNT ? kind_names[k] : "value";
}

int voc_area_article(int area)
{
	return area >= 0 && area < AREA_COUNT ? area_article[area] : 0;
}

/* Folded keys of every accepted spelling, made at first use: value i of
 * vocabulary k has keys[k][i][0..4] (label, code, three more). */
static char *vkeys[VOC_COUNT][8][5];
static int vkeys_ready;

static void make_keys(void)
{
	for (int k = 0; k < VOC_COUNT; k++)
		for (int i = 0; i < vocabs[k].n; i++) {
			const voc_value *v = &vocabs[k].v[i];
			const char *src[5] = {v->label, v->code, v->also[0], v->also[1],
			                      v->also[2]};
			for (int j = 0; j < 5; j++)
				vkeys[k][i][j] = src[j] ? ms_name_key(src[j]) : NULL;
		}
	vkeys_ready = 1;
}

int voc_lookup(voc_kind k, const char *text)
{
	if ((unsigned)k >= VOC_COUNT || !text)
		return -1;
	if (!vkeys_ready)
		make_keys();
	char *key = ms_name_key(text);
	int found = -1;
	for (int i = 0; key && i < vocabs[k].n && found < 0; i++)
		for (int j = 0; j < 5 && found < 0; j++)
			if (vkeys[k][i][j] && !strcmp(vkeys[k][i][j], key))
				found = i;
	free(key);
	return found;
}

char *voc_list_text(voc_kind k)
{
	ms_buf b;
	ms_buf_init(&b);
	int n = voc_size(k);
	for (int i = 0; i < n; i++) {
		if (i)
			ms_buf_adds(&b, i == n - 1 ? " or " : ", ");
		ms_buf_adds(&b, vocabs[k].v[i].label);
		if (vocabs[k].v[i].code)
			ms_buf_printf(&b, " (%s)", vocabs[k].v[i].code);
	}
	return ms_buf_take(&b);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int voc_currency_known(const char *code)
{
	if (!code || strlen(code) != 3)
		return 0;
	char up[4];
	for (int i = 0; i < 3; i++)
		up[i] = (char)(code[i] >= 'a' && code[i] <= 'z' ? code[i] - 32 : code[i]);
	up[3] = 0;
	const char *p = up;
	return bsearch(&p, cty_currencies, (size_t)cty_ncurrencies, sizeof *cty_currencies,
	               cmp_str) != NULL;
}
