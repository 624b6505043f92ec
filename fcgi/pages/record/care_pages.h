/* care_pages: what the care pages share (care.c: routes, break-glass and
 * its report; care_assign.c: assignments; care_access.c: who viewed the
 * record; care_corrections.c: correction requests and their answers). */
#ifndef MEDSYS_PAGES_RECORD_CARE_PAGES_H
#define MEDSYS_PAGES_RECORD_CARE_PAGES_H

#include <stddef.h>

struct db_result;
struct req;

/* Rows a list page shows; its query returns one more to say there is
 * an older page. */
#define CARE_PAGE_ROWS 50

/* The clinic's time zone, for every time these pages show. */
const char *care_tz(const struct req *r);

struct db_batch;

/* Start the batch of a page that reads the record of r->record's patient:
 * its audit row first ("record.<what>", care_audit_object's basis), then
 * the patient's name. The index of the name's result, or -1 (500). */
int care_batch_read(struct req *r, struct db_batch *b, const char *what);

/* Run that batch and show the patient from result name: 0, or the
 * status to answer. */
int care_run_read(struct req *r, struct db_batch *b, int name);

/* Data.<list>.<i>.<cols[c]> for the first max rows of res (cols[c] NULL:
 * column c is not shown; bit c of when: column c is a clinic-local time,
 * shown in words by page_when). */
void care_show_rows(struct req *r, struct db_result *res, const char *list,
                    const char *const *cols, size_t ncols, size_t max, unsigned when);

/* Data.msg from the "msg" query code when it is one of codes (a
 * NULL-terminated list): the language string care.msg.<code>. */
void care_show_message(struct req *r, const char *const *codes);

/* Data.next_before (the id in column 0 of the last row shown) when res
 * holds more than CARE_PAGE_ROWS rows, and Data.paged when the page was
 * asked for with "before". */
void care_show_paging(struct req *r, struct db_result *res, const char *before);

/* Handlers (care_assign.c, care_access.c, care_corrections.c). */
int care_assignments(struct req *r);
int care_assign_post(struct req *r);
int care_assignment_end(struct req *r);
int care_access_log(struct req *r);
int care_corrections_own(struct req *r);
int care_correction_request(struct req *r);
int care_corrections_staff(struct req *r);
int care_correction_answer(struct req *r);

#endif
