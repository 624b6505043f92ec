/* ics: a small iCalendar (RFC 5545 / RFC 5546) writer for appointments.
 * Pure: no I/O, no database. Output uses CRLF line endings, folds content
 * lines at 75 octets without splitting a UTF-8 sequence, and escapes TEXT
 * values (backslash, semicolon, comma, newline). All instants are written
 * in UTC ("...Z"), so no VTIMEZONE is needed. */
#ifndef MEDSYS_ICS_H
#define MEDSYS_ICS_H

#include <stddef.h>
#include <time.h>

struct ics_event {
	const char *uid;          /* required: stable per appointment */
	int sequence;             /* RFC 5545 SEQUENCE (>= 0) */
	time_t dtstart;           /* UTC instants; dtend > dtstart */
	time_t dtend;
	time_t dtstamp;           /* 0 = now */
	const char *summary;      /* TEXT, may be NULL */
	const char *description;  /* TEXT, may be NULL */
	const char *location;     /* TEXT, may be NULL */
	const char *status;       /* "CONFIRMED", "CANCELLED", "TENTATIVE" or NULL */
	const char *organizer_email; /* may be NULL: ORGANIZER;CN=..:mailto:.. */
	const char *organizer_name;  /* may be NULL */
	const char *attendee_email;  /* may be NULL: ATTENDEE;CN=..:mailto:.. */
	const char *attendee_name;   /* may be NULL */
	const char *url;          /* may be NULL (URI, not escaped; CR/LF refused) */
};

/* A whole VCALENDAR with n VEVENTs. method: NULL (no METHOD line, for
 * feeds), "PUBLISH", "REQUEST" or "CANCEL". With "CANCEL" every event is
 * written with STATUS:CANCELLED whatever its status field says. Returns a
 * malloc'd NUL-terminated string (caller frees) or NULL on bad input
 * (missing uid, dtend <= dtstart, unknown method or status, CR/LF in an
 * e-mail address or URL) or out of memory. */
char *ics_calendar(const struct ics_event *events, size_t n, const char *method);

/* TEXT escaping (RFC 5545 3.3.11) of s: "\\" ";" "," and newlines (CRLF,
 * CR or LF -> "\n"); other control characters except TAB are dropped.
 * malloc'd; NULL on out of memory. */
char *ics_escape_text(const char *s);

/* Fold one unfolded content line (no CRLF inside) into lines of at most
 * 75 octets joined by CRLF + space, never splitting a UTF-8 sequence;
 * the result ends with CRLF. malloc'd; NULL on out of memory. */
char *ics_fold(const char *line);

#define ICS_PRODID "-//MedSysPro//Appointments 1.0//ES"

#endif
