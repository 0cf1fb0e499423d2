/*
 * text.c -- loading documents: bytes in, an immutable UTF-8 Text out
 * (see text.h for the contract).
 *
 * Every input goes through one pipeline, text_build(), which takes ownership
 * of a malloc'ed buffer of raw bytes:
 *
 *   BOM sniffing ─► UTF-16 transcoding   ─────────────────► line index ─┐
 *               └─► UTF-8: one fused scan (NUL check, validation and     ├► lode_text
 *                   line index) then keep, or replace / 8-bit decode ────┘
 *
 * The common case -- a valid UTF-8 file without a BOM -- keeps the buffer
 * the read filled: one read, one pass over the bytes, no copy.
 *
 * Error offsets ("at byte N") count bytes of the input as given (a file's
 * own offsets, BOM included), because that is what a person can look up in
 * a hex editor; no Text exists yet whose offsets they could refer to.
 * Lines in messages are 1-based and follow the Text's rules (LF, CRLF, CR).
 */
#include "text.h"
#include "encoding.h"
#include "srcmap.h"
#include "utf8.h"
#include "files.h"
#include "hugepage.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct lode_text {
  char *bytes;               /* UTF-8, `len` bytes plus a NUL terminator */
  size_t len;
  char *name;                /* path, or "<string>" */
  size_t *starts;            /* starts[k]: offset of line k+1; `nlines` entries */
  size_t nlines;
  lode_encoding_report enc;
  lode_srcmap *src;          /* text -> input bytes; NULL: the same offsets */
  char encname[LODE_ENCODING_NAME_MAX];   /* enc.encoding of an iconv decode */
};

/* ======================================================================
 * Messages
 * ==================================================================== */


/* 1-based line holding offset `off` of s[0, len), by the Text's rules; the
 * line's start offset goes to *start. A CR directly before `off` ends a line
 * only if it is not the first half of a CRLF. Only used to describe errors,
 * so a plain loop is fine. */
static size_t line_at(const char *s, size_t len, size_t off, size_t *start) {
  size_t line = 1, ls = 0, i;
  for (i = 0; i < off && i < len; i++) {
    if (s[i] == '\n' || (s[i] == '\r' && (i + 1 >= len || s[i + 1] != '\n'))) {
      line++;
      ls = i + 1;
    }
  }
  if (start) *start = ls;
  return line;
}

/* Characters (not bytes) in the valid UTF-8 run s[from, to). */
static size_t count_chars(const char *s, size_t from, size_t to) {
  size_t n = 0;
  for (; from < to; from++) n += ((unsigned char)s[from] & 0xC0) != 0x80;
  return n;
}

/* NUL at s[off] (s being the input after `skip` BOM bytes). */
static int binary_error(lode_error *err, const char *name, const char *s,
                        size_t len, size_t off, size_t skip) {
  size_t line = line_at(s, len, off, NULL);
  /* UTF-16 without a BOM looks like ASCII interleaved with NULs: say so. */
  const char *hint = (off < 2 && len >= 4 && s[off ^ 1] != 0 && s[off + 2] == 0)
                         ? " (UTF-16 without a byte-order mark?)" : "";
  return lode_error_set(err, LODE_EBINARY, skip + off, line,
                        "%s:%zu: binary data: NUL byte at byte %zu%s",
                        name, line, skip + off, hint);
}

/* ======================================================================
 * The fused scan: UTF-8 validation, NUL detection and the line index in
 * one pass over the bytes, not three (memchr for NUL, the validator, and
 * a memchr for LF and for CR per line).
 * ==================================================================== */

#define ONES  UINT64_C(0x0101010101010101)
#define HIGHS UINT64_C(0x8080808080808080)

/* Nonzero iff some byte of w is a control (< 0x20) or non-ASCII (>= 0x80).
 * Not exact per byte (a borrow can flag the byte above a control byte), but
 * exact about whether there is one: with no byte < 0x20 nothing borrows. */
#define ANY_SPECIAL(w) ((((w) - 0x20 * ONES) | (w)) & HIGHS)

/* 0x80 in exactly the bytes of w that are < 0x20 or >= 0x80: the high bits
 * are masked off before the add, so it cannot carry from byte to byte. */
