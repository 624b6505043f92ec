/* desk_show: a prescription presented at the desk (by its short code or
 * its QR's token): the check that it was presented, the verdict in large
 * words (genuine or not, expired, cancelled, dispensed), per item what is
 * left to dispense, the overrides and the patient's allergies. Each open
 * is an audited read of the patient's record with basis "presented". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/audit.h"
#include "core/config.h"
#include "core/db.h"
#include "core/request.h"
#include "core/rxverify.h"
#include "core/status.h"
#include "core/validate.h"
#include "core/view.h"
#include "lib/rxtoken.h"
#include "pages/page.h"
#include "pages/rx/desk.h"
#include "pages/rx/rxcore.h"

/* rx_warnings' columns (sql/queries/rx.sql) the desk shows. */
enum warning_col { W_LINE = 1, W_KIND, W_SEVERITY, W_DETAIL, W_REASON, W_CONFIRMED, W_BY, W_AT };
/* record_allergy_rows' columns (sql/queries/record.sql) the desk shows. */
enum allergy_col { A_SUBSTANCE = 6, A_TYPE = 7, A_REACTION = 9, A_SEVERITY = 10, A_STATUS = 11 };

/* A token as the QR spells it: upper-case base32, nothing else. */
static int
token_shape(const char *s)
{
	size_t n = strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567");

	return s[n] == '\0' && n >= 20 && n <= DESK_TOKEN_MAX;
}

int
desk_proof_read(struct req *r, struct desk_proof *p)
{
	const struct fields *src = r->method == METHOD_POST ? &r->form : &r->query;
	const char *t = fields_get(src, "t"), *c = fields_get(src, "c");
	char code[DESK_CODE_LEN + 1];

	p->kind = DESK_PROOF_NONE;
	p->value = NULL;
	if ((t == NULL) == (c == NULL))
		return -1;
	if (t != NULL) {
		if (!token_shape(t))
			return -1;
		p->kind = DESK_PROOF_TOKEN;
		p->value = t;
		return 0;
	}
	if (desk_code_normalise(c, code) == -1 || (p->value = arena_strdup(r->arena, code)) == NULL)
		return -1;
	p->kind = DESK_PROOF_CODE;
	return 0;
}

long long
desk_token_id(const char *token)
{
	struct rxtoken t;

	return rxtoken_decode(token, &t) == 0 ? t.prescription_id : 0;
}

/* Equal strings, in time that does not depend on where they differ. */
static int
same(const char *a, const char *b)
{
	size_t na = strlen(a), nb = strlen(b);
	unsigned char d = na != nb;

	for (size_t i = 0; i < na && i < nb; i++)
		d |= (unsigned char)(a[i] ^ b[i]);
	return d == 0;
}

/* A presentation that does not hold: audited (about the patient when the
 * prescription exists), counted, and answered with the same page whatever
 * was wrong, so that it tells nothing about other prescriptions. */
static int
refuse(struct req *r, const char *id_text, long long patient, const struct desk_proof *p)
{
	desk_throttle_fail(r);
	audit_log(r, patient, "record.denied",
	          arena_printf(r->arena, "prescription:%s basis=presented status=403", id_text));
	view_set(r->view, p->kind == DESK_PROOF_TOKEN ? "token" : "code", "Data.refused");
	return desk_home_page(r, HTTP_FORBIDDEN);
}

