/* home: GET /: the public home page (the clinic, its doctors, where to
 * book) for visitors, or the signed-in user's own home (sections.c). */
#include "pages/pages.h"
#include "pages/home/home.h"

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

	/* Signed in: their own home. Staff who have not set up their second
	 * factor yet see the public page (their pages wait for it). */
	if (r->roles != ROLE_ANONYMOUS && (!(r->roles & ROLE_STAFF) || r->user.totp_enabled))
		return home_signed_in(r);
	if (li < 0)
		li = 0;
	if ((st = fill_clinic(r, &clinic_cache[li])) != 0 ||
	    (st = fill_doctors(r, &doctors_cache[li])) != 0)
		return st;
	view_set(r->view, view_lang(r->view, "home.title"), "Page.title");
	r->resp.template = "home/home.cs";
	/* The header of anyone signed in carries their name and form token. */
	r->resp.cache_control = r->roles != ROLE_ANONYMOUS ? "no-store" : "no-cache";
	return HTTP_OK;
}

/* ============================================================ routes */

#define PATIENT_ID "([1-9][0-9]{0,17})"

const struct route home_routes[] = {
	/* name                method       pattern                                   handler            roles           csrf pre_mfa */
	{ "walkin_new",        METHOD_GET,  "/reception/walk-in",                     walkin_new_get,    ROLE_RECEPTION, 0,   0, NULL, RECORD_NONE },
	{ "walkin_new_post",   METHOD_POST, "/reception/walk-in",                     walkin_new_post,   ROLE_RECEPTION, 1,   0, NULL, RECORD_NONE },
	{ "walkin_claim",      METHOD_GET,  "/reception/walk-in/" PATIENT_ID "/claim", walkin_claim_get,  ROLE_RECEPTION, 0,   0, NULL, RECORD_NONE },
	{ "walkin_claim_post", METHOD_POST, "/reception/walk-in/" PATIENT_ID "/claim", walkin_claim_post, ROLE_RECEPTION, 1,   0, NULL, RECORD_NONE },
	/* The patient's link: nobody is signed in as a walk-in. */
	{ "claim",             METHOD_GET,  "/claim",                                 claim_get,         ROLE_EVERYONE,  0,   1, NULL, RECORD_NONE },
	{ "claim_post",        METHOD_POST, "/claim",                                 claim_post,        ROLE_EVERYONE,  1,   1, NULL, RECORD_NONE },
};
const size_t home_routes_n = sizeof(home_routes) / sizeof(home_routes[0]);
