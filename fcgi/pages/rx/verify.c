/* verify: the public side of prescription tokens: the published signing
 * keys (GET /.well-known/medsys-rx-keys.json) and the page a phone camera
 * opens from a prescription's QR code (GET /rx/v/TOKEN): genuine or not
 * and why, expired, cancelled, the dates and the prescriber; no patient
 * data. A signed-in pharmacist gets the way to the desk, the patient the
 * way to their own prescription (docs/prescriptions.md "Verification"). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/config.h"
#include "core/db.h"
#include "core/request.h"
#include "core/rxverify.h"
#include "core/status.h"
#include "core/view.h"
#include "lib/datetime.h"
#include "pages/page.h"
#include "pages/pages.h"

static int
keys_json(struct req *r)
{
	const char *p[2] = { r->cfg->clinic_timezone[0] ? r->cfg->clinic_timezone : "UTC", r->cfg->base_url };
	struct db_result *res;
	int st;

	if ((st = page_query_row(&res, "rx_keys_json", 2, p)) != 0)
		return st;
	r->resp.body = arena_printf(r->arena, "%s", db_value(res, 0, 0));
	db_result_free(res);
	if (r->resp.body == NULL)
		return HTTP_INTERNAL_ERROR;
	r->resp.body_len = strlen(r->resp.body);
	r->resp.content_type = "application/json";
	/* verifiers elsewhere may fetch and keep it; a revocation shows
	 * within five minutes */
	r->resp.cache_control = "public, max-age=300";
	resp_add_header(r, "Access-Control-Allow-Origin", "*");
	return HTTP_OK;
}

/* What the big words say about a genuine token, from the verdict and
 * the stored status. */
static const char *
state_of(const struct rxverify *v, const char *status)
{
	if (strcmp(status, "cancelled") == 0)
		return "cancelled";
	if (v->verdict == RXTOKEN_EXPIRED || strcmp(status, "expired") == 0)
		return "expired";
	return "genuine";
}

static void
set_day(struct req *r, long day, const char *name)
{
	struct dt_date d;
	char s[DT_DATE_LEN + 1];

	if (dt_date_from_days(day, &d) == 0 && dt_date_format(&d, s) == 0)
		view_set(r->view, page_when(r, s), "Data.rx.%s", name);
}

/* The genuine prescription's public facts (row: rxverify's) and the
 * links for its pharmacist or patient. */
static void
fill_known(struct req *r, const struct rxverify *v, const char *token, const struct rxverify_facts *f)
{
	const char *status = f->status;

	view_set(r->view, status, "Data.rx.status");
	view_set(r->view, view_lang(r->view, arena_printf(r->arena, "rx.verify.status.%s", status)),
	         "Data.rx.status_text");
	view_set(r->view, f->prescriber, "Data.rx.prescriber");
	view_set(r->view, f->licence, "Data.rx.licence");
	set_day(r, v->t.issued_day, "issued");
	set_day(r, v->t.expires_day, "expires");
	if (r->roles & ROLE_PHARMACIST)
		view_set(r->view, arena_printf(r->arena, "/desk/rx/%lld?t=%s", v->t.prescription_id, token),
		         "Data.rx.desk_url");
	if (r->user.id != 0 && r->user.id == f->patient_id)
		view_set(r->view, arena_printf(r->arena, "/prescriptions/%lld", v->t.prescription_id),
		         "Data.rx.own_url");
}

static int
verify_page(struct req *r)
{
	const char *token = r->match.args[0], *why;
	struct rxverify_facts f;
	struct rxverify v;
	int st;

	r->resp.cache_control = "no-store";
	if ((st = rxverify_public(r->cfg, token, &v, &f)) != 0)
		return st;
	if (v.verdict == RXTOKEN_MALFORMED) {
		view_set(r->view, "unknown", "Data.rx.state");
		return page_show(r, "rx.verify.title", "rx/verify.cs", HTTP_NOT_FOUND);
	}
	if (!v.mismatch && (v.verdict == RXTOKEN_OK || v.verdict == RXTOKEN_EXPIRED)) {
		view_set(r->view, state_of(&v, f.status), "Data.rx.state");
		fill_known(r, &v, token, &f);
		return page_show(r, "rx.verify.title", "rx/verify.cs", HTTP_OK);
	}
	/* a broken signature says so first: the digest of an altered token
	 * means nothing */
	why = v.verdict != RXTOKEN_OK && v.verdict != RXTOKEN_EXPIRED ? rxtoken_verdict_name(v.verdict)
	                                                               : "altered";
	view_set(r->view, "not_genuine", "Data.rx.state");
	view_set(r->view, why, "Data.rx.reason");
	view_set(r->view, view_lang(r->view, arena_printf(r->arena, "rx.verify.reason.%s", why)),
	         "Data.rx.reason_text");
	return page_show(r, "rx.verify.title", "rx/verify.cs", HTTP_OK);
}

const struct route rx_verify_routes[] = {
	/* name          method      pattern                                handler     roles          csrf pre_mfa cap   record */
	{ "rx_keys",     METHOD_GET, "/\\.well-known/medsys-rx-keys\\.json", keys_json,  ROLE_EVERYONE, 0,   1,      NULL, RECORD_NONE },
	{ "rx_verify",   METHOD_GET, "/rx/v/([^/]{1,400})",                  verify_page, ROLE_EVERYONE, 0,  1,      NULL, RECORD_NONE },
};
const size_t rx_verify_routes_n = sizeof(rx_verify_routes) / sizeof(rx_verify_routes[0]);
