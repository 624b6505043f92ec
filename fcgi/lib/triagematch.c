/* triagematch: folding, word matching and ranking of findings for free text. */
#include "triagematch.h"

#include <stdio.h>
#include <string.h>

#define WORD_MAX 32

/* Words that say nothing about a finding (folded forms, both languages). */
static const char *const stopwords[] = {
	"a", "an", "the", "im", "me", "my", "we", "our", "you", "your", "he", "she", "it", "its",
	"is", "are", "was", "were", "be", "been", "am", "have", "has", "had", "do", "does", "did",
	"and", "or", "but", "of", "in", "on", "at", "to", "for", "from", "with", "by", "this",
	"that", "there", "very", "really", "so", "just", "also", "got", "get", "feel", "feeling",
	"felt", "since", "ago", "today", "bit",
	"little", "lot", "some", "like", "when", "after", "before", "now", "can", "cant", "keep", "been", "what", "which", "who", "him", "her", "them", "they", "all",
	"el", "la", "los", "las", "un", "una", "unos", "unas", "y", "o", "pero", "de", "del", "al",
	"en", "con", "por", "para", "que", "como", "muy", "mucho", "mucha", "mi", "mis", "tengo",
	"tiene", "tener", "estoy", "esta", "estar", "he", "ha", "hace", "desde",
	"ayer", "hoy", "poco", "algo", "todo", "toda", "se",
	"le", "lo", "su", "sus", "es", "son", "era", "fue", "siento", "noto", "yo", "puedo",
	"me", "te", "nos", "ya", "bien", "mal", "tambien", "cuando", "hay", "unas", "quite", "bad",
	NULL,
};
/* "don" is what folding leaves of "don't" ("I don't want to live"). */
static const char *const negators[] = { "no", "not", "dont", "don", "without", "never", "sin", "ni", "nunca", "nor", NULL };
/* Words that end the reach of a negator: "no fever but a cough". */
static const char *const breakers[] = { "but", "pero", "and", "y", "aunque", "although", "though", "with", "con", "mas", NULL };

/* Lay words for pain folded into one, in text and phrases alike, so
 * that "my tummy hurts" meets "tummy pain" and "me duele la cabeza"
 * meets "dolor de cabeza". */
static const char *const same_as[][2] = {
	{ "hurts", "pain" }, { "hurt", "pain" }, { "hurting", "pain" }, { "ache", "pain" },
	{ "aches", "pain" }, { "aching", "pain" }, { "sore", "pain" }, { "painful", "pain" },
	{ "pains", "pain" }, { "duele", "dolor" }, { "duelen", "dolor" }, { "dolorido", "dolor" },
	{ "dolorida", "dolor" }, { "dolores", "dolor" }, { "doloroso", "dolor" }, { "dolorosa", "dolor" },
	{ "molestia", "dolor" }, { "tummy", "belly" }, { "stomach", "belly" }, { "abdomen", "belly" },
	{ "abdominal", "belly" }, { "barriga", "tripa" }, { "vientre", "tripa" },
};

static const char *
canonical(const char *w)
{
	for (size_t i = 0; i < sizeof(same_as) / sizeof(same_as[0]); i++)
		if (strcmp(same_as[i][0], w) == 0)
			return same_as[i][1];
	return w;
}

static int
in_list(const char *const *list, const char *w)
{
	for (size_t i = 0; list[i]; i++)
		if (strcmp(list[i], w) == 0)
			return 1;
	return 0;
}

/* The ASCII letter a Latin-1 letter (the byte after 0xC3) folds to, or 0. */
static char
fold_latin1(unsigned char b)
{
	static const char map[65] =
		"aaaaaaa" "c" "eeee" "iiii" "d" "n" "ooooo" " " "o" "uuuu" "y" " " "s"   /* 0x80-0x9F */
		"aaaaaaa" "c" "eeee" "iiii" "d" "n" "ooooo" " " "o" "uuuu" "y" " " "y";  /* 0xA0-0xBF */

	if (b < 0x80 || b > 0xBF)
		return 0;
	return map[b - 0x80] == ' ' ? 0 : map[b - 0x80];
}

size_t
tmatch_fold(const char *s, char *out, size_t outlen)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = 0;

	if (outlen == 0)
		return 0;
	for (; *p && n + 1 < outlen; p++) {
		char c = 0;
		if ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9'))
			c = (char)*p;
		else if (*p >= 'A' && *p <= 'Z')
			c = (char)(*p - 'A' + 'a');
		else if (*p == 0xC3 && p[1] && (c = fold_latin1(p[1])) != 0)
			p++;
		if (c)
			out[n++] = c;
		else if (n > 0 && out[n - 1] != ' ')
			out[n++] = ' ';
	}
	while (n > 0 && out[n - 1] == ' ')
		n--;
	out[n] = '\0';
	return n;
}

