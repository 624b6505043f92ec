/* locale: which language a page is shown in. */
#ifndef MEDSYS_LOCALE_H
#define MEDSYS_LOCALE_H

/* The languages the UI speaks; the first is the fallback. */
extern const char *const locale_supported[];
#define LOCALE_COUNT 2

/* The position of code in locale_supported, or -1 when not supported. */
int locale_index(const char *code);

/* 1 when code is a supported language code ("es", "en"). */
int locale_is_supported(const char *code);

/* The best supported language for an Accept-Language header by q-value
 * (ties: the earlier entry), or NULL when nothing in it is supported.
 * "en-GB;q=0.8, es;q=0.9" -> "es". Malformed entries are ignored. */
const char *locale_from_accept_language(const char *header);

/* The user's choice (cookie value) when supported, else the
 * Accept-Language pick, else fallback. */
const char *locale_pick(const char *cookie, const char *accept_language,
                        const char *fallback);

#endif
