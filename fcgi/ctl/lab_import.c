/* lab_import: HL7 ORU^R01 results into lab.results, a message at a time. */
#include "ctl/lab_import.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/db.h"
#include "core/fields.h"
#include "lib/hl7.h"
#include "lib/labcat.h"

#define CMD "medsysctl lab-import"
/* The largest file read (a day's batch from a busy laboratory is a few MB). */
#define FILE_MAX (64L * 1024 * 1024)
/* Bytes of one decoded value (results' value_text holds 500 characters). */
#define VALUE_MAX 2048

/* One message being imported: where it is, and why it was refused. */
struct msg {
	const struct config *cfg;
	const struct hl7_message *m;
	char control_id[64];
	char why[900];
	/* the current order (from ORC-2 / OBR-2) */
	char order_id[24], patient_id[24], order_code[16];
	int collected;
	char obr_time[40];
	int obr_time_offset;
	size_t results;
};

/* Refuse the message: "OBX-3 (segment 5): ..." into m->why; returns -1. */
static int refuse(struct msg *g, size_t seg, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int
refuse(struct msg *g, size_t seg, const char *field, const char *fmt, ...)
{
	char text[700];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	snprintf(g->why, sizeof(g->why), "%s-%s (segment %zu): %s", g->m->seg[seg].id, field, seg + 1, text);
	return -1;
}

/* A value of the message, or a refusal when it cannot be decoded. */
static int
value(struct msg *g, size_t seg, unsigned f, unsigned comp, char *out, size_t outlen)
{
	char field[12];

	if (hl7_get(g->m, seg, f, 1, comp, 1, out, outlen) >= 0 && utf8_valid_text(out, strlen(out)))
		return 0;
	snprintf(field, sizeof(field), "%u", f);
	return refuse(g, seg, field, "cannot be read: an escape sequence is not closed or not HL7's, "
	              "the value is longer than %zu bytes, or it is not UTF-8 text", outlen - 1);
}

/* MSH: an ORU^R01 of version 2.x. */
static int
check_header(struct msg *g)
{
	char type[32], event[32], version[32];

	if (value(g, 0, 9, 1, type, sizeof(type)) || value(g, 0, 9, 2, event, sizeof(event)) ||
	    value(g, 0, 12, 1, version, sizeof(version)) ||
	    value(g, 0, 10, 1, g->control_id, sizeof(g->control_id)))
		return -1;
	if (strcmp(type, "ORU") != 0 || strcmp(event, "R01") != 0)
		return refuse(g, 0, "9", "the message is %s^%s, not ORU^R01 (observation results)", type, event);
	if (strncmp(version, "2.", 2) != 0)
		return refuse(g, 0, "12", "version %s is not HL7 v2 (2.5 expected)", version);
	return 0;
}

/* An HL7 time as ISO text for PostgreSQL; *offset when it has one. */
static int
time_field(struct msg *g, size_t seg, unsigned f, char *iso, size_t len, int *offset)
{
	char raw[64], field[12];

	iso[0] = '\0';
	if (value(g, seg, f, 1, raw, sizeof(raw)))
		return -1;
	if (raw[0] == '\0')
		return 0;
	snprintf(field, sizeof(field), "%u", f);
	if (hl7_time_iso(raw, iso, len) == -1)
		return refuse(g, seg, field, "%s is not an HL7 date and time (YYYYMMDDHHMM[SS][+ZZZZ])", raw);
	*offset = strpbrk(raw, "+-") != NULL;
	return 0;
}

/* ORC-2 or OBR-2 (placer order number, first component): the order. */
static int
take_order(struct msg *g, size_t seg)
{
	char raw[64], code[16], pretty[16];
	size_t n = 0;
	struct db_result *res;
	const char *p[1];

	if (value(g, seg, 2, 1, raw, sizeof(raw)))
		return -1;
	if (raw[0] == '\0')
		return 0;   /* ORC-2 may be left to OBR-2 */
	for (const char *c = raw; *c && n < sizeof(code) - 1; c++)
		if (*c != '-' && *c != ' ')
			code[n++] = (char)(*c >= 'a' && *c <= 'z' ? *c - 'a' + 'A' : *c);
	code[n] = '\0';
	if (n != 10 || strspn(code, "0123456789ABCDEFGHJKMNPQRSTVWXYZ") != 10)
		return refuse(g, seg, "2", "%s is not an order code of this clinic (XXXXX-XXXXX)", raw);
	if (strcmp(code, g->order_code) == 0)
		return 0;
	p[0] = code;
	if (db_query(&res, "lab_import_order", 1, p) != DB_OK)
		return refuse(g, seg, "2", "the database is unavailable");
	snprintf(pretty, sizeof(pretty), "%.5s-%.5s", code, code + 5);
	if (db_rows(res) != 1) {
		db_result_free(res);
		return refuse(g, seg, "2", "no order has the code %s", pretty);
	}
	snprintf(g->order_id, sizeof(g->order_id), "%s", db_value(res, 0, 0));
	snprintf(g->patient_id, sizeof(g->patient_id), "%s", db_value(res, 0, 1));
	g->collected = strcmp(db_value(res, 0, 2), "t") == 0;
	snprintf(g->order_code, sizeof(g->order_code), "%s", code);
	db_result_free(res);
	return 0;
}

/* The collection time on an order that has none: before its first
 * result, whose ranges are chosen by the patient's age at that time. */
static int
collect(struct msg *g, size_t seg, const char *iso, int offset)
{
	const char *p[3] = { g->order_id, iso, offset ? "offset" : "local" };

	if (g->collected || iso[0] == '\0')
		return 0;
	if (db_run("lab_import_collect", 3, p) != DB_OK)
		return refuse(g, seg, "14", "the collection time %s could not be recorded", iso);
	g->collected = 1;
	return 0;
}

/* An HL7 NM: [+-]digits[.digits] (or .digits). */
static int
is_hl7_number(const char *s)
{
	size_t i = *s == '+' || *s == '-', d = strspn(s + i, "0123456789"), f = 0;

	i += d;
	if (s[i] == '.')
		f = strspn(s + i + 1, "0123456789"), i += 1 + f;
	return (d + f) > 0 && s[i] == '\0' && i <= 30;
}

/* The answer of a coded analyte as the catalog spells it, matched
 * without regard to case; 0, or -1 when it is none of them. */
static int
coded_answer(const char *choices, const char *given, char *out, size_t outlen)
{
	char c[64];

	for (size_t i = 0; labcat_list_item(choices, i, c, sizeof(c)); i++) {
		if (strcasecmp(c, given) == 0) {
			snprintf(out, outlen, "%s", c);
			return 0;
		}
	}
	return -1;
}

/* OBX-5 of a numeric analyte, with OBX-6's unit: into its unit. */
static int
numeric_value(struct msg *g, size_t seg, const char *analyte, const char *unit_canon, char *num, size_t len)
{
	char raw[VALUE_MAX], unit[64];
	struct db_result *res;
	const char *p[3];
	int ok;

	if (value(g, seg, 5, 1, raw, sizeof(raw)) || value(g, seg, 6, 1, unit, sizeof(unit)))
		return -1;
	if (!is_hl7_number(raw))
		return refuse(g, seg, "5", "\"%s\" is not a number (OBX-2 is NM)", raw);
	if (unit[0] == '\0' && unit_canon[0] != '\0')
		return refuse(g, seg, "6", "no unit: %s is measured in %s", analyte, unit_canon);
	p[0] = analyte, p[1] = unit, p[2] = raw;
	if (db_query(&res, "lab_import_value", 3, p) != DB_OK)
		return refuse(g, seg, "5", "the database is unavailable");
	if (db_rows(res) != 1 || db_is_null(res, 0, 0)) {
		db_result_free(res);
		return refuse(g, seg, "6", "%s cannot be converted to %s (no conversion in the catalog)",
		              unit, unit_canon[0] ? unit_canon : "a value without unit");
	}
	ok = strcmp(db_value(res, 0, 1), "t") == 0;
	snprintf(num, len, "%s", db_value(res, 0, 0));
	if (!ok) {
		char range[80];
		snprintf(range, sizeof(range), "%s to %s", db_value(res, 0, 2), db_value(res, 0, 3));
		db_result_free(res);
		return refuse(g, seg, "5", "%s is not a plausible value (%s)", num, range);
	}
	db_result_free(res);
	return 0;
}

/* OBX-5 of a coded or text analyte. */
static int
text_value(struct msg *g, size_t seg, const char *kind, const char *choices, char *text, size_t len)
{
	char raw[VALUE_MAX], alt[VALUE_MAX];

	if (value(g, seg, 5, 1, raw, sizeof(raw)))
		return -1;
	if (strcmp(kind, "coded") == 0) {
		/* CWE: the identifier, or the text when the identifier is a local code */
		if (value(g, seg, 5, 2, alt, sizeof(alt)))
			return -1;
		if (coded_answer(choices, raw, text, len) == 0 || coded_answer(choices, alt, text, len) == 0)
			return 0;
		return refuse(g, seg, "5", "\"%s\" is none of the answers %s", raw, choices);
	}
	/* ST/TX/FT: the value as read (a ^ inside text is sent escaped, \S\) */
	if (raw[0] == '\0' || strlen(raw) > 500)
		return refuse(g, seg, "5", "the text is empty or longer than 500 bytes");
	snprintf(text, len, "%s", raw);
	return 0;
}

/* The value type OBX-2 fits the analyte's kind. */
static int
check_type(struct msg *g, size_t seg, const char *analyte, const char *kind)
{
	char type[16];
	int ok;

	if (value(g, seg, 2, 1, type, sizeof(type)))
		return -1;
	if (strcmp(kind, "numeric") == 0)
		ok = strcmp(type, "NM") == 0;
	else if (strcmp(kind, "coded") == 0)
		ok = strcmp(type, "CWE") == 0 || strcmp(type, "CE") == 0 || strcmp(type, "ST") == 0;
	else
		ok = strcmp(type, "ST") == 0 || strcmp(type, "TX") == 0 || strcmp(type, "FT") == 0;
	if (!ok)
		return refuse(g, seg, "2", "value type %s does not fit %s", type[0] ? type : "(none)",
		              strcmp(kind, "numeric") == 0 ? "a numeric analyte (NM)"
		              : strcmp(kind, "coded") == 0 ? "a coded analyte (CWE)" : "a text analyte (ST)");
	return 0;
}

/* OBX-3: the LOINC code (first triplet with system LN, or the second). */
static int
loinc_of(struct msg *g, size_t seg, char *code, size_t len)
{
	char sys[16], alt[32], altsys[16];

	if (value(g, seg, 3, 1, code, len) || value(g, seg, 3, 3, sys, sizeof(sys)) ||
	    value(g, seg, 3, 4, alt, sizeof(alt)) || value(g, seg, 3, 6, altsys, sizeof(altsys)))
		return -1;
	if (sys[0] && strcmp(sys, "LN") != 0) {
		if (strcmp(altsys, "LN") != 0)
			return refuse(g, seg, "3", "%s is coded in %s, not LOINC (LN)", code, sys);
		snprintf(code, len, "%s", alt);
	}
	if (!labcat_is_loinc(code))
		return refuse(g, seg, "3", "%s is not a LOINC code", code[0] ? code : "(empty)");
	return 0;
}

/* The version this OBX makes: F/P (or none) a first result, C the next
 * one of a result that exists. */
static int
next_version(struct msg *g, size_t seg, const char *analyte, long last, long *version, int *correction)
{
	char status[8];

	if (value(g, seg, 11, 1, status, sizeof(status)))
		return -1;
	*correction = strcmp(status, "C") == 0;
	if (!*correction && status[0] && strcmp(status, "F") != 0 && strcmp(status, "P") != 0)
		return refuse(g, seg, "11", "result status %s is not imported (F, P or C)", status);
	if (*correction && last == 0)
		return refuse(g, seg, "11", "a correction (C) of %s, which has no result to correct", analyte);
	if (!*correction && last > 0)
		return refuse(g, seg, "11", "%s has a result already: a new value is a correction (OBX-11 C)",
		              analyte);
	*version = last + 1;
	return 0;
}

/* Store one result (and release it when configured). */
static int
store(struct msg *g, size_t seg, const char *analyte, long version, int correction, const char *num,
      const char *text)
{
	char ver[24];
	const char *p[8];
	struct db_result *res;

	snprintf(ver, sizeof(ver), "%ld", version);
	p[0] = g->order_id, p[1] = analyte, p[2] = ver, p[3] = num, p[4] = text;
	p[5] = correction ? "Corrected by the laboratory system (HL7 OBX-11 C)" : "";
	p[6] = g->patient_id, p[7] = g->control_id;
	if (db_query(&res, "lab_import_result", 8, p) != DB_OK || db_rows(res) != 1)
		return refuse(g, seg, "5", "the database refused the result of %s (see the log line above)",
		              analyte);
	p[0] = db_value(res, 0, 0), p[1] = g->patient_id;
	if (g->cfg->lab_import_release && db_run("lab_import_release", 2, p) != DB_OK) {
		db_result_free(res);
		return refuse(g, seg, "5", "the result of %s could not be released", analyte);
	}
	db_result_free(res);
	g->results++;
	return 0;
}

/* One OBX of the current order. */
static int
import_obx(struct msg *g, size_t seg)
{
	char analyte[32], num[64] = "", text[VALUE_MAX] = "", iso[40];
	char kind[16], unit[48], choices[1024];
	const char *p[2] = { g->order_id, analyte };
	struct db_result *res;
	long last, version = 0;
	int ordered, correction = 0, offset = g->obr_time_offset;

	if (g->order_id[0] == '\0')
		return refuse(g, seg, "3", "no ORC-2 or OBR-2 before it names the order");
	if (loinc_of(g, seg, analyte, sizeof(analyte)))
		return -1;
	if (db_query(&res, "lab_import_analyte", 2, p) != DB_OK)
		return refuse(g, seg, "3", "the database is unavailable");
	if (db_rows(res) != 1) {
		db_result_free(res);
		return refuse(g, seg, "3", "unknown LOINC %s", analyte);
	}
	snprintf(kind, sizeof(kind), "%s", db_value(res, 0, 0));
	snprintf(unit, sizeof(unit), "%s", db_value(res, 0, 1));
	snprintf(choices, sizeof(choices), "%s", db_value(res, 0, 2));
	ordered = strcmp(db_value(res, 0, 3), "t") == 0;
	last = atol(db_value(res, 0, 4));
	db_result_free(res);
	if (!ordered)
		return refuse(g, seg, "3", "%s was not ordered on order %s", analyte, g->order_code);
	if (check_type(g, seg, analyte, kind) || next_version(g, seg, analyte, last, &version, &correction) ||
	    time_field(g, seg, 14, iso, sizeof(iso), &offset))
		return -1;
	if (collect(g, seg, iso[0] ? iso : g->obr_time, offset))
		return -1;
	if (strcmp(kind, "numeric") == 0 ? numeric_value(g, seg, analyte, unit, num, sizeof(num))
	                                 : text_value(g, seg, kind, choices, text, sizeof(text)))
		return -1;
	return store(g, seg, analyte, version, correction, num, text);
}

/* Every segment of the message, in order; -1 at the first refusal. */
static int
import_segments(struct msg *g)
{
	const struct hl7_message *m = g->m;

	if (check_header(g))
		return -1;
	for (size_t s = 1; s < m->nsegments; s++) {
		const char *id = m->seg[s].id;
		if (strcmp(id, "ORC") == 0 && take_order(g, s))
			return -1;
		if (strcmp(id, "OBR") == 0 &&
		    (take_order(g, s) || time_field(g, s, 7, g->obr_time, sizeof(g->obr_time), &g->obr_time_offset)))
			return -1;
		if (strcmp(id, "OBX") == 0 && import_obx(g, s))
			return -1;
	}
	if (g->results == 0)
		return refuse(g, 0, "9", "the message holds no result (OBX) of an order");
	return 0;
}

/* One message in its own transaction: 0 imported, -1 refused (said on err). */
static int
import_message(const struct config *cfg, const char *path, const struct hl7_message *m, size_t *results,
               FILE *err)
{
	struct msg *g = calloc(1, sizeof(*g));
	int rc = -1;

	if (g == NULL || db_begin() != DB_OK) {
		fprintf(err, CMD ": %s: message %zu: the database is unavailable; not imported\n", path, m->number);
		free(g);
		return -1;
	}
	g->cfg = cfg;
	g->m = m;
	if (import_segments(g) == 0 && db_commit() == DB_OK) {
		*results += g->results;
		rc = 0;
	} else {
		db_rollback();
		fprintf(err, CMD ": %s: message %zu%s%s%s: %s; nothing of this message was imported\n", path,
		        m->number, g->control_id[0] ? " (" : "", g->control_id, g->control_id[0] ? ")" : "",
		        g->why[0] ? g->why : "the transaction could not be committed");
	}
	free(g);
	return rc;
}

/* The whole file in memory (NUL-ended), or NULL (said on err). */
static char *
read_file(const char *path, size_t *len, FILE *err)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long size;

	if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 || size > FILE_MAX ||
	    fseek(f, 0, SEEK_SET) != 0 || (buf = malloc((size_t)size + 1)) == NULL ||
	    fread(buf, 1, (size_t)size, f) != (size_t)size) {
		fprintf(err, CMD ": cannot read %s%s\n", path, f && buf == NULL ? " (larger than 64 MB?)" : "");
		free(buf);
		if (f)
			fclose(f);
		return NULL;
	}
	fclose(f);
	buf[size] = '\0';
	*len = (size_t)size;
	return buf;
}

