/* report: a lab order's released results as a PDF (lib/labpdf) carrying
 * a signed token (lib/rxtoken's lab kind, signed when printed with the
 * prescription keys: core/rxsign), and the public page its QR code opens,
 * GET /lab/v/TOKEN: genuine, not genuine (and why), or changed since (a
 * result was corrected or released after the copy was made). The page
 * shows no patient data and no value (docs/lab-results.md "Report"). */
#include "pages/pages.h"
#include "pages/page.h"
#include "pages/labresults/labresults.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/audit.h"
#include "core/care.h"
#include "core/config.h"
#include "core/db.h"
#include "core/log.h"
#include "core/request.h"
#include "core/rxsign.h"
#include "core/rxverify.h"
#include "core/view.h"
#include "lib/datetime.h"
#include "lib/labpdf.h"

/* Columns of labr_head and labr_verify. */
enum { HD_CODE, HD_DOCTOR, HD_LICENCE, HD_COLLECTED, HD_RELEASED, HD_PATIENT, HD_BIRTH, HD_SEX };
enum { VF_TODAY, VF_PATIENT, VF_CODE, VF_COLLECTED, VF_DOCTOR, VF_COUNT, VF_CORRECTED };

/* The digest of an order's released results (rows of labr_digest_rows):
 * 0, or -1 when there are none or they cannot be digested. */
