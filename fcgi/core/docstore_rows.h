/* docstore_rows: a stored file against the rows that point to it
 * (document versions, chat attachments; documents_referenced), decided
 * under the name's lock (documents_lock), and its download. */
#ifndef MEDSYS_DOCSTORE_ROWS_H
#define MEDSYS_DOCSTORE_ROWS_H

/* In a transaction of its own: take hex's lock, and remove dir/hex when
 * no row points to it. 1 removed, 0 kept (a row points to it), -1 when
 * the database or the removal failed (the file stays for the cleanup;
 * errno set when the removal failed, else 0). */
int docstore_release(const char *dir, const char *hex);

struct req;

/* Answer r with stored file hex, sent by nginx from its internal
 * /_documents/ location (X-Accel-Redirect; nginx/medsys.conf adds nosniff
 * and the sandbox CSP): media_type, the Content-Disposition value
 * disposition, never cached. HTTP_OK. */
int docstore_send(struct req *r, const char *media_type, const char *disposition, const char *hex);

#endif
