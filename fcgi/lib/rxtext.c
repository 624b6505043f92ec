/* rxtext: the words of an instruction from tables in both languages (the
 * grammar is code: a plural, a decimal comma and the order of the parts
 * cannot live in a language file's single string), and the dose
 * arithmetic in thousandths of a unit so that 0.1 x 30 is exactly 3. */
#include "rxtext.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

struct unit_words {
	const char *code;
	const char *one[RX_LANG__MAX], *many[RX_LANG__MAX];
};

/* Dose units (rx.products.dose_unit). Spanish names as a Spanish leaflet
 * writes them (AEMPS prospectos); abbreviations stay abbreviations. */
static const struct unit_words units[] = {
	{ "tablet", { "comprimido", "tablet" }, { "comprimidos", "tablets" } },
	{ "capsule", { "cápsula", "capsule" }, { "cápsulas", "capsules" } },
	{ "mL", { "mL", "mL" }, { "mL", "mL" } },
	{ "puff", { "inhalación", "puff" }, { "inhalaciones", "puffs" } },
	{ "drop", { "gota", "drop" }, { "gotas", "drops" } },
	{ "application", { "aplicación", "application" }, { "aplicaciones", "applications" } },
	{ "sachet", { "sobre", "sachet" }, { "sobres", "sachets" } },
	{ "unit", { "unidad", "unit" }, { "unidades", "units" } },
	{ "mg", { "mg", "mg" }, { "mg", "mg" } },
	{ "g", { "g", "g" }, { "g", "g" } },
	{ "mcg", { "microgramo", "microgram" }, { "microgramos", "micrograms" } },
	{ "suppository", { "supositorio", "suppository" }, { "supositorios", "suppositories" } },
	{ "pessary", { "óvulo", "pessary" }, { "óvulos", "pessaries" } },
	{ "patch", { "parche", "patch" }, { "parches", "patches" } },
	{ "ampoule", { "ampolla", "ampoule" }, { "ampollas", "ampoules" } },
	{ "vial", { "vial", "vial" }, { "viales", "vials" } },
	{ "spray", { "pulverización", "spray" }, { "pulverizaciones", "sprays" } },
	{ "lozenge", { "pastilla para chupar", "lozenge" }, { "pastillas para chupar", "lozenges" } },
	{ "dose", { "dosis", "dose" }, { "dosis", "doses" } },
};

struct route_words {
	const char *code;
	const char *phrase[RX_LANG__MAX];   /* in the sentence; "" for none */
	const char *name[RX_LANG__MAX];     /* on its own, for a form */
};

/* The routes of ehr.medication_versions.route, said plainly. */
static const struct route_words routes[] = {
	{ "oral", { "por vía oral", "by mouth" }, { "por vía oral", "by mouth" } },
	{ "sublingual", { "debajo de la lengua", "under the tongue" },
	  { "debajo de la lengua", "under the tongue" } },
	{ "topical", { "sobre la piel", "on the skin" }, { "sobre la piel", "on the skin" } },
	{ "transdermal", { "pegado sobre la piel", "stuck on the skin" },
	  { "parche sobre la piel", "patch on the skin" } },
	{ "inhaled", { "por vía inhalatoria", "inhaled" }, { "por vía inhalatoria", "inhaled" } },
	{ "nasal", { "en la nariz", "in the nose" }, { "en la nariz", "in the nose" } },
	{ "ophthalmic", { "en el ojo", "in the eye" }, { "en el ojo", "in the eye" } },
	{ "rectal", { "por vía rectal", "in the rectum" }, { "por vía rectal", "in the rectum" } },
	{ "vaginal", { "por vía vaginal", "in the vagina" }, { "por vía vaginal", "in the vagina" } },
	{ "subcutaneous", { "en inyección bajo la piel", "by injection under the skin" },
	  { "inyección bajo la piel", "injection under the skin" } },
	{ "intramuscular", { "en inyección en un músculo", "by injection into a muscle" },
	  { "inyección en un músculo", "injection into a muscle" } },
	{ "intravenous", { "por vía intravenosa", "into a vein" },
	  { "por vía intravenosa", "into a vein" } },
	{ "other", { "", "" }, { "otra vía", "other route" } },
};

/* The fixed words of a sentence, by language. */
struct grammar {
	char decimal;
	const char *single, *hourly, *daily, *weekly;
	const char *every[2];          /* around N: "every", "hours" */
	const char *as_needed;
	const char *days[2];           /* around N: "for", "days" */
	const char *one_day, *until_told;
};

static const struct grammar grammar[RX_LANG__MAX] = {
	[RX_LANG_ES] = { ',', "en una sola dosis", "cada hora", "una vez al día", "una vez a la semana",
	                 { "cada", "horas" }, "si lo necesita", { "durante", "días" }, "durante 1 día",
	                 ", hasta nueva indicación" },
	[RX_LANG_EN] = { '.', "as a single dose", "every hour", "once a day", "once a week",
	                 { "every", "hours" }, "as needed", { "for", "days" }, "for 1 day",
	                 ", until told otherwise" },
};