static uint64_t special_bytes(uint64_t w) {
  return (w | ~((w & ~HIGHS) + 0x60 * ONES)) & HIGHS;
}

/* Index (0-7) in memory order of the first flagged byte of a nonzero mask
 * from special_bytes() on a word loaded with memcpy from p. */
static size_t first_special(uint64_t m, const unsigned char *p) {
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  (void)p;
  return (size_t)__builtin_ctzll(m) >> 3;
#else
  size_t k = 0;
  (void)m;
  while (p[k] >= 0x20 && p[k] < 0x80) k++;
  return k;
#endif
}

enum { SCAN_DONE, SCAN_NUL, SCAN_BAD, SCAN_NOMEM };

static int grow_starts(lode_text *t, size_t *cap) {
  size_t ncap = *cap ? *cap * 2 : 64, *ns;
  if (ncap > SIZE_MAX / sizeof *ns) return -1;
  if (!(ns = realloc(t->starts, ncap * sizeof *ns))) return -1;
  t->starts = ns;
  *cap = ncap;
  return 0;
}

/* The index lives as long as the text: trim it to size. */
static void trim_starts(lode_text *t, size_t cap) {
  if (cap > t->nlines) {
    size_t *ns = realloc(t->starts, t->nlines * sizeof *ns);
    if (ns) t->starts = ns;
  }
}

/* Scan s[0, len): record line starts in t->starts/t->nlines (a break at the
 * very end starts no new line) and stop at the first NUL (SCAN_NUL) or the
 * first byte that is not valid UTF-8 (SCAN_BAD), its offset in *stop.
 * Sixteen clean bytes (0x20..0x7F) cost one word test; only a word holding
 * a control or non-ASCII byte is looked at closer, and then only from that
 * byte on -- news text has a line break every ~140 bytes and about as many
 * non-ASCII runs (curly quotes), so most words are clean. */
static int scan_text(lode_text *t, const char *s, size_t len, size_t *stop) {
  const unsigned char *p = (const unsigned char *)s;
  size_t i = 0, cap = 0, j;
  uint64_t a, b, m;

  t->nlines = 0;
  if (len == 0) return SCAN_DONE;
  /* Roughly one line per 128 bytes up front saves most of the regrowth;
   * the index is trimmed to size at the end. */
  cap = len / 128 + 64;
  {
    size_t *ns = cap <= SIZE_MAX / sizeof *ns ? realloc(t->starts, cap * sizeof *ns) : NULL;
    if (!ns) return SCAN_NOMEM;
    t->starts = ns;
  }
  t->starts[t->nlines++] = 0;
  for (;;) {
    unsigned c;
    if (len - i >= 16) {
      memcpy(&a, p + i, 8);
      memcpy(&b, p + i + 8, 8);
      if (!(ANY_SPECIAL(a) | ANY_SPECIAL(b))) {
        i += 16;
        continue;
      }
      if ((m = special_bytes(a)) != 0) {
        i += first_special(m, p + i);
      } else {
        i += 8;
        i += first_special(special_bytes(b), p + i);
      }
    } else {
      while (i < len && p[i] >= 0x20 && p[i] < 0x80) i++;
      if (i == len) break;
    }
    /* p[i] is a control or non-ASCII byte */
    c = p[i];
    if (c == '\n' || c == '\r') {
      i += 1 + (c == '\r' && i + 1 < len && p[i + 1] == '\n');   /* LF, CR, CRLF */
      if (i >= len) break;
      if (t->nlines == cap && grow_starts(t, &cap)) return SCAN_NOMEM;
      t->starts[t->nlines++] = i;
    } else if (c == 0) {
      *stop = i;
      return SCAN_NUL;
    } else if (c < 0x80) {
      i++;                                   /* tab, form feed, ... */
    } else if ((j = lode_utf8_skip_multibyte(s, len, i)) == i) {
      *stop = i;
      return SCAN_BAD;
    } else {
      i = j;
    }
  }
  trim_starts(t, cap);
  return SCAN_DONE;
}

