/* sttline: one line of a speech-to-text command's output (docs/tele.md
 * "Transcript": "SECONDS<TAB>TEXT", or just "TEXT"). Pure. */
#ifndef MEDSYS_LIB_STTLINE_H
#define MEDSYS_LIB_STTLINE_H

#include <stddef.h>

/* The longest utterance kept, in bytes (tele.speech_lines allows 4000
 * characters); a longer one is cut on a character boundary. */
#define STTLINE_TEXT_MAX 3000

/* Parse line (NUL-terminated, without its newline; changed in place):
 * *offset gets the seconds before a TAB when they are a plain
 * non-negative number (else 0 and the whole line is text), *text the
 * text with surrounding blanks and control characters removed. 1 when
 * there is text, 0 for a blank line (or one that is not valid UTF-8). */
int sttline_parse(char *line, double *offset, const char **text);

#endif
