/* view: ClearSilver rendering with HTML escaping on for every variable.
 * One shared layout (templates/layout.cs) wraps one template per page;
 * templates/lang/<code>.hdf hold every user-visible string as Lang.*.
 * ClearSilver types and errors stay inside view.c. */
#ifndef MEDSYS_VIEW_H
#define MEDSYS_VIEW_H

#include <stddef.h>

struct view_data;   /* the dataset a handler fills for one request */
struct dt_words;    /* lib/datetime.h: a language's date words */

/* Load both language files and remember where templates live. Call once
 * per worker. -1 with a message in err when a file is missing or bad. */
int view_init(const char *templates_dir, char *err, size_t errlen);
void view_shutdown(void);

/* The dataset for a request in language lang ("es"/"en"); it already
 * holds Lang.*. Call view_end() when the response is written. */
struct view_data *view_begin(const char *lang);
void view_end(struct view_data *d);

/* One level of the request's dataset, such as one row of a list
 * ("Data.appts.3"), made once so that its fields are set by their short
 * names (view_row_set) instead of formatting and walking the full name
 * for each: a list page sets hundreds. NULL when out of memory; setting
 * on NULL does nothing and returns -1. Lives until view_end. */
struct view_row;
struct view_row *view_row(struct view_data *d, const char *namefmt, ...)
    __attribute__((format(printf, 2, 3)));
int view_row_set(struct view_row *row, const char *name, const char *value);

/* Row i of a list made with view_row ("Data.appts", then its "3"),
 * without walking the list's full name again for each row. NULL as
 * view_row. */
struct view_row *view_row_at(struct view_row *list, size_t i);

/* Set a value. The name is built from namefmt (our code, never user
 * input: dots in a name create levels); the value is copied verbatim and
 * escaped when rendered. -1 when out of memory. */
int view_set(struct view_data *d, const char *value, const char *namefmt, ...)
    __attribute__((format(printf, 3, 4)));
int view_set_int(struct view_data *d, long long value, const char *namefmt, ...)
    __attribute__((format(printf, 3, 4)));

/* A string from the language file ("error.404.title"); "" if missing. */
const char *view_lang(struct view_data *d, const char *key);

/* The same outside a request (e-mails written by the notifier): the string
 * for key in language lang (falls back to the first language). */
const char *view_string(const char *lang, const char *key);

/* THE date of pages and mails: local ("YYYY-MM-DD" or "YYYY-MM-DD HH:MM",
 * in the clinic's time zone, as the statements give it) in words of lang
 * ("martes 8 de diciembre, 13:30"; the year only when not this year),
 * through dt_format_words. 0, or -1 with local copied when it is not a
 * local date. Works outside a request (the notifier) once view_init ran. */
int view_when(const char *lang, const char *local, char *out, size_t outlen);

/* The date words of lang, for a lib/ drawer that writes dates itself (a
 * PDF): valid for the life of the process once view_init ran. */
const struct dt_words *view_words(const char *lang);

/* A length of time in words of lang: "24 horas", "30 minutos". */
int view_duration(const char *lang, long minutes, char *out, size_t outlen);

/* Render templates/<page> inside the layout. On success *out points to the
 * HTML (valid until the next render in this process) and *outlen is its
 * length; -1 with a message in err otherwise. */
int view_render(struct view_data *d, const char *page, const char **out,
                size_t *outlen, char *err, size_t errlen);

/* Every leaf name of a language file (with its #includes, resolved under
 * the templates directory given to view_init), one per line, sorted, for
 * the key parity test. Returns a malloc'd string or NULL. */
char *view_lang_keys(const char *hdf_path, char *err, size_t errlen);

#endif