/* Line index of a decoder's output: valid UTF-8 without NUL by
 * construction, so only the breaks are looked for (from one LF to the
 * next with memchr when there is no CR), and only memory can fail. */
static int index_lines(lode_text *t) {
  const char *s = t->bytes, *lf;
  size_t len = t->len, i = 0, cap = len / 128 + 64;
  int cr = len && memchr(s, '\r', len) != NULL;
  t->nlines = 0;
  if (len == 0) return LODE_OK;
  {
    size_t *ns = realloc(t->starts, cap * sizeof *ns);   /* a failed scan's, or none */
    if (!ns) return LODE_ENOMEM;
    t->starts = ns;
  }
  t->starts[t->nlines++] = 0;
  for (;;) {
    if (!cr) {
      if (!(lf = memchr(s + i, '\n', len - i))) break;
      i = (size_t)(lf - s) + 1;
    } else {
      while (i < len && s[i] != '\n' && s[i] != '\r') i++;
      if (i == len) break;
      i += 1 + (s[i] == '\r' && i + 1 < len && s[i + 1] == '\n');   /* LF, CR, CRLF */
    }
    if (i >= len) break;
    if (t->nlines == cap && grow_starts(t, &cap)) return LODE_ENOMEM;
    t->starts[t->nlines++] = i;
  }
  trim_starts(t, cap);
  return LODE_OK;
}

/* ======================================================================
 * Decoders. Each fills t->bytes/t->len (or fails) and frees `buf`.
 * ==================================================================== */

/* Allocate `n` bytes plus a terminator, failing cleanly on overflow. */
static char *alloc_bytes(size_t n) {
  return n < SIZE_MAX ? malloc(n + 1) : NULL;
}

static int nomem(lode_error *err, const char *name) {
  return lode_error_set(err, LODE_ENOMEM, LODE_NOPOS, 0, "%s: out of memory", name);
}

/* Single-byte decoding of s[0, len) into out (NULL: just measure).
 * Returns the UTF-8 length. */
static size_t sbcs_pass(const unsigned char *s, size_t len, int cp1252, char *out) {
  size_t i, o = 0;
  for (i = 0; i < len; i++) {
    unsigned c = s[i];
    int32_t cp = cp1252 ? lode_encoding_cp1252((unsigned char)c) : (int32_t)c;
    if (out) o += lode_utf8_encode(cp, out + o);
    else o += cp < 0x80 ? 1 : cp < 0x800 ? 2 : 3;
  }
  return o;
}

/* Replacement of s[0, len), whose first bad byte is at `bad`, into out (NULL:
 * just measure) and `map` (with out). Each maximal subpart becomes one
 * U+FFFD, counted in *replaced. Returns the UTF-8 length, or SIZE_MAX when
 * the map runs out of memory. */
static size_t replace_pass(const char *s, size_t len, size_t bad, char *out,
                           lode_srcmap *map, size_t *replaced) {
  size_t i = bad, o = bad, good, n;
  if (out) memcpy(out, s, bad);
  if (out && lode_srcmap_add(map, out, bad, 0)) return SIZE_MAX;
  *replaced = 0;
  while (i < len) {
    n = lode_utf8_invalid_len(s, len, i);   /* > 0: s[i] is bad */
    i += n;
    if (out) memcpy(out + o, "\xEF\xBF\xBD", 3);
    if (out && lode_srcmap_add(map, out + o, 3, (unsigned)n)) return SIZE_MAX;
    o += 3;
    ++*replaced;
    good = lode_utf8_valid_prefix(s + i, len - i);
    if (out) memcpy(out + o, s + i, good);
    if (out && lode_srcmap_add(map, out + o, good, 0)) return SIZE_MAX;
    o += good;
    i += good;
  }
  return o;
}

static void set_bytes(lode_text *t, char *out, size_t n) {
  out[n] = '\0';
  t->bytes = out;
  t->len = n;
}

/* A fresh source map for a decoder, the first `skip` input bytes (a BOM)
 * already behind it. */
static lode_srcmap *new_map(lode_text *t, size_t skip) {
  if ((t->src = lode_srcmap_new()) != NULL) lode_srcmap_skip(t->src, skip);
  return t->src;
}