#define NUNITS (sizeof(units) / sizeof(units[0]))
#define NROUTES (sizeof(routes) / sizeof(routes[0]))

enum rx_lang
rx_lang_parse(const char *code)
{
	if (code && strncmp(code, "en", 2) == 0 && (code[2] == '\0' || code[2] == '-' || code[2] == '_'))
		return RX_LANG_EN;
	return RX_LANG_ES;
}

static enum rx_lang
lang_ok(enum rx_lang lang)
{
	return (unsigned)lang < RX_LANG__MAX ? lang : RX_LANG_ES;
}

/* The row of table (n rows of size bytes, each starting with its code)
 * whose code is code, or NULL. */
static const void *
find_code(const void *table, size_t n, size_t size, const char *code)
{
	for (size_t i = 0; code && i < n; i++) {
		const char *const *row = (const void *)((const char *)table + i * size);
		if (strcmp(*row, code) == 0)
			return row;
	}
	return NULL;
}

static const struct unit_words *
unit_find(const char *code)
{
	return find_code(units, NUNITS, sizeof(units[0]), code);
}

static const struct route_words *
route_find(const char *code)
{
	return find_code(routes, NROUTES, sizeof(routes[0]), code);
}

const char *
rxtext_unit_code(size_t i)
{
	return i < NUNITS ? units[i].code : NULL;
}

const char *
rxtext_unit_name(const char *code, enum rx_lang lang)
{
	const struct unit_words *u = unit_find(code);

	return u ? u->many[lang_ok(lang)] : NULL;
}

const char *
rxtext_route_code(size_t i)
{
	return i < NROUTES ? routes[i].code : NULL;
}

const char *
rxtext_route_name(const char *code, enum rx_lang lang)
{
	const struct route_words *r = route_find(code);

	return r ? r->name[lang_ok(lang)] : NULL;
}

/* Thousandths of amount, or -1 outside (0, RXTEXT_AMOUNT_MAX]. */
static long long
milli(double amount)
{
	long long m;

	if (!isfinite(amount) || amount <= 0 || amount > RXTEXT_AMOUNT_MAX)
		return -1;
	m = llround(amount * 1000.0);
	return m >= 1 ? m : -1;
}

/* A unit code as rx.products allows it: 1..20 letters or '_'. */
static int
unit_word(const char *s)
{
	size_t n = 0;

	for (; s && s[n]; n++)
		if (!isalpha((unsigned char)s[n]) && s[n] != '_')
			return 0;
	return n >= 1 && n <= 20;
}

enum rxtext_error
rxtext_check(const struct rx_instr *in)
{
	if (milli(in->dose_amount) < 0)
		return RXTEXT_BAD_AMOUNT;
	if (!unit_word(in->dose_unit))
		return RXTEXT_BAD_UNIT;
	if (route_find(in->route) == NULL)
		return RXTEXT_BAD_ROUTE;
	if (in->every_hours < 0 || in->every_hours > RXTEXT_EVERY_MAX)
		return RXTEXT_BAD_EVERY;
	if (in->duration_days < 0 || in->duration_days > RXTEXT_DAYS_MAX)
		return RXTEXT_BAD_DURATION;
	if ((in->duration_days > 0 && in->until_told) ||
	    (in->every_hours == 0 && (in->duration_days > 0 || in->until_told)))
		return RXTEXT_DURATION_CONFLICT;
	if (in->advice && strlen(in->advice) > RXTEXT_ADVICE_MAX)
		return RXTEXT_ADVICE_TOO_LONG;
	return RXTEXT_OK;
}

/* An output that counts what it needs, like snprintf, past its end. */
struct out {
	char *p;
	size_t len, need;
};

