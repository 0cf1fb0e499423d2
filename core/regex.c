/*
 * regex.c -- PCRE2 (8-bit) regular expressions for lode (see regex.h).
 *
 * Threading: a compiled pcre2_code (and its JIT code) is only read by
 * pcre2_match(), so one lode_regex may be matched from many threads at once.
 * Everything pcre2_match() writes -- match data, the match context with its
 * limits, the JIT stack -- lives in a lode_regex_scratch, which each thread
 * owns. A scratch works with any regex: its match data grows on demand.
 *
 * Newlines: patterns are compiled with PCRE2_NEWLINE_ANYCRLF (unless the
 * pattern itself says otherwise with (*LF) etc.), because lode treats LF,
 * CRLF and lone CR as line breaks everywhere; so "." does not match a CR,
 * "$" with "m" matches before CRLF, and iteration steps over CRLF as one.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "regex.h"
#include "utf8.h"

#include <pcre2.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct lode_regex {
  pcre2_code *code;
  char *pat;              /* copy of the source, NUL-terminated for convenience */
  size_t patlen;
  unsigned flags;
  int groups;             /* capture groups, not counting group 0 */
  int jitted;
  int jit_direct;         /* jitted, and pcre2_jit_match() may be called
                             directly: see run() */
  int crlf_newline;       /* newline convention lets CRLF be one newline */
  uint32_t name_count, name_entry_size;
  PCRE2_SPTR name_table;  /* owned by `code` */
};

struct lode_regex_scratch {
  pcre2_match_context *mctx;
  pcre2_jit_stack *jstack;    /* NULL when this PCRE2 has no JIT */
  pcre2_match_data *md;       /* NULL until first use */
  uint32_t md_pairs;
};

/* How much of a pattern to show in messages. */
#define QUOTE_MAX 60

/* Write `pat` as a double-quoted string into dst[cap], escaping quotes,
 * backslashes stay as they are (they are the pattern's own), control bytes as
 * \xNN, and cut at QUOTE_MAX bytes (on a UTF-8 boundary) with "...". */
static void quote_pattern(char *dst, size_t cap, const char *pat, size_t len) {
  size_t o = 0, i, n = len;
  int cut = 0;
  if (cap < 16) { if (cap) dst[0] = '\0'; return; }
  if (n > QUOTE_MAX) {
    n = QUOTE_MAX;
    while (n > 0 && ((unsigned char)pat[n] & 0xC0) == 0x80) n--;
    cut = 1;
  }
  dst[o++] = '"';
  for (i = 0; i < n && o + 8 < cap; i++) {
    unsigned char c = (unsigned char)pat[i];
    if (c < 0x20 || c == 0x7F) o += (size_t)snprintf(dst + o, cap - o, "\\x%02x", c);
    else if (c == '"') { dst[o++] = '\\'; dst[o++] = '"'; }
    else dst[o++] = (char)c;
  }
  if (cut && o + 5 < cap) { memcpy(dst + o, "...", 3); o += 3; }
  dst[o++] = '"';
  dst[o] = '\0';
}

/* ---------------------------------------------------------------- flags */

int lode_regex_flags(const char *letters, unsigned *flags, lode_error *err) {
  unsigned f = 0;
  const char *p;
  if (!flags) return lode_error_set(err, LODE_EARG, LODE_NOPOS, 0, "regex flags: no output");
  for (p = letters ? letters : ""; *p; p++) {
    switch (*p) {
      case 'i': f |= LODE_RE_CASELESS; break;
      case 'x': f |= LODE_RE_EXTENDED; break;
      case 'm': f |= LODE_RE_MULTILINE; break;
      case 's': f |= LODE_RE_DOTALL; break;
      default: {
        unsigned char c = (unsigned char)*p;
        if (c >= 0x20 && c < 0x7F)
          return lode_error_set(err, LODE_EARG, (size_t)(p - letters), 0,
                                "unknown regex flag '%c' in \"%s\" (known flags: i x m s)",
                                c, letters);
        return lode_error_set(err, LODE_EARG, (size_t)(p - letters), 0,
                              "unknown regex flag byte 0x%02x at position %zu (known flags: i x m s)",
                              c, (size_t)(p - letters) + 1);
      }
    }
  }
  *flags = f;
  return LODE_OK;
}