/* Decode all of buf[0, n) through iconv from `encoding` (shorter than
 * LODE_ENCODING_NAME_MAX), `reason` saying why; frees buf. */
static int decode_iconv(lode_text *t, char *buf, size_t n, const char *encoding,
                        const char *reason, lode_invalid_policy policy, lode_error *err) {
  lode_decoded d;
  int rc = lode_encoding_decode(t->name, encoding, buf, n, policy, &d, err);
  free(buf);
  if (rc != LODE_OK) return rc;
  t->bytes = d.bytes;
  t->len = d.len;
  t->src = d.map;
  t->nlines = 0;
  t->enc.replaced = d.replaced;
  snprintf(t->encname, sizeof t->encname, "%s", encoding);
  t->enc.encoding = t->encname;
  t->enc.reason = reason;
  return LODE_OK;
}

/* UTF-8 (after `skip` BOM bytes) with the invalid-byte policy; `detect`:
 * an input that is not UTF-8 may be in the encoding it declares or looks
 * like (encoding.h). */
static int decode_utf8(lode_text *t, char *buf, size_t n, size_t skip, int detect,
                       lode_invalid_policy policy, lode_error *err) {
  const char *s = buf + skip;
  size_t len = n - skip, bad = 0, outlen;
  const char *nul, *why;
  char *out, name[LODE_ENCODING_NAME_MAX];
  int scan = scan_text(t, s, len, &bad);

  if (scan == SCAN_DONE) {                /* the common case: keep the buffer */
    if (skip) {
      memmove(buf, s, len);               /* line starts are relative to s */
      if (!new_map(t, skip) || lode_srcmap_add(t->src, buf, len, 0)) scan = SCAN_NOMEM;
    }
    if (scan == SCAN_DONE) {
      set_bytes(t, buf, len);
      return LODE_OK;
    }
  }
  if (scan == SCAN_NUL) {
    int rc = binary_error(err, t->name, s, len, bad, skip);
    free(buf);
    return rc;
  }
  if (scan == SCAN_NOMEM) {
    free(buf);
    return nomem(err, t->name);
  }
  /* Bad UTF-8 at `bad`. A NUL anywhere still makes the input binary, under
   * every policy, and that verdict comes first. The decoders below build a
   * new text, which text_build() indexes afresh. */
  if ((nul = memchr(s + bad, '\0', len - bad)) != NULL) {
    int rc = binary_error(err, t->name, s, len, (size_t)(nul - s), skip);
    free(buf);
    return rc;
  }
  t->nlines = 0;
  if (detect && !skip && (policy == LODE_INVALID_ERROR || policy == LODE_INVALID_REPLACE) &&
      (why = lode_encoding_detect(s, len, name)) != NULL)
    return decode_iconv(t, buf, n, name, why, policy, err);

  switch (policy) {
    case LODE_INVALID_REPLACE:
      outlen = replace_pass(s, len, bad, NULL, NULL, &t->enc.replaced);
      if (!(out = alloc_bytes(outlen))) break;
      if (!new_map(t, skip) ||
          replace_pass(s, len, bad, out, t->src, &t->enc.replaced) == SIZE_MAX) {
        free(out);
        break;
      }
      set_bytes(t, out, outlen);
      if (detect) t->enc.reason = "invalid policy";
      free(buf);
      return LODE_OK;

    case LODE_INVALID_LATIN1:
    case LODE_INVALID_CP1252: {
      /* Not UTF-8, so the whole input is taken as the single-byte encoding:
       * mixing the two per region would turn valid-looking pairs into
       * mojibake silently. A UTF-8 BOM, if any, is still dropped. */
      int cp1252 = policy == LODE_INVALID_CP1252;
      const unsigned char *u = (const unsigned char *)s;
      outlen = sbcs_pass(u, len, cp1252, NULL);
      if (!(out = alloc_bytes(outlen))) break;
      sbcs_pass(u, len, cp1252, out);
      if (!new_map(t, skip) || lode_srcmap_add(t->src, out, outlen, 1)) {
        free(out);
        break;
      }
      set_bytes(t, out, outlen);
      t->enc.encoding = cp1252 ? "cp1252" : "latin1";
      t->enc.reason = "invalid policy";
      free(buf);
      return LODE_OK;
    }

    case LODE_INVALID_ERROR:
    default: {
      size_t ls, line = line_at(s, len, bad, &ls);
      int rc = lode_error_set(err, LODE_EENCODING, skip + bad, line,
                              "%s:%zu: invalid UTF-8 byte 0x%02x at byte %zu (column %zu)",
                              t->name, line, (unsigned char)s[bad], skip + bad,
                              count_chars(s, ls, bad) + 1);
      free(buf);
      return rc;
    }
  }
  free(buf);
  return nomem(err, t->name);
}

