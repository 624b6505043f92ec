/* test_hl7: the HL7 v2 reader (lib/hl7.c): one message and a batch file,
 * CR, LF and CRLF, fields, repetitions, components and subcomponents,
 * every escape sequence, a message's own delimiters, malformed messages
 * named with their number, segment and line while the next ones are still
 * read, and HL7 times. */
#include <check.h>

#include "../check_util.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/hl7.h"

static struct hl7_message m;

#define MSH "MSH|^~\\&|LAB|ACME|MEDSYS|CLINIC|20240305143000+0100||ORU^R01^ORU_R01|MSG1|P|2.5"

/* The first message of text, which must be well formed. */
static void
read_one(const char *text)
{
	struct hl7_reader r;

	hl7_reader_init(&r, text, strlen(text));
	ck_assert_int_eq(hl7_read(&r, &m), HL7_OK);
}

/* Value of segment s as a string ("" absent, "<error>" when -1). */
static const char *
get(size_t s, unsigned f, unsigned rep, unsigned comp, unsigned sub)
{
	static char out[256];

	if (hl7_get(&m, s, f, rep, comp, sub, out, sizeof(out)) == -1)
		return "<error>";
	return out;
}

START_TEST(test_fields_and_components)
{
	read_one(MSH "\rPID|1||42^^^MEDSYS~77^^^OTHER||Doe^Jane\rOBX|1|NM|718-7^Hemoglobin^LN||13.5|g/dL^^UCUM"
	         "|12.0-15.5|N|||F||||sub1&sub2^x\r");
	ck_assert_uint_eq(m.nsegments, 3);
	ck_assert_str_eq(m.seg[2].id, "OBX");
	ck_assert_str_eq(get(0, 1, 1, 1, 1), "|");
	ck_assert_str_eq(get(0, 2, 1, 1, 1), "^~\\&");
	ck_assert_str_eq(get(0, 3, 1, 1, 1), "LAB");
	ck_assert_str_eq(get(0, 9, 1, 1, 1), "ORU");
	ck_assert_str_eq(get(0, 9, 1, 2, 1), "R01");
	ck_assert_str_eq(get(0, 12, 1, 1, 1), "2.5");
	ck_assert_uint_eq(hl7_fields(&m, 0), 12);
	ck_assert_str_eq(get(1, 3, 1, 1, 1), "42");
	ck_assert_str_eq(get(1, 3, 2, 1, 1), "77");
	ck_assert_str_eq(get(1, 3, 2, 4, 1), "OTHER");
	ck_assert_uint_eq(hl7_repetitions(&m, 1, 3), 2);
	ck_assert_uint_eq(hl7_repetitions(&m, 1, 4), 0);
	ck_assert_str_eq(get(1, 5, 1, 2, 1), "Jane");
	ck_assert_str_eq(get(2, 3, 1, 1, 1), "718-7");
	ck_assert_str_eq(get(2, 3, 1, 3, 1), "LN");
	ck_assert_str_eq(get(2, 5, 1, 1, 1), "13.5");
	ck_assert_str_eq(get(2, 6, 1, 1, 1), "g/dL");
	ck_assert_str_eq(get(2, 15, 1, 1, 2), "sub2");
	ck_assert_str_eq(get(2, 15, 1, 2, 1), "x");
	ck_assert_str_eq(get(2, 40, 1, 1, 1), "");     /* absent */
	ck_assert_str_eq(get(2, 3, 1, 9, 1), "");
	ck_assert_uint_eq(hl7_find(&m, "OBX", 0), 2);
	ck_assert_uint_eq(hl7_find(&m, "OBX", 3), 3);
}
END_TEST

