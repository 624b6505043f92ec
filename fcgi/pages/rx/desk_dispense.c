/* desk_dispense: dispensing all or part of a presented prescription, in
 * one transaction under the prescription's row lock, so that of two
 * pharmacists dispensing the same item at the same moment exactly one
 * succeeds and the other is told who dispensed it and when (409). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/audit.h"
#include "core/config.h"
#include "core/db.h"
#include "core/json.h"
#include "core/outbox.h"
#include "core/request.h"
#include "core/status.h"
#include "core/view.h"
#include "lib/rxtoken.h"
#include "pages/page.h"
#include "pages/rx/desk.h"
#include "pages/rx/rxcore.h"

#define DESK_LINES 20           /* rx.items.line is 1..20 */
#define DESK_QTY_MAX 1000000L   /* more than any item allows (020: quantity <= 10000, 12 refills) */

/* What the form asks for: a quantity per line (0: none), or everything
 * that is left ("all"). */
struct ask {
	long qty[DESK_LINES + 1];
	int all;
};

/* Read the qty_N fields. 0, or -1 when one is not a whole number in
 * range (the form's fields are type=number: only a hand-made request). */
static int
read_ask(const struct req *r, struct ask *a)
{
	char name[16];

	memset(a, 0, sizeof(*a));
	a->all = fields_get(&r->form, "all") != NULL;
	for (int line = 1; line <= DESK_LINES; line++) {
		const char *v;
		snprintf(name, sizeof(name), "qty_%d", line);
		if ((v = fields_get(&r->form, name)) == NULL || *v == '\0')
			continue;
		if (strspn(v, "0123456789") != strlen(v) || strlen(v) > 7)
			return -1;
		a->qty[line] = strtol(v, NULL, 10);
		if (a->qty[line] > DESK_QTY_MAX)
			return -1;
	}
	return 0;
}

/* With "all": what is left of each line, read under the lock. */
static enum db_status
ask_all(struct req *r, const struct desk_rx *rx, struct ask *a)
{
	const char *p[4] = { rx->patient_id_text, rx->id_text, r->lang, r->cfg->clinic_timezone };
	struct db_result *res;
	enum db_status st = db_query(&res, "rx_items", 4, p);

	for (size_t k = 0; st == DB_OK && k < db_rows(res); k++) {
		int line = atoi(db_value(res, k, IT_LINE));
		if (line >= 1 && line <= DESK_LINES)
			a->qty[line] = atol(db_value(res, k, IT_REMAINING));
	}
	return st;
}

/* Insert one dispensing per line asked for. DB_OK with *conflict = 0, or
 * *conflict = the first line with less left than asked (nothing is then
 * kept: the caller rolls back), or a failure. *lines gets "1:10,2:5". */
static enum db_status
dispense_lines(struct req *r, const struct desk_rx *rx, const struct ask *a, int *conflict,
               const char **lines)
{
	char l[8], q[24];
	const char *p[4] = { rx->id_text, l, q, r->user.id_text };
	enum db_status st = DB_OK;
	size_t rows;

	*conflict = 0;
	*lines = "";
	for (int line = 1; line <= DESK_LINES && st == DB_OK && *conflict == 0; line++) {
		if (a->qty[line] <= 0)
			continue;
		snprintf(l, sizeof(l), "%d", line);
		snprintf(q, sizeof(q), "%ld", a->qty[line]);
		if ((st = db_run_rows("rx_desk_dispense", 4, p, &rows)) == DB_OK && rows != 1)
			*conflict = line;
		*lines = arena_printf(r->arena, "%s%s%d:%ld", *lines, **lines ? "," : "", line, a->qty[line]);
	}
	return st;
}

/* The patient is told: the in-app notice, and the event whose mail
 * (medsys-notifier, template rx_dispensed) says only that a prescription
 * of theirs was dispensed, with a link; no clinical content. */