/* -------------------------------------------------------------- compile */

/* Returns a new regex the caller frees with lode_regex_free(), or NULL with
 * `err` filled (LODE_EPATTERN with the 0-based pattern offset, LODE_ENOMEM). */
lode_regex *lode_regex_compile(const char *pat, size_t len, unsigned flags,
                               lode_error *err) {
  uint32_t opts = PCRE2_UTF, nl = 0, cap = 0;
  int errcode = 0;
  PCRE2_SIZE erroff = 0;
  pcre2_compile_context *cctx;
  lode_regex *re;

  if (!pat && len) {
    lode_error_set(err, LODE_EARG, LODE_NOPOS, 0, "regex: NULL pattern with length %zu", len);
    return NULL;
  }
  if (!pat) pat = "";
  if (flags & LODE_RE_CASELESS) opts |= PCRE2_CASELESS;
  if (flags & LODE_RE_LITERAL) {
    /* PCRE2 refuses UCP, EXTENDED, MULTILINE and DOTALL beside LITERAL; none
     * of them means anything for a literal (UTF mode alone gives Unicode
     * caseless matching), so they are dropped. */
    opts |= PCRE2_LITERAL;
  } else {
    opts |= PCRE2_UCP;
    if (flags & LODE_RE_EXTENDED) opts |= PCRE2_EXTENDED;
    if (flags & LODE_RE_MULTILINE) opts |= PCRE2_MULTILINE;
    if (flags & LODE_RE_DOTALL) opts |= PCRE2_DOTALL;
  }

  re = calloc(1, sizeof *re);
  cctx = pcre2_compile_context_create(NULL);
  if (!re || !cctx) goto nomem;
  pcre2_set_newline(cctx, PCRE2_NEWLINE_ANYCRLF);
  re->code = pcre2_compile((PCRE2_SPTR)pat, len, opts, &errcode, &erroff, cctx);
  pcre2_compile_context_free(cctx);
  cctx = NULL;
  if (!re->code) {
    PCRE2_UCHAR pmsg[256];
    char q[QUOTE_MAX * 4 + 16];
    if (errcode == PCRE2_ERROR_NOMEMORY) goto nomem;
    if (pcre2_get_error_message(errcode, pmsg, sizeof pmsg) < 0)
      snprintf((char *)pmsg, sizeof pmsg, "PCRE2 error %d", errcode);
    quote_pattern(q, sizeof q, pat, len);
    lode_error_set(err, LODE_EPATTERN, (size_t)erroff, 0,
                   "invalid regex %s: %s at pattern offset %zu",
                   q, (const char *)pmsg, (size_t)erroff + 1);
    free(re);
    return NULL;
  }
  re->pat = malloc(len + 1);
  if (!re->pat) goto nomem;
  memcpy(re->pat, pat, len);
  re->pat[len] = '\0';
  re->patlen = len;
  re->flags = flags;

  /* JIT if this PCRE2 has it; any failure (no JIT support, no executable
   * memory under some hardening policies) leaves the interpreter in charge. */
  {
    size_t jitsize = 0;
    if (!(flags & LODE_RE_NOJIT) &&
        pcre2_jit_compile(re->code, PCRE2_JIT_COMPLETE) == 0 &&
        pcre2_pattern_info(re->code, PCRE2_INFO_JITSIZE, &jitsize) == 0 && jitsize > 0)
      re->jitted = 1;
    /* pcre2_match() turns the start-of-pattern settings (*NOTEMPTY) and
     * (*NOTEMPTY_ATSTART) into match options before calling the JIT code;
     * pcre2_jit_match() does not: a pattern opening with "(*" always goes
     * through pcre2_match(). */
    re->jit_direct = re->jitted && !(len >= 2 && pat[0] == '(' && pat[1] == '*');
  }
  pcre2_pattern_info(re->code, PCRE2_INFO_CAPTURECOUNT, &cap);
  re->groups = (int)cap;
  pcre2_pattern_info(re->code, PCRE2_INFO_NEWLINE, &nl);
  re->crlf_newline = nl == PCRE2_NEWLINE_ANY || nl == PCRE2_NEWLINE_CRLF ||
                     nl == PCRE2_NEWLINE_ANYCRLF;
  pcre2_pattern_info(re->code, PCRE2_INFO_NAMECOUNT, &re->name_count);
  pcre2_pattern_info(re->code, PCRE2_INFO_NAMEENTRYSIZE, &re->name_entry_size);
  pcre2_pattern_info(re->code, PCRE2_INFO_NAMETABLE, &re->name_table);
  return re;

nomem:
  if (cctx) pcre2_compile_context_free(cctx);
  if (re) { pcre2_code_free(re->code); free(re); }
  lode_error_set(err, LODE_ENOMEM, LODE_NOPOS, 0, "regex: out of memory compiling a %zu-byte pattern", len);
  return NULL;
}