int
tmatch_distance(const char *a, const char *b, int max)
{
	int la = (int)strlen(a), lb = (int)strlen(b);
	int d[WORD_MAX + 1][WORD_MAX + 1];

	if (la > WORD_MAX || lb > WORD_MAX || la - lb > max || lb - la > max)
		return max + 1;
	for (int i = 0; i <= la; i++)
		d[i][0] = i;
	for (int j = 0; j <= lb; j++)
		d[0][j] = j;
	for (int i = 1; i <= la; i++) {
		int rowmin = max + 1;
		for (int j = 1; j <= lb; j++) {
			int v = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
			if (d[i - 1][j] + 1 < v)
				v = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < v)
				v = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < v)
				v = d[i - 2][j - 2] + 1;
			d[i][j] = v;
			rowmin = v < rowmin ? v : rowmin;
		}
		if (rowmin > max)
			return max + 1;
	}
	return d[la][lb] <= max ? d[la][lb] : max + 1;
}

/* Words of a folded text: content words (no stopword, 2+ letters) and
 * whether each is a negator. */
struct words {
	char buf[TMATCH_TEXT_MAX + 1];
	const char *w[TMATCH_TOKENS_MAX];
	uint8_t neg[TMATCH_TOKENS_MAX];   /* 1 a negator, 2 a breaker: not content */
	size_t n;
	int has_neg;
};

static void
split_words(const char *text, struct words *ws)
{
	char *save = NULL;

	tmatch_fold(text, ws->buf, sizeof(ws->buf));
	ws->n = 0;
	ws->has_neg = 0;
	for (char *t = strtok_r(ws->buf, " ", &save); t && ws->n < TMATCH_TOKENS_MAX; t = strtok_r(NULL, " ", &save)) {
		int neg = in_list(negators, t) ? 1 : in_list(breakers, t) ? 2 : 0;
		if (!neg && (strlen(t) < 2 || strlen(t) >= WORD_MAX || in_list(stopwords, t)))
			continue;
		ws->has_neg |= neg == 1;
		ws->neg[ws->n] = (uint8_t)neg;
		ws->w[ws->n++] = canonical(t);
	}
}

static size_t
common_prefix(const char *a, const char *b)
{
	size_t n = 0;
	while (a[n] && a[n] == b[n])
		n++;
	return n;
}

static int
is_plural_end(const char *rest)
{
	return strcmp(rest, "s") == 0 || strcmp(rest, "es") == 0;
}

/* How well text word t stands for phrase word p: 1 exact, 0.9 the same
 * stem, 0.8 or 0.6 a misspelling (distance 1 or 2), 0 not at all. */
static double
word_score(const char *p, const char *t)
{
	size_t lp = strlen(p), lt = strlen(t), pre = common_prefix(p, t), lmin = lp < lt ? lp : lt;
	int d, maxd;

	if (strcmp(p, t) == 0)
		return 1;
	if (lmin >= 3 && pre == lmin && is_plural_end(lp > lt ? p + lmin : t + lmin))
		return 0.9;       /* plural: pain/pains, tos/toses */
	if (pre >= 5 && pre + 3 >= lmin)
		return 0.9;       /* stem: vomiting/vomit, vomitos/vomitar */
	if (lmin < 5 || p[0] != t[0])
		return 0;         /* short words and first letters are rarely misspelt */
	maxd = lmin >= 9 ? 2 : 1;
	d = tmatch_distance(p, t, maxd);
	return d > maxd ? 0 : d == 1 ? 0.8 : 0.6;
}

/* 1 when the text has a negator within two words before first or after
 * last: a phrase that holds a negation needs one in the text too. */
static int
negator_near(const struct words *text, size_t first, size_t last)
{
	for (size_t j = first >= 2 ? first - 2 : 0; j <= last + 2 && j < text->n; j++)
		if (text->neg[j] == 1)
			return 1;
	return 0;
}

/* One phrase against the text: the score (0 for nothing), whether every
 * content word was found, and which text words it used (used[]). */
