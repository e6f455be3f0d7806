/* Unit tests of model/: countries, vocabularies, values, records. */
#include <stdlib.h>
#include <string.h>

#include "model/country.h"
#include "model/record.h"
#include "model/value.h"
#include "model/vocab.h"
#include "t.h"
#include "util/buf.h"

static void test_country(void)
{
	int lao = cty_lookup("Lao People's Democratic Republic");
	CHECK(lao >= 0);
	CHECK_INT(cty_lookup("Laos"), lao);
	CHECK_INT(cty_lookup("Lao PDR"), lao);
	CHECK_INT(cty_lookup("LAO"), lao);
	CHECK_INT(cty_lookup("la"), lao);
	CHECK_INT(cty_lookup("lao people’s democratic republic"), lao);
	CHECK_STR(cty_get(lao)->region, "Asia");
	CHECK_STR(cty_get(lao)->subregion, "South-eastern Asia");
	int civ = cty_lookup("Côte d'Ivoire");
	CHECK(civ >= 0);
	CHECK_INT(cty_lookup("Cote d’Ivoire"), civ);
	CHECK_INT(cty_lookup("Ivory Coast"), civ);
	CHECK_INT(cty_lookup("CIV"), civ);
	CHECK_INT(cty_lookup("the Netherlands"), cty_lookup("NLD"));
	CHECK_STR(cty_get(cty_lookup("UK"))->name,
	          "United Kingdom of Great Britain and Northern Ireland");
	CHECK_STR(cty_get(cty_lookup("Turkey"))->name, "Türkiye");
	CHECK_STR(cty_get(cty_lookup("Bolivia"))->name, "Bolivia (Plurinational State of)");
	CHECK_STR(cty_get(cty_lookup("VA"))->name, "Holy See"); /* as a country code */
	CHECK_INT(cty_lookup("Atlantis"), -1);
	/* every country's codes find it (the code tables), and unknown codes
	 * none */
	int codes_ok = 0;
	for (int id = 0; id < cty_count(); id++) {
		char low[4];
		snprintf(low, sizeof low, "%s", cty_get(id)->alpha3);
		for (char *c = low; *c; c++)
			*c = (char)(*c - 'A' + 'a');
		codes_ok += cty_lookup(cty_get(id)->alpha2) == id && cty_lookup(low) == id;
	}
	CHECK_INT(codes_ok, cty_count());
	CHECK_INT(cty_lookup("QZ"), -1);
	CHECK_INT(cty_lookup("ZZQ"), -1);
	/* ids follow rules.md 10 */
	int cr = cty_lookup("Costa Rica"), hr = cty_lookup("Croatia");
	CHECK(cr < civ && civ < hr);
	int ids[3];
	size_t n = cty_suggest("Lao PR", ids, 3);
	CHECK(n >= 1 && ids[0] == lao);
	n = cty_suggest("Swedn", ids, 3);
	CHECK(n >= 1 && !strcmp(cty_get(ids[0])->name, "Sweden"));
	CHECK_INT(cty_near("Swedn", 2), cty_lookup("Sweden"));
	CHECK_INT(cty_near("Humanity & Inclusion", 2), -1);
	CHECK(cty_count() == 249);
	/* suggestions only measure spellings within reach by length */
	CHECK_INT(cty_near("Swedenn", 1), cty_lookup("Sweden"));
	CHECK_INT(cty_near("Lao PDRxyz", 2), -1);
}

static void test_vocab(void)
{
	CHECK_INT(voc_lookup(VOC_AREA, "VA"), AREA_VA);
	CHECK_INT(voc_lookup(VOC_AREA, "victim assistance"), AREA_VA);
	CHECK_INT(voc_lookup(VOC_AREA, "Article 6"), AREA_CA);
	CHECK_INT(voc_lookup(VOC_AREA, "Article 8"), -1);
	CHECK_INT(voc_lookup(VOC_ASSISTANCE, "technical-expertise"), 1);
	CHECK_INT(voc_lookup(VOC_PARTNERSHIP, "International organisations"), 1);
	CHECK_INT(voc_lookup(VOC_SUBMITTER, "NGO"), 4);
	CHECK_INT(voc_lookup(VOC_ROLE, "Lao PDR"), -1);
	char *l = voc_list_text(VOC_ROLE);
	CHECK_STR(l, "Donor, Recipient or Both");
	free(l);
	CHECK(voc_currency_known("usd") && voc_currency_known("NOK") && !voc_currency_known("XYZ"));
	CHECK_INT(voc_area_article(AREA_NI), 9);
}

static void amount(const char *t, double want, const char *cur)
{
	val_amount a;
	char msg[256];
	int r = val_amount_parse(t, &a, msg, sizeof msg);
	if (r < 0)
		fprintf(stderr, "amount '%s': %s\n", t, msg);
	CHECK(r == 0 && a.value == want && !strcmp(a.currency, cur));
}

static void bad_amount(const char *t, const char *want)
{
	val_amount a;
	char msg[256] = "";
	CHECK(val_amount_parse(t, &a, msg, sizeof msg) < 0 && strstr(msg, want));
}