static unsigned utf16_unit(const unsigned char *p, int big_endian) {
  return big_endian ? (unsigned)(p[0] << 8 | p[1]) : (unsigned)(p[1] << 8 | p[0]);
}

/* UTF-16 after its 2-byte BOM. Unpaired surrogates and an odd final byte
 * are errors, or U+FFFD under the "replace" policy (the latin1/cp1252
 * fallbacks are about bad UTF-8 and do not apply here). U+0000 is binary. */
static int decode_utf16(lode_text *t, char *buf, size_t n, int big_endian,
                        lode_invalid_policy policy, lode_error *err) {
  const unsigned char *p = (const unsigned char *)buf;
  size_t i = 2, o = 0, cap;
  char *out;
  int rc = LODE_OK;

  /* Each 2-byte unit gives at most 3 UTF-8 bytes (a 4-byte pair gives 4). */
  if ((n - 2) / 2 > (SIZE_MAX - 8) / 3 || !(out = malloc((n - 2) / 2 * 3 + 4))) {
    free(buf);
    return nomem(err, t->name);
  }
  cap = (n - 2) / 2 * 3 + 4;
  if (!new_map(t, 2)) {
    free(buf);
    free(out);
    return nomem(err, t->name);
  }
  while (i < n && rc == LODE_OK) {
    int32_t cp = 0xFFFD;
    const char *what = NULL;
    size_t step = 2;
    unsigned u;

    if (i + 1 >= n) {
      what = "odd number of bytes, last byte";
      step = 1;
    } else if ((u = utf16_unit(p + i, big_endian)) == 0) {
      size_t line = line_at(out, o, o, NULL);
      rc = lode_error_set(err, LODE_EBINARY, i, line,
                          "%s:%zu: binary data: NUL character at byte %zu",
                          t->name, line, i);
      break;
    } else if (u >= 0xD800 && u <= 0xDBFF) {
      unsigned lo = i + 3 < n ? utf16_unit(p + i + 2, big_endian) : 0;
      if (lo >= 0xDC00 && lo <= 0xDFFF) {
        cp = (int32_t)(0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00));
        step = 4;
      } else {
        what = "unpaired high surrogate";
      }
    } else if (u >= 0xDC00 && u <= 0xDFFF) {
      what = "unpaired low surrogate";
    } else {
      cp = (int32_t)u;
    }

    if (what) {
      if (policy != LODE_INVALID_REPLACE) {
        size_t line = line_at(out, o, o, NULL);
        if (step == 1)
          rc = lode_error_set(err, LODE_EENCODING, i, line,
                              "%s:%zu: invalid UTF-16: %s at byte %zu",
                              t->name, line, what, i);
        else
          rc = lode_error_set(err, LODE_EENCODING, i, line,
                              "%s:%zu: invalid UTF-16: %s 0x%04x at byte %zu",
                              t->name, line, what, utf16_unit(p + i, big_endian), i);
        break;
      }
      cp = 0xFFFD;
      t->enc.replaced++;
    }
    {
      size_t w = lode_utf8_encode(cp, out + o);
      if (lode_srcmap_add(t->src, out + o, w, (unsigned)step)) {
        rc = nomem(err, t->name);
        break;
      }
      o += w;
    }
    i += step;
  }
  free(buf);
  if (rc != LODE_OK) {
    free(out);
    return rc;
  }
  /* Mostly-ASCII UTF-16 shrinks by about 3: give the slack back. */
  if (o + 1 < cap) {
    char *shrunk = realloc(out, o + 1);
    if (shrunk) out = shrunk;
  }
  set_bytes(t, out, o);
  t->enc.encoding = big_endian ? "utf-16be" : "utf-16le";
  t->enc.reason = "byte-order mark";
  t->enc.bom = 1;
  return LODE_OK;
}