void lode_regex_free(lode_regex *re) {
  if (!re) return;
  pcre2_code_free(re->code);
  free(re->pat);
  free(re);
}

int lode_regex_groups(const lode_regex *re) { return re ? re->groups : 0; }

int lode_regex_name_count(const lode_regex *re) { return re ? (int)re->name_count : 0; }

/* The name points into PCRE2's name table (NUL-terminated, owned by `re`). */
const char *lode_regex_name(const lode_regex *re, int k, int *group) {
  PCRE2_SPTR e;
  if (!re || k < 0 || (uint32_t)k >= re->name_count) return NULL;
  e = re->name_table + (size_t)k * re->name_entry_size;
  if (group) *group = (e[0] << 8) | e[1];  /* group number, big-endian */
  return (const char *)(e + 2);
}

const char *lode_regex_pattern(const lode_regex *re, size_t *len) {
  if (!re) { if (len) *len = 0; return NULL; }
  if (len) *len = re->patlen;
  return re->pat;
}

int lode_regex_jitted(const lode_regex *re) { return re ? re->jitted : 0; }

/* -------------------------------------------------------------- scratch */

/* PCRE2's JIT stack allocator initialises a static (the page size) on its
 * first use without a lock: benign, but a data race (helgrind reports it)
 * when two threads make their first scratch at once. Stack creation and
 * release are rare, so they simply take this lock. */
static pthread_mutex_t jit_stack_lock = PTHREAD_MUTEX_INITIALIZER;

/* Returns a new scratch the caller frees with lode_regex_scratch_free(), or
 * NULL when out of memory. Use it from one thread at a time. */
lode_regex_scratch *lode_regex_scratch_new(void) {
  lode_regex_scratch *sc;
  sc = calloc(1, sizeof *sc);
  if (!sc) return NULL;
  sc->mctx = pcre2_match_context_create(NULL);
  if (!sc->mctx) { free(sc); return NULL; }
  /* NULL when PCRE2 was built without JIT; the interpreter needs no stack. */
  pthread_mutex_lock(&jit_stack_lock);
  sc->jstack = pcre2_jit_stack_create(32 * 1024, 1024 * 1024, NULL);
  pthread_mutex_unlock(&jit_stack_lock);
  if (sc->jstack) pcre2_jit_stack_assign(sc->mctx, NULL, sc->jstack);
  lode_regex_scratch_limits(sc, LODE_RE_MATCH_LIMIT, LODE_RE_DEPTH_LIMIT);
  return sc;
}

void lode_regex_scratch_free(lode_regex_scratch *sc) {
  if (!sc) return;
  pcre2_match_data_free(sc->md);
  if (sc->jstack) {
    pthread_mutex_lock(&jit_stack_lock);
    pcre2_jit_stack_free(sc->jstack);
    pthread_mutex_unlock(&jit_stack_lock);
  }
  pcre2_match_context_free(sc->mctx);
  free(sc);
}

