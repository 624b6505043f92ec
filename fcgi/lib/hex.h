/* hex: lowercase hexadecimal text for bytes (keys, hashes, signatures) and
 * the value of one hex digit (URL escapes). Pure: no I/O. */
#ifndef MEDSYS_HEX_H
#define MEDSYS_HEX_H

#include <stddef.h>

/* The value of hex digit c (either case), or -1. */
int hex_value(unsigned char c);

/* n bytes as 2n lowercase hex digits and a NUL into out. */
void hex_encode(const unsigned char *in, size_t n, char *out);

/* Exactly 2n hex digits (either case) of s into n bytes. 0, or -1. */
int hex_decode(const char *s, unsigned char *out, size_t n);

#endif