int
desk_present(struct req *r, const char *id_text, const struct desk_proof *p, struct desk_rx *rx)
{
	const char *q[1] = { id_text };
	struct db_result *res;
	struct rxverify v;
	enum db_status st;
	int wait;

	memset(rx, 0, sizeof(*rx));
	if ((wait = desk_throttle_wait(r)) < 0)
		return -wait;
	if (wait > 0)
		return desk_throttled(r, wait);
	if ((st = db_query(&res, "rx_desk_proof", 1, q)) != DB_OK)
		return db_http_status(st);
	if (db_rows(res) != 1)
		return refuse(r, id_text, 0, p);
	rx->patient_id = strtoll(db_value(res, 0, 0), NULL, 10);
	if (!same(p->value, db_value(res, 0, p->kind == DESK_PROOF_CODE ? 1 : 2)))
		return refuse(r, id_text, rx->patient_id, p);
	rx->id = strtoll(id_text, NULL, 10);
	snprintf(rx->id_text, sizeof(rx->id_text), "%lld", rx->id);
	snprintf(rx->patient_id_text, sizeof(rx->patient_id_text), "%lld", rx->patient_id);
	/* Genuine: the prescription's own token (the one presented, or the
	 * one its code stands for) verifies against the published keys and
	 * matches the prescription as stored (core/rxverify, the check of the
	 * public verification page). */
	if ((wait = rxverify_token(r->cfg, db_value(res, 0, 2), &v, NULL)) != 0)
		return wait;
	rx->verdict = v.mismatch || v.t.prescription_id != rx->id ? DESK_DIGEST_MISMATCH : (int)v.verdict;
	return 0;
}

/* ------------------------------------------------------------ the page */

/* The language string prefix.value ("rx.write.kind.allergy"): the page's
 * words for a value stored in the database. */
static const char *
label(struct req *r, const char *prefix, const char *value)
{
	const char *key = arena_printf(r->arena, "%s.%s", prefix, value);

	return key ? view_lang(r->view, key) : "";
}

/* The items (rx-core's rows and fields: Data.items.N.line, name, text,
 * quantity, refills, allowed, dispensed, remaining, last_at, last_by),
 * and for the form each one's default quantity: one dispensing's, or
 * what is left when less. */
static void
show_items(struct req *r, struct db_result *res)
{
	rxc_show_items(r, res, "items");
	for (size_t k = 0; k < db_rows(res); k++) {
		struct view_row *row = view_row(r->view, "Data.items.%zu", k);
		long quantity = atol(db_value(res, k, IT_QTY)), remaining = atol(db_value(res, k, IT_REMAINING));
		view_row_set(row, "default", arena_printf(r->arena, "%ld", remaining < quantity ? remaining : quantity));
		if (remaining <= 0)
			view_row_set(row, "done", "1");
	}
}

/* The warnings the prescriber overrode (every warning of a signed
 * prescription is), with the reason, who and when. */
static void
show_overrides(struct req *r, const struct db_result *res)
{
	for (size_t k = 0; k < db_rows(res); k++) {
		struct view_row *row = view_row(r->view, "Data.overrides.%zu", k);
		view_row_set(row, "line", db_value(res, k, W_LINE));
		view_row_set(row, "kind", label(r, "rx.write.kind", db_value(res, k, W_KIND)));
		view_row_set(row, "severity", label(r, "rx.write.severity", db_value(res, k, W_SEVERITY)));
		view_row_set(row, "detail", db_value(res, k, W_DETAIL));
		view_row_set(row, "reason", db_value(res, k, W_REASON));
		view_row_set(row, "by", db_value(res, k, W_BY));
		view_row_set(row, "at", page_when(r, db_value(res, k, W_AT)));
	}
}

/* The active allergies, and the list's statement when there are none
 * ("no known allergies" said by someone, or nothing recorded). */
static void
show_allergies(struct req *r, const struct db_result *rows, const struct db_result *lists)
{
	size_t n = 0;

	for (size_t k = 0; k < db_rows(rows); k++) {
		if (strcmp(db_value(rows, k, A_STATUS), "active"))
			continue;
		struct view_row *row = view_row(r->view, "Data.allergies.%zu", n++);
		view_row_set(row, "substance", db_value(rows, k, A_SUBSTANCE));
		view_row_set(row, "type", label(r, "record.choice.type", db_value(rows, k, A_TYPE)));
		view_row_set(row, "reaction", db_value(rows, k, A_REACTION));
		view_row_set(row, "severity", label(r, "record.choice.severity", db_value(rows, k, A_SEVERITY)));
	}
	for (size_t k = 0; n == 0 && k < db_rows(lists); k++)
		if (strcmp(db_value(lists, k, 0), "allergies") == 0)
			view_set(r->view, db_value(lists, k, 2), "Data.allergy_list");
}

/* The verdict in large words: not genuine first (whatever the status),
 * then the status; dispensing is offered only for a genuine prescription
 * that is active or partly dispensed. */
