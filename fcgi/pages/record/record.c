/* record: the patient's medical record (issue 9, docs/record.md "The
 * record"): the summary, the problem list (ICD-10), allergies (with "no
 * known allergies"), medications, immunizations, family and social
 * history. Patients read their own under /record; doctors read and write
 * under /patients/ID. Access is decided by core (care_decide) before any
 * of these handlers runs; each read writes its audit row in the batch
 * that reads the data, each change in its own transaction.
 *
 * Nothing is overwritten: a change is a new version of the entry (who,
 * when, why) and of its list, saved only if nobody saved meanwhile
 * (entries.c). This file holds the route table and what the pages share;
 * kinds.c describes the kinds of entries; summary.c the summary page;
 * entries.c the lists, entry pages and saves. */
#include "pages/pages.h"
#include "pages/record/record.h"

#include <string.h>

#include "core/arena.h"
#include "core/request.h"

/* Patients may read their own record under /patients/ID too (any other id
 * is a 404 from care_decide): what they see depends on who they are, not
 * on the URL. */
int
rec_is_staff(const struct req *r)
{
	return r->record.basis != CARE_SELF;
}

static int
route_has_patient(const struct req *r)
{
	return r->match.route->record == RECORD_CLINICAL;
}

const char *
rec_base(struct req *r)
{
	if (!route_has_patient(r))
		return "/record";
	return arena_printf(r->arena, "/patients/%s", r->record.patient_id_text);
}

/* Staff routes capture the patient's id first, then the kind. */
const struct rec_kind *
rec_route_kind(const struct req *r)
{
	size_t at = route_has_patient(r) ? 1 : 0;

	return r->match.nargs > at ? rec_kind_find(r->match.args[at]) : NULL;
}

const char *
rec_route_item(const struct req *r)
{
	size_t at = route_has_patient(r) ? 2 : 1;

	return r->match.nargs > at ? r->match.args[at] : NULL;
}

#define KINDS "(problems|allergies|medications|immunizations|family|social)"
#define PATIENT "/patients/([1-9][0-9]{0,17})"
#define ITEM "/([1-9][0-9]{0,17})"
/* Reads of /patients/ID/...: patients too, so that another patient's id
 * answers 404 (with its audit row) rather than 403. Forms, version
 * history and writes: doctors only (a patient gets 403 from the route). */
#define READERS (ROLE_PATIENT | ROLE_DOCTOR)

const struct route record_routes[] = {
	/* name            method       pattern                            handler          roles         csrf pre_mfa */
	{ "record",        METHOD_GET,  "/record",                         rec_summary,     ROLE_PATIENT, 0, 0, NULL, RECORD_OWN },
	{ "record_list",   METHOD_GET,  "/record/" KINDS,                  rec_list,        ROLE_PATIENT, 0, 0, NULL, RECORD_OWN },
	{ "record_pdf",    METHOD_GET,  "/record/summary\\.pdf",             rec_summary_pdf, ROLE_PATIENT, 0, 0, NULL, RECORD_OWN },
	{ "rec_summary",   METHOD_GET,  PATIENT "/record",                 rec_summary,     READERS,      0, 0, NULL, RECORD_CLINICAL },
	{ "rec_pdf",       METHOD_GET,  PATIENT "/summary\\.pdf",            rec_summary_pdf, READERS,      0, 0, NULL, RECORD_CLINICAL },
	{ "rec_list",      METHOD_GET,  PATIENT "/" KINDS,                 rec_list,        READERS,      0, 0, NULL, RECORD_CLINICAL },
	{ "rec_new",       METHOD_GET,  PATIENT "/" KINDS "/new",          rec_new,         ROLE_DOCTOR,  0, 0, NULL, RECORD_CLINICAL },
	{ "rec_create",    METHOD_POST, PATIENT "/" KINDS,                 rec_create,      ROLE_DOCTOR,  1, 0, NULL, RECORD_CLINICAL },
	{ "rec_entry",     METHOD_GET,  PATIENT "/" KINDS ITEM,            rec_entry,       ROLE_DOCTOR,  0, 0, NULL, RECORD_CLINICAL },
	{ "rec_correct",   METHOD_POST, PATIENT "/" KINDS ITEM,            rec_correct,     ROLE_DOCTOR,  1, 0, NULL, RECORD_CLINICAL },
	{ "rec_none_known", METHOD_POST, PATIENT "/allergies/none-known",  rec_none_known,  ROLE_DOCTOR,  1, 0, NULL, RECORD_CLINICAL },
};
const size_t record_routes_n = sizeof(record_routes) / sizeof(record_routes[0]);