/* "utf-8" and its spellings, which the hand-written decoder reads. */
static int is_utf8_name(const char *e) {
  return strcmp(e, "utf-8") == 0 || strcmp(e, "utf8") == 0 || strcmp(e, "UTF-8") == 0 ||
         strcmp(e, "UTF8") == 0;
}

/* Sniff the BOM and hand `buf` (n bytes + 1 spare) to the right decoder;
 * without one, an `encoding` other than NULL, "auto" or UTF-8 goes to
 * iconv. */
static int decode_input(lode_text *t, char *buf, size_t n, const char *encoding,
                        lode_invalid_policy policy, lode_error *err) {
  const unsigned char *p = (const unsigned char *)buf;
  int detect = !encoding || strcmp(encoding, "auto") == 0;
  int named = !detect && !is_utf8_name(encoding);   /* one for iconv */

  if (named && (encoding[0] == '\0' || strlen(encoding) >= LODE_ENCODING_NAME_MAX)) {
    free(buf);
    return lode_error_set(err, LODE_EARG, LODE_NOPOS, 0, "%s: unknown encoding \"%.60s\"",
                          t->name, encoding);
  }
  /* A byte-order mark wins over a named encoding, as in browsers. */
  if (n >= 4 && ((p[0] == 0xFF && p[1] == 0xFE && p[2] == 0 && p[3] == 0) ||
                 (p[0] == 0 && p[1] == 0 && p[2] == 0xFE && p[3] == 0xFF))) {
    free(buf);
    return lode_error_set(err, LODE_EENCODING, 0, 1,
                          "%s:1: UTF-32 text is not supported (byte-order mark at byte 0)",
                          t->name);
  }
  if (n >= 2 && p[0] == 0xFF && p[1] == 0xFE)
    return decode_utf16(t, buf, n, 0, policy, err);
  if (n >= 2 && p[0] == 0xFE && p[1] == 0xFF)
    return decode_utf16(t, buf, n, 1, policy, err);
  if (n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF) {
    t->enc.bom = 1;
    t->enc.reason = detect || named ? "byte-order mark" : "requested";
    return decode_utf8(t, buf, n, 3, 0, policy, err);
  }
  if (named) return decode_iconv(t, buf, n, encoding, "requested", policy, err);
  if (!detect) t->enc.reason = "requested";
  return decode_utf8(t, buf, n, 0, detect, policy, err);
}

/* ======================================================================
 * Building and reading
 * ==================================================================== */

/* Build a text from `buf` (n bytes, malloc'ed with room for n + 1), which
 * it takes over in every case. Returns NULL with `err` filled on failure. */
static lode_text *text_build(const char *name, char *buf, size_t n,
                             const lode_load_opts *opts, lode_error *err) {
  lode_invalid_policy policy = opts ? opts->invalid : LODE_INVALID_ERROR;
  lode_text *t = calloc(1, sizeof *t);

  if (!t || !(t->name = strdup(name))) {
    free(t);
    free(buf);
    nomem(err, name);
    return NULL;
  }
  t->enc.encoding = "utf-8";
  t->enc.reason = "valid UTF-8";
  t->enc.source_bytes = n;
  if (decode_input(t, buf, n, opts ? opts->encoding : NULL, policy, err) != LODE_OK) {
    lode_text_free(t);
    return NULL;
  }
  /* decode_utf8 indexes the common case during its scan; a non-empty text
   * always has line 1, so nlines == 0 means "not indexed yet". */
  if (t->nlines == 0 && index_lines(t) != LODE_OK) {
    nomem(err, name);
    lode_text_free(t);
    return NULL;
  }
  lode_error_clear(err);
  return t;
}

/* Read all of `f` into a malloc'ed buffer with one spare byte; `hint` is the
 * expected size (0 if unknown). Reads until EOF rather than trusting the
 * size, so growing files, pipes and /proc files come out whole. */