static void
show_verdict(struct req *r, const struct desk_rx *rx, const char *status)
{
	int open = strcmp(status, "active") == 0 || strcmp(status, "partly_dispensed") == 0;
	const char *verdict = status;

	if (rx->verdict != RXTOKEN_OK && rx->verdict != RXTOKEN_EXPIRED) {
		verdict = "not_genuine";
		view_set(r->view, label(r, "rx.desk.why", rx->verdict == DESK_DIGEST_MISMATCH
		                                          ? "digest" : rxtoken_verdict_name(rx->verdict)),
		         "Data.why");
	} else if (open && rx->verdict == RXTOKEN_OK) {
		view_set(r->view, "1", "Data.can_dispense");
	}
	view_set(r->view, verdict, "Data.verdict");
	view_set(r->view, label(r, "rx.desk.verdict", verdict), "Data.verdict_word");
	view_set(r->view, label(r, "rx.desk.verdict_text", verdict), "Data.verdict_text");
}

/* The proof the page's forms and links carry on. */
static void
show_proof(struct req *r, const struct desk_proof *p)
{
	view_set(r->view, p->kind == DESK_PROOF_TOKEN ? "t" : "c", "Data.proof.kind");
	view_set(r->view, p->value, "Data.proof.value");
}

int
desk_show(struct req *r, const struct desk_rx *rx, const struct desk_proof *p, int status)
{
	const char *tz = r->cfg->clinic_timezone;
	const char *hp[4] = { rx->patient_id_text, rx->id_text, tz, "t" };
	const char *ip[4] = { rx->patient_id_text, rx->id_text, r->lang, tz };
	const char *ap[5] = { rx->patient_id_text, NULL, r->lang, tz, "false" };
	const char *lp[2] = { rx->patient_id_text, tz };
	struct db_batch b = { 0 };
	int h, it, w, al, li;
	enum db_status st;

	if (audit_read_add(r, &b, &rx->patient_id, 1, "record.prescription",
	                   arena_printf(r->arena, "prescription:%s basis=presented", rx->id_text)) == -1 ||
	    (h = db_batch_add(&b, "rx_head", 4, hp)) < 0 ||
	    (it = db_batch_add(&b, "rx_items", 4, ip)) < 0 ||
	    (w = db_batch_add(&b, "rx_warnings", 3, hp)) < 0 ||
	    (al = db_batch_add(&b, "record_allergy_rows", 5, ap)) < 0 ||
	    (li = db_batch_add(&b, "record_lists", 2, lp)) < 0)
		return HTTP_INTERNAL_ERROR;
	if ((st = db_batch_run(&b)) != DB_OK)
		return db_http_status(st);
	if (db_rows(b.res[h]) != 1)
		return HTTP_NOT_FOUND;
	rxc_show_head(r, b.res[h]);
	show_verdict(r, rx, db_value(b.res[h], 0, HD_STATUS));
	show_items(r, b.res[it]);
	show_overrides(r, b.res[w]);
	show_allergies(r, b.res[al], b.res[li]);
	show_proof(r, p);
	return page_show(r, "rx.desk.rx_title", "rx/desk_rx.cs", status);
}

int
desk_present_request(struct req *r, struct desk_proof *p, struct desk_rx *rx)
{
	if (desk_proof_read(r, p) == -1) {
		/* No proof at all, or one of no possible shape: refused like a
		 * wrong one (and counted), never shown. */
		const struct fields *src = r->method == METHOD_POST ? &r->form : &r->query;
		p->kind = fields_get(src, "t") ? DESK_PROOF_TOKEN : DESK_PROOF_CODE;
		return refuse(r, r->match.args[0], 0, p);
	}
	return desk_present(r, r->match.args[0], p, rx);
}

/* GET /desk/rx/ID?t=TOKEN or ?c=CODE */
int
desk_open(struct req *r)
{
	struct desk_proof p;
	struct desk_rx rx;
	int st;

	if ((st = desk_present_request(r, &p, &rx)) != 0)
		return st;
	if (fields_get(&r->query, "done"))
		view_set(r->view, "1", "Data.done");
	return desk_show(r, &rx, &p, HTTP_OK);
}
