/* labcore: what the lab pages share (order.c: the doctor's order form;
 * worklist.c: the lab's worklist, the specimen label and the route table;
 * entry.c: the order page, collection, entry and corrections;
 * release.c: the release and the doctor's critical values). */
#ifndef MEDSYS_PAGES_LAB_LABCORE_H
#define MEDSYS_PAGES_LAB_LABCORE_H

struct req;
struct db_result;

/* Columns of lab_order_head (sql/queries/lab.sql). */
enum { OH_ID, OH_CODE, OH_PRIORITY, OH_NOTE, OH_CREATED, OH_PATIENT_ID, OH_PATIENT, OH_BIRTH, OH_SEX,
       OH_DOCTOR, OH_COLLECTED, OH_COLLECTOR, OH_ENCOUNTER, OH_DOCTOR_ID, OH__MAX };

/* Columns of lab_order_tests. */
enum { OT_ANALYTE, OT_NAME, OT_KIND, OT_UNIT, OT_DECIMALS, OT_PLOW, OT_PHIGH, OT_CHOICES, OT_UNITS,
       OT_PANEL, OT_VERSION, OT_VALUE, OT_FLAG, OT_REF_LOW, OT_REF_HIGH, OT_CRIT_LOW, OT_CRIT_HIGH,
       OT_ENTERED_BY, OT_ENTERED_BY_ID, OT_ENTERED_AT, OT_RELEASED, OT_EVER_RELEASED, OT_REASON, OT__MAX };

/* "ABCDE12345" -> "ABCDE-12345" (arena); the code itself when it is not
 * ten characters. */
const char *labc_code(struct req *r, const char *code);

/* The words of a flag in the page's language, with its symbol (▲ ▼ ‼):
 * never colour alone. "" for none. */
const char *labc_flag_text(struct req *r, const char *flag);

/* The order page (/lab/orders/ID) for order id, with the language key of
 * an alert (or NULL) and the status to answer; form fields already in
 * the dataset (a refused entry) are kept. Audited as a read by lab staff. */
int labc_order_page(struct req *r, const char *id, const char *alert, int status);

/* order.c */
int labc_order_form(struct req *r);
int labc_order_new(struct req *r);

/* worklist.c */
int labc_worklist(struct req *r);
int labc_label_pdf(struct req *r);

/* entry.c */
int labc_order(struct req *r);
int labc_collect(struct req *r);
int labc_enter(struct req *r);
int labc_correct(struct req *r);

/* release.c */
int labc_release(struct req *r);
int labc_critical_list(struct req *r);
int labc_critical_one(struct req *r);
int labc_critical_ack(struct req *r);

#endif