static int read_all(FILE *f, size_t hint, const char *path, char **out,
                    size_t *outlen, lode_error *err) {
  size_t cap = hint ? hint + 1 : 65536, len = 0;
  char *buf = malloc(cap), errbuf[128];

  if (!buf) return nomem(err, path);
  lode_advise_huge(buf, cap);
  for (;;) {
    int c;
    len += fread(buf + len, 1, cap - 1 - len, f);
    /* A full buffer may be the exact size or the start of more. */
    if (len < cap - 1 || (c = getc(f)) == EOF) break;
    if (cap > SIZE_MAX / 2) { free(buf); return nomem(err, path); }
    {
      char *nb = realloc(buf, cap * 2);
      if (!nb) { free(buf); return nomem(err, path); }
      buf = nb;
      cap *= 2;
    }
    buf[len++] = (char)c;
  }
  if (ferror(f)) {
    int e = errno;
    free(buf);
    return lode_error_set(err, LODE_EIO, LODE_NOPOS, 0, "%s: cannot read: %s",
                          path, lode_errno_text(e, errbuf, sizeof errbuf));
  }
  if (cap - len > 65536) {
    char *nb = realloc(buf, len + 1);
    if (nb) buf = nb;
  }
  *out = buf;
  *outlen = len;
  return LODE_OK;
}

