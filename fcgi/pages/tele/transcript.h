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

/* Load the room of the route's appointment for the caller, who must be
 * its patient or its doctor: 0 and *t filled (the care decision made:
 * RECORD_CLINICAL), else the status to answer (404 with the
 * "record.denied" audit row for anyone else, or when the appointment has
 * no room yet). */
int tt_room_load(struct req *r, struct tt_room *t);

/* For the room page (tele-room): whether its caller must answer the
 * consent question first (1), may go on (0), or -1 on a database error;
 * and *record set to 1 when both said yes (the room's data-record). */
int tele_consent_state(struct req *r, const char *appointment, int *record);

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