static int
notify_patient(struct req *r, const struct desk_rx *rx)
{
	const char *params = json_object(r->arena, "prescription", rx->id_text, NULL);
	const char *ev[4] = { "rx.notify",
	                      arena_printf(r->arena, "{\"prescription_id\":%s,\"what\":\"dispensed\"}", rx->id_text),
	                      NULL, NULL };

	if (params == NULL || ev[1] == NULL ||
	    outbox_notice(rx->patient_id, "rx_dispensed", params,
	                  arena_printf(r->arena, "/prescriptions/%s", rx->id_text)) == -1)
		return -1;
	return db_run("outbox_emit", 4, ev) == DB_OK ? 0 : -1;
}

/* The status under the lock: 0 when it may be dispensed, else
 * HTTP_CONFLICT with the transaction rolled back, or a failure. */
static int
lock_and_check(const struct desk_rx *rx)
{
	const char *p[1] = { rx->id_text };
	struct db_result *res;
	enum db_status st;

	if ((st = db_run("rx_desk_lock", 1, p)) != DB_OK || (st = db_query(&res, "rx_desk_state", 1, p)) != DB_OK)
		return page_tx_fail(st);
	if (db_rows(res) != 1 ||
	    (strcmp(db_value(res, 0, 1), "active") && strcmp(db_value(res, 0, 1), "partly_dispensed"))) {
		db_rollback();
		return HTTP_CONFLICT;
	}
	return 0;
}

/* The transaction: lock, check, dispense, audit, notice, commit. 0, or
 * HTTP_CONFLICT (rolled back; Data.conflict says why), or a failure. */
static int
dispense(struct req *r, const struct desk_rx *rx, struct ask *a)
{
	const char *lines;
	enum db_status st;
	int conflict, rc;

	if ((st = db_begin()) != DB_OK)
		return db_http_status(st);
	if ((rc = lock_and_check(rx)) != 0) {
		view_set(r->view, "status", "Data.conflict.kind");
		return rc;
	}
	if (a->all && (st = ask_all(r, rx, a)) != DB_OK)
		return page_tx_fail(st);
	if ((st = dispense_lines(r, rx, a, &conflict, &lines)) != DB_OK)
		return page_tx_fail(st);
	if (conflict) {
		db_rollback();
		view_set(r->view, "line", "Data.conflict.kind");
		view_set_int(r->view, conflict, "Data.conflict.line");
		return HTTP_CONFLICT;
	}
	if (*lines == '\0') {
		db_rollback();
		view_set(r->view, "1", "Data.nothing");
		return HTTP_BAD_REQUEST;
	}
	if (audit_log(r, rx->patient_id, "rx.dispensed",
	              arena_printf(r->arena, "prescription:%s lines=%s", rx->id_text, lines)) == -1 ||
	    notify_patient(r, rx) == -1)
		return page_tx_fail(DB_ERROR);
	if ((st = db_commit()) != DB_OK)
		return db_http_status(st);
	return 0;
}

/* POST /desk/rx/ID/dispense: the same proof of presentation as the page,
 * re-checked; then the quantities. */
int
desk_dispense(struct req *r)
{
	struct desk_proof p;
	struct desk_rx rx;
	struct ask a;
	int st;

	if ((st = desk_present_request(r, &p, &rx)) != 0)
		return st;
	if (rx.verdict != RXTOKEN_OK) {
		view_set(r->view, "status", "Data.conflict.kind");
		return desk_show(r, &rx, &p, HTTP_CONFLICT);
	}
	if (read_ask(r, &a) == -1)
		return HTTP_BAD_REQUEST;
	st = dispense(r, &rx, &a);
	if (st == HTTP_CONFLICT || st == HTTP_BAD_REQUEST)
		return desk_show(r, &rx, &p, st);
	if (st != 0)
		return st;
	return page_redirect(r, arena_printf(r->arena, "/desk/rx/%s?%s=%s&done=1", rx.id_text,
	                                     p.kind == DESK_PROOF_TOKEN ? "t" : "c", p.value));
}
