/* transcript: what the consultation transcript's pages share (consent.c,
 * audio.c, transcript.c; docs/tele.md "Transcript"): the caller's place
 * in an appointment's room. */
#ifndef MEDSYS_PAGES_TELE_TRANSCRIPT_H
#define MEDSYS_PAGES_TELE_TRANSCRIPT_H

struct req;

/* The room of appointment r->match.args[0] as the caller sees it. */
struct tt_room {
	const char *appointment;     /* its id, as in the URL */
	const char *id;              /* the room's id */
	long long patient;           /* the appointment's patient */
	int is_doctor;               /* the caller is its doctor (else the patient) */
	int answered;                /* the caller answered the consent question */
	int consented;               /* ... and said yes */
	int recording;               /* both the patient and the doctor said yes */
	int open;                    /* not ended (or ended moments ago: last chunks) */
	const char *encounter;       /* the visit's encounter id, or NULL */
};

/* Load the room of the route's appointment for the caller: tele-room's
 * tele_room_load decides who may be here (the appointment's patient and
 * doctor; anyone else 404 with a "record.denied" audit row; the care
 * decision made) and 404 while nobody has entered it; then the caller's
 * consent. 0 and *t filled, else the status to answer. */
int tt_room_load(struct req *r, struct tt_room *t);

/* For the room page (room.c): whether the caller must still answer the
 * consent question for room (its id) (1), has answered (0), or -1 on a
 * database error; *record set to 1 when both the patient and the doctor
 * said yes (the room's data-record). */
int tele_consent_state(struct req *r, const char *room, int *record);

struct db_result;

/* The record's note page (record/notes.c): the reviewed transcript of
 * its encounter, read by statement tt_of_encounter in the page's audited
 * batch, into Data.transcript (templates/tele/transcript_panel.cs); staff
 * get the link to review it. Nothing when there is none. */
void tt_encounter_panel(struct req *r, struct db_result *res, int staff);

/* handlers: consent.c */
int tt_consent_form(struct req *r);
int tt_consent_post(struct req *r);
/* audio.c */
int tt_audio_post(struct req *r);
/* transcript.c */
int tt_transcript_page(struct req *r);
int tt_transcript_post(struct req *r);

#endif