static void out_add(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
out_add(struct out *o, const char *fmt, ...)
{
	va_list ap;
	size_t room = o->need < o->len ? o->len - o->need : 0;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(room ? o->p + o->need : NULL, room, fmt, ap);
	va_end(ap);
	if (n > 0)
		o->need += (size_t)n;
}

static void
out_start(struct out *o, char *p, size_t len)
{
	o->p = p;
	o->len = len;
	o->need = 0;
	if (len > 0)
		p[0] = '\0';
}

static void
amount_add(struct out *o, long long m, enum rx_lang lang)
{
	char frac[4];
	int digits = 3, f = (int)(m % 1000);

	out_add(o, "%lld", m / 1000);
	if (f == 0)
		return;
	while (f % 10 == 0)
		f /= 10, digits--;
	snprintf(frac, sizeof(frac), "%0*d", digits, f);
	out_add(o, "%c%s", grammar[lang].decimal, frac);
}

int
rxtext_amount(double amount, enum rx_lang lang, char *out, size_t len)
{
	struct out o;
	long long m = isfinite(amount) && fabs(amount) < 1e12 ? llround(fabs(amount) * 1000.0) : 0;

	out_start(&o, out, len);
	if (amount < 0 && m > 0)
		out_add(&o, "-");
	amount_add(&o, m, lang_ok(lang));
	return (int)o.need;
}

/* "21 tablets": exactly one is singular; 0.5 and 1.5 are plural. */
static void
quantity_add(struct out *o, long long m, const char *unit, enum rx_lang lang)
{
	const struct unit_words *u = unit_find(unit);

	amount_add(o, m, lang);
	if (u)
		out_add(o, " %s", m == 1000 ? u->one[lang] : u->many[lang]);
	else
		out_add(o, " %s", unit ? unit : "");
}

int
rxtext_quantity(double amount, const char *unit, enum rx_lang lang, char *out, size_t len)
{
	struct out o;
	long long m = isfinite(amount) && amount >= 0 && amount < 1e12 ? llround(amount * 1000.0) : 0;

	out_start(&o, out, len);
	quantity_add(&o, m, unit, lang_ok(lang));
	return (int)o.need;
}

static void
frequency_add(struct out *o, int every, const struct grammar *g)
{
	if (every == 0)
		out_add(o, " %s", g->single);
	else if (every == 1)
		out_add(o, " %s", g->hourly);
	else if (every == 24)
		out_add(o, " %s", g->daily);
	else if (every == 168)
		out_add(o, " %s", g->weekly);
	else
		out_add(o, " %s %d %s", g->every[0], every, g->every[1]);
}

/* Advice as its own sentence, without surrounding space, ending in a stop. */
static void
advice_add(struct out *o, const char *advice)
{
	size_t n;

	if (advice == NULL)
		return;
	while (isspace((unsigned char)*advice))
		advice++;
	n = strlen(advice);
	while (n > 0 && isspace((unsigned char)advice[n - 1]))
		n--;
	if (n == 0)
		return;
	out_add(o, ". %.*s", (int)n, advice);
	if (strchr(".!?", advice[n - 1]) == NULL)
		out_add(o, ".");
}

int
rxtext_instruction(const struct rx_instr *in, enum rx_lang lang, char *out, size_t len)
{
	const struct grammar *g;
	const struct route_words *r;
	struct out o;

	out_start(&o, out, len);
	if (rxtext_check(in) != RXTEXT_OK)
		return -1;
	lang = lang_ok(lang);
	g = &grammar[lang];
	r = route_find(in->route);
	quantity_add(&o, milli(in->dose_amount), in->dose_unit, lang);
	if (*r->phrase[lang])
		out_add(&o, " %s", r->phrase[lang]);
	frequency_add(&o, in->every_hours, g);
	if (in->as_needed)
		out_add(&o, " %s", g->as_needed);
	if (in->duration_days == 1)
		out_add(&o, " %s", g->one_day);
	else if (in->duration_days > 1)
		out_add(&o, " %s %d %s", g->days[0], in->duration_days, g->days[1]);
	if (in->until_told)
		out_add(&o, "%s", g->until_told);
	advice_add(&o, in->advice);
	return (int)o.need;
}

double
rxtext_doses_per_day(const struct rx_instr *in)
{
	if (rxtext_check(in) != RXTEXT_OK)
		return 0;
	return in->every_hours == 0 ? 1.0 : 24.0 / in->every_hours;
}

long
rxtext_total_units(const struct rx_instr *in)
{
	long long doses;

	if (rxtext_check(in) != RXTEXT_OK)
		return -1;
	if (in->every_hours == 0)
		doses = 1;
	else if (in->duration_days > 0)   /* a dose at the start of each interval */
		doses = ((long long)in->duration_days * 24 + in->every_hours - 1) / in->every_hours;
	else
		return -1;
	return (long)((milli(in->dose_amount) * doses + 999) / 1000);
}

double
rxtext_mg_per_day(const struct rx_instr *in, double unit_mg)
{
	double mg_per_unit;

	if (rxtext_check(in) != RXTEXT_OK)
		return -1;
	if (strcmp(in->dose_unit, "mg") == 0)
		mg_per_unit = 1;
	else if (strcmp(in->dose_unit, "g") == 0)
		mg_per_unit = 1000;
	else if (strcmp(in->dose_unit, "mcg") == 0)
		mg_per_unit = 0.001;
	else if (isfinite(unit_mg) && unit_mg > 0)
		mg_per_unit = unit_mg;
	else
		return -1;
	return milli(in->dose_amount) / 1000.0 * mg_per_unit * rxtext_doses_per_day(in);
}