START_TEST(test_escape_sequences)
{
	read_one(MSH "\rNTE|1||a\\F\\b\\S\\c\\T\\d\\R\\e\\E\\f|\\X41E9\\|x\\.br\\y|\\H\\bold\\N\\|\"\"|\\Q\\|a\\F|"
	         "\\X00\\|\\X4\\|\\\\\r");
	ck_assert_str_eq(get(1, 3, 1, 1, 1), "a|b^c&d~e\\f");
	ck_assert_str_eq(get(1, 4, 1, 1, 1), "A\xE9");
	ck_assert_str_eq(get(1, 5, 1, 1, 1), "x\ny");
	ck_assert_str_eq(get(1, 6, 1, 1, 1), "bold");
	ck_assert_str_eq(get(1, 7, 1, 1, 1), "");      /* "" is HL7's null */
	ck_assert_str_eq(get(1, 8, 1, 1, 1), "<error>");   /* unknown escape */
	ck_assert_str_eq(get(1, 9, 1, 1, 1), "<error>");   /* not closed */
	ck_assert_str_eq(get(1, 10, 1, 1, 1), "<error>");  /* a NUL byte */
	ck_assert_str_eq(get(1, 11, 1, 1, 1), "<error>");  /* odd hex digits */
	ck_assert_str_eq(get(1, 12, 1, 1, 1), "<error>");  /* empty escape */
	{
		char small[4];
		ck_assert_int_eq(hl7_get(&m, 1, 3, 1, 1, 1, small, sizeof(small)), -1);
	}
}
END_TEST

/* A message may choose other delimiters: they are its own. */
START_TEST(test_own_delimiters)
{
	read_one("MSH#@!$%#LAB#ACME\nOBX#1#ST#5778-6@Color@LN##red $F$ ok @second!two%sub\n");
	ck_assert_int_eq(m.d.field, '#');
	ck_assert_int_eq(m.d.component, '@');
	ck_assert_int_eq(m.d.repetition, '!');
	ck_assert_int_eq(m.d.escape, '$');
	ck_assert_int_eq(m.d.subcomponent, '%');
	ck_assert_str_eq(get(1, 3, 1, 2, 1), "Color");
	ck_assert_str_eq(get(1, 5, 1, 1, 1), "red # ok ");
	ck_assert_str_eq(get(1, 5, 2, 1, 1), "two");
	ck_assert_str_eq(get(1, 5, 2, 1, 2), "sub");
}
END_TEST

/* A batch file with CRLF, the envelope skipped, BTS-1 noted, and a
 * malformed message in the middle named while the next is still read. */
START_TEST(test_batch_and_errors)
{
	const char *file =
		"FHS|^~\\&|LAB\r\nBHS|^~\\&|LAB\r\n"
		MSH "\r\nOBX|1|NM|2345-7^Glucose^LN||99|mg/dL\r\nOBX|2|NM|718-7||13|g/dL\r\n"
		"\r\n"
		MSH "\r\nOBX|1|NM|2345-7||99\r\nobx|lowercase\r\nOBX|3|NM|718-7||1\r\n"
		MSH "\nPID|1\nOBX|1|ST|x||y\n"
		"BTS|3\r\nFTS|1\r\n";
	struct hl7_reader r;

	hl7_reader_init(&r, file, strlen(file));
	ck_assert_int_eq(hl7_read(&r, &m), HL7_OK);
	ck_assert_uint_eq(m.number, 1);
	ck_assert_uint_eq(m.line, 3);
	ck_assert_uint_eq(m.nsegments, 3);
	ck_assert_int_eq(hl7_read(&r, &m), HL7_BAD_SEGMENT);
	ck_assert_uint_eq(m.number, 2);
	ck_assert_uint_eq(m.bad_segment, 3);
	ck_assert_uint_eq(m.bad_line, 9);
	ck_assert_int_eq(hl7_read(&r, &m), HL7_OK);
	ck_assert_uint_eq(m.number, 3);
	ck_assert_uint_eq(m.nsegments, 3);
	ck_assert_str_eq(m.seg[2].id, "OBX");
	ck_assert_int_eq(hl7_read(&r, &m), HL7_END);
	ck_assert_int_eq(r.batch_count_seen, 1);
	ck_assert_uint_eq(r.batch_count, 3);
	ck_assert_int_eq(hl7_read(&r, &m), HL7_END);
}
END_TEST

