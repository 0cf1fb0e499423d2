/*
 * regex.h -- PCRE2 (8-bit) regular expressions, UTF + UCP always on.
 *
 * A lode_regex is compiled once (JIT-compiled when the platform supports it)
 * and is immutable afterwards: share it between threads freely.
 * Everything mutable during a match lives in a lode_regex_scratch (match
 * data, match context with limits, JIT stack): one per thread, usable with
 * any regex. Match and depth limits make catastrophic patterns fail with
 * LODE_ELIMIT instead of hanging.
 *
 * Offsets are 0-based, end-exclusive bytes in the subject. A start offset
 * inside a UTF-8 character (on a continuation byte) is rounded up to the
 * next character start (lode_utf8_ceil), so a search never begins, and a
 * match never starts, in the middle of a character.
 *
 * Newline convention: ANYCRLF (LF, CR and CRLF), like the rest of lode, so
 * "." never matches a CR and "$" with "m" matches before CRLF; a pattern can
 * override it with (*LF) and friends. LODE_RE_LITERAL patterns compile with
 * PCRE2_LITERAL | PCRE2_UTF (PCRE2 refuses UCP/x/m/s beside LITERAL; they are
 * ignored) -- caseless literal matching is still Unicode-aware.
 */
#ifndef LODE_REGEX_H
#define LODE_REGEX_H

#include <stddef.h>
#include "error.h"

enum {
  LODE_RE_CASELESS  = 1u << 0,  /* "i" */
  LODE_RE_EXTENDED  = 1u << 1,  /* "x" */
  LODE_RE_MULTILINE = 1u << 2,  /* "m" */
  LODE_RE_DOTALL    = 1u << 3,  /* "s" */
  LODE_RE_LITERAL   = 1u << 4,  /* the pattern is a literal string */
  LODE_RE_NOJIT     = 1u << 5   /* never JIT-compile: for comparisons and for
                                   memory checkers (valgrind cannot follow JIT
                                   code, whose SIMD loads may read a few bytes
                                   past the subject within the same page) */
};

/* Default limits (overridable per scratch). */
#define LODE_RE_MATCH_LIMIT 10000000u
#define LODE_RE_DEPTH_LIMIT 100000u

typedef struct lode_regex lode_regex;
typedef struct lode_regex_scratch lode_regex_scratch;

/* Parse a flag string such as "ix" into LODE_RE_* bits; returns 0 and sets
 * *flags, or LODE_EARG (with the bad letter in `err`). */
int lode_regex_flags(const char *letters, unsigned *flags, lode_error *err);

/* Compile. On error returns NULL; `err` holds PCRE2's message and
 * err->offset the 0-based offset in the pattern (message says 1-based
 * "at pattern offset N"). Free with lode_regex_free(). */
lode_regex *lode_regex_compile(const char *pat, size_t len, unsigned flags,
                               lode_error *err);
void lode_regex_free(lode_regex *re);

/* Number of capture groups (not counting group 0). */
int lode_regex_groups(const lode_regex *re);
/* Named groups: count, and the name and group number of the k-th (0-based). */
int lode_regex_name_count(const lode_regex *re);
const char *lode_regex_name(const lode_regex *re, int k, int *group);
/* The pattern source as given, and whether JIT is in use. */
const char *lode_regex_pattern(const lode_regex *re, size_t *len);
int lode_regex_jitted(const lode_regex *re);

/* Per-thread scratch; free with lode_regex_scratch_free(). NULL on ENOMEM.
 * Creating and freeing scratches is safe from any number of threads at once
 * (PCRE2's racy first JIT-stack allocation is done under a lock). */
lode_regex_scratch *lode_regex_scratch_new(void);
void lode_regex_scratch_free(lode_regex_scratch *sc);
void lode_regex_scratch_limits(lode_regex_scratch *sc, unsigned match_limit,
                               unsigned depth_limit);

/* Exec options. */
enum {
  LODE_RE_TRUSTED  = 1u << 0,  /* subject is known-valid UTF-8: skip PCRE2's check */
  LODE_RE_NOTEMPTY_ATSTART = 1u << 1  /* used by iteration after an empty match */
};

/* Match `re` against s[0, len) starting at byte `start`.
 * On a match returns 1 and fills ovec[0 .. 2*(groups+1)) with start/end
 * pairs (LODE_NOPOS for unset groups); ovec must hold 2*(groups+1) entries.
 * Returns 0 for no match, or a negative code with `err` filled (LODE_ELIMIT
 * for match/depth limits, LODE_EENCODING for invalid UTF-8 with the offset,
 * LODE_EMATCH otherwise). */
int lode_regex_exec(const lode_regex *re, lode_regex_scratch *sc,
                    const char *s, size_t len, size_t start, unsigned opts,
                    size_t *ovec, lode_error *err);

/* Iterate all non-overlapping matches the way pcre2demo.c does (an empty
 * match is retried with NOTEMPTY_ATSTART|ANCHORED, then advanced by one
 * character, CRLF-aware). `*pos` is the position to search from (start at
 * 0), `*last_empty` is internal state (start at 0; always 0 or 1, so it
 * may be kept as a boolean). Returns like lode_regex_exec and updates *pos
 * and *last_empty for the next call; when exhausted *pos is len + 1 and
 * further calls return 0. Without LODE_RE_TRUSTED each call has PCRE2 check
 * the UTF-8 from *pos to the end: for many matches in a long subject,
 * validate once and pass LODE_RE_TRUSTED. */
int lode_regex_next(const lode_regex *re, lode_regex_scratch *sc,
                    const char *s, size_t len, size_t *pos, int *last_empty,
                    unsigned opts, size_t *ovec, lode_error *err);

/* The window of whitespace-separated words around the span s[a, b): words
 * are maximal runs of bytes other than ASCII whitespace (space, \t \n \v
 * \f \r, as C's isspace and Lua's %s). *ws is the start of the `before`-th
 * word before the word holding s[a] (the words end where the span's own word
 * begins), or 0 when there are fewer; *we is the end of the `after`-th word
 * after the word holding s[b - 1], or len when there are fewer. A span that
 * starts (ends) on whitespace counts the word before (after) that whitespace
 * as its own, so its window reaches one word further. Offsets
 * 0-based, *we exclusive; a <= b <= len. Keyword-in-context windows, and
 * regions of a text that can hold a match near an anchor. */
void lode_regex_word_window(const char *s, size_t len, size_t a, size_t b,
                            size_t before, size_t after, size_t *ws, size_t *we);

#endif
