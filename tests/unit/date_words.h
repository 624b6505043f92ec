/* date_words: the date words of templates/lang/{es,en}/dates.hdf as lib/
 * tests pass them to dt_format_words and the PDF drawers (lib/ reads no
 * language file; the pages do, through core/view). */
#ifndef MEDSYS_TEST_DATE_WORDS_H
#define MEDSYS_TEST_DATE_WORDS_H

#include "lib/datetime.h"

static const struct dt_words es_words = {
	{ "enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
	  "septiembre", "octubre", "noviembre", "diciembre" },
	{ "lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo" },
	"{weekday} {day} de {month}, {time}", "{weekday} {day} de {month} de {year}, {time}",
	"{weekday} {day} de {month}", "{weekday} {day} de {month} de {year}",
	"{n} minuto", "{n} minutos", "{n} hora", "{n} horas",
	"{day} de {month} de {year}", "{month} de {year}",
};

static const struct dt_words en_words = {
	{ "January", "February", "March", "April", "May", "June", "July", "August",
	  "September", "October", "November", "December" },
	{ "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday" },
	"{weekday} {day} {month}, {time}", "{weekday} {day} {month} {year}, {time}",
	"{weekday} {day} {month}", "{weekday} {day} {month} {year}",
	"{n} minute", "{n} minutes", "{n} hour", "{n} hours",
	"{day} {month} {year}", "{month} {year}",
};

#endif
