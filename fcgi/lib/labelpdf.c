/* labelpdf: a lab order's specimen label, one small page: the QR code of
 * the order code on the left (alphanumeric mode, level M: version 1, 21
 * modules, 18 mm wide), the patient, birth date, date and priority on
 * the right, the code as text across the foot. */
#include "labelpdf.h"

#include <hpdf.h>
#include <qrencode.h>
#include <stdlib.h>
#include <string.h>

#include "winansi.h"

#define MM 2.8346457f          /* points per millimetre */
#define QUIET_MM 3.5f          /* the margin around the QR: its quiet zone (4 modules) and the label's edge */
#define QR_MM 18.0f            /* the QR's side, modules only */
#define TEXT_W 256

static void
on_error(HPDF_STATUS error, HPDF_STATUS detail, void *user)
{
	(void)error;
	(void)detail;
	*(int *)user = 1;
}

/* Text at (x, y) points, cut to the room left on the label. */
static void
text(HPDF_Page p, HPDF_Font font, float size, float x, float y, const char *utf8)
{
	char buf[TEXT_W];
	HPDF_REAL room = LABELPDF_W_MM * MM - x - QUIET_MM * MM;
	HPDF_UINT n;

	winansi_from_utf8(utf8, buf, sizeof(buf));
	HPDF_Page_SetFontAndSize(p, font, size);
	n = HPDF_Page_MeasureText(p, buf, room, HPDF_FALSE, NULL);
	buf[n < sizeof(buf) ? n : sizeof(buf) - 1] = '\0';
	HPDF_Page_BeginText(p);
	HPDF_Page_TextOut(p, x, y, buf);
	HPDF_Page_EndText(p);
}

/* The QR of code, each dark module a filled square, its lower left
 * corner at (x, y) points. -1 when libqrencode fails. */
static int
draw_qr(HPDF_Page p, const char *code, float x, float y)
{
	QRcode *qr = QRcode_encodeString(code, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	float m;

	if (qr == NULL)
		return -1;
	m = QR_MM * MM / (float)qr->width;
	HPDF_Page_SetGrayFill(p, 0);
	for (int row = 0; row < qr->width; row++)
		for (int col = 0; col < qr->width; col++)
			if (qr->data[row * qr->width + col] & 1)
				HPDF_Page_Rectangle(p, x + (float)col * m, y + (float)(qr->width - 1 - row) * m, m, m);
	HPDF_Page_Fill(p);
	QRcode_free(qr);
	return 0;
}

static int
save(HPDF_Doc pdf, const int *failed, unsigned char **out, size_t *outlen)
{
	HPDF_UINT32 size;
	unsigned char *buf;

	if (*failed || HPDF_SaveToStream(pdf) != HPDF_OK)
		return -1;
	size = HPDF_GetStreamSize(pdf);
	if (size == 0 || (buf = malloc(size)) == NULL)
		return -1;
	if (HPDF_ReadFromStream(pdf, buf, &size) != HPDF_OK || *failed) {
		free(buf);
		return -1;
	}
	*out = buf;
	*outlen = size;
	return 0;
}

int
labelpdf_render(const struct labelpdf *l, unsigned char **out, size_t *outlen)
{
	const float h = LABELPDF_H_MM * MM, left = (2 * QUIET_MM + QR_MM) * MM;
	int failed = 0, rc = -1;
	HPDF_Doc pdf;
	HPDF_Page p;
	HPDF_Font regular, bold;

	*out = NULL;
	*outlen = 0;
	if (!l->code || strlen(l->code) != 10 || !l->code_printed || !l->patient_name || !*l->patient_name)
		return -1;
	if ((pdf = HPDF_New(on_error, &failed)) == NULL)
		return -1;
	HPDF_SetCompressionMode(pdf, HPDF_COMP_ALL);
	HPDF_SetInfoAttr(pdf, HPDF_INFO_CREATOR, "MedSysPro");
	regular = HPDF_GetFont(pdf, "Helvetica", "WinAnsiEncoding");
	bold = HPDF_GetFont(pdf, "Helvetica-Bold", "WinAnsiEncoding");
	if ((p = HPDF_AddPage(pdf)) == NULL)
		goto out;
	HPDF_Page_SetWidth(p, LABELPDF_W_MM * MM);
	HPDF_Page_SetHeight(p, h);
	if (draw_qr(p, l->code, QUIET_MM * MM, h - (QUIET_MM + QR_MM) * MM) != 0)
		goto out;
	text(p, bold, 9.0f, left, h - QUIET_MM * MM - 9.0f, l->patient_name);
	text(p, regular, 7.5f, left, h - QUIET_MM * MM - 20.0f, l->birth ? l->birth : "");
	text(p, regular, 7.5f, left, h - QUIET_MM * MM - 30.0f, l->ordered ? l->ordered : "");
	if (l->priority && *l->priority)
		text(p, bold, 10.0f, left, h - QUIET_MM * MM - 44.0f, l->priority);
	/* the code to type when the QR cannot be scanned, across the foot */
	text(p, bold, 12.0f, QUIET_MM * MM, QUIET_MM * MM, l->code_printed);
	rc = save(pdf, &failed, out, outlen);
out:
	HPDF_Free(pdf);
	return rc;
}