static void test_values(void)
{
	amount("1,250,000", 1250000, "USD");
	amount("1 250 000", 1250000, "USD");
	amount("1.250.000", 1250000, "USD");
	amount("1250000.50", 1250000.5, "USD");
	amount("USD 1.2 million", 1200000, "USD");
	amount("1250000 EUR", 1250000, "EUR");
	amount("NOK 120 million", 120000000, "NOK");
	amount("EUR 500 000", 500000, "EUR");
	amount("USD 395,000", 395000, "USD");
	amount("chf 0.250", 0.25, "CHF");
	amount("1 250,50 EUR", 1250.5, "EUR");
	bad_amount("KWD 1,250", "ambiguous");
	bad_amount("1.250 million", "ambiguous");
	bad_amount("XYZ 100", "unknown currency");
	bad_amount("-5", "negative");
	bad_amount("12,34,567", "groups of three");
	bad_amount("lots", "not an amount");
	ms_day d;
	char msg[200];
	CHECK(val_date("2024-02-29", &d, msg, sizeof msg) == 0);
	CHECK(val_date("2023-02-29", &d, msg, sizeof msg) < 0 && strstr(msg, "YYYY-MM-DD"));
	CHECK(val_date("26/06/2013", &d, msg, sizeof msg) == 0); /* one reading only */
	char iso[16], lng[24];
	/* every day of four centuries, and the far years printf writes, as
	 * printf writes them */
	int iso_ok = 0, iso_n = 0;
	for (ms_day day = ms_ymd_to_day(1890, 1, 1); day < ms_ymd_to_day(2290, 1, 1);
	     day += 1, iso_n++) {
		int y, m, dd;
		char want[24];
		ms_day_to_ymd(day, &y, &m, &dd);
		snprintf(want, sizeof want, "%04d-%02d-%02d", y, m, dd);
		iso_ok += !strcmp(val_day_iso(day, iso), want);
	}
	CHECK_INT(iso_ok, iso_n);
	CHECK_STR(val_day_iso(ms_ymd_to_day(7, 3, 9), iso), "0007-03-09");
	CHECK_STR(val_day_iso(ms_ymd_to_day(9999, 12, 31), iso), "9999-12-31");
	CHECK_STR(val_day_iso(val_add_months(ms_ymd_to_day(2013, 1, 31), 1), iso), "2013-02-28");
	CHECK_STR(val_day_iso(val_add_months(ms_ymd_to_day(2012, 1, 31), 1), iso), "2012-02-29");
	CHECK_STR(val_day_iso(val_add_months(ms_ymd_to_day(2012, 2, 29), 12), iso), "2013-02-28");
	CHECK_STR(val_day_long(ms_ymd_to_day(2013, 6, 26), lng), "26 June 2013");
	val_period p;
	CHECK(val_period_parse("2009–2012", &p, msg, sizeof msg) == 0 && p.y0 == 2009 &&
	      p.y1 == 2012);
	CHECK(val_period_parse("2011", &p, msg, sizeof msg) == 0 && p.y0 == 2011 && p.y1 == 2011);
	CHECK(val_period_parse("2012-2009", &p, msg, sizeof msg) < 0);
	char *c = val_count(1, "need", "needs");
	CHECK_STR(c, "1 need");
	free(c);
	c = val_count(20000, "possible match", "possible matches");
	CHECK_STR(c, "20,000 possible matches");
	free(c);
	c = val_count(0, "offer", "offers");
	CHECK_STR(c, "0 offers");
	free(c);
	c = val_grouped(1234567, "USD");
	CHECK_STR(c, "USD 1,234,567");
	free(c);
	/* as printf's "%.0f" rounds and signs, grouped */
	static const double vals[] = {0,
	                              -0.0,
	                              0.5,
	                              1.5,
	                              2.5,
	                              -2.5,
	                              -0.4,
	                              999.5,
	                              1000,
	                              -1234,
	                              12345.49,
	                              1e14,
	                              999999999999999.0,
	                              1e15,
	                              -3.2e17,
	                              1e300};
	for (size_t i = 0; i < sizeof vals / sizeof *vals; i++) {
		char raw[400], want[600];
		snprintf(raw, sizeof raw, "%.0f", vals[i]);
		size_t n = strlen(raw), k = 0;
		for (size_t j = 0; j < n; j++) {
			if (raw[j] == '-') { /* a true minus sign, U+2212 */
				memcpy(want + k, "\xE2\x88\x92", 3);
				k += 3;
			} else {
				want[k++] = raw[j];
			}
			if ((n - j - 1) % 3 == 0 && j + 1 < n && raw[j] != '-')
				want[k++] = ',';
		}
		want[k] = 0;
		c = val_grouped(vals[i], NULL);
		CHECK_STR(c, want);
		free(c);
	}
	int b;
	CHECK(val_bool("Yes", &b) == 0 && b == 1);
	CHECK(val_bool("maybe", &b) < 0);
}

static int count_diag(const ms_diags *d, const char *where, const char *text)
{
	int n = 0;
	for (size_t i = 0; i < d->n; i++)
		if (strstr(d->v[i].where, where) && strstr(d->v[i].msg, text))
			n++;
	return n;
}

