/* labresults: what the lab results pages share (issue 11, lab-patient;
 * docs/lab-results.md): the patient's pages (mine.c), the report and its
 * verification (report.c), the doctor's pages (doctor.c). Every page reads
 * lab.released_results only (sql/queries/labresults.sql). */
#ifndef MEDSYS_PAGES_LABRESULTS_H
#define MEDSYS_PAGES_LABRESULTS_H

struct req;
struct db_result;

/* Columns of labr_results. */
enum labr_col {
	LR_ORDER, LR_CODE, LR_DAY, LR_DOCTOR, LR_RESULT, LR_ANALYTE, LR_NAME, LR_KIND, LR_VALUE,
	LR_UNIT, LR_FLAG, LR_LOW, LR_HIGH, LR_CORRECTED, LR_REASON, LR_RELEASED, LR__MAX
};

/* The rows of labr_results into Data.orders.N (id, code as printed,
 * day, doctor) each with results.M (analyte, name, value, unit, flag,
 * flag_text, symbol, range, corrected, reason, trend: 1 for a number),
 * grouped by order as the rows come. The number of orders. */
int labr_show_results(struct req *r, const struct db_result *res);

/* The range in words: "3.9 – 5.5", "< 5.2", "> 40" or "" (arena). */
const char *labr_range_text(struct req *r, const char *low, const char *high);

/* The flag in words in the page's language ("" for normal or none). */
const char *labr_flag_text(struct req *r, const char *flag);

/* "ABCDE-FGHIJ" from the stored 10-character order code (arena). */
const char *labr_code_text(struct req *r, const char *code);

/* Read the patient's results (all orders, or one: order_id "0" for all)
 * in a batch with the audit row (action, object what) first: 0 with
 * *res, or an HTTP status. */
int labr_read(struct req *r, const char *patient_id, const char *order_id, const char *action,
              const char *what, struct db_result **res);

/* The page of one order of the record's patient (audited read; 404 when
 * it has no released result of theirs); base: the links' prefix for
 * staff ("/patients/P/results"), NULL for the patient's own pages. */
int labr_show_order(struct req *r, const char *id, const char *base);

/* GET /results/ORDERID.pdf and the doctor's PDF: the report of order_id
 * (patient_id's), signed now (report.c). */
int labr_send_pdf(struct req *r, const char *patient_id, const char *order_id);

/* The record summary's lab part from labr_summary's rows: Data.lab.day,
 * count, url (the order's page for the patient or the staff member) and
 * flagged.N ("Glucosa 118 mg/dL: ▲ Alto"). Nothing when there is no row. */
void labr_summary_fill(struct req *r, const struct db_result *res);

#define LABR_SUMMARY_MAX 100

/* The flagged values of labr_summary's rows as lines ("Glucosa 118
 * mg/dL: ▲ Alto"; without the symbol when symbols is 0: the PDF's
 * base-14 fonts have no ▲) into out (at most max); how many. The summary
 * page and its PDF share them. */
size_t labr_summary_flagged(struct req *r, const struct db_result *res, int symbols, const char **out,
                            size_t max);

/* The doctor's pages (doctor.c): /patients/P/results, .../results/O and
 * its PDF, /results/inbox and POST /results/inbox/O/seen. */
int labr_patient(struct req *r);
int labr_patient_one(struct req *r);
int labr_patient_pdf(struct req *r);
int labr_inbox(struct req *r);
int labr_inbox_seen(struct req *r);

#endif
