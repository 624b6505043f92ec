/* view: ClearSilver datasets, parsed-template cache and rendering. */
#include "view.h"

#include <ClearSilver.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lib/datetime.h"
#include "locale.h"

/* Parsed layout+page per language, reused for every request: parsing is
 * the costly part of rendering and the parse tree does not depend on the
 * request's data. */
struct parsed_page {
	char page[128];
	CSPARSE *cs;
};

#define VIEW_MAX_PAGES 64

struct view_data {
	HDF *hdf;                   /* persistent: Config, hdf, Lang, Layout */
	HDF *req;                   /* this request's data: a fresh tree each time */
	const char *lang;
	struct dt_words words;      /* borrowed from hdf: this language's date words */
	struct parsed_page pages[VIEW_MAX_PAGES];
	size_t npages;
	int busy;
};

static struct view_data views[LOCALE_COUNT];
static char templates_root[512];
static struct {
	char *p;
	size_t len, cap;
} outbuf;

/* Each request writes into a tree of its own, destroyed by view_end; the
 * templates see the language tree through ClearSilver's global_hdf, which
 * is searched when a name is not in the request's tree. (Removing request
 * subtrees from one long-lived tree instead leaves ClearSilver's lookup
 * cache pointing at freed nodes: valgrind showed the reads.) */

static void
neoerr_to_text(NEOERR *nerr, char *err, size_t errlen)
{
	STRING s;

	string_init(&s);
	nerr_error_string(nerr, &s);
	snprintf(err, errlen, "%s", s.buf ? s.buf : "template error");
	string_clear(&s);
	nerr_ignore(&nerr);
}

/* v->words from its language file (Lang.dates.*): read once, so that a
 * list of hundreds of dates does not look up twenty strings for each. */
static void
load_words(struct view_data *v)
{
	struct dt_words *w = &v->words;
	char key[32];

	for (int m = 0; m < 12; m++) {
		snprintf(key, sizeof(key), "dates.month.m%d", m + 1);
		w->month[m] = view_lang(v, key);
	}
	for (int d = 0; d < 7; d++) {
		snprintf(key, sizeof(key), "dates.weekday.d%d", d + 1);
		w->weekday[d] = view_lang(v, key);
	}
	w->date_time = view_lang(v, "dates.date_time");
	w->date_time_year = view_lang(v, "dates.date_time_year");
	w->date = view_lang(v, "dates.date");
	w->date_year = view_lang(v, "dates.date_year");
	w->minute_one = view_lang(v, "dates.minute_one");
	w->minutes = view_lang(v, "dates.minutes");
	w->hour_one = view_lang(v, "dates.hour_one");
	w->hours = view_lang(v, "dates.hours");
	w->day_year = view_lang(v, "dates.day_year");
	w->month_year = view_lang(v, "dates.month_year");
}

static int
view_load_language(struct view_data *v, const char *lang, char *err, size_t errlen)
{
	char path[700];
	NEOERR *nerr;
	HDF *strings;

	v->lang = lang;
	if ((nerr = hdf_init(&v->hdf)) != STATUS_OK)
		goto fail;
	snprintf(path, sizeof(path), "%s/lang/%s.hdf", templates_root, lang);
	/* Language files #include "lang/<code>/<feature>.hdf": ClearSilver
	 * resolves that with the hdf.loadpaths of the node read into (and the
	 * templates with the root's). */
	if ((nerr = hdf_set_value(v->hdf, "hdf.loadpaths.0", templates_root)) != STATUS_OK ||
	    (nerr = hdf_get_node(v->hdf, "Lang", &strings)) != STATUS_OK ||
	    (nerr = hdf_set_value(strings, "hdf.loadpaths.0", templates_root)) != STATUS_OK ||
	    (nerr = hdf_read_file(strings, path)) != STATUS_OK ||
	    (nerr = hdf_remove_tree(strings, "hdf")) != STATUS_OK)
		goto fail;
	if ((nerr = hdf_set_value(v->hdf, "Config.VarEscapeMode", "html")) != STATUS_OK ||
	    (nerr = hdf_set_value(v->hdf, "Lang.code", lang)) != STATUS_OK)
		goto fail;
	load_words(v);
	return 0;
fail:
	neoerr_to_text(nerr, err, errlen);
	return -1;
}

