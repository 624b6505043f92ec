/* docmeta: document types by magic number and download file names. */
#include "docmeta.h"

#include <stdio.h>
#include <string.h>

#define ASCII_NAME_MAX 60

static const struct {
	const char *media_type;
	const char *ext;
} types[DOC__MAX] = {
	[DOC_UNKNOWN] = { NULL, "" },
	[DOC_PDF] = { "application/pdf", ".pdf" },
	[DOC_JPEG] = { "image/jpeg", ".jpg" },
	[DOC_PNG] = { "image/png", ".png" },
};

enum doc_type
docmeta_sniff(const unsigned char *p, size_t n)
{
	static const unsigned char png[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };

	if (p == NULL)
		return DOC_UNKNOWN;
	if (n >= 5 && memcmp(p, "%PDF-", 5) == 0)
		return DOC_PDF;
	if (n >= 3 && p[0] == 0xff && p[1] == 0xd8 && p[2] == 0xff)
		return DOC_JPEG;
	if (n >= sizeof(png) && memcmp(p, png, sizeof(png)) == 0)
		return DOC_PNG;
	return DOC_UNKNOWN;
}

const char *
docmeta_media_type(enum doc_type t)
{
	return t > DOC_UNKNOWN && t < DOC__MAX ? types[t].media_type : NULL;
}

enum doc_type
docmeta_from_media_type(const char *media_type)
{
	for (int t = DOC_UNKNOWN + 1; media_type && t < DOC__MAX; t++)
		if (strcmp(types[t].media_type, media_type) == 0)
			return (enum doc_type)t;
	return DOC_UNKNOWN;
}

const char *
docmeta_extension(enum doc_type t)
{
	return t > DOC_UNKNOWN && t < DOC__MAX ? types[t].ext : "";
}

static int
is_name_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '_' || c == '.';
}

/* RFC 8187 attr-char: sent as is in filename*; everything else %XX. */
static int
is_attr_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       (c != '\0' && strchr("!#$&+-.^_`|~", c) != NULL);
}

/* The ASCII stand-in: one '_' per run of other characters (a UTF-8
 * sequence is one run), no '_' or '.' at either end, so the name never
 * starts with a dot. */
static void
ascii_name(const char *title, char out[ASCII_NAME_MAX + 1])
{
	size_t o = 0;
	int gap = 0;

	for (const unsigned char *s = (const unsigned char *)title; *s; s++) {
		if (!is_name_char(*s) || ((*s == '.' || *s == '_') && o == 0)) {
			gap = o > 0;
			continue;
		}
		if (gap && o < ASCII_NAME_MAX)
			out[o++] = '_';
		gap = 0;
		if (o < ASCII_NAME_MAX)
			out[o++] = (char)*s;
	}
	while (o > 0 && (out[o - 1] == '_' || out[o - 1] == '.'))
		o--;
	out[o] = '\0';
	if (o == 0)
		strcpy(out, "document");
}

int
docmeta_disposition(const char *title, enum doc_type t, char *out, size_t len)
{
	static const char hexd[] = "0123456789ABCDEF";
	char name[ASCII_NAME_MAX + 1];
	const char *ext = docmeta_extension(t);
	size_t o;

	title = title ? title : "";
	ascii_name(title, name);
	o = (size_t)snprintf(out, len, "attachment; filename=\"%s%s\"", name, ext);
	if (o >= len)
		return -1;
	/* The title itself when the ASCII name had to change it. */
	if (strcmp(name, title) == 0)
		return 0;
	if (o + 25 >= len)
		return -1;
	o += (size_t)snprintf(out + o, len - o, "; filename*=UTF-8''");
	for (const unsigned char *s = (const unsigned char *)title; *s; s++) {
		if (o + 4 >= len)
			return -1;
		if (is_attr_char(*s)) {
			out[o++] = (char)*s;
		} else {
			out[o++] = '%';
			out[o++] = hexd[*s >> 4];
			out[o++] = hexd[*s & 15];
		}
	}
	if (o + strlen(ext) + 1 > len)
		return -1;
	strcpy(out + o, ext);
	return 0;
}
