/* page: the handlers' shared helpers (see page.h). */
#include "page.h"

#include <stddef.h>
#include <stdlib.h>

#include "core/arena.h"
#include "core/config.h"
#include "core/request.h"
#include "core/status.h"
#include "core/view.h"
#include "lib/datetime.h"

const char *const page_languages[] = { "es", "en", NULL };

int
page_show(struct req *r, const char *title_key, const char *tmpl, int status)
{
	page_title(r, title_key);
	r->resp.template = tmpl;
	return status;
}

void
page_title(struct req *r, const char *title_key)
{
	view_set(r->view, view_lang(r->view, title_key), "Page.title");
}

int
page_redirect(struct req *r, const char *location)
{
	if (location == NULL || resp_add_header(r, "Location", location) == -1)
		return HTTP_INTERNAL_ERROR;
	return HTTP_SEE_OTHER;
}

int
page_query_row(struct db_result **res, const char *name, int nparams,
               const char *const *params)
{
	enum db_status st = db_query(res, name, nparams, params);

	if (st != DB_OK)
		return db_http_status(st);
	return db_rows(*res) == 0 ? HTTP_NOT_FOUND : 0;
}

int
page_tx_fail(enum db_status st)
{
	db_rollback();
	/* An audit row that failed because the server went away is a 503 too:
	 * db_ensure costs nothing while the connection is up. */
	if (st != DB_UNAVAILABLE && db_ensure() == DB_OK)
		return HTTP_INTERNAL_ERROR;
	return HTTP_UNAVAILABLE;
}

int
page_send_pdf(struct req *r, unsigned char *pdf, size_t len, const char *filename)
{
	r->resp.body = arena_memdup(r->arena, pdf, len);
	free(pdf);
	if (r->resp.body == NULL || filename == NULL)
		return HTTP_INTERNAL_ERROR;
	r->resp.body_len = len;
	r->resp.content_type = "application/pdf";
	r->resp.cache_control = "no-store";
	if (resp_add_header(r, "Content-Disposition",
	                    arena_printf(r->arena, "attachment; filename=\"%s\"", filename)) != 0)
		return HTTP_INTERNAL_ERROR;
	return HTTP_OK;
}

const char *
page_tz(const struct req *r)
{
	return r->cfg->clinic_timezone[0] ? r->cfg->clinic_timezone : "Europe/Madrid";
}

const char *
page_when(struct req *r, const char *local)
{
	char buf[128];

	view_when(r->lang, local, buf, sizeof(buf));
	return arena_strdup(r->arena, buf);
}

/* The day local in the page's language's words, as a month ("diciembre
 * de 2026") when month, else as a day with its year; in the arena. */
static const char *
when_pattern(struct req *r, const char *local, int month)
{
	const struct dt_words *w = view_words(r->lang);
	char buf[96];

	dt_format_pattern(local, month ? w->month_year : w->day_year, w, buf, sizeof(buf));
	return arena_strdup(r->arena, buf);
}

const char *
page_day(struct req *r, const char *local)
{
	return when_pattern(r, local, 0);
}

const char *
page_month(struct req *r, const char *local)
{
	return when_pattern(r, local, 1);
}

const char *
page_duration(struct req *r, long minutes)
{
	char buf[64];

	view_duration(r->lang, minutes, buf, sizeof(buf));
	return arena_strdup(r->arena, buf);
}
