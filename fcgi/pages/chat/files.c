/* chat files: a message's attachments, from the reply form to nginx. */
#include "files.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "pages/chat/chat.h"
#include "core/arena.h"
#include "core/audit.h"
#include "core/care.h"
#include "core/config.h"
#include "core/docstore_rows.h"
#include "core/fields.h"
#include "core/json.h"
#include "core/log.h"
#include "core/request.h"
#include "core/status.h"
#include "core/validate.h"
#include "core/view.h"
#include "lib/imgclean.h"
#include "pages/page.h"

/* Longest name kept, in bytes (chat.attachments.original_name). */
#define NAME_MAX_BYTES 120

/* The name a file was sent under, without any directory (a browser may
 * send a whole path), cut at NAME_MAX_BYTES on a character boundary;
 * "attachment" when nothing printable is left. */
static const char *
clean_name(struct req *r, const char *sent)
{
	const char *base = sent;
	size_t n;

	for (const char *c = sent; *c; c++)
		if (*c == '/' || *c == '\\')
			base = c + 1;
	n = strlen(base);
	if (n > NAME_MAX_BYTES) {
		n = NAME_MAX_BYTES;
		while (n > 0 && ((unsigned char)base[n] & 0xC0) == 0x80)
			n--;
	}
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)base[i] < 0x20 || base[i] == 0x7f)
			return "attachment";
	if (n == 0 || !utf8_valid_text(base, n))
		return "attachment";
	return arena_strndup(r->arena, base, n);
}

/* Mark the form's file field and return status. */
static int
refuse(struct req *r, const char *lang_key, int status)
{
	form_error(r, "file", lang_key);
	return status;
}

int
chat_file_take(struct req *r, struct chat_file *f)
{
	const struct field *part = fields_find(&r->form, "file");
	unsigned char *out;

	memset(f, 0, sizeof(*f));
	/* No file chosen: browsers send an empty part without a name. */
	if (part == NULL || part->filename == NULL || (part->filename[0] == '\0' && part->value_len == 0))
		return 0;
	if (part->value_len == 0)
		return refuse(r, "chat.files.empty", HTTP_BAD_REQUEST);
	if ((long)part->value_len > r->cfg->chat_attachment_max_bytes ||
	    (long)part->value_len > r->cfg->max_upload)
		return refuse(r, "chat.files.too_large", HTTP_PAYLOAD_TOO_LARGE);
	f->type = docmeta_sniff((const unsigned char *)part->value, part->value_len);
	if (f->type == DOC_UNKNOWN)
		return refuse(r, "chat.files.type", HTTP_UNSUPPORTED_MEDIA_TYPE);
	if ((out = arena_alloc(r->arena, part->value_len)) == NULL)
		return HTTP_INTERNAL_ERROR;
	if (imgclean_file(f->type, (const unsigned char *)part->value, part->value_len, out, &f->len) !=
	    IMGCLEAN_OK)
		return refuse(r, "chat.files.damaged", HTTP_UNSUPPORTED_MEDIA_TYPE);
	f->data = out;
	f->name = clean_name(r, part->filename);
	docstore_name(f->data, f->len, f->hex);
	f->present = 1;
	return 0;
}

int
chat_file_store(struct req *r, struct chat_file *f)
{
	const char *lock[1] = { f->hex };
	enum db_status st;

	if (!f->present)
		return 0;
	if ((st = db_run("documents_lock", 1, lock)) != DB_OK)
		return page_tx_fail(st);
	if (docstore_put(r->cfg->documents_dir, f->hex, f->data, f->len, &f->created) == -1) {
		log_msg("error", "request %s: storing an attachment in %s: %s", r->request_id,
		        r->cfg->documents_dir, strerror(errno));
		db_rollback();
		return HTTP_UNAVAILABLE;
	}
	return 0;
}

enum db_status
chat_file_attach(struct req *r, const struct chat_file *f)
{
	char size[24];
	const char *p[4] = { f->hex, docmeta_media_type(f->type), size, f->name };

	if (!f->present)
		return DB_OK;
	snprintf(size, sizeof(size), "%zu", f->len);
	(void)r;
	return db_run("chat_attachment_insert", 4, p);
}

int
chat_file_fail(struct req *r, const struct chat_file *f, int status)
{
	if (f->present && f->created &&
	    docstore_release(r->cfg->documents_dir, f->hex) == -1 && errno != 0)
		log_msg("error", "request %s: removing the unused attachment %s: %s", r->request_id,
		        f->hex, strerror(errno));
	return status;
}

int
chat_files_add(struct req *r, struct db_batch *b, const struct chat_thread *t, const char *after)
{
	const char **p = arena_alloc(r->arena, 2 * sizeof(*p));

	if (p == NULL)
		return -1;
	p[0] = t->id;
	p[1] = after;
	return db_batch_add(b, "chat_attachments", 2, p);
}