/* 0 for either limit means "the default". */
void lode_regex_scratch_limits(lode_regex_scratch *sc, unsigned match_limit,
                               unsigned depth_limit) {
  if (!sc) return;
  pcre2_set_match_limit(sc->mctx, match_limit ? match_limit : LODE_RE_MATCH_LIMIT);
  pcre2_set_depth_limit(sc->mctx, depth_limit ? depth_limit : LODE_RE_DEPTH_LIMIT);
}

/* Make the match data hold at least groups+1 pairs. */
static int scratch_fit(lode_regex_scratch *sc, const lode_regex *re) {
  uint32_t need = (uint32_t)re->groups + 1;
  if (sc->md && sc->md_pairs >= need) return LODE_OK;
  if (need < 16) need = 16;  /* room for common patterns: no early regrowth */
  pcre2_match_data_free(sc->md);
  sc->md = pcre2_match_data_create(need, NULL);
  sc->md_pairs = sc->md ? need : 0;
  return sc->md ? LODE_OK : LODE_ENOMEM;
}

/* ----------------------------------------------------------------- exec */

/* Run pcre2_match with raw PCRE2 options; on success copy the ovector.
 * Returns 1, 0 (no match) or a negative LODE_E* with `err` filled. */
static int run(const lode_regex *re, lode_regex_scratch *sc, const char *s,
               size_t len, size_t start, uint32_t popts, size_t *ovec,
               lode_error *err) {
  int rc, i, n;
  PCRE2_SIZE *ov;
  char q[QUOTE_MAX * 4 + 16];

  if (!re || !sc || !ovec)
    return lode_error_set(err, LODE_EARG, LODE_NOPOS, 0, "regex exec: NULL %s",
                          !re ? "regex" : !sc ? "scratch" : "ovec");
  if (!s && len)
    return lode_error_set(err, LODE_EARG, LODE_NOPOS, 0, "regex exec: NULL subject with length %zu", len);
  if (!s) s = "";
  if (start > len)
    return lode_error_set(err, LODE_EARG, start, 0,
                          "regex exec: start offset %zu is past the end of the %zu-byte subject", start, len);
  /* PCRE2 assumes a start offset on a character boundary (with
   * PCRE2_NO_UTF_CHECK a continuation byte there is undefined behaviour:
   * \b reads before the subject); round it up, as regex.h promises. */
  start = lode_utf8_ceil(s, len, start);
  /* PCRE2 checks the UTF-8 from the start on (and over a lookbehind), but
   * ^ with m and \b also read the character before the start: invalid
   * bytes there make JIT and interpreter disagree, so they are an error. */
  if (!(popts & PCRE2_NO_UTF_CHECK) && start > 0) {
    size_t b = start - 1, ok;
    while (b > 0 && start - b < 4 && ((unsigned char)s[b] & 0xC0) == 0x80) b--;
    ok = lode_utf8_valid_prefix(s + b, start - b);
    if (ok < start - b)
      return lode_error_set(err, LODE_EENCODING, b + ok, 0,
                            "invalid UTF-8 in subject at byte %zu (byte 0x%02x), before the start %zu",
                            b + ok, (unsigned char)s[b + ok], start);
  }
  if (scratch_fit(sc, re) != LODE_OK)
    return lode_error_set(err, LODE_ENOMEM, LODE_NOPOS, 0, "regex exec: out of memory for match data");

  /* pcre2_match() on JIT code checks its arguments (done above), the UTF-8
   * (not asked for: NO_UTF_CHECK) and the options, then calls
   * pcre2_jit_match(): called directly, the answer and every error are the
   * same, ~125 instructions a call sooner. Options the JIT code cannot take
   * at match time (ANCHORED, from lode_regex_next) and checked subjects go
   * through pcre2_match(), as does a JIT_BADOPTION (a mode not compiled). */
  if (re->jit_direct && (popts & ~(uint32_t)PCRE2_NOTEMPTY_ATSTART) == PCRE2_NO_UTF_CHECK) {
    rc = pcre2_jit_match(re->code, (PCRE2_SPTR)s, len, start, popts, sc->md, sc->mctx);
    if (rc == PCRE2_ERROR_JIT_BADOPTION)
      rc = pcre2_match(re->code, (PCRE2_SPTR)s, len, start, popts, sc->md, sc->mctx);
  } else {
    rc = pcre2_match(re->code, (PCRE2_SPTR)s, len, start, popts, sc->md, sc->mctx);
  }
  if (rc == PCRE2_ERROR_NOMATCH || rc == PCRE2_ERROR_PARTIAL) return 0;
  if (rc < 0) {
    switch (rc) {
      case PCRE2_ERROR_MATCHLIMIT:
      case PCRE2_ERROR_DEPTHLIMIT:
      case PCRE2_ERROR_HEAPLIMIT:
      case PCRE2_ERROR_JIT_STACKLIMIT: {
        PCRE2_UCHAR pmsg[128];
        pcre2_get_error_message(rc, pmsg, sizeof pmsg);
        quote_pattern(q, sizeof q, re->pat, re->patlen);
        return lode_error_set(err, LODE_ELIMIT, start, 0,
                              "regex %s is too expensive for this text (%s, searching from byte %zu of %zu); "
                              "simplify the pattern (nested or ambiguous repeats) or raise the limits",
                              q, (const char *)pmsg, start, len);
      }
      case PCRE2_ERROR_NOMEMORY:
        return lode_error_set(err, LODE_ENOMEM, LODE_NOPOS, 0, "regex exec: out of memory");
      default:
        if (rc <= PCRE2_ERROR_UTF8_ERR1 && rc >= PCRE2_ERROR_UTF8_ERR21) {
          PCRE2_UCHAR pmsg[128];
          size_t off = (size_t)pcre2_get_startchar(sc->md);
          pcre2_get_error_message(rc, pmsg, sizeof pmsg);
          return lode_error_set(err, LODE_EENCODING, off, 0,
                                "invalid UTF-8 in subject at byte %zu (byte 0x%02x): %s",
                                off, off < len ? (unsigned char)s[off] : 0u, (const char *)pmsg);
        } else {
          PCRE2_UCHAR pmsg[128];
          if (pcre2_get_error_message(rc, pmsg, sizeof pmsg) < 0)
            snprintf((char *)pmsg, sizeof pmsg, "PCRE2 error %d", rc);
          quote_pattern(q, sizeof q, re->pat, re->patlen);
          return lode_error_set(err, LODE_EMATCH, start, 0, "regex %s failed: %s",
                                q, (const char *)pmsg);
        }
    }
  }
  ov = pcre2_get_ovector_pointer(sc->md);
  n = re->groups + 1;
  /* rc is the highest set group + 1 (never 0: the match data always fits). */
  for (i = 0; i < n; i++) {
    if (i < rc && ov[2 * i] != PCRE2_UNSET) {
      ovec[2 * i] = (size_t)ov[2 * i];
      ovec[2 * i + 1] = (size_t)ov[2 * i + 1];
    } else {
      ovec[2 * i] = ovec[2 * i + 1] = LODE_NOPOS;
    }
  }
  /* \K inside a lookaround can put the start after the end (PCRE2 10.38+
   * refuses that at compile time unless asked to); pcre2demo gives up here,
   * and so do we rather than hand out an inverted span. */
  if (ovec[0] > ovec[1]) {
    quote_pattern(q, sizeof q, re->pat, re->patlen);
    return lode_error_set(err, LODE_EMATCH, ovec[1], 0,
                          "regex %s: \\K set the match start (%zu) after its end (%zu)",
                          q, ovec[0], ovec[1]);
  }
  return 1;
}

