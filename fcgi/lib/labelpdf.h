/* labelpdf: the specimen label of a lab order (docs/lab.md "Label"): a
 * small page (62 x 40 mm, a common label-printer size) with the order
 * code as a QR code and as text, the patient's name and birth date, the
 * priority and the order's date; libharu, base-14 Helvetica in WinAnsi. */
#ifndef MEDSYS_LABELPDF_H
#define MEDSYS_LABELPDF_H

#include <stddef.h>

#define LABELPDF_W_MM 62.0f
#define LABELPDF_H_MM 40.0f

struct labelpdf {
	const char *code;          /* the order code, 10 characters: the QR's content */
	const char *code_printed;  /* the same as XXXXX-XXXXX, under the QR */
	const char *patient_name;  /* UTF-8 */
	const char *birth;         /* "Born: 1980-05-01" or "" (UTF-8, caller's words) */
	const char *priority;      /* "URGENT" or "" (caller's words) */
	const char *ordered;       /* "2026-12-07 10:30" or "" */
};

/* Draw the label; *out is a malloc'd PDF of *outlen bytes the caller
 * frees. 0, or -1 when a field is missing, libqrencode or libharu failed,
 * or memory ran out. */
int labelpdf_render(const struct labelpdf *l, unsigned char **out, size_t *outlen);

#endif
