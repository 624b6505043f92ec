/* home: the public home page: the clinic and its doctors. */
#include "pages.h"

#include "core/db.h"
#include "core/request.h"
#include "core/view.h"

/* Columns of clinic_settings and home_doctors (sql/queries/home.sql). */
enum { CLINIC_NAME, CLINIC_TAGLINE, CLINIC_ADDRESS, CLINIC_PHONE, CLINIC_EMAIL };
enum { DOC_NAME, DOC_SPECIALTIES };

static int
fill_clinic(struct req *r)
{
	struct db_result *res;
	const char *lang[1] = { r->lang };
	enum db_status st = db_query(&res, "home_clinic", 1, lang);

	if (st != DB_OK)
		return st == DB_UNAVAILABLE ? HTTP_UNAVAILABLE : HTTP_INTERNAL_ERROR;
	if (db_rows(res) == 1) {
		view_set(r->view, db_value(res, 0, CLINIC_NAME), "Data.clinic.name");
		view_set(r->view, db_value(res, 0, CLINIC_TAGLINE), "Data.clinic.tagline");
		view_set(r->view, db_value(res, 0, CLINIC_ADDRESS), "Data.clinic.address");
		view_set(r->view, db_value(res, 0, CLINIC_PHONE), "Data.clinic.phone");
		view_set(r->view, db_value(res, 0, CLINIC_EMAIL), "Data.clinic.email");
	}
	return 0;
}

static int
fill_doctors(struct req *r)
{
	struct db_result *res;
	const char *lang[1] = { r->lang };
	enum db_status st = db_query(&res, "home_doctors", 1, lang);

	if (st != DB_OK)
		return st == DB_UNAVAILABLE ? HTTP_UNAVAILABLE : HTTP_INTERNAL_ERROR;
	for (size_t i = 0; i < db_rows(res); i++) {
		view_set(r->view, db_value(res, i, DOC_NAME), "Data.doctors.%zu.name", i);
		view_set(r->view, db_value(res, i, DOC_SPECIALTIES), "Data.doctors.%zu.specialties", i);
	}
	return 0;
}

int
page_home(struct req *r)
{
	int st;

	if ((st = fill_clinic(r)) != 0 || (st = fill_doctors(r)) != 0)
		return st;
	view_set(r->view, view_lang(r->view, "home.title"), "Page.title");
	r->resp.template = "home/home.cs";
	r->resp.cache_control = "no-cache";
	return HTTP_OK;
}
