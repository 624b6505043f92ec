/* record: what the record pages share (fcgi/pages/record/): the kinds of
 * entries of a patient's lists, described once as data so that one list
 * page, one entry page and one save path serve them all. */
#ifndef MEDSYS_PAGES_RECORD_H
#define MEDSYS_PAGES_RECORD_H

#include <stddef.h>

struct db_result;
struct req;

enum rec_ftype {
	RF_TEXT = 0,    /* one line of text */
	RF_DATE,        /* YYYY-MM-DD */
	RF_CHOICE,      /* one of choices[] (the first is the default) */
	RF_CODE,        /* an ICD-10 code of the catalog (the picker) */
	RF_NUMBER,      /* a whole number in lo..hi */
	RF__MAX
};

struct rec_field {
	const char *name;
	enum rec_ftype type;
	int required;
	size_t max;                   /* characters (RF_TEXT) */
	const char *const *choices;   /* RF_CHOICE, NULL-terminated */
	int lo, hi;                   /* RF_NUMBER */
};

#define REC_FIELDS_MAX 8

/* One kind of entry: its URL segment, the ehr.items kind, the list whose
 * version every change moves (NULL: none), its form's fields, and its
 * statements in sql/queries/record.sql. */
struct rec_kind {
	const char *slug;             /* "problems": /record/problems */
	const char *item;             /* "problem": ehr.items.kind */
	const char *list;             /* "problems" in ehr.list_versions, or NULL */
	const struct rec_field *fields;
	size_t nf;
	const char *date_from, *date_to;   /* fields that must be in order, or NULL */
	const char *q_rows, *q_insert;       /* sql/queries/record.sql */
};

/* Columns record_<kind>_rows returns first (sql/queries/record.sql). */
enum rec_col {
	RC_ITEM = 0, RC_VERSION, RC_AT, RC_BY, RC_REASON, RC_TITLE, RC_FIELDS
};

/* kinds.c */
/* The kind whose slug is s, or NULL. */
const struct rec_kind *rec_kind_find(const char *s);
/* The field of kind k called name, its index in *i; NULL when none. */
const struct rec_field *rec_field_find(const struct rec_kind *k, const char *name, size_t *i);
/* What an entry says, in the page's language: its title, then "label:
 * value" for each other field that says something; status is the raw
 * status value ("" when the kind has none). Arena strings. */
struct rec_words {
	const char *title, *status;
	const char *label[REC_FIELDS_MAX], *value[REC_FIELDS_MAX];
};
/* Fill w for row i of res (a record_<kind>_rows result); the number of
 * label/value pairs. */
size_t rec_entry_words(struct req *r, const struct rec_kind *k, const struct db_result *res, size_t i,
                       struct rec_words *w);
/* Data.<prefix>.N for the entries of res (title, details, status, who,
 * when, why), choice values in the page's language. */
void rec_rows_fill(struct req *r, const struct rec_kind *k, const struct db_result *res,
                   const char *prefix);
/* Data.f.N: the form of kind k with the values vals[] (one per field). */
void rec_form_fill(struct req *r, const struct rec_kind *k, const char *const *vals);
/* Check the posted form of kind k: rules, numbers, dates in order, codes
 * in the catalog; also the reason when correcting. Copies the checked
 * values into vals[]. The number of fields in error (each marked). */
int rec_form_check(struct req *r, const struct rec_kind *k, int correcting, const char **vals);

/* The title of an icd10_get row in the page's language (English when the
 * catalog has no Spanish one). */
const char *rec_code_title(const struct req *r, const struct db_result *res);

/* record.c */
/* 1 when the signed-in user works on the record as staff (a doctor). */
int rec_is_staff(const struct req *r);
/* "/record" or "/patients/ID": where this record's pages live. */
const char *rec_base(struct req *r);
/* The route's kind (its capture after the patient's id), or NULL. */
const struct rec_kind *rec_route_kind(const struct req *r);
/* The item id capture of an entry route, or NULL. */
const char *rec_route_item(const struct req *r);

/* summary.c */
int rec_summary(struct req *r);
int rec_summary_pdf(struct req *r);
/* Data.lists.<list>.{version,assertion,at,by} from record_lists rows. */
void rec_lists_fill(struct req *r, const struct db_result *res);

/* entries.c */
int rec_list(struct req *r);
int rec_new(struct req *r);
int rec_create(struct req *r);
int rec_entry(struct req *r);
int rec_correct(struct req *r);
int rec_none_known(struct req *r);

#endif
