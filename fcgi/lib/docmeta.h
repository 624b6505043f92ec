/* docmeta: what a record document is, told from its bytes (never from the
 * client's Content-Type), and the name it downloads under. Pure. */
#ifndef MEDSYS_DOCMETA_H
#define MEDSYS_DOCMETA_H

#include <stddef.h>

enum doc_type {
	DOC_UNKNOWN = 0,
	DOC_PDF,
	DOC_JPEG,
	DOC_PNG,
	DOC__MAX
};

/* The type the first bytes of a file show (magic numbers: "%PDF-",
 * FF D8 FF, the PNG signature), DOC_UNKNOWN for anything else. */
enum doc_type docmeta_sniff(const unsigned char *p, size_t n);

/* "application/pdf", "image/jpeg", "image/png"; NULL for DOC_UNKNOWN. */
const char *docmeta_media_type(enum doc_type t);

/* The type of a stored media type (as docmeta_media_type writes it). */
enum doc_type docmeta_from_media_type(const char *media_type);

/* ".pdf", ".jpg", ".png"; "" for DOC_UNKNOWN. */
const char *docmeta_extension(enum doc_type t);

/* A Content-Disposition value for downloading a document titled title
 * (UTF-8): attachment; filename="<ASCII name>.<ext>" (letters, digits,
 * '-', '_', '.', other characters as '_', at most 60 before the
 * extension, "document" when nothing is left) and, when that name is not
 * the title itself, filename*=UTF-8''<percent-encoded title>.<ext> (RFC 6266,
 * RFC 8187). 0, or -1 when it does not fit len bytes. */
int docmeta_disposition(const char *title, enum doc_type t, char *out, size_t len);

#endif
