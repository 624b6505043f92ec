/* chat files: attachments of chat messages (docs/chat.md "Attachments"):
 * taken from the reply form, checked by their bytes, photos without
 * metadata, stored in documents_dir before the message commits, and
 * downloaded through nginx once medsysd authorized and audited it. */
#ifndef MEDSYS_PAGES_CHAT_FILES_H
#define MEDSYS_PAGES_CHAT_FILES_H

#include <stddef.h>

#include "core/db.h"
#include "core/docstore.h"
#include "lib/docmeta.h"

struct req;
struct chat_thread;

/* A file sent with a message, cleaned (strings and bytes in the arena). */
struct chat_file {
	int present;
	enum doc_type type;
	const unsigned char *data;
	size_t len;
	const char *name;                 /* the name it was sent under, cut */
	char hex[DOCSTORE_HEX_LEN + 1];   /* its stored name */
	int created;                      /* this request wrote the file */
};

/* The "file" part of the reply form into f: none (f->present 0) and 0,
 * or checked (type from the bytes, structure, size against
 * chat_attachment_max_bytes) and cleaned, 0; else the form's "file"
 * error set and the status to answer with the form again (400 empty,
 * 413 too large, 415 anything but a whole PDF, JPEG or PNG). */
int chat_file_take(struct req *r, struct chat_file *f);

/* In the open transaction, before the message: take the name's lock and
 * make the file durable. 0, or the status after rolling back. */
int chat_file_store(struct req *r, struct chat_file *f);

/* The attachment row of the message chat_post just inserted (nothing
 * without a file). */
enum db_status chat_file_attach(struct req *r, const struct chat_file *f);

/* After a failed transaction: the file this request wrote goes again
 * unless a row points to it meanwhile. Returns status. */
int chat_file_fail(struct req *r, const struct chat_file *f, int status);

/* The attachments of t's messages after message id after: the
 * statement into b (its index, -1 on failure), and shown as
 * Data.messages.N.files.K (id, name, type, size) by chat_files_show for
 * the messages res (chat_messages) holds. */
int chat_files_add(struct req *r, struct db_batch *b, const struct chat_thread *t,
                   const char *after);
void chat_files_show(struct req *r, struct db_result *messages, struct db_result *files);

/* The same rows for the poll: [{"message":M,"id":A,"name":"..",
 * "type":"pdf","size":"12 KB"},...] (arena), NULL when it ran out. */
const char *chat_files_json(struct req *r, struct db_result *files);

/* GET /messages/ID/files/AID. */
int chat_file_get(struct req *r);

/* POST /messages/ID/files/AID/copy: the thread's doctor adds the
 * attachment to the patient's documents (docs/chat.md "Attachments"). */
int chat_file_copy(struct req *r);

#endif