START_TEST(test_malformed_starts)
{
	struct hl7_reader r;
	const char *orphan = "PID|1\rOBX|1\r" MSH "\rOBX|1|NM|718-7||1\r";
	const char *bad_msh = "MSH|^^\\&|A\rOBX|1\r";
	const char *nul = MSH "\rOBX|1|NM|7\0" "18-7||1\r";

	hl7_reader_init(&r, orphan, strlen(orphan));
	ck_assert_int_eq(hl7_read(&r, &m), HL7_NO_MSH);
	ck_assert_uint_eq(m.number, 1);
	ck_assert_uint_eq(m.bad_line, 1);
	ck_assert_int_eq(hl7_read(&r, &m), HL7_OK);
	ck_assert_uint_eq(m.number, 2);
	ck_assert_int_eq(hl7_read(&r, &m), HL7_END);
	hl7_reader_init(&r, bad_msh, strlen(bad_msh));
	ck_assert_int_eq(hl7_read(&r, &m), HL7_BAD_MSH);
	ck_assert_int_eq(hl7_read(&r, &m), HL7_END);
	hl7_reader_init(&r, nul, strlen(MSH) + 20);
	ck_assert_int_eq(hl7_read(&r, &m), HL7_BAD_BYTE);
	ck_assert_uint_eq(m.bad_segment, 2);
	hl7_reader_init(&r, "", 0);
	ck_assert_int_eq(hl7_read(&r, &m), HL7_END);
	hl7_reader_init(&r, "\r\n\n", 3);
	ck_assert_int_eq(hl7_read(&r, &m), HL7_END);
}
END_TEST

START_TEST(test_times)
{
	char iso[40];

	ck_assert_int_eq(hl7_time_iso("20240305143000+0100", iso, sizeof(iso)), 0);
	ck_assert_str_eq(iso, "2024-03-05 14:30:00+0100");
	ck_assert_int_eq(hl7_time_iso("20240305", iso, sizeof(iso)), 0);
	ck_assert_str_eq(iso, "2024-03-05 00:00:00");
	ck_assert_int_eq(hl7_time_iso("202403051430", iso, sizeof(iso)), 0);
	ck_assert_str_eq(iso, "2024-03-05 14:30:00");
	ck_assert_int_eq(hl7_time_iso("20240305143001.25-0500", iso, sizeof(iso)), 0);
	ck_assert_str_eq(iso, "2024-03-05 14:30:01.25-0500");
	ck_assert_int_eq(hl7_time_iso("20240229", iso, sizeof(iso)), 0);
	ck_assert_int_eq(hl7_time_iso("20230229", iso, sizeof(iso)), -1);
	ck_assert_int_eq(hl7_time_iso("20241305", iso, sizeof(iso)), -1);
	ck_assert_int_eq(hl7_time_iso("202403052500", iso, sizeof(iso)), -1);
	ck_assert_int_eq(hl7_time_iso("2024030514", iso, sizeof(iso)), 0);
	ck_assert_int_eq(hl7_time_iso("202403051", iso, sizeof(iso)), -1);
	ck_assert_int_eq(hl7_time_iso("20240305+01", iso, sizeof(iso)), -1);
	ck_assert_int_eq(hl7_time_iso("2024", iso, sizeof(iso)), -1);
	ck_assert_int_eq(hl7_time_iso("", iso, sizeof(iso)), -1);
}
END_TEST

int
main(void)
{
	return tcase_run_alone("hl7", tcase_list_add(tcase_create("read"), test_fields_and_components,
	                       test_escape_sequences, test_own_delimiters, test_batch_and_errors,
	                       test_malformed_starts, test_times, NULL));
}