int
view_init(const char *templates_dir, char *err, size_t errlen)
{
	static int nerr_ready;

	if (!nerr_ready) {
		nerr_init();
		nerr_ready = 1;
	}
	if (snprintf(templates_root, sizeof(templates_root), "%s", templates_dir) >=
	    (int)sizeof(templates_root)) {
		snprintf(err, errlen, "templates directory path too long");
		return -1;
	}
	for (int i = 0; i < LOCALE_COUNT; i++)
		if (view_load_language(&views[i], locale_supported[i], err, errlen) == -1)
			return -1;
	return 0;
}

void
view_shutdown(void)
{
	for (int i = 0; i < LOCALE_COUNT; i++) {
		for (size_t p = 0; p < views[i].npages; p++)
			cs_destroy(&views[i].pages[p].cs);
		views[i].npages = 0;
		if (views[i].req)
			hdf_destroy(&views[i].req);
		if (views[i].hdf)
			hdf_destroy(&views[i].hdf);
	}
	free(outbuf.p);
	memset(&outbuf, 0, sizeof(outbuf));
}

struct view_data *
view_begin(const char *lang)
{
	struct view_data *d = NULL;
	NEOERR *nerr;

	for (int i = 0; i < LOCALE_COUNT && d == NULL; i++)
		if (views[i].hdf && strcmp(views[i].lang, lang) == 0)
			d = &views[i];
	if (d == NULL)
		d = views[0].hdf ? &views[0] : NULL;
	if (d == NULL)
		return NULL;
	if (d->req)
		hdf_destroy(&d->req);
	if ((nerr = hdf_init(&d->req)) != STATUS_OK) {
		nerr_ignore(&nerr);
		d->req = NULL;
		return NULL;
	}
	d->busy = 1;
	return d;
}

void
view_end(struct view_data *d)
{
	if (d == NULL)
		return;
	if (d->req)
		hdf_destroy(&d->req);
	d->busy = 0;
}

static int view_vset(struct view_data *d, const char *value, const char *namefmt,
                     va_list ap) __attribute__((format(printf, 3, 0)));

static int
view_vset(struct view_data *d, const char *value, const char *namefmt, va_list ap)
{
	char name[256];
	NEOERR *nerr;
	int n = vsnprintf(name, sizeof(name), namefmt, ap);

	if (d == NULL || n < 0 || (size_t)n >= sizeof(name))
		return -1;
	if (d->req == NULL)
		return -1;
	nerr = hdf_set_value(d->req, name, value ? value : "");
	if (nerr != STATUS_OK) {
		nerr_ignore(&nerr);
		return -1;
	}
	return 0;
}

int
view_set(struct view_data *d, const char *value, const char *namefmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, namefmt);
	rc = view_vset(d, value, namefmt, ap);
	va_end(ap);
	return rc;
}

struct view_row *
view_row(struct view_data *d, const char *namefmt, ...)
{
	char name[256];
	HDF *node;
	NEOERR *nerr;
	va_list ap;
	int n;

	va_start(ap, namefmt);
	n = vsnprintf(name, sizeof(name), namefmt, ap);
	va_end(ap);
	if (d == NULL || d->req == NULL || n < 0 || (size_t)n >= sizeof(name))
		return NULL;
	if ((nerr = hdf_get_node(d->req, name, &node)) != STATUS_OK) {
		nerr_ignore(&nerr);
		return NULL;
	}
	return (struct view_row *)node;
}

