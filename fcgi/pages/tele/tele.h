/* tele: what the consultation room's files share (docs/tele.md): the room
 * a route names (an appointment id), loaded and authorized once, and the
 * handlers of each file (routes in room.c). */
#ifndef MEDSYS_PAGES_TELE_H
#define MEDSYS_PAGES_TELE_H

#include "core/db.h"

struct req;

/* Longest in-call chat line (characters, as 034_tele.sql's CHECK) and
 * signal body (bytes). */
#define TELE_CHAT_MAX 2000
#define TELE_SIGNAL_MAX 65536
/* Signals one participant may post per minute (then 429). */
#define TELE_SIGNALS_PER_MINUTE 100

/* An appointment's room as tele_room_load found it (strings in the arena). */
struct tele_room {
	const char *appt;          /* the route's capture */
	long long patient;
	long long doctor_user;
	const char *window;        /* tele.window_state: early, open, ended, closed */
	const char *opens;         /* clinic-local "YYYY-MM-DD HH:MM" */
	const char *starts;
	const char *patient_name;
	const char *doctor_name;
	const char *room;          /* "" while nobody has joined */
	const char *version;       /* "0" without a room */
	const char *encounter;     /* "" before the first admission */
	const char *state;         /* mine: "", waiting, admitted, left */
	const char *peer;          /* the admitted other side while I am admitted, else "" */
	int heartbeat_due;         /* my last_seen_at is older than 15 s */
	long long last_message;    /* the newest chat line's id, 0: none */
	int is_doctor;             /* the user is the appointment's doctor */
};

/* Load the room of the appointment whose id is the route's first capture
 * and decide access: the appointment's patient and doctor only (core/care
 * decides the record access, filling r->record). Anyone else and an id
 * that is no appointment answer 404 with a "record.denied" audit row; a
 * visit that is not by video (or was cancelled) 404 for its own people
 * too. 0 or a status. */
int tele_room_load(struct req *r, struct tele_room *t);

/* The audit row of a read of the room (record.tele_room, shown on the
 * patient's "who viewed my record") into b. -1 on failure. */
int tele_audit_add(struct req *r, struct db_batch *b, const struct tele_room *t);

/* The signed link to the room's poll file that nginx answers itself
 * (core/pollwatch: 304 while the version is unchanged), "" while there is
 * no room or links are off; NULL when the arena ran out. */
const char *tele_watch(struct req *r, const struct tele_room *t);

/* "/appointments/ID/call" (arena). */
const char *tele_path(struct req *r, const struct tele_room *t);

/* The rows of tele_messages (in-call chat after `after`) into b for the
 * room; its index, -1 on failure. */
int tele_messages_add(struct req *r, struct db_batch *b, const struct tele_room *t, const char *after);

/* The user's state for the page and tele.js: "out" (not joined, or
 * left), "waiting", "admitted", "ended" (the room is over). */
const char *tele_state(const struct tele_room *t);

/* The page of a room that is open or over (not for 'early'): join,
 * waiting room, call, ended; audited, with the chat (and Form.* kept for
 * a chat line refused with status 422). */
int tele_room_show(struct req *r, const struct tele_room *t, int status);

/* Handlers. room.c */
int tele_page(struct req *r);
/* actions.c */
int tele_join(struct req *r);
int tele_admit(struct req *r);
int tele_leave(struct req *r);
int tele_end(struct req *r);
int tele_chat(struct req *r);
/* signals.c */
int tele_signals_get(struct req *r);
int tele_signals_post(struct req *r);

#endif