int
lab_import_run(const struct config *cfg, const char *path, FILE *out, FILE *err)
{
	struct hl7_message *m = malloc(sizeof(*m));
	struct hl7_reader r;
	enum hl7_status st;
	size_t len = 0, imported = 0, refused = 0, results = 0;
	char *buf = read_file(path, &len, err);
	int rc = 1;

	if (buf == NULL || m == NULL)
		goto out;
	hl7_reader_init(&r, buf, len);
	while ((st = hl7_read(&r, m)) != HL7_END) {
		if (st != HL7_OK) {
			fprintf(err, CMD ": %s: message %zu: segment %zu (line %zu): %s; nothing of this message "
			        "was imported\n", path, m->number, m->bad_segment, m->bad_line, hl7_status_text(st));
			refused++;
		} else if (import_message(cfg, path, m, &results, err) == 0) {
			imported++;
		} else {
			refused++;
		}
	}
	if (r.batch_count_seen && r.batch_count != r.messages)
		fprintf(err, CMD ": %s: the batch trailer (BTS-1) counts %zu messages, the file holds %zu\n",
		        path, r.batch_count, r.messages);
	fprintf(out, "%s: %zu messages: %zu imported (%zu results%s), %zu refused\n", path, r.messages,
	        imported, results, cfg->lab_import_release ? ", released" : ", waiting for release", refused);
	rc = refused || r.messages == 0 || (r.batch_count_seen && r.batch_count != r.messages) ? 1 : 0;
out:
	free(buf);
	free(m);
	return rc;
}