/* "120 KB": whole kilobytes, rounded up. */
static const char *
kilobytes(struct req *r, const char *bytes)
{
	long long n = 0;

	sscanf(bytes, "%lld", &n);
	return arena_printf(r->arena, "%lld KB", (n + 1023) / 1024);
}

void
chat_files_show(struct req *r, struct db_result *messages, struct db_result *files)
{
	size_t m = 0, k = 0;

	for (size_t i = 0; i < db_rows(files); i++) {
		const char *msg = db_value(files, i, 0);
		while (m < db_rows(messages) && strcmp(db_value(messages, m, CM_ID), msg) != 0) {
			m++;
			k = 0;
		}
		if (m == db_rows(messages))
			return;
		struct view_row *row = view_row(r->view, "Data.messages.%zu.files.%zu", m, k++);
		view_row_set(row, "id", db_value(files, i, 1));
		view_row_set(row, "name", db_value(files, i, 2));
		view_row_set(row, "type", docmeta_extension(docmeta_from_media_type(db_value(files, i, 3))) + 1);
		view_row_set(row, "size", kilobytes(r, db_value(files, i, 4)));
	}
}

/* The name without its extension: docmeta_disposition adds the type's. */
static const char *
stem(struct req *r, const char *name)
{
	const char *dot = strrchr(name, '.');

	return dot && dot != name ? arena_strndup(r->arena, name, (size_t)(dot - name)) : name;
}

int
chat_file_get(struct req *r)
{
	const char *aid = r->match.args[r->match.nargs - 1];
	struct db_batch b = { 0 };
	struct chat_thread t;
	const char *p[2];
	char disp[2048];
	enum doc_type type;
	int st, q;

	if ((st = chat_thread_load(r, &t)) != 0)
		return st;
	p[0] = t.id;
	p[1] = aid;
	if (audit_read_add(r, &b, &t.patient, 1, "record.chat_attachment",
	                   care_audit_object(r, arena_printf(r->arena, "chat_attachment:%s", aid))) == -1 ||
	    (q = db_batch_add(&b, "chat_attachment_get", 2, p)) == -1)
		return HTTP_INTERNAL_ERROR;
	if ((st = db_batch_run(&b)) != DB_OK)
		return db_http_status(st);
	if (db_rows(b.res[q]) != 1)
		return HTTP_NOT_FOUND;
	type = docmeta_from_media_type(db_value(b.res[q], 0, 1));
	if (docmeta_disposition(stem(r, db_value(b.res[q], 0, 0)), type, disp, sizeof(disp)) == -1)
		return HTTP_INTERNAL_ERROR;
	return docstore_send(r, docmeta_media_type(type), disp, db_value(b.res[q], 0, 2));
}

int
chat_file_copy(struct req *r)
{
	const char *aid = r->match.args[r->match.nargs - 1];
	struct db_result *res = NULL;
	struct chat_thread t;
	const char *p[3];
	enum db_status dst;
	int st;

	if ((st = chat_thread_load(r, &t)) != 0)
		return st;
	if (!chat_is_doctor(r, &t) || t.doctor_user == 0)
		return HTTP_NOT_FOUND;
	p[0] = t.id;
	p[1] = aid;
	p[2] = r->user.id_text;
	if (db_begin() != DB_OK)
		return HTTP_UNAVAILABLE;
	if ((dst = db_query(&res, "chat_attachment_to_document", 3, p)) != DB_OK)
		return page_tx_fail(dst);
	if (db_rows(res) != 1) {
		db_rollback();
		return HTTP_NOT_FOUND;
	}
	if (audit_log(r, t.patient, "record.document_add",
	              arena_printf(r->arena, "document:%s chat_attachment:%s", db_value(res, 0, 0), aid)) == -1 ||
	    db_commit() != DB_OK)
		return page_tx_fail(DB_ERROR);
	return page_redirect(r, arena_printf(r->arena, "/patients/%lld/documents", t.patient));
}

const char *
chat_files_json(struct req *r, struct db_result *files)
{
	const char *out = "[";

	for (size_t i = 0; i < db_rows(files) && out != NULL; i++) {
		const char *name = json_string(r->arena, db_value(files, i, 2));
		if (name == NULL)
			return NULL;
		out = arena_printf(r->arena, "%s%s{\"message\":%s,\"id\":%s,\"name\":%s,\"type\":\"%s\","
		                   "\"size\":\"%s\"}", out, i ? "," : "", db_value(files, i, 0),
		                   db_value(files, i, 1), name,
		                   docmeta_extension(docmeta_from_media_type(db_value(files, i, 3))) + 1,
		                   kilobytes(r, db_value(files, i, 4)));
	}
	return out ? arena_printf(r->arena, "%s]", out) : NULL;
}
