/* home: the public home page: the clinic and its doctors. */
#include "pages.h"

#include "core/db.h"
#include "core/locale.h"
#include "core/request.h"
#include "core/view.h"

/* Columns of home_clinic and home_doctors (sql/queries/home.sql). */
enum { CLINIC_NAME, CLINIC_TAGLINE, CLINIC_ADDRESS, CLINIC_PHONE, CLINIC_EMAIL };
enum { DOC_NAME, DOC_SPECIALTIES };

/* Both change rarely: each worker keeps them per language and refills
 * them when the clinic tables notify a change (db_cached_query). */
static struct db_cache clinic_cache[LOCALE_COUNT], doctors_cache[LOCALE_COUNT];

static int
fill_clinic(struct req *r, struct db_cache *c)
{
	const char *lang[1] = { r->lang };
	enum db_status st = db_cached_query(c, "home_clinic", 1, lang);

	if (st != DB_OK)
		return db_http_status(st);
	if (c->rows == 1) {
		view_set(r->view, db_cache_value(c, 0, CLINIC_NAME), "Data.clinic.name");
		view_set(r->view, db_cache_value(c, 0, CLINIC_TAGLINE), "Data.clinic.tagline");
		view_set(r->view, db_cache_value(c, 0, CLINIC_ADDRESS), "Data.clinic.address");
		view_set(r->view, db_cache_value(c, 0, CLINIC_PHONE), "Data.clinic.phone");
		view_set(r->view, db_cache_value(c, 0, CLINIC_EMAIL), "Data.clinic.email");
	}
	return 0;
}

static int
fill_doctors(struct req *r, struct db_cache *c)
{
	const char *lang[1] = { r->lang };
	enum db_status st = db_cached_query(c, "home_doctors", 1, lang);

	if (st != DB_OK)
		return db_http_status(st);
	for (size_t i = 0; i < c->rows; i++) {
		view_set(r->view, db_cache_value(c, i, DOC_NAME), "Data.doctors.%zu.name", i);
		view_set(r->view, db_cache_value(c, i, DOC_SPECIALTIES), "Data.doctors.%zu.specialties", i);
	}
	return 0;
}

int
page_home(struct req *r)
{
	int li = locale_index(r->lang), st;

	if (li < 0)
		li = 0;
	if ((st = fill_clinic(r, &clinic_cache[li])) != 0 ||
	    (st = fill_doctors(r, &doctors_cache[li])) != 0)
		return st;
	view_set(r->view, view_lang(r->view, "home.title"), "Page.title");
	r->resp.template = "home/home.cs";
	r->resp.cache_control = "no-cache";
	return HTTP_OK;
}
