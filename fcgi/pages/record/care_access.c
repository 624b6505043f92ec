/* care_access: "who viewed my record": every access to the patient's
 * record by someone else, from the audit trail (record.* rows about the
 * patient, refusals included): who (name, role), when, what (a readable
 * label per action), and the break-glass reason where the access rested
 * on a grant. The patient's own reads are left out: the list answers
 * "who else". The same page serves staff with access (/patients/ID/access). */
#include "pages/pages.h"
#include "pages/page.h"
#include "pages/record/care_pages.h"

#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "core/request.h"
#include "core/status.h"
#include "core/validate.h"
#include "core/view.h"

enum { AL_ID, AL_AT, AL_NAME, AL_ROLE, AL_ACTION, AL_WHAT, AL_REASON, AL_UNTIL };

/* A readable label for an audit action ("record.summary" -> "your record
 * summary"): care.seen.<verb>, or care.seen.other for one without its own
 * text (a page added later). */
static const char *
seen_label(struct req *r, const char *action)
{
	const char *verb = strchr(action, '.');
	const char *s;
	char key[80];

	snprintf(key, sizeof(key), "care.seen.%s", verb ? verb + 1 : action);
	s = view_lang(r->view, key);
	return *s ? s : view_lang(r->view, "care.seen.other");
}

/* The role's name (notices.roles.<role>), "" for none (the system). */
static const char *
role_label(struct req *r, const char *role)
{
	char key[64];

	if (*role == '\0')
		return "";
	snprintf(key, sizeof(key), "notices.roles.%s", role);
	return view_lang(r->view, key);
}

int
care_access_log(struct req *r)
{
	struct db_batch b = { 0 };
	struct db_result *res;
	const char *before, *p[3];
	int name, q, st;

	if (query_optional_id(r, "before", &before) == -1)
		return HTTP_BAD_REQUEST;
	p[0] = r->record.patient_id_text;
	p[1] = before;
	p[2] = care_tz(r);
	name = care_batch_read(r, &b, "access_log");
	if ((q = db_batch_add(&b, "care_access_log", 3, p)) < 0)
		return HTTP_INTERNAL_ERROR;
	if ((st = care_run_read(r, &b, name)) != 0)
		return st;
	res = b.res[q];
	for (size_t i = 0; i < db_rows(res) && i < CARE_PAGE_ROWS; i++) {
		struct view_row *row = view_row(r->view, "Data.events.%zu", i);
		const char *who = db_value(res, i, AL_NAME);
		view_row_set(row, "at", page_when(r, db_value(res, i, AL_AT)));
		view_row_set(row, "who", *who ? who : view_lang(r->view, "care.access.system"));
		view_row_set(row, "role", role_label(r, db_value(res, i, AL_ROLE)));
		view_row_set(row, "what", seen_label(r, db_value(res, i, AL_ACTION)));
		view_row_set(row, "reason", db_value(res, i, AL_REASON));
		if (*db_value(res, i, AL_UNTIL))
			view_row_set(row, "until", page_when(r, db_value(res, i, AL_UNTIL)));
		if (strcmp(db_value(res, i, AL_ACTION), "record.denied") == 0)
			view_row_set(row, "refused", "1");
	}
	care_show_paging(r, res, before);
	if (r->record.basis == CARE_SELF) {
		view_set(r->view, "/record/access", "Data.base");
		return page_show(r, "care.access.title", "record/access.cs", HTTP_OK);
	}
	view_set(r->view, arena_printf(r->arena, "/patients/%s/access", r->record.patient_id_text),
	         "Data.base");
	view_set(r->view, "1", "Data.staff");
	return page_show(r, "care.access.staff_title", "record/access.cs", HTTP_OK);
}