static int
digest_of(struct req *r, const struct db_result *res, long long patient, long long order,
          unsigned char out[RX_DIGEST_BYTES])
{
	size_t n = db_rows(res);
	struct lab_digest_row *rows = arena_alloc(r->arena, (n ? n : 1) * sizeof(*rows));

	if (rows == NULL || n == 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		rows[i] = (struct lab_digest_row){ strtoll(db_value(res, i, 0), NULL, 10), db_value(res, i, 1),
		                                   db_value(res, i, 2), db_value(res, i, 3), db_value(res, i, 4) };
	return lab_digest(patient, order, rows, n, out);
}

/* The verification URL of a report of order signed today: the text, or
 * NULL (logged) when it cannot be signed. */
static const char *
sign_url(struct req *r, const char *patient_id, const char *order_id, const struct db_result *dig,
         const struct db_result *today)
{
	struct rxtoken t = { .prescription_id = strtoll(order_id, NULL, 10), .kind = RXTOKEN_KIND_LAB,
	                     .issued_day = atol(db_value(today, 0, 0)), .expires_day = RXTOKEN_DAY_MAX };
	unsigned char digest[RX_DIGEST_BYTES];
	char text[RXTOKEN_TEXT_LEN + 1], err[200];

	if (digest_of(r, dig, strtoll(patient_id, NULL, 10), t.prescription_id, digest) != 0)
		return NULL;
	memcpy(t.digest, digest, RXTOKEN_DIGEST_BYTES);
	if (rxsign_token(r->cfg, &t, text, err, sizeof(err)) != 0) {
		log_msg("error", "lab report of order %s not signed: %s", order_id, err);
		return NULL;
	}
	return arena_printf(r->arena, "%s/lab/v/%s", r->cfg->base_url, text);
}

/* The report's rows from labr_results (arena). */
static struct labpdf_row *
pdf_rows(struct req *r, const struct db_result *res, size_t *n)
{
	struct labpdf_row *rows;

	*n = db_rows(res) < LABPDF_ROWS_MAX ? db_rows(res) : LABPDF_ROWS_MAX;
	if ((rows = arena_alloc(r->arena, (*n ? *n : 1) * sizeof(*rows))) == NULL)
		return NULL;
	for (size_t i = 0; i < *n; i++) {
		const char *flag = labr_flag_text(r, db_value(res, i, LR_FLAG));
		rows[i] = (struct labpdf_row){
			db_value(res, i, LR_NAME), db_value(res, i, LR_VALUE), db_value(res, i, LR_UNIT),
			labr_range_text(r, db_value(res, i, LR_LOW), db_value(res, i, LR_HIGH)),
			*flag ? arena_printf(r->arena, "%s", flag) : NULL,
			db_value(res, i, LR_CORRECTED)[0] == 't',
		};
	}
	return rows;
}

#define W(k) view_lang(r->view, "labresults.pdf." k)

/* The document from the rows read. */
static int
render(struct req *r, const struct db_result *head, const struct db_result *res, const struct db_result *clinic,
       const char *url)
{
	const struct labpdf_words w = { W("title"), W("patient"), W("order"), W("results"), W("range"),
	                                W("corrected"), W("corrected_note"), W("check"), W("footer"), W("page") };
	const char *sex = db_value(head, 0, HD_SEX), *birth = db_value(head, 0, HD_BIRTH);
	const char *code = labr_code_text(r, db_value(head, 0, HD_CODE));
	struct labpdf doc = {
		.w = &w, .clinic_name = db_value(clinic, 0, 0), .clinic_details = db_value(clinic, 0, 1),
		.patient_lines = { db_value(head, 0, HD_PATIENT),
		                   *birth ? arena_printf(r->arena, "%s: %s", W("born"), birth) : NULL,
		                   *sex ? arena_printf(r->arena, "%s: %s", W("sex"),
		                                       view_lang(r->view, arena_printf(r->arena, "labresults.sex.%s", sex)))
		                        : NULL },
		.order_lines = { arena_printf(r->arena, "%s %s", W("order_code"), code),
		                 arena_printf(r->arena, "%s: %s", W("doctor"), db_value(head, 0, HD_DOCTOR)),
		                 arena_printf(r->arena, "%s: %s", W("collected"), db_value(head, 0, HD_COLLECTED)),
		                 arena_printf(r->arena, "%s: %s", W("released"), db_value(head, 0, HD_RELEASED)) },
		.order_code = code, .verify_url = url,
	};
	unsigned char *pdf = NULL;
	size_t len = 0;

	if ((doc.rows = pdf_rows(r, res, &doc.nrows)) == NULL || db_rows(clinic) != 1)
		return HTTP_INTERNAL_ERROR;
	if (labpdf_render(&doc, &pdf, &len) != LABPDF_OK)
		return HTTP_INTERNAL_ERROR;
	return page_send_pdf(r, pdf, len, arena_printf(r->arena, "lab-results-%s.pdf", db_value(head, 0, HD_CODE)));
}

int
labr_send_pdf(struct req *r, const char *patient_id, const char *order_id)
{
	const char *ph[3] = { patient_id, order_id, page_tz(r) }, *pr[4] = { patient_id, page_tz(r), r->lang, order_id };
	const char *pd[1] = { order_id }, *pt[1] = { page_tz(r) };
	long long subject = strtoll(patient_id, NULL, 10);
	struct db_batch b = { 0 };
	const char *url;
	enum db_status st;
	int h, l, d, t, c;

	if (audit_read_add(r, &b, &subject, 1, "record.lab_report",
	                   care_audit_object(r, arena_printf(r->arena, "lab_order:%s", order_id))) != 0 ||
	    (h = db_batch_add(&b, "labr_head", 3, ph)) == -1 || (l = db_batch_add(&b, "labr_results", 4, pr)) == -1 ||
	    (d = db_batch_add(&b, "labr_digest_rows", 1, pd)) == -1 ||
	    (t = db_batch_add(&b, "labr_sign_day", 1, pt)) == -1 || (c = db_batch_add(&b, "rx_clinic", 0, NULL)) == -1)
		return HTTP_INTERNAL_ERROR;
	if ((st = db_batch_run(&b)) != DB_OK)
		return db_http_status(st);
	if (db_rows(b.res[h]) != 1 || db_rows(b.res[l]) == 0)
		return HTTP_NOT_FOUND;
	if ((url = sign_url(r, patient_id, order_id, b.res[d], b.res[t])) == NULL)
		return HTTP_INTERNAL_ERROR;
	return render(r, b.res[h], b.res[l], b.res[c], url);
}

/* ------------------------------------------------------------ verification */

static void
set_day(struct req *r, long day, const char *name)
{
	struct dt_date d;
	char s[DT_DATE_LEN + 1];

	if (dt_date_from_days(day, &d) == 0 && dt_date_format(&d, s) == 0)
		view_set(r->view, s, "Data.lab.%s", name);
}

/* The facts of a report whose signature is genuine. */
static void
fill_known(struct req *r, const struct rxtoken *t, const struct db_result *row)
{
	set_day(r, t->issued_day, "issued");
	view_set(r->view, labr_code_text(r, db_value(row, 0, VF_CODE)), "Data.lab.code");
	view_set(r->view, db_value(row, 0, VF_COLLECTED), "Data.lab.collected");
	view_set(r->view, db_value(row, 0, VF_DOCTOR), "Data.lab.doctor");
	if (r->user.id != 0 && r->user.id == strtoll(db_value(row, 0, VF_PATIENT), NULL, 10))
		view_set(r->view, arena_printf(r->arena, "/results/%lld", t->prescription_id), "Data.lab.own_url");
}

/* The verdict's words: state genuine / changed / not_genuine (+ reason). */
static void
judge(struct req *r, const char *token, const struct rxtoken *t, const struct db_result *row,
      const struct db_result *dig)
{
	unsigned char digest[RX_DIGEST_BYTES];
	enum rxtoken_verdict v = rxverify_verdict(r->cfg, token, t, atol(db_value(row, 0, VF_TODAY)));
	const char *why = NULL;

	if (v != RXTOKEN_OK)
		why = rxtoken_verdict_name(v);
	else if (db_is_null(row, 0, VF_PATIENT))
		why = "no_order";
	if (why) {
		view_set(r->view, "not_genuine", "Data.lab.state");
		view_set(r->view, view_lang(r->view, arena_printf(r->arena, "labresults.verify.reason.%s", why)),
		         "Data.lab.reason_text");
		return;
	}
	fill_known(r, t, row);
	if (digest_of(r, dig, strtoll(db_value(row, 0, VF_PATIENT), NULL, 10), t->prescription_id, digest) != 0 ||
	    memcmp(digest, t->digest, RXTOKEN_DIGEST_BYTES) != 0) {
		view_set(r->view, "changed", "Data.lab.state");
		return;
	}
	view_set(r->view, "genuine", "Data.lab.state");
	view_set(r->view, db_value(row, 0, VF_COUNT), "Data.lab.count");
	if (atol(db_value(row, 0, VF_CORRECTED)) > 0)
		view_set(r->view, "1", "Data.lab.corrected");
}

static int
verify_page(struct req *r)
{
	const char *token = r->match.args[0];
	struct db_batch b = { 0 };
	struct rxtoken t;
	char id[24];
	const char *p[2] = { page_tz(r), id };
	enum db_status st;
	int v, d;

	r->resp.cache_control = "no-store";
	if (rxtoken_decode_kind(token, RXTOKEN_KIND_LAB, &t) != 0) {
		view_set(r->view, "unknown", "Data.lab.state");
		return page_show(r, "labresults.verify.title", "labresults/verify.cs", HTTP_NOT_FOUND);
	}
	snprintf(id, sizeof(id), "%lld", t.prescription_id);
	if ((v = db_batch_add(&b, "labr_verify", 2, p)) == -1 || (d = db_batch_add(&b, "labr_digest_rows", 1, p + 1)) == -1)
		return HTTP_INTERNAL_ERROR;
	if ((st = db_batch_run(&b)) != DB_OK)
		return db_http_status(st);
	if (db_rows(b.res[v]) != 1)
		return HTTP_INTERNAL_ERROR;
	judge(r, token, &t, b.res[v], b.res[d]);
	return page_show(r, "labresults.verify.title", "labresults/verify.cs", HTTP_OK);
}

const struct route labverify_routes[] = {
	/* name          method      pattern                handler      roles          csrf pre_mfa cap   record */
	{ "lab_verify",  METHOD_GET, "/lab/v/([^/]{1,400})", verify_page, ROLE_EVERYONE, 0,   1,      NULL, RECORD_NONE },
};
const size_t labverify_routes_n = sizeof(labverify_routes) / sizeof(labverify_routes[0]);
