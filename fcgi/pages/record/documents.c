/* documents: files in a patient's record (docs/record.md "Documents"):
 * doctors add PDF, JPEG and PNG files and correct their titles or mark
 * them entered in error; patients and doctors list and download them.
 * medsysd authorizes and audits each download, nginx sends the file
 * (X-Accel-Redirect to the internal /_documents/ location). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/audit.h"
#include "core/care.h"
#include "core/config.h"
#include "core/db.h"
#include "core/docstore.h"
#include "core/docstore_rows.h"
#include "core/log.h"
#include "core/request.h"
#include "core/status.h"
#include "core/validate.h"
#include "core/view.h"
#include "lib/docmeta.h"
#include "pages/page.h"
#include "pages/pages.h"


static const char *const correction_actions[] = { "retitle", "error", NULL };

static const struct field_rule upload_rules[] = {
	{ "title", FIELD_TEXT, 1, 1, 200, NULL },
};

static const struct field_rule correct_rules[] = {
	{ "version", FIELD_ID, 1, 1, 9, NULL },
	{ "action", FIELD_CHOICE, 1, 0, 10, correction_actions },
	{ "title", FIELD_TEXT, 0, 1, 200, NULL },
	{ "reason", FIELD_TEXT, 1, 1, 500, NULL },
};

static int
is_own(const struct req *r)
{
	return r->match.route->record == RECORD_OWN;
}

/* The address of the documents list this request is about. */
static const char *
list_path(struct req *r)
{
	if (is_own(r))
		return "/record/documents";
	return arena_printf(r->arena, "/patients/%s/documents", r->record.patient_id_text);
}

/* The document's id: the route's last capture. */
static const char *
item_arg(const struct req *r)
{
	return r->match.args[r->match.nargs - 1];
}

/* "120 KB" style sizes: whole kilobytes, at least 1. */
static const char *
size_text(struct req *r, const char *bytes)
{
	long long n = strtoll(bytes, NULL, 10);

	if (n >= 1024 * 1024)
		return arena_printf(r->arena, "%.1f MB", (double)n / (1024.0 * 1024.0));
	return arena_printf(r->arena, "%lld KB", n < 1024 ? 1 : n / 1024);
}

/* Run the page's one statement after its audit row, in one batch (no
 * audit row, nothing shown): *res gets its rows. 0 or a status. */
static int
audited_query(struct req *r, const char *action, const char *what, const char *query, int n,
              const char *const *p, struct db_result **res)
{
	struct db_batch b = { 0 };
	enum db_status st;
	int i;

	if (audit_read_add(r, &b, &r->record.patient_id, 1, action, care_audit_object(r, what)) == -1 ||
	    (i = db_batch_add(&b, query, n, p)) == -1)
		return HTTP_INTERNAL_ERROR;
	if ((st = db_batch_run(&b)) != DB_OK)
		return db_http_status(st);
	*res = b.res[i];
	return 0;
}

/* The list of the record's documents and, for a doctor, the upload form
 * (with what was typed and its messages, after a refused upload); the
 * read is audited in the same batch. */
static int
show_list(struct req *r, int status)
{
	const char *staff = is_own(r) ? "false" : "true";
	const char *p[3] = { r->record.patient_id_text, staff, r->cfg->clinic_timezone };
	struct db_result *res;
	int st;

	if ((st = audited_query(r, "record.documents", "documents", "documents_list", 3, p, &res)) != 0)
		return st;
	if (db_rows(res) == 0)
		return HTTP_NOT_FOUND;
	view_set(r->view, db_value(res, 0, 0), "Data.patient");
	for (size_t k = 0; k < db_rows(res) && !db_is_null(res, k, 1); k++) {
		enum doc_type t = docmeta_from_media_type(db_value(res, k, 3));
		struct view_row *row = view_row(r->view, "Data.docs.%zu", k);
		view_row_set(row, "id", db_value(res, k, 1));
		view_row_set(row, "title", db_value(res, k, 2));
		view_row_set(row, "type", docmeta_extension(t) + 1);
		view_row_set(row, "size", size_text(r, db_value(res, k, 4)));
		view_row_set(row, "error", strcmp(db_value(res, k, 5), "current") ? "1" : "");
		view_row_set(row, "corrected", strcmp(db_value(res, k, 6), "1") ? "1" : "");
		view_row_set(row, "added", page_when(r, db_value(res, k, 7)));
		view_row_set(row, "author", db_value(res, k, 8));
	}
	view_set(r->view, list_path(r), "Data.base");
	view_set_int(r->view, r->cfg->max_upload / (1024 * 1024), "Data.max_mb");
	if (!is_own(r))
		view_set(r->view, "1", "Data.staff");
	return page_show(r, "documents.title", "record/documents.cs", status);
}

static int
documents_list(struct req *r)
{
	return show_list(r, HTTP_OK);
}

/* The file part of the upload form, or NULL when none was chosen. */
static const struct field *
file_part(const struct req *r)
{
	for (size_t i = 0; i < r->form.n; i++)
		if (strcmp(r->form.v[i].name, "file") == 0 && r->form.v[i].filename != NULL)
			return r->form.v[i].value_len > 0 ? &r->form.v[i] : NULL;
	return NULL;
}