lode_text *lode_text_load(const char *path, const lode_load_opts *opts,
                          lode_error *err) {
  FILE *f;
  struct stat st;
  char *buf = NULL, errbuf[128];
  size_t len = 0, hint = 0;
  int rc;

  if (!path) {
    lode_error_set(err, LODE_EARG, LODE_NOPOS, 0, "lode_text_load: path is NULL");
    return NULL;
  }
  /* Documents are files: opening a FIFO blocks until a writer comes, and
   * a device such as /dev/zero never ends. */
  if (stat(path, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) {
    lode_error_set(err, LODE_EIO, LODE_NOPOS, 0, "%s: cannot read: not a regular file (%s)",
                   path, lode_files_kind(st.st_mode));
    return NULL;
  }
  if (!(f = fopen(path, "rb"))) {
    lode_error_set(err, LODE_EIO, LODE_NOPOS, 0, "%s: cannot open: %s", path,
                   lode_errno_text(errno, errbuf, sizeof errbuf));
    return NULL;
  }
  if (fstat(fileno(f), &st) == 0) {
    if (S_ISDIR(st.st_mode)) {
      fclose(f);
      lode_error_set(err, LODE_EIO, LODE_NOPOS, 0, "%s: cannot read: %s", path,
                     lode_errno_text(EISDIR, errbuf, sizeof errbuf));
      return NULL;
    }
    if (S_ISREG(st.st_mode) && st.st_size > 0 &&
        (uintmax_t)st.st_size < (uintmax_t)SIZE_MAX)
      hint = (size_t)st.st_size;
  }
  rc = read_all(f, hint, path, &buf, &len, err);
  fclose(f);
  if (rc != LODE_OK) return NULL;
  return text_build(path, buf, len, opts, err);
}

lode_text *lode_text_from_memory(const char *name, const char *s, size_t len,
                                 const lode_load_opts *opts, lode_error *err) {
  char *buf;
  if (!name) name = "<string>";
  if (!s && len) {
    lode_error_set(err, LODE_EARG, LODE_NOPOS, 0, "%s: NULL bytes with length %zu", name, len);
    return NULL;
  }
  if (!(buf = alloc_bytes(len))) {
    nomem(err, name);
    return NULL;
  }
  lode_advise_huge(buf, len);
  if (len) memcpy(buf, s, len);
  return text_build(name, buf, len, opts, err);
}

void lode_text_free(lode_text *t) {
  if (!t) return;
  free(t->bytes);
  free(t->name);
  free(t->starts);
  lode_srcmap_free(t->src);
  free(t);
}

/* ======================================================================
 * Accessors
 * ==================================================================== */

const char *lode_text_bytes(const lode_text *t, size_t *len) {
  if (len) *len = t->len;
  return t->bytes;
}

const char *lode_text_name(const lode_text *t) { return t->name; }

const lode_encoding_report *lode_text_encoding(const lode_text *t) { return &t->enc; }

void lode_text_origin(const lode_text *t, size_t i, size_t j, size_t *fi, size_t *fj) {
  if (t->src) {
    lode_srcmap_origin(t->src, t->bytes, t->len, i, j, fi, fj);
    return;
  }
  if (i > t->len) i = t->len;
  if (j > t->len) j = t->len;
  if (fi) *fi = i;
  if (fj) *fj = j < i ? i : j;
}

void lode_text_origin_of(const void *t, size_t i, size_t j, size_t *fi, size_t *fj) {
  lode_text_origin(t, i, j, fi, fj);
}

int lode_text_same_offsets(const lode_text *t) { return t->src == NULL; }

size_t lode_text_line_at(const char *s, size_t len, size_t off) {
  return line_at(s, len, off, NULL);
}

size_t lode_text_line_count(const lode_text *t) { return t->nlines; }

size_t lode_text_line_of(const lode_text *t, size_t offset) {
  size_t lo = 0, hi = t->nlines;
  if (hi == 0) return 1;
  /* Last line whose start is <= offset; starts[0] == 0 bounds it below, and
   * offsets past the end land on the last line. */
  while (hi - lo > 1) {
    size_t mid = lo + (hi - lo) / 2;
    if (t->starts[mid] <= offset) lo = mid;
    else hi = mid;
  }
  return lo + 1;
}

int lode_text_line_span(const lode_text *t, size_t line, size_t *start,
                        size_t *end) {
  size_t s, e;
  if (line == 0 || line > t->nlines) return LODE_EARG;
  s = t->starts[line - 1];
  e = line < t->nlines ? t->starts[line] : t->len;
  /* Lines end exactly after their break, or at the end of the text; a CR or
   * LF in the last byte is always a break, so stripping is unambiguous. */
  if (e > s && t->bytes[e - 1] == '\n') e--;
  if (e > s && t->bytes[e - 1] == '\r') e--;
  if (start) *start = s;
  if (end) *end = e;
  return LODE_OK;
}

/* ---- trimming lines ---------------------------------------------------- */

/* The C locale's isspace(), without the locale lookup. */
static int ascii_space(unsigned char c) {
  return c == ' ' || (c >= '\t' && c <= '\r');
}

static int nbsp_at(const char *s, size_t i, size_t len) {
  return i + 1 < len && (unsigned char)s[i] == 0xC2 && (unsigned char)s[i + 1] == 0xA0;
}

int lode_text_trim(const char *s, size_t len, size_t *start, size_t *end) {
  size_t a = 0, b = len, i;
  for (;;) {
    if (a < b && ascii_space((unsigned char)s[a])) a++;
    else if (nbsp_at(s, a, b)) a += 2;
    else break;
  }
  for (;;) {
    if (b > a && ascii_space((unsigned char)s[b - 1])) b--;
    else if (b >= a + 2 && nbsp_at(s, b - 2, b)) b -= 2;
    else break;
  }
  *start = a;
  *end = b;
  /* C2 A0 never overlaps itself, so a hit anywhere is a real no-break space */
  for (i = a; i + 1 < b; i++) {
    const char *c2 = memchr(s + i, 0xC2, b - i - 1);
    if (!c2) break;
    i = (size_t)(c2 - s);
    if ((unsigned char)s[i + 1] == 0xA0) return 1;
  }
  return 0;
}

size_t lode_text_fold_nbsp(const char *s, size_t len, char *out) {
  size_t i = 0, n = 0;
  while (i < len) {
    /* the bytes up to the next C2 go over in one move (out may equal s,
     * and writing never overtakes reading: n <= i) */
    const char *c2 = memchr(s + i, 0xC2, len - i);
    size_t run = c2 ? (size_t)(c2 - (s + i)) : len - i;
    memmove(out + n, s + i, run);
    n += run;
    i += run;
    if (i >= len) break;
    if (nbsp_at(s, i, len)) {
      out[n++] = ' ';
      i += 2;
    } else {
      out[n++] = s[i++];
    }
  }
  return n;
}
