/* entries: a list of the record (problems, allergies, ...), the form for a
 * new entry, an entry with its versions and the form that corrects it,
 * and the saves. Concurrency (sql/migrations/012_ehr_record.sql): a form
 * carries the entry's version and its list's version it was based on;
 * the save inserts both plus one, so when someone saved meanwhile the
 * primary key refuses it and the user gets 409 "changed meanwhile" with
 * the other's version shown and their own input kept. */
#include "pages/pages.h"
#include "pages/page.h"
#include "pages/record/record.h"

#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/audit.h"
#include "core/config.h"
#include "core/request.h"
#include "core/validate.h"
#include "core/view.h"

/* Where a form's values come from. */
enum src {
	SRC_DEFAULT = 0,   /* a new entry: the choices' defaults */
	SRC_CURRENT,       /* the entry as it is now */
	SRC_QUERY,         /* the picker's GET: what the user typed */
	SRC_POSTED,        /* a save that failed: what the user typed */
	SRC__MAX
};

/* The version of list in record_lists rows, "0" when never stated. */
static const char *
list_version(const struct db_result *res, const char *list)
{
	for (size_t i = 0; list && i < db_rows(res); i++)
		if (strcmp(db_value(res, i, 0), list) == 0)
			return db_value(res, i, 1);
	return "0";
}

/* A version number the form sent back: digits, "0" allowed; NULL if not. */
static const char *
version_field(const struct fields *f, const char *name)
{
	const char *v = fields_get(f, name);

	if (v == NULL || *v == '\0' || strlen(v) > 9 || strspn(v, "0123456789") != strlen(v))
		return NULL;
	return v;
}

static void
page_common(struct req *r, const struct rec_kind *k)
{
	view_set(r->view, rec_base(r), "Data.base");
	view_set(r->view, k->slug, "Data.kind");
	view_set(r->view, view_lang(r->view, arena_printf(r->arena, "record.kind.%s.title", k->slug)),
	         "Data.kind_title");
	view_set(r->view, view_lang(r->view, arena_printf(r->arena, "record.kind.%s.add", k->slug)),
	         "Data.kind_add");
	if (rec_is_staff(r))
		view_set(r->view, "1", "Data.staff");
	if (k->list)
		view_set(r->view, k->list, "Data.list");
}

/* The list page (also after a refused "no known allergies": error names
 * the message, status the answer). */
static int
list_page(struct req *r, const struct rec_kind *k, const char *error, int status)
{
	const char *pl[5] = { r->record.patient_id_text, NULL, r->lang, r->cfg->clinic_timezone,
	                      rec_is_staff(r) ? "t" : "f" };
	const char *pt[2] = { r->record.patient_id_text, r->cfg->clinic_timezone };
	struct db_batch b = { 0 };
	enum db_status st;
	int rows, lists;

	if (audit_read_add(r, &b, &r->record.patient_id, 1, arena_printf(r->arena, "record.%s", k->slug),
	                   care_audit_object(r, k->slug)) == -1)
		return HTTP_INTERNAL_ERROR;
	rows = db_batch_add(&b, k->q_rows, 5, pl);
	lists = db_batch_add(&b, "record_lists", 2, pt);
	if ((st = db_batch_run(&b)) != DB_OK)
		return db_http_status(st);
	page_common(r, k);
	rec_rows_fill(r, k, b.res[rows], "rows");
	rec_lists_fill(r, b.res[lists]);
	view_set(r->view, list_version(b.res[lists], k->list), "Data.list_version");
	if (error)
		view_set(r->view, view_lang(r->view, error), "Data.error");
	if (fields_get(&r->query, "saved"))
		view_set(r->view, "1", "Data.saved");
	return page_show(r, arena_printf(r->arena, "record.kind.%s.title", k->slug), "record/list.cs", status);
}

int
rec_list(struct req *r)
{
	const struct rec_kind *k = rec_route_kind(r);

	return k ? list_page(r, k, NULL, HTTP_OK) : HTTP_NOT_FOUND;
}

/* The values a form shows for src (SRC_CURRENT: from the entry's newest
 * version, res row 0). */