struct view_row *
view_row_at(struct view_row *list, size_t i)
{
	char name[24];
	HDF *node;
	NEOERR *nerr;

	if (list == NULL)
		return NULL;
	snprintf(name, sizeof(name), "%zu", i);
	if ((nerr = hdf_get_node((HDF *)list, name, &node)) != STATUS_OK) {
		nerr_ignore(&nerr);
		return NULL;
	}
	return (struct view_row *)node;
}

int
view_row_set(struct view_row *row, const char *name, const char *value)
{
	NEOERR *nerr;

	if (row == NULL)
		return -1;
	if ((nerr = hdf_set_value((HDF *)row, name, value ? value : "")) != STATUS_OK) {
		nerr_ignore(&nerr);
		return -1;
	}
	return 0;
}

int
view_set_int(struct view_data *d, long long value, const char *namefmt, ...)
{
	char num[32];
	va_list ap;
	int rc;

	snprintf(num, sizeof(num), "%lld", value);
	va_start(ap, namefmt);
	rc = view_vset(d, num, namefmt, ap);
	va_end(ap);
	return rc;
}

const char *
view_lang(struct view_data *d, const char *key)
{
	char name[256];

	if (d == NULL || snprintf(name, sizeof(name), "Lang.%s", key) >= (int)sizeof(name))
		return "";
	return hdf_get_value(d->hdf, name, "");
}

const char *
view_string(const char *lang, const char *key)
{
	for (int i = 0; i < LOCALE_COUNT; i++)
		if (views[i].hdf && strcmp(views[i].lang, lang) == 0)
			return view_lang(&views[i], key);
	return view_lang(views[0].hdf ? &views[0] : NULL, key);
}

/* The loaded language lang, else the first. */
static const struct view_data *
words_view(const char *lang)
{
	for (int i = 0; i < LOCALE_COUNT; i++)
		if (views[i].hdf && lang && strcmp(views[i].lang, lang) == 0)
			return &views[i];
	return &views[0];
}

int
view_when(const char *lang, const char *local, char *out, size_t outlen)
{
	time_t now = time(NULL);
	struct tm tm;

	gmtime_r(&now, &tm);
	return dt_format_words(local, tm.tm_year + 1900, &words_view(lang)->words, out, outlen);
}

const struct dt_words *
view_words(const char *lang)
{
	return &words_view(lang)->words;
}

int
view_duration(const char *lang, long minutes, char *out, size_t outlen)
{
	return dt_duration_words(minutes, &words_view(lang)->words, out, outlen);
}

static NEOERR *
append_output(void *ctx, char *s)
{
	size_t n = strlen(s);

	(void)ctx;
	if (outbuf.cap - outbuf.len < n + 1) {
		size_t cap = outbuf.cap ? outbuf.cap : 16384;
		char *p;
		while (cap - outbuf.len < n + 1)
			cap *= 2;
		if ((p = realloc(outbuf.p, cap)) == NULL)
			return nerr_raise(NERR_NOMEM, "out of memory rendering a page");
		outbuf.p = p;
		outbuf.cap = cap;
	}
	memcpy(outbuf.p + outbuf.len, s, n + 1);
	outbuf.len += n;
	return STATUS_OK;
}

/* The parsed layout for page in d's language, parsing it on first use. */
static CSPARSE *
parsed_page(struct view_data *d, const char *page, char *err, size_t errlen)
{
	NEOERR *nerr;
	struct parsed_page *pp;
	char path[700];

	for (size_t i = 0; i < d->npages; i++)
		if (strcmp(d->pages[i].page, page) == 0)
			return d->pages[i].cs;
	if (d->npages == VIEW_MAX_PAGES || strlen(page) >= sizeof(pp->page)) {
		snprintf(err, errlen, "too many templates or name too long: %s", page);
		return NULL;
	}
	pp = &d->pages[d->npages];
	/* ClearSilver's include: skips a missing file without a word: check. */
	snprintf(path, sizeof(path), "%s/%s", templates_root, page);
	if (strstr(page, "..") != NULL || access(path, R_OK) != 0) {
		snprintf(err, errlen, "template %s not found", page);
		return NULL;
	}
	/* The layout includes Layout.Body at parse time. */
	if ((nerr = hdf_set_value(d->hdf, "Layout.Body", page)) != STATUS_OK ||
	    (nerr = cs_init(&pp->cs, d->hdf)) != STATUS_OK ||
	    (nerr = cgi_register_strfuncs(pp->cs)) != STATUS_OK ||
	    (nerr = cs_parse_file(pp->cs, "layout.cs")) != STATUS_OK) {
		neoerr_to_text(nerr, err, errlen);
		cs_destroy(&pp->cs);
		return NULL;
	}
	snprintf(pp->page, sizeof(pp->page), "%s", page);
	d->npages++;
	return pp->cs;
}