/* Check the file; on a problem mark the form and return the status to
 * answer with it shown again (the title kept), else 0 with *type. */
static int
check_file(struct req *r, const struct field *f, enum doc_type *type)
{
	if (f == NULL) {
		form_error(r, "file", "documents.errors.no_file");
		return HTTP_BAD_REQUEST;
	}
	if ((long)f->value_len > r->cfg->max_upload) {
		form_error(r, "file", "documents.errors.too_large");
		return HTTP_PAYLOAD_TOO_LARGE;
	}
	if ((*type = docmeta_sniff((const unsigned char *)f->value, f->value_len)) == DOC_UNKNOWN) {
		form_error(r, "file", "documents.errors.type");
		return HTTP_UNSUPPORTED_MEDIA_TYPE;
	}
	return 0;
}

/* After a failed upload: the file this upload wrote goes again unless a
 * row points to it meanwhile (another upload of the same content); both
 * decided under the name's lock. When the database cannot say, the file
 * stays for `medsysctl documents-cleanup`. */
static void
forget_file(struct req *r, const char *hex)
{
	if (docstore_release(r->cfg->documents_dir, hex) == -1 && errno != 0)
		log_msg("error", "request %s: removing the unused document %s: %s", r->request_id, hex,
		        strerror(errno));
}

/* The file, its item, its first version and the audit row, with the
 * file durable before the commit. 0, or the status of a failure. */
static int
store_upload(struct req *r, const struct field *f, enum doc_type type, const char *hex)
{
	const char *lock[1] = { hex };
	const char *ip[2] = { r->record.patient_id_text, r->user.id_text };
	char size[24];
	const char *vp[6] = { NULL, form_value(r, "title"), docmeta_media_type(type), size, hex,
	                      r->user.id_text };
	struct db_result *res;
	enum db_status st;
	int created = 0;

	snprintf(size, sizeof(size), "%zu", f->value_len);
	if ((st = db_begin()) != DB_OK)
		return db_http_status(st);
	if ((st = db_run("documents_lock", 1, lock)) != DB_OK)
		return page_tx_fail(st);
	if (docstore_put(r->cfg->documents_dir, hex, f->value, f->value_len, &created) == -1) {
		log_msg("error", "request %s: storing a document in %s: %s", r->request_id,
		        r->cfg->documents_dir, strerror(errno));
		db_rollback();
		return HTTP_UNAVAILABLE;
	}
	if ((st = db_query(&res, "documents_item_insert", 2, ip)) != DB_OK)
		goto fail;
	vp[0] = db_value(res, 0, 0);
	if ((st = db_run("documents_version_insert", 6, vp)) != DB_OK ||
	    audit_log(r, r->record.patient_id, "record.document_add",
	              arena_printf(r->arena, "document:%s", vp[0])) == -1)
		goto fail;
	if ((st = db_commit()) != DB_OK)
		goto fail_commit;
	return 0;
fail:
	st = st == DB_OK ? DB_ERROR : st;
	db_rollback();
fail_commit:
	if (created)
		forget_file(r, hex);
	return db_http_status(st);
}

static int
documents_upload(struct req *r)
{
	const struct field *f = file_part(r);
	enum doc_type type = DOC_UNKNOWN;
	char hex[DOCSTORE_HEX_LEN + 1];
	int st;

	form_validate(r, upload_rules, sizeof(upload_rules) / sizeof(upload_rules[0]));
	st = check_file(r, f, &type);
	if (r->form_errors)
		return show_list(r, st ? st : HTTP_BAD_REQUEST);
	docstore_name(f->value, f->value_len, hex);
	if ((st = store_upload(r, f, type, hex)) != 0)
		return st;
	return page_redirect(r, list_path(r));
}

/* GET .../documents/ITEM: authorized by the care decision, audited with
 * the read of the row, then sent by nginx from the documents directory. */
static int
documents_download(struct req *r)
{
	const char *p[2] = { r->record.patient_id_text, item_arg(r) };
	struct db_result *res;
	char disp[2048];
	enum doc_type t;
	int st;

	if ((st = audited_query(r, "record.document_read", arena_printf(r->arena, "document:%s", p[1]),
	                        "documents_get", 2, p, &res)) != 0)
		return st;
	/* A patient does not see what a doctor marked entered in error. */
	if (db_rows(res) != 1 || (is_own(r) && strcmp(db_value(res, 0, 4), "current")))
		return HTTP_NOT_FOUND;
	t = docmeta_from_media_type(db_value(res, 0, 1));
	if (docmeta_disposition(db_value(res, 0, 0), t, disp, sizeof(disp)) == -1)
		return HTTP_INTERNAL_ERROR;
	return docstore_send(r, docmeta_media_type(t), disp, db_value(res, 0, 3));
}

/* The document's versions and the correction form (staff only); the
 * read is audited with it. */