static void
form_values(struct req *r, const struct rec_kind *k, enum src src, const struct db_result *res,
            const char **vals)
{
	const char *pick = fields_get(&r->query, "pick");

	for (size_t i = 0; i < k->nf; i++) {
		const char *name = k->fields[i].name;
		vals[i] = src == SRC_QUERY ? fields_get(&r->query, name)
		        : src == SRC_POSTED ? fields_get(&r->form, name)
		        : src == SRC_CURRENT && res && db_rows(res) ? db_value(res, 0, RC_FIELDS + (int)i) : NULL;
		if (src == SRC_QUERY && pick && k->fields[i].type == RF_CODE)
			vals[i] = pick;
	}
}

/* The code field's value among vals, or NULL when the kind has none. */
static const char *
code_value(const struct rec_kind *k, const char *const *vals)
{
	for (size_t i = 0; i < k->nf; i++)
		if (k->fields[i].type == RF_CODE)
			return vals[i] ? vals[i] : "";
	return NULL;
}

/* The picker's matches and the chosen code's title (Data.matches,
 * Data.code_title) from the batch's rows. */
static void
picker_fill(struct req *r, struct db_batch *b, int search, int title)
{
	for (size_t i = 0; search >= 0 && i < db_rows(b->res[search]); i++) {
		view_set(r->view, db_value(b->res[search], i, 0), "Data.matches.%zu.code", i);
		view_set(r->view, db_value(b->res[search], i, 1), "Data.matches.%zu.title", i);
		if (strcmp(db_value(b->res[search], i, 2), "t") == 0)   /* headings are not recorded */
			view_set(r->view, "1", "Data.matches.%zu.leaf", i);
	}
	if (search >= 0 && db_rows(b->res[search]) == 0)
		view_set(r->view, "1", "Data.no_matches");
	if (title >= 0 && db_rows(b->res[title]))
		view_set(r->view, rec_code_title(r, b->res[title]), "Data.code_title");
}

/* Where the form posts (Data.action) and where its picker searches
 * (Data.search_action: the form page itself), and the page's notes. */
static void
form_targets(struct req *r, const struct rec_kind *k, const char *item, int conflict)
{
	const char *self = item ? arena_printf(r->arena, "%s/%s/%s", rec_base(r), k->slug, item)
	                        : arena_printf(r->arena, "%s/%s", rec_base(r), k->slug);

	view_set(r->view, self, "Data.action");
	view_set(r->view, item ? self : arena_printf(r->arena, "%s/new", self), "Data.search_action");
	if (item)
		view_set(r->view, item, "Data.item");
	if (conflict)
		view_set(r->view, "1", "Data.conflict");
	if (fields_get(&r->query, "saved"))
		view_set(r->view, "1", "Data.saved");
}

/* The form page: a new entry (item NULL) or one entry with its versions.
 * version / lv: the versions the form carries (NULL: the current ones).
 * conflict: someone saved meanwhile (the page says so). */
static int
form_page(struct req *r, const struct rec_kind *k, const char *item, enum src src,
          const char *version, const char *lv, int conflict, int status)
{
	/* one entry's versions (item), or the list as it is now (NULL) */
	const char *pr[5] = { r->record.patient_id_text, item, r->lang, r->cfg->clinic_timezone, "t" };
	const char *pt[2] = { r->record.patient_id_text, r->cfg->clinic_timezone };
	const char *vals[REC_FIELDS_MAX];
	const char *q = src == SRC_POSTED ? fields_get(&r->form, "q") : fields_get(&r->query, "q");
	const char *ps[2] = { q, r->lang }, *pc[1] = { NULL }, *code;
	struct db_batch b = { 0 };
	enum db_status st;
	int rows = -1, lists, search = -1, title = -1;

	form_values(r, k, src, NULL, vals);
	code = code_value(k, vals);
	if (audit_read_add(r, &b, &r->record.patient_id, 1, arena_printf(r->arena, "record.%s", k->item),
	                   care_audit_object(r, item ? arena_printf(r->arena, "%s:%s", k->item, item) : k->slug)) == -1)
		return HTTP_INTERNAL_ERROR;
	lists = db_batch_add(&b, "record_lists", 2, pt);
	if (item || conflict)
		rows = db_batch_add(&b, k->q_rows, 5, pr);
	if (code && q && *q)
		search = db_batch_add(&b, "icd10_search", 2, ps);
	if (code && *code && (pc[0] = code))
		title = db_batch_add(&b, "icd10_get", 1, pc);
	if ((st = db_batch_run(&b)) != DB_OK)
		return db_http_status(st);
	if (item && db_rows(b.res[rows]) == 0)
		return HTTP_NOT_FOUND;
	page_common(r, k);
	if (src == SRC_CURRENT) {
		form_values(r, k, src, b.res[rows], vals);
		if (code_value(k, vals) && *db_value(b.res[rows], 0, RC_TITLE))
			view_set(r->view, db_value(b.res[rows], 0, RC_TITLE), "Data.code_title");
	}
	rec_form_fill(r, k, vals);
	if (code)
		view_set(r->view, "1", "Data.coded");
	picker_fill(r, &b, search, title);
	if (rows >= 0)
		rec_rows_fill(r, k, b.res[rows], "rows");
	view_set(r->view, q ? q : "", "Data.q");
	view_set(r->view, src == SRC_POSTED ? fields_get(&r->form, "reason")
	                  : src == SRC_QUERY ? fields_get(&r->query, "reason") : "", "Data.reason");
	view_set(r->view, version ? version : item ? db_value(b.res[rows], 0, RC_VERSION) : "0", "Data.version");
	view_set(r->view, lv ? lv : list_version(b.res[lists], k->list), "Data.list_version");
	form_targets(r, k, item, conflict);
	return page_show(r, arena_printf(r->arena, "record.kind.%s.%s", k->slug, item ? "entry" : "add"),
	                 item ? "record/entry.cs" : "record/new.cs", status);
}

