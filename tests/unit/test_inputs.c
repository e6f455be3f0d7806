/* test_inputs.c — values as people type them, Unicode matching, countries
 * in the UN languages (issue 19). */
#include "model/country.h"
#include "model/value.h"
#include "t.h"
#include "util/buf.h"

static void date_is(const char *text, int y, int m, int d)
{
	ms_day day = MS_NO_DAY;
	char msg[256] = "";
	int r = val_date(text, &day, msg, sizeof msg);
	if (r != 0)
		fprintf(stderr, "date '%s': %s\n", text, msg);
	CHECK(r == 0 && day == ms_ymd_to_day(y, m, d));
}

static void dates(void)
{
	date_is("2013-07-22", 2013, 7, 22);
	date_is("22.07.2013", 2013, 7, 22);
	date_is("20.04.2012", 2012, 4, 20);
	date_is("22/07/2013", 2013, 7, 22);
	date_is("07/22/2013", 2013, 7, 22);
	date_is("22 July 2013", 2013, 7, 22);
	date_is("July 22, 2013", 2013, 7, 22);
	date_is("22-Jul-2013", 2013, 7, 22);
	date_is("22nd July 2013", 2013, 7, 22);
	date_is("22 juillet 2013", 2013, 7, 22);
	date_is("3 Sept 2013", 2013, 9, 3);
	date_is("05/05/2013", 2013, 5, 5); /* both readings are one date */
	ms_day day;
	char msg[256] = "";
	CHECK(val_date("02/03/2013", &day, msg, sizeof msg) == -2);
	CHECK(strstr(msg, "2 March 2013") && strstr(msg, "3 February 2013"));
	CHECK(val_date("02.03.2013", &day, msg, sizeof msg) == 0 &&
	      day == ms_ymd_to_day(2013, 3, 2)); /* dots: day first */
	CHECK(val_date("31 June 2013", &day, msg, sizeof msg) == -1);
	CHECK(val_date("30/02/2026", &day, msg, sizeof msg) == -1);
	CHECK(val_date("22 Jully 2013", &day, msg, sizeof msg) == -1);
	CHECK(val_date("2013", &day, msg, sizeof msg) == -1);
}

static void amount_is(const char *text, double v, const char *cur, int given)
{
	val_amount a;
	char msg[256] = "";
	int r = val_amount_parse(text, &a, msg, sizeof msg);
	if (r != 0)
		fprintf(stderr, "amount '%s': %s\n", text, msg);
	CHECK(r == 0 && fabs(a.value - v) < 0.001 && !strcmp(a.currency, cur) &&
	      a.currency_given == given);
}

static void amounts(void)
{
	amount_is("$95,000", 95000, "USD", 1);
	amount_is("US$ 95,000", 95000, "USD", 1);
	amount_is("95 000 €", 95000, "EUR", 1);
	amount_is("€95,000", 95000, "EUR", 1);
	amount_is("EUR 95.000", 95000, "EUR", 1);
	amount_is("USD 1.2 million", 1200000, "USD", 1);
	amount_is("£ 12,500", 12500, "GBP", 1);
	amount_is("450000", 450000, "USD", 0);
}

static int id_of(const char *name)
{
	return cty_lookup(name);
}

static void countries(void)
{
	int civ = id_of("CIV");
	CHECK(civ >= 0);
	/* a decomposed ô and a typographic apostrophe */
	CHECK_INT(id_of("Co\xcc\x82te d\xe2\x80\x99Ivoire"), civ);
	CHECK_INT(id_of("Côte d'Ivoire"), civ);
	CHECK_INT(id_of("Việt Nam"), id_of("VNM"));
	CHECK_INT(id_of("Guinée-Bissau"), id_of("GNB"));
	CHECK_INT(id_of("Allemagne"), id_of("DEU"));
	CHECK_INT(id_of("Alemania"), id_of("DEU"));
	CHECK_INT(id_of("Германия"), id_of("DEU"));
	CHECK_INT(id_of("德国"), id_of("DEU"));
	CHECK_INT(id_of("ألمانيا"), id_of("DEU"));
	CHECK_INT(id_of("Laos"), id_of("LAO"));
	CHECK(id_of("Korea") < 0);
	int ids[3];
	size_t n = cty_suggest("Korea", ids, 3);
	CHECK_INT(n, 2);
	CHECK(n == 2 && ((ids[0] == id_of("KOR") && ids[1] == id_of("PRK")) ||
	                 (ids[0] == id_of("PRK") && ids[1] == id_of("KOR"))));
}

static void folding(void)
{
	char *a = ms_fold("CÔTE D’IVOIRE"), *b = ms_fold("Co\xcc\x82te d'Ivoire");
	CHECK(a && b && !strcmp(a, b));
	free(a);
	free(b);
	a = ms_fold("ĐÀ NẴNG");
	CHECK_STR(a, "da nang");
	free(a);
	a = ms_fold("Straße");
	CHECK_STR(a, "strasse");
	free(a);
}

int main(void)
{
	dates();
	amounts();
	countries();
	folding();
	return t_done("inputs");
}