int lode_regex_exec(const lode_regex *re, lode_regex_scratch *sc,
                    const char *s, size_t len, size_t start, unsigned opts,
                    size_t *ovec, lode_error *err) {
  uint32_t popts = 0;
  if (opts & LODE_RE_TRUSTED) popts |= PCRE2_NO_UTF_CHECK;
  if (opts & LODE_RE_NOTEMPTY_ATSTART) popts |= PCRE2_NOTEMPTY_ATSTART;
  return run(re, sc, s, len, start, popts, ovec, err);
}

/* ------------------------------------------------------------ iteration */

/* Step over one character at `i`: CRLF as one when it is a newline, else a
 * whole UTF-8 sequence (continuation bytes skipped, like pcre2demo). */
static size_t advance(const lode_regex *re, const char *s, size_t len, size_t i) {
  size_t j = i + 1;
  if (re->crlf_newline && i + 1 < len && s[i] == '\r' && s[i + 1] == '\n') return i + 2;
  while (j < len && ((unsigned char)s[j] & 0xC0) == 0x80) j++;
  return j;
}

/* The loop of pcre2demo.c (PCRE2 10.42), one match per call.
 * `*last_empty` is kept to 0 or 1 so a caller may store it as a boolean.
 * Without LODE_RE_TRUSTED every call makes PCRE2 check the UTF-8 from *pos to
 * the end of the subject, which is quadratic over many matches in a long
 * subject: validate once (a lode_text is always valid) and pass TRUSTED. */
