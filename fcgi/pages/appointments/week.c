/* week: the slot picker, one week of a doctor's free slots per page
 * (Monday to Sunday, clinic time) with links to the previous and the next
 * week, shared by the booking page (/doctors/N) and the reschedule page;
 * and reading the slot such a picker (or a link) names. */
#include "pages/pages.h"
#include "pages/page.h"
#include "pages/appointments/appt.h"

#include <string.h>

#include "core/arena.h"
#include "core/config.h"
#include "core/fields.h"
#include "core/request.h"
#include "core/view.h"
#include "lib/datetime.h"

/* Columns of appointments_week_slots. */
enum {
	WK_MONDAY, WK_SUNDAY, WK_PREV, WK_NEXT, WK_DATE, WK_WEEKDAY, WK_TIME, WK_MODE,
	WK_LOCATION, WK__MAX
};

/* "In person · Room 3": what an option group of the picker says about
 * the slots under it. */
static const char *
group_label(struct req *r, const struct db_result *res, size_t i)
{
	const char *mode = appt_mode_text(r, db_value(res, i, WK_MODE));
	const char *where = db_value(res, i, WK_LOCATION);

	return *where ? arena_printf(r->arena, "%s · %s", mode, where) : mode;
}

/* 1 when row i starts another day, or on the same day another run of
 * slots of a different mode or location, than row i - 1. */
static int
starts_group(const struct db_result *res, size_t i)
{
	static const int cols[] = { WK_DATE, WK_MODE, WK_LOCATION };

	if (i == 0)
		return 1;
	for (size_t c = 0; c < sizeof(cols) / sizeof(cols[0]); c++)
		if (strcmp(db_value(res, i, cols[c]), db_value(res, i - 1, cols[c])) != 0)
			return 1;
	return 0;
}

/* The slot rows grouped into Data.days.D (date, weekday,
 * groups.G.{label, times.N}); their number into Data.count. The markup
 * per slot is one <option> of a time: a long week stays small. */
static void
set_days(struct req *r, const struct db_result *res)
{
	long day = -1, group = -1, n = 0;
	size_t count = 0;

	for (size_t i = 0; i < db_rows(res) && !db_is_null(res, i, WK_DATE); i++, count++) {
		int new_day = i == 0 || strcmp(db_value(res, i, WK_DATE), db_value(res, i - 1, WK_DATE)) != 0;
		if (new_day) {
			day++;
			group = -1;
			view_set(r->view, db_value(res, i, WK_DATE), "Data.days.%ld.date", day);
			view_set(r->view, page_when(r, db_value(res, i, WK_DATE)), "Data.days.%ld.label", day);
		}
		if (starts_group(res, i)) {
			group++;
			n = 0;
			view_set(r->view, group_label(r, res, i), "Data.days.%ld.groups.%ld.label", day, group);
		}
		view_set(r->view, db_value(res, i, WK_TIME), "Data.days.%ld.groups.%ld.times.%ld", day, group, n++);
	}
	view_set_int(r->view, (long long)count, "Data.count");
}

/* Data.week.* and Data.days for the week of ?week= (a date; absent: this
 * week) of doctor's free slots; link is the page's own path with the
 * start of its query ("/doctors/3?"), for the previous / next links. A
 * malformed date answers 400; a date before this week or past the
 * bookable weeks shows the first or the last bookable week. Returns 0 or
 * an HTTP status. */
int
appt_week_fill(struct req *r, const char *doctor, const char *link, const char *patient,
               const char *except)
{
	const char *week = fields_get(&r->query, "week");
	const char *p[6] = { doctor, r->cfg->clinic_timezone, appt_weeks_text(r), week, patient, except };
	struct db_result *res;
	enum db_status st;

	if (week != NULL && !dt_is_date(week))
		return HTTP_BAD_REQUEST;
	if ((st = db_query(&res, "appointments_week_slots", 6, p)) != DB_OK)
		return db_http_status(st);
	if (db_rows(res) == 0)
		return HTTP_INTERNAL_ERROR;     /* the statement always gives the week */
	view_set(r->view, page_when(r, db_value(res, 0, WK_MONDAY)), "Data.week.monday");
	view_set(r->view, page_when(r, db_value(res, 0, WK_SUNDAY)), "Data.week.sunday");
	if (!db_is_null(res, 0, WK_PREV))
		view_set(r->view, db_value(res, 0, WK_PREV), "Data.week.prev");
	if (!db_is_null(res, 0, WK_NEXT))
		view_set(r->view, db_value(res, 0, WK_NEXT), "Data.week.next");
	view_set(r->view, link, "Data.week.link");
	set_days(r, res);
	view_set(r->view, appt_weeks_text(r), "Data.weeks");
	return 0;
}

/* The slot a request names in fields f: start=EPOCH (links, the confirm
 * form), or day=YYYY-MM-DD and time=HH:MM in clinic time (the week
 * picker). 0 with *epoch set; 400 when malformed or missing; 404 when
 * that local time does not exist (skipped by a clock change); else the
 * database's status. Whether it is an offered, free slot is for the
 * statement that uses it to decide. */
int
appt_slot_start(struct req *r, const struct fields *f, const char **epoch)
{
	const char *start = fields_get(f, "start"), *day = fields_get(f, "day"), *time = fields_get(f, "time");
	const char *p[3] = { day, time, r->cfg->clinic_timezone };
	struct db_result *res;
	int rc;

	if (start != NULL) {
		*epoch = start;
		return appt_is_epoch(start) ? 0 : HTTP_BAD_REQUEST;
	}
	if (!dt_is_date(day) || !dt_is_time(time))
		return HTTP_BAD_REQUEST;
	if ((rc = page_query_row(&res, "appointments_local_start", 3, p)) != 0)
		return rc;
	*epoch = arena_strdup(r->arena, db_value(res, 0, 0));
	return 0;
}
