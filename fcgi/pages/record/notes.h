/* notes: what the encounter and visit-note pages (encounters.c, notes.c)
 * share, and the note panel the call page (pages/tele/) shows. */
#ifndef MEDSYS_PAGES_RECORD_NOTES_H
#define MEDSYS_PAGES_RECORD_NOTES_H

struct req;

/* The clinic's time zone, for the dates the pages show. */
const char *notes_tz(const struct req *r);

/* "/patients/P/encounters/E" (arena). */
const char *notes_encounter_path(struct req *r, const char *encounter);

/* ------------------------------------------------------------ handlers */

/* encounters.c */
int enc_list(struct req *r);
int enc_new(struct req *r);
int enc_open(struct req *r);
int notes_mine(struct req *r);

/* notes.c */
int note_page(struct req *r);
int note_post(struct req *r);
int note_addendum(struct req *r);
int note_mine(struct req *r);

/* The draft form of encounter (r->record's patient, already decided) in
 * the view for another page: the call page's side panel (docs/tele.md),
 * whose saves come back to back ("/appointments/N/call?done=...", shown
 * as Data.done). The read is audited as the note page's. 0 or an HTTP status. */
int note_panel(struct req *r, const char *encounter, const char *back);

#endif
