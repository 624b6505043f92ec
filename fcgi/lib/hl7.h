/* hl7: HL7 v2 messages read from a buffer (a file of one or many
 * messages, with or without the batch envelope FHS/BHS ... BTS/FTS;
 * segments ended by CR, LF or CRLF). A message is indexed in place (its
 * segments are spans of the buffer) and a value is decoded on request:
 * field, repetition, component, subcomponent, with the message's own
 * delimiters (MSH-1, MSH-2) and its escape sequences (\F\ \S\ \T\ \R\ \E\
 * \Xhh..\ \.br\). Pure: no I/O, no allocation. docs/lab.md "HL7 import". */
#ifndef MEDSYS_HL7_H
#define MEDSYS_HL7_H

#include <stddef.h>

/* Segments in one message at most (an ORU^R01 of a full panel has ~40). */
#define HL7_SEGMENTS_MAX 2000
/* Bytes of one segment at most. */
#define HL7_SEGMENT_MAX 65536

enum hl7_status {
	HL7_OK = 0,
	HL7_END,                /* no message left */
	HL7_NO_MSH,             /* a segment before the message's MSH */
	HL7_BAD_MSH,            /* MSH without valid delimiters (MSH-1, MSH-2) */
	HL7_BAD_SEGMENT,        /* not a 3-character id followed by the field separator */
	HL7_TOO_MANY_SEGMENTS,  /* more than HL7_SEGMENTS_MAX */
	HL7_TOO_LONG,           /* a segment longer than HL7_SEGMENT_MAX */
	HL7_BAD_BYTE,           /* a NUL or another control byte inside a segment */
	HL7__STATUS_MAX
};

struct hl7_delims {
	char field, component, repetition, escape, subcomponent;
};

struct hl7_segment {
	const char *text;       /* the segment's bytes, from its id; not NUL-ended */
	size_t len;
	char id[4];             /* "OBX" */
};

struct hl7_message {
	struct hl7_delims d;
	size_t number;          /* 1 for the file's first message */
	size_t line;            /* the line of the file its MSH is on (1-based) */
	size_t nsegments;
	struct hl7_segment seg[HL7_SEGMENTS_MAX];
	/* HL7_BAD_*: the segment (1-based within the message; 0: the MSH
	 * line) and the line of the file where it went wrong */
	size_t bad_segment, bad_line;
};

/* Where the reading is in the file. */
struct hl7_reader {
	const char *buf;
	size_t len, pos, line;
	size_t messages;        /* MSH segments seen so far */
	size_t batch_count;     /* BTS-1 when a BTS said how many; else 0 */
	int batch_count_seen;
};

/* Start reading buf (len bytes; need not be NUL-ended). */
void hl7_reader_init(struct hl7_reader *r, const char *buf, size_t len);

/* The next message into *m. HL7_OK; HL7_END when none is left (the
 * batch segments FHS, BHS, BTS, FTS are read and skipped, BTS-1 noted);
 * otherwise the message is malformed (m->number, m->bad_segment and
 * m->bad_line say where) and the reader has skipped to the next MSH, so
 * that the following messages can still be read. */
enum hl7_status hl7_read(struct hl7_reader *r, struct hl7_message *m);

/* One value of segment s (0-based index into m->seg), decoded into out
 * (outlen bytes, NUL-ended): field (1-based, HL7 numbering: MSH-1 is the
 * field separator, MSH-2 the encoding characters, given as they are),
 * repetition (1-based), component and subcomponent (1-based). Escape
 * sequences are resolved; "" (HL7's explicit null) reads as empty. The
 * length written (0 for an absent or empty value), or -1 when it does
 * not fit, an escape sequence is not closed, or \Xhh\ is not hex or
 * makes a NUL or control byte. */
long hl7_get(const struct hl7_message *m, size_t s, unsigned field, unsigned rep, unsigned comp,
             unsigned sub, char *out, size_t outlen);

/* The number of fields of segment s (HL7 numbering: the last field's
 * number; MSH counts MSH-1), of repetitions of one field (0 when the
 * field is empty or absent). */
unsigned hl7_fields(const struct hl7_message *m, size_t s);
unsigned hl7_repetitions(const struct hl7_message *m, size_t s, unsigned field);

/* The index of the first segment with this id at or after from, or
 * m->nsegments when there is none. */
size_t hl7_find(const struct hl7_message *m, const char *id, size_t from);

/* What a status means, in words ("a segment before the message's MSH"). */
const char *hl7_status_text(enum hl7_status st);

/* An HL7 date/time (DTM: YYYY[MM[DD[HH[MM[SS[.S+]]]]]][+/-ZZZZ]) as ISO
 * 8601 text PostgreSQL reads ("2024-03-05 14:30:00+0100"; without an
 * offset, none is written: the caller's time zone applies), into out (32
 * bytes at least). 0, or -1 when s is not such a time (a month 13, a
 * 25th hour...). Only the year, month and day are required. */
int hl7_time_iso(const char *s, char *out, size_t outlen);

#endif
