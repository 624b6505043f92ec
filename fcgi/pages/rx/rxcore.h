/* rxcore: what the prescription pages of rx-core share (write.c: the
 * encounter's prescriptions and the prescription page; items.c: adding and
 * removing items; sign.c: overrides, signature, cancellation;
 * prescriptions.c: the patient's pages and the route table). */
#ifndef MEDSYS_PAGES_RX_RXCORE_H
#define MEDSYS_PAGES_RX_RXCORE_H

#include <stddef.h>

struct db_result;
struct req;

/* Days a prescription is valid, the day of issue included. */
#define RXC_VALID_DAYS 30

/* Columns of rx_head (sql/queries/rx.sql). */
enum { HD_ID, HD_CODE, HD_ENC, HD_CREATED, HD_PRESCRIBER, HD_LICENCE, HD_STATUS, HD_SIGNED_AT,
       HD_ISSUED, HD_EXPIRES, HD_CANCELLED_AT, HD_CANCEL_REASON, HD_WEIGHT, HD_PREGNANT,
       HD_PATIENT, HD_BIRTH, HD_TOKEN, HD_PRESCRIBER_ID, HD_CANCELLER, HD__MAX };

/* Columns of rx_items. */
enum { IT_LINE, IT_CODE, IT_NAME, IT_AMOUNT, IT_UNIT, IT_ROUTE, IT_EVERY, IT_PRN, IT_DAYS,
       IT_UNTIL, IT_ADVICE, IT_QTY, IT_REFILLS, IT_ALLOWED, IT_DISPENSED, IT_REMAINING,
       IT_LAST_AT, IT_LAST_BY, IT_PUNIT, IT__MAX };

/* "/patients/P/rx/ID" (arena). */
const char *rxc_path(struct req *r, const char *id);

/* Item row i of an rx_items result in plain words in lang ("es"/"en"):
 * "1 tablet by mouth every 8 hours for 7 days" (lib/rxtext.h), or "" when
 * the row cannot be put in words. Arena. */
const char *rxc_instruction(struct req *r, struct db_result *items, size_t i, const char *lang);

/* "21 tablets" for item row i in lang (arena). */
const char *rxc_quantity(struct req *r, struct db_result *items, size_t i, const char *lang);

/* Data.<node>.<i>.* for every item: line, name, text (the instruction in
 * the page's language), quantity, refills, and the dispensing figures. */
void rxc_show_items(struct req *r, struct db_result *items, const char *node);

/* Data.rx.* from an rx_head row: id, code (XXXXX-XXXXX), status and its
 * words, dates, prescriber, cancellation. */
void rxc_show_head(struct req *r, struct db_result *head);

/* ------------------------------------------------------------ handlers */

/* write.c */
int rxc_encounter(struct req *r);
int rxc_new(struct req *r);
int rxc_page(struct req *r);
int rxc_patient_list(struct req *r);

/* What the prescription page shows besides the stored rows. */
struct rxc_view {
	const char *id;
	const char *alert;          /* language key of an alert, or NULL */
	int typed;                  /* Form.* holds a posted item form: keep it */
};
int rxc_render(struct req *r, const struct rxc_view *v, int status);

/* items.c */
/* Lock the draft for a change by its prescriber: 0 with the next free
 * line in *line and the transaction open, or the status (404; 409 when it
 * is signed, cancelled or another doctor's) with nothing open. */
int rxc_lock_draft(struct req *r, const char *id, int *line);
/* After a change in the open transaction: the checks again, the audit row
 * (action, object), the commit; then 303 to the page with ?done=done. */
int rxc_finish_change(struct req *r, const char *id, const char *action, const char *object,
                      const char *done);
/* The answer to rxc_lock_draft's refusal: a 409 shows the page with the
 * alert "not a draft of yours"; any other status is returned as it is. */
int rxc_refused(struct req *r, const char *id, int status);
int rxc_item_add(struct req *r);
int rxc_item_remove(struct req *r);
/* The add-item form's fields from the picker's GET (Form.*) and the
 * chosen product's statement parameters; see items.c. */
void rxc_item_form_from_query(struct req *r);

/* sign.c */
int rxc_override(struct req *r);
int rxc_sign(struct req *r);
int rxc_cancel(struct req *r);

/* prescriptions.c */
int rxc_mine(struct req *r);
int rxc_mine_one(struct req *r);
int rxc_mine_pdf(struct req *r);

#endif
