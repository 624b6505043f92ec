/* validate: declared per-form field rules, checked centrally. A failed
 * form is shown again with what the user typed (Form.<name>) and a message
 * per field (Form.errors.<name>, a language string key under "validate."
 * or the form's own), so nothing typed is lost. Passwords are never echoed. */
#ifndef MEDSYS_VALIDATE_H
#define MEDSYS_VALIDATE_H

#include <stddef.h>

struct req;

enum field_kind {
	FIELD_TEXT,        /* one line of text: no control characters */
	FIELD_MULTILINE,   /* text that may hold newlines */
	FIELD_EMAIL,       /* a plausible address; lowercased on success */
	FIELD_DATE,        /* YYYY-MM-DD, a real date (lib/datetime.h) */
	FIELD_TIME,        /* HH:MM, 00:00..23:59 (lib/datetime.h) */
	FIELD_PASSWORD,    /* any text; never echoed back */
	FIELD_CHOICE,      /* one of choices[] */
	FIELD_DIGITS,      /* digits only (codes); spaces removed */
	FIELD_PHONE,       /* digits, spaces, + - ( ) */
	FIELD_ID,          /* a positive 64-bit integer */
	FIELD__MAX
};

struct field_rule {
	const char *name;
	enum field_kind kind;
	int required;
	size_t min, max;               /* characters (max 0: 200) */
	const char *const *choices;    /* FIELD_CHOICE: NULL-terminated */
};

/* Check every rule against r->form. Each value (trimmed, and for e-mails
 * lowercased) is stored in the request's dataset as Form.<name> (not for
 * passwords) and can be read back with form_value(). Each problem sets
 * Form.errors.<name> to the text of validate.<problem> and
 * Form.has_errors. Returns the number of fields in error. */
int form_validate(struct req *r, const struct field_rule *rules, size_t n);

/* The checked value of a field (after form_validate), or NULL. */
const char *form_value(const struct req *r, const char *name);

/* Mark a field as wrong with the language string key (e.g.
 * "account.email_taken"), e.g. after a database check; counts as an error. */
void form_error(struct req *r, const char *field, const char *lang_key);

/* Number of characters of UTF-8 text s (bytes that do not continue a
 * sequence); s is valid UTF-8, as every decoded field is. */
size_t utf8_char_count(const char *s);

/* 1 when s is a positive decimal id: 1 to 18 digits, no leading zero (so
 * it fits a PostgreSQL bigint); 0 otherwise, and for NULL. */
int is_positive_id(const char *s);

/* 1 when s is exactly len lowercase hex digits (the shape of an e-mailed
 * link token: 64 for 256 bits); 0 otherwise, and for NULL. */
int is_hex_token(const char *s, size_t len);

/* An optional id parameter of the query string (e.g. the keyset "before").
 * 0 with *out NULL when absent or empty; 0 with *out the value when it is
 * a positive id (is_positive_id); -1 (the caller answers 400) otherwise. */
int query_optional_id(const struct req *r, const char *name, const char **out);

#endif