int
view_render(struct view_data *d, const char *page, const char **out,
            size_t *outlen, char *err, size_t errlen)
{
	CSPARSE *cs;
	NEOERR *nerr;

	if (d == NULL) {
		snprintf(err, errlen, "view not initialised");
		return -1;
	}
	if ((cs = parsed_page(d, page, err, errlen)) == NULL)
		return -1;
	outbuf.len = 0;
	cs->hdf = d->req;          /* this request's data first... */
	cs->global_hdf = d->hdf;   /* ...then the language strings */
	nerr = cs_render(cs, NULL, append_output);
	cs->hdf = d->hdf;
	cs->global_hdf = NULL;
	if (nerr != STATUS_OK) {
		neoerr_to_text(nerr, err, errlen);
		return -1;
	}
	*out = outbuf.p ? outbuf.p : "";
	*outlen = outbuf.len;
	return 0;
}

static int
collect_leaves(HDF *node, const char *prefix, STRING *s)
{
	for (HDF *c = hdf_obj_child(node); c; c = hdf_obj_next(c)) {
		char name[512];
		snprintf(name, sizeof(name), "%s%s%s", prefix, *prefix ? "." : "", hdf_obj_name(c));
		if (hdf_obj_value(c) != NULL && string_appendf(s, "%s\n", name) != STATUS_OK)
			return -1;
		if (hdf_obj_child(c) && collect_leaves(c, name, s) == -1)
			return -1;
	}
	return 0;
}

static int
cmp_lines(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

char *
view_lang_keys(const char *hdf_path, char *err, size_t errlen)
{
	HDF *h = NULL;
	STRING s;
	NEOERR *nerr;
	char *result = NULL, **lines = NULL;
	size_t n = 0, o = 0;

	string_init(&s);
	if ((nerr = hdf_init(&h)) != STATUS_OK ||
	    (nerr = hdf_set_value(h, "hdf.loadpaths.0", templates_root)) != STATUS_OK ||
	    (nerr = hdf_read_file(h, hdf_path)) != STATUS_OK) {
		neoerr_to_text(nerr, err, errlen);
		goto out;
	}
	nerr = hdf_remove_tree(h, "hdf");   /* our loadpath, not a file key */
	nerr_ignore(&nerr);
	if (collect_leaves(h, "", &s) == -1 || s.buf == NULL) {
		snprintf(err, errlen, "%s: no keys", hdf_path);
		goto out;
	}
	for (char *p = s.buf; *p; p++)
		n += *p == '\n';
	if ((lines = calloc(n, sizeof(*lines))) == NULL || (result = malloc(s.len + 1)) == NULL)
		goto out;
	n = 0;
	for (char *p = strtok(s.buf, "\n"); p; p = strtok(NULL, "\n"))
		lines[n++] = p;
	qsort(lines, n, sizeof(*lines), cmp_lines);
	for (size_t i = 0; i < n; i++)
		o += (size_t)sprintf(result + o, "%s\n", lines[i]);
	result[o] = '\0';
out:
	free(lines);
	string_clear(&s);
	if (h)
		hdf_destroy(&h);
	return result;
}