/* The picker's GET carries what was typed (search, pick): show it again. */
static enum src
get_source(const struct req *r, enum src otherwise)
{
	return fields_get(&r->query, "search") || fields_get(&r->query, "pick") ? SRC_QUERY : otherwise;
}

int
rec_new(struct req *r)
{
	const struct rec_kind *k = rec_route_kind(r);
	enum src src;

	if (k == NULL || !rec_is_staff(r))
		return HTTP_NOT_FOUND;
	src = get_source(r, SRC_DEFAULT);
	return form_page(r, k, NULL, src, src == SRC_QUERY ? version_field(&r->query, "version") : NULL,
	                 src == SRC_QUERY ? version_field(&r->query, "list_version") : NULL, 0, HTTP_OK);
}

int
rec_entry(struct req *r)
{
	const struct rec_kind *k = rec_route_kind(r);
	enum src src;

	if (k == NULL || !rec_is_staff(r))   /* version history: staff only */
		return HTTP_NOT_FOUND;
	src = get_source(r, SRC_CURRENT);
	return form_page(r, k, rec_route_item(r), src, src == SRC_QUERY ? version_field(&r->query, "version") : NULL,
	                 src == SRC_QUERY ? version_field(&r->query, "list_version") : NULL, 0, HTTP_OK);
}

/* Inside the transaction: a new entry's item (*item set) or the check that
 * item is this patient's entry of kind k. 0, 404 or a failure status. */
static int
item_for_save(struct req *r, const struct rec_kind *k, const char **item)
{
	const char *p[3] = { r->record.patient_id_text, k->item, r->user.id_text };
	struct db_result *res;
	enum db_status st;
	size_t rows = 0;

	if (*item == NULL) {
		if ((st = db_query(&res, "record_item_new", 3, p)) != DB_OK)
			return st == DB_CONFLICT ? HTTP_CONFLICT : page_tx_fail(st);
		*item = arena_strdup(r->arena, db_value(res, 0, 0));
		return 0;
	}
	p[0] = *item;
	p[1] = r->record.patient_id_text;
	p[2] = k->item;
	if ((st = db_run_rows("record_item_owned", 3, p, &rows)) != DB_OK)
		return page_tx_fail(st);
	if (rows == 0) {
		db_rollback();
		return HTTP_NOT_FOUND;
	}
	return 0;
}

/* Save vals as version seen+1 of item (NULL: a new entry, version 1) and
 * list version lv+1, the audit row with them. 0 with *item set; 409 when
 * someone saved meanwhile (rolled back); else an HTTP status. */