int lode_regex_next(const lode_regex *re, lode_regex_scratch *sc,
                    const char *s, size_t len, size_t *pos, int *last_empty,
                    unsigned opts, size_t *ovec, lode_error *err) {
  int empty, rc;
  size_t p;
  uint32_t base = (opts & LODE_RE_TRUSTED) ? PCRE2_NO_UTF_CHECK : 0;
  if (!pos || !last_empty)
    return lode_error_set(err, LODE_EARG, LODE_NOPOS, 0, "regex next: NULL iteration state");
  if (!s) s = "";
  empty = *last_empty != 0;
  p = *pos;
  if (p > len) return 0;  /* exhausted */
  for (;;) {
    uint32_t popts = base;
    if (empty) popts |= PCRE2_NOTEMPTY_ATSTART | PCRE2_ANCHORED;
    rc = run(re, sc, s, len, p, popts, ovec, err);
    if (rc < 0) return rc;   /* state untouched */
    if (rc == 1) break;
    /* An unanchored search failed: all found. So did the non-empty retry
     * at the end of the subject. */
    if (!empty || p >= len) {
      *pos = len + 1;
      *last_empty = 0;
      return 0;
    }
    /* No non-empty match where the empty one was: move on one character
     * and search again, unanchored. */
    empty = 0;
    p = advance(re, s, len, p);
  }
  if (ovec[0] == ovec[1]) {
    /* Empty match: next time first try a non-empty match at the same place. */
    empty = 1;
    p = ovec[1];
  } else {
    /* A non-empty match normally continues at its end; but with \K the end
     * may not pass the point where matching started, which would loop: then
     * restart one character after that point, as pcre2demo does. */
    size_t startchar = (size_t)pcre2_get_startchar(sc->md);
    empty = 0;
    p = ovec[1];
    if (p <= startchar) p = startchar >= len ? len + 1 : advance(re, s, len, startchar);
  }
  *pos = p;
  *last_empty = empty;
  return 1;
}

/* ---------------------------------------------------------- word windows */

static int is_space(unsigned char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

void lode_regex_word_window(const char *s, size_t len, size_t a, size_t b,
                            size_t before, size_t after, size_t *ws, size_t *we) {
  size_t i = a, j = b, k;
  /* backwards: the rest of the span's word, then (spaces, word) pairs */
  while (i > 0 && !is_space((unsigned char)s[i - 1])) i--;
  for (k = 0; k < before; k++) {
    if (i == 0 || !is_space((unsigned char)s[i - 1])) break;
    while (i > 0 && is_space((unsigned char)s[i - 1])) i--;
    if (i == 0) break;                       /* spaces, but no word before */
    while (i > 0 && !is_space((unsigned char)s[i - 1])) i--;
  }
  *ws = k == before ? i : 0;
  /* forwards, the same */
  while (j < len && !is_space((unsigned char)s[j])) j++;
  for (k = 0; k < after; k++) {
    if (j >= len || !is_space((unsigned char)s[j])) break;
    while (j < len && is_space((unsigned char)s[j])) j++;
    if (j == len) break;
    while (j < len && !is_space((unsigned char)s[j])) j++;
  }
  *we = k == after ? j : len;
}