static void test_records(void)
{
	ms_diags d;
	ms_diags_init(&d);
	rec_set *s = rec_set_new();
	rec_load(s, "tests/fixtures/forms", "tests/fixtures/forms", NULL, &d);
	rec_set_link(s, &d);
	/* the contribution */
	CHECK_INT(s->ncontributions, 1);
	if (s->ncontributions) {
		rec_contribution *c = s->contributions[0];
		CHECK(!c->b.rejected);
		CHECK_INT(c->countries.n, 2);
		CHECK_STR(c->countries.v[0].name, "Lao People's Democratic Republic");
		CHECK_STR(c->countries.v[1].name, "Viet Nam");
		CHECK_INT(c->areas.n, 2); /* duplicate CL dropped */
		CHECK(c->areas.v[0] == AREA_CL && c->areas.v[1] == AREA_CA);
		CHECK_INT(c->partners.n, 3);
		CHECK(c->partners.v[1].country < 0 &&
		      !strcmp(c->partners.v[1].name, "Humanity & Inclusion"));
		CHECK(c->budget.value == 1200000 && !strcmp(c->budget.currency, "USD"));
		CHECK(c->period.y0 == 2010 && c->period.y1 == 2012);
		CHECK(c->summary && cmark_node_first_child(c->summary)); /* preamble + summary */
		CHECK(c->photographs != NULL);
		CHECK(c->modality == 1u << 1);
	}
	CHECK_INT(count_diag(&d, "contribution.md:17", "unknown field 'Budjet'"), 1);
	CHECK_INT(count_diag(&d, "contribution.md:9", "did you mean Sweden"), 1);
	/* needs.csv */
	CHECK_INT(count_diag(&d, "needs.csv:3", "'Any' is for offers"), 1);
	CHECK_INT(count_diag(&d, "needs.csv:4", "is not a date"), 1);
	CHECK_INT(count_diag(&d, "needs.csv:5", "duplicate reference 'R-1'"), 1);
	CHECK_INT(count_diag(&d, "needs.csv:6", "did you mean Lao People's Democratic Republic"),
	          1);
	CHECK_INT(count_diag(&d, "needs.csv:6", "Submitter: unknown country 'UNMAS'"), 1);
	size_t generated = 0;
	for (size_t i = 0; i < s->nentries; i++) {
		rec_entry *e = s->entries[i];
		if (e->reference_generated) {
			generated++;
			if (!strcmp(e->title, "Detectors"))
				CHECK(!strncmp(e->reference, "N-2026-LAO-", 11) &&
				      strlen(e->reference) == 17); /* N-2026-LAO-MMDD-1 */
		}
	}
	CHECK(generated >= 2);
	/* status against actions */
	CHECK_INT(count_diag(&d, "status.csv:4", "'4.10' exists"), 1);
	CHECK_INT(count_diag(&d, "status.csv:5", "status 'Done' is not one of"), 1);
	int ok = 0;
	for (size_t i = 0; i < s->nstatuses; i++)
		if (!s->statuses[i]->b.rejected && s->statuses[i]->status_index == 0)
			ok++;
	CHECK_INT(ok, 1); /* Chile 2012 "completed" matched case-insensitively */
	/* images leaving the tree, absolute, missing */
	CHECK_INT(count_diag(&d, "escape.md:13", "leaves the inputs folder"), 1);
	CHECK_INT(count_diag(&d, "escape.md:14", "not inside the inputs folder"), 1);
	CHECK_INT(count_diag(&d, "escape.md:15", "not found"), 1);
	CHECK_INT(s->nfiles, 6);
	ms_buf rep;
	ms_buf_init(&rep);
	rec_set_report(s, &rep);
	CHECK(rep.s && strstr(rep.s, "tests/fixtures/forms/photos/field.jpg: asset"));
	CHECK(rep.s && strstr(rep.s, "needs.csv: read, 5 Need (4 rejected)"));
	ms_buf_free(&rep);
	rec_set_free(s);
	ms_diags_free(&d);
}

static void test_sample(void)
{
	ms_diags d;
	ms_diags_init(&d);
	rec_set *s = rec_set_new();
	rec_load(s, "inputs/portal", "inputs", "portal", &d);
	rec_set_link(s, &d);
	CHECK_INT(s->nentries, 43);
	CHECK_INT(s->ndigests, 1);
	CHECK(s->ndigests && s->digests[0]->restricted);
	CHECK_INT(d.count[MS_ERROR], 0);
	rec_set_free(s);
	/* a catalogue record in the wrong folder */
	s = rec_set_new();
	rec_load(s, "inputs/portal/need-iraq-survey.md", "inputs", "catalogue", &d);
	CHECK_INT(count_diag(&d, "need-iraq-survey.md", "belongs in inputs/portal/"), 1);
	rec_set_free(s);
	ms_diags_free(&d);
}

int main(void)
{
	test_country();
	test_vocab();
	test_values();
	test_records();
	test_sample();
	return t_done("model");
}
