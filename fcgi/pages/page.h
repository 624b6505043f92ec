/* page: what every feature's handlers do the same way: show a page,
 * redirect, fetch the one row a page is about (404 when there is none),
 * end a failed transaction. */
#ifndef MEDSYS_PAGES_PAGE_H
#define MEDSYS_PAGES_PAGE_H

#include "core/db.h"

struct req;

/* The languages a user may choose (a FIELD_CHOICE list, NULL-terminated). */
extern const char *const page_languages[];

/* Set the page title to the language string title_key and the template to
 * tmpl; returns status, for `return page_show(...)`. */
int page_show(struct req *r, const char *title_key, const char *tmpl, int status);

/* The page title alone (for handlers that pick their template later). */
void page_title(struct req *r, const char *title_key);

/* 303 to location (a path of this site, already encoded); 500 when
 * location is NULL (the arena ran out building it) or the header cannot
 * be added. */
int page_redirect(struct req *r, const char *location);

/* Run the named statement for the row a page is about: 0 with *res when
 * it returned a row, 404 when none, 500/503 when it failed. */
int page_query_row(struct db_result **res, const char *name, int nparams,
                   const char *const *params);

/* After a failed step inside a transaction (a statement that returned st,
 * or DB_ERROR for any other step: an audit or outbox row): roll it back
 * and answer 503 when the database is unavailable (st says so, or the
 * connection is found gone), else 500. */
int page_tx_fail(enum db_status st);

/* The clinic's time zone (config clinic_timezone; Europe/Madrid when
 * unset), for the local times a page shows. */
const char *page_tz(const struct req *r);

/* A clinic-local "YYYY-MM-DD[ HH:MM]" from a statement in the words of
 * the page's language ("martes 8 de diciembre, 13:30"), in the arena;
 * every date a page shows goes through here (view_when). */
const char *page_when(struct req *r, const char *local);

/* A day as a fact, a date of birth or an onset ("YYYY-MM-DD"), in words
 * without its weekday and with its year ("14 de marzo de 1985"), in the
 * arena; "" stays "". Never for an <input type=date> value. */
const char *page_day(struct req *r, const char *local);

/* A month (its first day, "YYYY-MM-01") in words ("diciembre de 2026"),
 * in the arena. */
const char *page_month(struct req *r, const char *local);

/* A length of time in words ("24 horas"), in the arena. */
const char *page_duration(struct req *r, long minutes);

/* Answer with a PDF made by a lib/ drawer: pdf (malloc'd, freed here) of
 * len bytes, downloaded as filename (plain ASCII), never cached. HTTP_OK,
 * or 500 when the arena ran out. */
int page_send_pdf(struct req *r, unsigned char *pdf, size_t len, const char *filename);

#endif