static int
save(struct req *r, const struct rec_kind *k, const char **item, const char *seen, const char *lv,
     const char *const *vals)
{
	const char *p[4 + REC_FIELDS_MAX], *reason = form_value(r, "reason");
	const char *mv[6] = { r->record.patient_id_text, k->list, NULL, "recorded", NULL, r->user.id_text };
	int is_new = *item == NULL, rc;
	enum db_status st;

	if ((st = db_begin()) != DB_OK)
		return db_http_status(st);
	if ((rc = item_for_save(r, k, item)) != 0) {
		if (rc == HTTP_CONFLICT)
			db_rollback();
		return rc;
	}
	p[0] = *item;
	p[1] = arena_printf(r->arena, "%lld", (is_new ? 0 : atoll(seen)) + 1);
	p[2] = r->user.id_text;
	p[3] = reason ? reason : "";
	for (size_t i = 0; i < k->nf; i++)
		p[4 + i] = vals[i];
	st = db_run(k->q_insert, 4 + (int)k->nf, p);
	if (st == DB_OK && k->list) {
		mv[2] = arena_printf(r->arena, "%lld", atoll(lv) + 1);
		mv[4] = *item;
		st = db_run("record_list_move", 6, mv);
	}
	if (st == DB_CONFLICT) {
		db_rollback();
		return HTTP_CONFLICT;
	}
	if (st != DB_OK)
		return page_tx_fail(st);
	if (audit_log(r, r->record.patient_id, arena_printf(r->arena, "record.%s_%s", k->item,
	                                                    is_new ? "added" : "corrected"),
	              arena_printf(r->arena, "%s:%s", k->item, *item)) == -1)
		return page_tx_fail(DB_ERROR);
	if ((st = db_commit()) != DB_OK)
		return page_tx_fail(st);
	return 0;
}

/* The shared part of both saves: check, save, answer. */
static int
post_entry(struct req *r, const struct rec_kind *k, const char *item)
{
	const char *vals[REC_FIELDS_MAX];
	const char *seen = version_field(&r->form, "version"), *lv = version_field(&r->form, "list_version");
	const char *saved = item;
	int rc;

	if (k == NULL)
		return HTTP_NOT_FOUND;
	if (seen == NULL || lv == NULL || (item && strcmp(seen, "0") == 0))
		return HTTP_BAD_REQUEST;
	if (rec_form_check(r, k, item != NULL, vals) > 0)
		return form_page(r, k, item, SRC_POSTED, seen, lv, 0, HTTP_BAD_REQUEST);
	rc = save(r, k, &saved, seen, lv, vals);
	if (rc == HTTP_CONFLICT)
		return form_page(r, k, item, SRC_POSTED, NULL, NULL, 1, HTTP_CONFLICT);
	if (rc != 0)
		return rc;
	if (item)
		return page_redirect(r, arena_printf(r->arena, "%s/%s/%s?saved=1", rec_base(r), k->slug, item));
	return page_redirect(r, arena_printf(r->arena, "%s/%s?saved=1", rec_base(r), k->slug));
}

int
rec_create(struct req *r)
{
	return post_entry(r, rec_route_kind(r), NULL);
}

int
rec_correct(struct req *r)
{
	return post_entry(r, rec_route_kind(r), rec_route_item(r));
}

/* "No known allergies": a statement on the list, refused while an allergy
 * is active, and like any save refused when the list moved meanwhile. */
int
rec_none_known(struct req *r)
{
	const struct rec_kind *k = rec_kind_find("allergies");
	const char *lv = version_field(&r->form, "list_version");
	const char *pa[1] = { r->record.patient_id_text };
	const char *mv[6] = { r->record.patient_id_text, "allergies", NULL, "none_known", NULL, r->user.id_text };
	struct db_result *res;
	enum db_status st;

	if (lv == NULL)
		return HTTP_BAD_REQUEST;
	if ((st = db_begin()) != DB_OK)
		return db_http_status(st);
	if ((st = db_query(&res, "record_active_allergies", 1, pa)) != DB_OK)
		return page_tx_fail(st);
	if (atoll(db_value(res, 0, 0)) > 0) {
		db_rollback();
		return list_page(r, k, "record.allergies.nka_refused", HTTP_CONFLICT);
	}
	mv[2] = arena_printf(r->arena, "%lld", atoll(lv) + 1);
	if ((st = db_run("record_list_move", 6, mv)) == DB_CONFLICT) {
		db_rollback();
		return list_page(r, k, "record.changed_meanwhile", HTTP_CONFLICT);
	}
	if (st != DB_OK)
		return page_tx_fail(st);
	if (audit_log(r, r->record.patient_id, "record.allergies_none_known", "list:allergies") == -1)
		return page_tx_fail(DB_ERROR);
	if ((st = db_commit()) != DB_OK)
		return page_tx_fail(st);
	return page_redirect(r, arena_printf(r->arena, "%s/allergies?saved=1", rec_base(r)));
}