static int
show_versions(struct req *r, int status)
{
	const char *p[3] = { r->record.patient_id_text, item_arg(r), r->cfg->clinic_timezone };
	struct db_result *res;
	int st;

	if ((st = audited_query(r, "record.document_versions", arena_printf(r->arena, "document:%s", p[1]),
	                        "documents_versions", 3, p, &res)) != 0)
		return st;
	if (db_rows(res) == 0)
		return HTTP_NOT_FOUND;
	for (size_t k = 0; k < db_rows(res); k++) {
		struct view_row *row = view_row(r->view, "Data.versions.%zu", k);
		view_row_set(row, "version", db_value(res, k, 0));
		view_row_set(row, "title", db_value(res, k, 1));
		view_row_set(row, "error", strcmp(db_value(res, k, 2), "current") ? "1" : "");
		view_row_set(row, "reason", db_value(res, k, 3));
		view_row_set(row, "at", page_when(r, db_value(res, k, 4)));
		view_row_set(row, "by", db_value(res, k, 5));
	}
	view_set(r->view, db_value(res, 0, 0), "Data.current_version");
	view_set(r->view, db_value(res, 0, 1), "Data.current_title");
	if (strcmp(db_value(res, 0, 2), "current"))
		view_set(r->view, "1", "Data.current_error");
	view_set(r->view, list_path(r), "Data.base");
	view_set(r->view, item_arg(r), "Data.item");
	return page_show(r, "documents.versions.title", "record/documents_versions.cs", status);
}

static int
documents_versions(struct req *r)
{
	return show_versions(r, HTTP_OK);
}

/* POST .../documents/ITEM/versions: a new title, or entered in error,
 * each with a reason, as version N+1 of the version the form showed. */
static int
documents_correct(struct req *r)
{
	const char *action, *title;
	struct db_result *res;
	enum db_status st;

	form_validate(r, correct_rules, sizeof(correct_rules) / sizeof(correct_rules[0]));
	action = form_value(r, "action");
	title = form_value(r, "title");
	if (action && strcmp(action, "retitle") == 0 && (title == NULL || *title == '\0') &&
	    r->form_errors == 0)
		form_error(r, "title", "validate.required");
	if (r->form_errors)
		return show_versions(r, HTTP_BAD_REQUEST);
	const char *p[7] = { r->record.patient_id_text, item_arg(r), form_value(r, "version"),
	                     strcmp(action, "retitle") == 0 ? title : NULL,
	                     strcmp(action, "retitle") == 0 ? "current" : "entered_in_error",
	                     form_value(r, "reason"), r->user.id_text };
	if ((st = db_begin()) != DB_OK)
		return db_http_status(st);
	st = db_query(&res, "documents_correct", 7, p);
	if (st == DB_CONFLICT) {
		db_rollback();
		view_set(r->view, "1", "Data.changed_meanwhile");
		return show_versions(r, HTTP_CONFLICT);
	}
	if (st != DB_OK)
		return page_tx_fail(st);
	if (db_rows(res) != 1) {
		db_rollback();
		return HTTP_NOT_FOUND;
	}
	if (audit_log(r, r->record.patient_id, "record.document_correct",
	              arena_printf(r->arena, "document:%s version=%s", p[1], db_value(res, 0, 0))) == -1)
		return page_tx_fail(DB_ERROR);
	if ((st = db_commit()) != DB_OK)
		return db_http_status(st);
	return page_redirect(r, arena_printf(r->arena, "%s/%s/versions", list_path(r), p[1]));
}

#define PAT "/patients/([0-9]{1,18})/documents"
#define ITEM "([0-9]{1,18})"

const struct route documents_routes[] = {
	/* name                  method       pattern                       handler             roles         csrf pre_mfa cap   record */
	{ "record_documents",    METHOD_GET,  "/record/documents",          documents_list,     ROLE_PATIENT, 0,   0,      NULL, RECORD_OWN },
	{ "record_document",     METHOD_GET,  "/record/documents/" ITEM,    documents_download, ROLE_PATIENT, 0,   0,      NULL, RECORD_OWN },
	{ "patient_documents",   METHOD_GET,  PAT,                          documents_list,     ROLE_DOCTOR,  0,   0,      NULL, RECORD_CLINICAL },
	{ "patient_document_add", METHOD_POST, PAT,                         documents_upload,   ROLE_DOCTOR,  1,   0,      NULL, RECORD_CLINICAL },
	{ "patient_document",    METHOD_GET,  PAT "/" ITEM,                 documents_download, ROLE_DOCTOR,  0,   0,      NULL, RECORD_CLINICAL },
	{ "patient_document_versions", METHOD_GET, PAT "/" ITEM "/versions", documents_versions, ROLE_DOCTOR, 0,   0,      NULL, RECORD_CLINICAL },
	{ "patient_document_correct", METHOD_POST, PAT "/" ITEM "/versions", documents_correct, ROLE_DOCTOR,  1,   0,      NULL, RECORD_CLINICAL },
};
const size_t documents_routes_n = sizeof(documents_routes) / sizeof(documents_routes[0]);
