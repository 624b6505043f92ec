/* chat: what the messaging pages share (docs/chat.md): the thread a route
 * names, loaded and authorized once, and the route rows of each file. */
#ifndef MEDSYS_PAGES_CHAT_H
#define MEDSYS_PAGES_CHAT_H

#include "core/db.h"

struct req;

/* Longest message body and subject, in characters (docs/chat.md). */
#define CHAT_BODY_MAX 4000
#define CHAT_SUBJECT_MAX 120

/* A thread as chat_thread_load found it (strings in the arena). */
struct chat_thread {
	const char *id;            /* the route's capture */
	long long patient;
	long long doctor_user;     /* 0: the front desk */
	const char *subject;
	int needs_reply;
	int closed;
	const char *version;       /* the poll's ETag */
	const char *patient_name;
	const char *doctor_name;   /* "" for the front desk */
	const char *last_message;  /* newest message id, "0" when none */
};

/* Load the thread whose id is the route's first capture and decide the
 * user's access: its patient, its doctor with a care relationship (core
 * care decision), reception for a front-desk thread. Anyone else, and an
 * id that is no thread, gets 404 and a "record.denied" audit row; a
 * doctor whose relationship ended gets core/care's 403. 0 or a status. */
int chat_thread_load(struct req *r, struct chat_thread *t);

/* Whether the user takes part as staff (the thread's doctor or reception):
 * doctors may mark "needs reply" and close. */
int chat_is_doctor(const struct req *r, const struct chat_thread *t);

/* The audit row of a read of t (action record.chat_thread: "who viewed
 * my record" lists it). 0 or the status to answer. */
int chat_audit_add(struct req *r, struct db_batch *b, const struct chat_thread *t);

/* Marking t read by the user (chat_mark_read: one row per notice it
 * settled) into b, its index returned (-1 on failure), followed by the
 * thread's version after it (index *vq): a moved mark moves the version,
 * and the page or poll hands out the new one as its ETag. */
int chat_read_add(struct req *r, struct db_batch *b, const struct chat_thread *t, int *vq);

/* How chat_show_rows shows a column: its name under the row (NULL: not
 * shown), and whether it is a boolean (shown as "1" only when true). */
struct chat_col {
	const char *name;
	int flag;
};

/* Every row of res as Data.<list>.N.<name>, column by column. */
void chat_show_rows(struct req *r, struct db_result *res, const char *list,
                    const struct chat_col *cols, size_t ncols);

/* Columns of chat_messages. */
enum { CM_ID, CM_AUTHOR, CM_AT, CM_BODY, CM_AUTO, CM_MINE, CM_SEEN, CM_NEW };

/* The message list of t after message id after into Data.messages; the
 * statement goes into b (its index returned, -1 on failure). Shown by
 * chat_messages_show, which also takes the messages it shows as newly
 * read off the header's count. */
int chat_messages_add(struct req *r, struct db_batch *b, const struct chat_thread *t,
                      const char *after);
void chat_messages_show(struct req *r, struct db_result *res);

/* The thread page (GET /messages/ID and a failed reply). */
int chat_thread_show(struct req *r, struct chat_thread *t, int status);

/* Notices and the batched e-mail for a new message in thread (in the
 * caller's transaction). -1 on failure. */
int chat_notify(struct req *r, const char *thread);

/* Handlers of the other files (routes in threads.c). */
int chat_thread_get(struct req *r);
int chat_reply(struct req *r);
int chat_toggle_needs_reply(struct req *r);
int chat_toggle_close(struct req *r);
int chat_poll(struct req *r);
int chat_away_form(struct req *r);
int chat_away_post(struct req *r);
int chat_copy(struct req *r);

#endif