static double
phrase_score(const char *phrase, const struct words *text, int *full, int *negated, int *fuzzy, uint8_t *used)
{
	struct words ph;
	double sum = 0;
	size_t found = 0, first = TMATCH_TOKENS_MAX, last = 0, nwords;

	split_words(phrase, &ph);
	nwords = ph.n;
	*full = *negated = 0;
	for (size_t i = 0; i < ph.n; i++) {
		double best = 0;
		size_t at = 0;
		if (ph.neg[i]) {
			nwords--;
			continue;
		}
		for (size_t j = 0; j < text->n; j++) {
			double s = text->neg[j] ? 0 : word_score(ph.w[i], text->w[j]);
			if (s > best) {
				best = s;
				at = j;
			}
		}
		if (best > 0) {
			sum += best;
			found++;
			used[at] = 1;
			first = at < first ? at : first;
			last = at > last ? at : last;
		}
	}
	if (found == 0 || (ph.has_neg && !negator_near(text, first, last)))
		return 0;     /* "la cabeza no para" is not "dolor de cabeza" */
	*full = found == nwords;
	/* One word known only by its spelling ("small" for "smell"): ask. */
	*fuzzy = nwords == 1 && sum < 0.9;
	/* A negator up to two words before the phrase and not cut off by
	 * "but", unless the phrase says it itself ("no puedo tragar"). */
	for (size_t j = first, k = 0; !ph.has_neg && j > 0 && k < 2 && text->neg[j - 1] != 2; j--, k++)
		*negated |= text->neg[j - 1] == 1;
	if (!*full)
		return found * 2 >= nwords && nwords >= 2 ? 0.4 * sum : 0;
	return sum + 0.1;
}

/* The phrases of finding f: names, '|'-separated synonyms, its id. Calls
 * fn on each one as a NUL-terminated copy. */
static void
each_phrase(const struct tkb_finding *f, void (*fn)(const char *, void *), void *arg)
{
	char buf[TMATCH_TEXT_MAX + 1];

	for (int l = 0; l < TKB_LANG__MAX; l++) {
		fn(f->name[l], arg);
		snprintf(buf, sizeof(buf), "%s", f->synonyms[l]);
		for (char *save = NULL, *t = strtok_r(buf, "|", &save); t; t = strtok_r(NULL, "|", &save))
			fn(t, arg);
	}
	snprintf(buf, sizeof(buf), "%s", f->id);
	for (char *u = buf; *u; u++)
		*u = *u == '_' ? ' ' : *u;
	fn(buf, arg);
}

struct best {
	const struct words *text;
	struct tmatch_hit hit;
	uint8_t used[TMATCH_TOKENS_MAX];
};

static void
try_phrase(const char *phrase, void *arg)
{
	struct best *b = arg;
	uint8_t used[TMATCH_TOKENS_MAX] = { 0 };
	int full, negated, fuzzy;
	double s = phrase_score(phrase, b->text, &full, &negated, &fuzzy, used);

	/* A full match beats any partial one; then the higher score. */
	if (s > 0 && (full > b->hit.full || (full == b->hit.full && s > b->hit.score))) {
		b->hit.score = s;
		b->hit.full = full;
		b->hit.negated = negated;
		b->hit.fuzzy = fuzzy;
		memcpy(b->used, used, sizeof(used));
	}
}

static int
better(const struct tmatch_hit *a, const struct tmatch_hit *b)
{
	return a->full != b->full ? a->full > b->full : a->score > b->score;
}

static void
keep(struct tmatch_result *out, const struct tmatch_hit *h)
{
	size_t i = out->n;

	if (i == TMATCH_MAX && !better(h, &out->hit[i - 1]))
		return;
	if (i == TMATCH_MAX)
		i--;
	for (; i > 0 && better(h, &out->hit[i - 1]); i--)
		out->hit[i] = out->hit[i - 1];
	out->hit[i] = *h;
	if (out->n < TMATCH_MAX)
		out->n++;
}

size_t
tmatch_text(const struct triage_kb *kb, const char *text, struct tmatch_result *out)
{
	struct words ws;
	uint8_t covered[TMATCH_TOKENS_MAX] = { 0 };
	size_t content = 0, explained = 0;
	int any_full = 0, any_fuzzy = 0;

	memset(out, 0, sizeof(*out));
	split_words(text, &ws);
	for (size_t f = 0; kb->finished && ws.n && f < kb->nfindings; f++) {
		struct best b = { .text = &ws };
		each_phrase(&kb->findings[f], try_phrase, &b);
		if (b.hit.score <= 0)
			continue;
		b.hit.finding = (uint16_t)f;
		keep(out, &b.hit);
		any_full |= b.hit.full;
		any_fuzzy |= b.hit.full && b.hit.fuzzy;
		for (size_t j = 0; b.hit.full && j < ws.n; j++)
			covered[j] |= b.used[j];
	}
	for (size_t j = 0; j < ws.n; j++) {
		content += !ws.neg[j];
		explained += !ws.neg[j] && covered[j];
	}
	out->sure = any_full && !any_fuzzy && content - explained < explained;
	return out->n;
}
