/*
 * html.c -- HTML to text with a file map, through libxml2's SAX parser.
 *
 * libxml2 tells no byte offsets in its callbacks, but its input position
 * (consumed + cur - base) is exactly past what a callback reports: a run
 * of character data ends where the parser stopped (at '<' or '&', or after
 * a 1000-byte chunk), an entity reference after its ';', a tag after its
 * '>'. So each run of text comes from [end of the previous event, now).
 * Plain text runs are the page's own bytes (checked, CRLF allowed for the
 * LF libxml2 reports) and map byte for byte; an entity maps as a unit.
 *
 * Two elements side by side ("</a><a>", "</span><span>") are set apart
 * by a space (mapped to no file bytes) when no white space separates them:
 * pages style such items apart, and glued they would make one false word.
 *
 * The element stack mirrors libxml2's (which closes what HTML closes
 * implicitly and reports every end, void elements included), each entry
 * holding what is true inside it: skipped, inside <a>, in <pre>, the
 * context bits and the innermost block.
 */
#include "html.h"
#include "text.h"
#include "utf8.h"

#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/HTMLparser.h>
#include <libxml/parserInternals.h>

/* ---- elements ------------------------------------------------------------ */

enum { E_BLOCK = 1, E_SKIP = 2, E_BREAK = 4, E_LINK = 8, E_PRE = 16, E_TITLE = 32,
       E_SCRIPT = 64, E_FOREIGN = 128 };

typedef struct element {
  const char *name;
  unsigned flags;
  unsigned context;   /* LODE_HTML_* */
} element;

/* Sorted by name (bsearch). Elements not listed are inline and neutral. */
static const element ELEMENTS[] = {
  {"a", E_LINK, 0},
  {"address", E_BLOCK, 0},
  {"article", E_BLOCK, LODE_HTML_ARTICLE},
  {"aside", E_BLOCK, LODE_HTML_ASIDE},
  {"blockquote", E_BLOCK, LODE_HTML_BLOCKQUOTE},
  {"body", E_BLOCK, 0},
  {"br", E_BREAK, 0},
  {"canvas", E_SKIP, 0},
  {"caption", E_BLOCK, LODE_HTML_TABLE},
  {"dd", E_BLOCK, LODE_HTML_LI},
  {"details", E_BLOCK, 0},
  {"dialog", E_BLOCK, 0},
  {"div", E_BLOCK, 0},
  {"dl", E_BLOCK, LODE_HTML_LIST},
  {"dt", E_BLOCK, LODE_HTML_LI},
  {"fieldset", E_BLOCK, LODE_HTML_FORM},
  {"figcaption", E_BLOCK, LODE_HTML_FIGCAPTION},
  {"figure", E_BLOCK, LODE_HTML_FIGURE},
  {"footer", E_BLOCK, LODE_HTML_FOOTER},
  {"form", E_BLOCK, LODE_HTML_FORM},
  {"h1", E_BLOCK, LODE_HTML_HEADING},
  {"h2", E_BLOCK, LODE_HTML_HEADING},
  {"h3", E_BLOCK, LODE_HTML_HEADING},
  {"h4", E_BLOCK, LODE_HTML_HEADING},
  {"h5", E_BLOCK, LODE_HTML_HEADING},
  {"h6", E_BLOCK, LODE_HTML_HEADING},
  {"head", E_SKIP, 0},
  {"header", E_BLOCK, LODE_HTML_HEADER},
  {"hr", E_BREAK, 0},
  {"iframe", E_SKIP, 0},
  {"legend", E_BLOCK, LODE_HTML_FORM},
  {"li", E_BLOCK, LODE_HTML_LI},
  {"main", E_BLOCK, LODE_HTML_MAIN},
  {"math", E_SKIP | E_FOREIGN, 0},
  {"menu", E_BLOCK, LODE_HTML_LIST},
  {"nav", E_BLOCK, LODE_HTML_NAV},
  {"noscript", E_SKIP, 0},
  {"object", E_SKIP, 0},
  {"ol", E_BLOCK, LODE_HTML_LIST},
  {"option", E_BLOCK, LODE_HTML_FORM},
  {"p", E_BLOCK, 0},
  {"pre", E_BLOCK | E_PRE, 0},
  {"script", E_SKIP | E_SCRIPT, 0},
  {"section", E_BLOCK, 0},
  {"select", E_BLOCK, LODE_HTML_FORM},
  {"style", E_SKIP, 0},
  {"summary", E_BLOCK, 0},
  {"svg", E_SKIP | E_FOREIGN, 0},
  {"table", E_BLOCK, LODE_HTML_TABLE},
  {"tbody", E_BLOCK, LODE_HTML_TABLE},
  {"td", E_BLOCK, LODE_HTML_TABLE},
  {"template", E_SKIP, 0},
  {"textarea", E_BLOCK, LODE_HTML_FORM},
  {"tfoot", E_BLOCK, LODE_HTML_TABLE},
  {"th", E_BLOCK, LODE_HTML_TABLE},
  {"thead", E_BLOCK, LODE_HTML_TABLE},
  {"title", E_SKIP | E_TITLE, 0},
  {"tr", E_BLOCK, LODE_HTML_TABLE},
  {"ul", E_BLOCK, LODE_HTML_LIST},
  {"video", E_SKIP, 0},
};
#define NELEMENTS (sizeof ELEMENTS / sizeof ELEMENTS[0])

static const char *const CONTEXT_NAMES[LODE_HTML_CONTEXTS] = {
  "nav", "header", "footer", "aside", "figure", "figcaption", "form", "list",
  "li", "heading", "blockquote", "table", "article", "main"
};

const char *lode_html_context_name(int k) {
  return k >= 0 && k < LODE_HTML_CONTEXTS ? CONTEXT_NAMES[k] : NULL;
}

static int by_name(const void *key, const void *e) {
  return strcmp(key, ((const element *)e)->name);
}

static const element *element_of(const char *name) {
  return bsearch(name, ELEMENTS, NELEMENTS, sizeof ELEMENTS[0], by_name);
}

/* ---- conversion state ------------------------------------------------------ */

typedef struct frame {
  const element *e;   /* NULL: an element not in the table */
  int skip, link, pre, foreign, script_ld;   /* foreign: inside svg or math */
  unsigned context;
  const char *block;
} frame;

typedef struct conv {
  htmlParserCtxtPtr ctxt;
  const char *file;
  size_t flen, last;          /* last: where the previous event ended */
  int failed;                 /* LODE_ENOMEM once an allocation failed */
  /* text and its map; `run` is the exact piece being extended */
  char *text;
  size_t len, cap;
  lode_filemap *map;
  size_t run_t, run_f, run_len;
  /* the line being written */
  int line_text;              /* has non-space text */
  int space;                  /* white space seen after text */
  size_t space_f, space_fend; /* its file bytes */
  lode_html_line cur;
  lode_html_line *lines;
  size_t nlines, lcap;
  /* elements */
  frame *stack;
  size_t depth, scap;
  /* metadata */
  lode_html_meta *meta;
  size_t nmeta, mcap;
  char *collect;              /* title or ld+json being collected */
  size_t clen, ccap, cstart, cend;
  int adjacent;               /* 1 after an end tag, 2 when start tags follow it */
  int collecting;             /* 0, E_TITLE or E_SCRIPT */
  int have_title;
} conv;

static size_t position(const conv *c) {
  const xmlParserInput *in = c->ctxt->input;
  size_t p = (size_t)in->consumed + (size_t)(in->cur - in->base);
  /* libxml2 steps back to read again what it first took for markup (a
   * "<!DO" that opens no doctype): the map never runs backwards */
  if (p > c->flen) p = c->flen;
  return p < c->last ? c->last : p;
}

/* libxml2 reports a start or end tag before it steps over its '>'. */
static size_t after_tag(const conv *c, size_t now) {
  return now < c->flen && c->file[now] == '>' ? now + 1 : now;
}

static void *grow(conv *c, void *p, size_t *cap, size_t need, size_t size) {
  size_t n = *cap ? *cap : 16;
  void *q;
  if (need <= *cap) return p;
  while (n < need) n *= 2;
  if ((q = realloc(p, n * size)) == NULL) {
    c->failed = LODE_ENOMEM;
    return NULL;
  }
  *cap = n;
  return q;
}

static int put_bytes(conv *c, const char *s, size_t n) {
  char *t = grow(c, c->text, &c->cap, c->len + n + 1, 1);
  if (!t) return -1;
  c->text = t;
  memcpy(t + c->len, s, n);
  c->len += n;
  return 0;
}

static void flush_run(conv *c) {
  if (c->run_len && lode_filemap_add(c->map, c->run_t, c->run_len, c->run_f, c->run_len, 1) < 0)
    c->failed = LODE_ENOMEM;
  c->run_len = 0;
}

/* Text bytes s[0, n) from file[f, fend), as a unit unless exact. */
static void put_piece(conv *c, const char *s, size_t n, size_t f, size_t fend, int exact) {
  size_t t = c->len;
  if (c->failed || put_bytes(c, s, n) < 0) return;
  if (exact) {
    if (c->run_len && c->run_t + c->run_len == t && c->run_f + c->run_len == f) {
      c->run_len += n;
      return;
    }
    flush_run(c);
    c->run_t = t, c->run_f = f, c->run_len = n;
    return;
  }
  flush_run(c);
  if (lode_filemap_add(c->map, t, n, f, fend - f, 0) < 0) c->failed = LODE_ENOMEM;
}

static const frame *top(const conv *c) {
  static const frame none = {NULL, 0, 0, 0, 0, 0, 0, "body"};
  return c->depth ? &c->stack[c->depth - 1] : &none;
}

/* End the line being written (if it has text) with a '\n' mapped to an
 * empty file range at `f`. */
static void break_line(conv *c, size_t f) {
  lode_html_line *l;
  c->space = 0;
  if (!c->line_text) return;
  put_piece(c, "\n", 1, f, f, 0);
  if ((l = grow(c, c->lines, &c->lcap, c->nlines + 1, sizeof *l)) == NULL) return;
  c->lines = l;
  c->lines[c->nlines++] = c->cur;
  c->line_text = 0;
}

static void count_text(conv *c, size_t n) {
  const frame *fr = top(c);
  if (!c->line_text) {
    c->cur.block = fr->block;
    c->cur.context = 0;
    c->cur.bytes = c->cur.link_bytes = 0;
    c->line_text = 1;
  }
  c->cur.context |= fr->context;
  c->cur.bytes += n;
  if (fr->link) c->cur.link_bytes += n;
}

static int is_space(unsigned char ch) {
  return ch <= ' ' && (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f');
}

/* Where a run's bytes lie in the file: byte k at base + k, or at at[k]
 * when the run skips bytes of the file (a CR libxml2 dropped); base ==
 * LODE_NOPOS: the run maps as a unit to [f, fend) (it was decoded). */
typedef struct origin {
  size_t base;
  const size_t *at;
  size_t f, fend;
} origin;

static size_t offset_of(const origin *o, size_t k) {
  return o->at ? o->at[k] : o->base + k;
}

/* Write the run s[0, n) from file bytes `o`. White space collapses; in
 * <pre> a line break stays one. */
static void put_text(conv *c, const char *s, size_t n, const origin *o) {
  size_t k = 0;
  int pre = top(c)->pre, unit = o->base == LODE_NOPOS && !o->at;
  while (k < n && !c->failed) {
    size_t e = k;
    if (is_space((unsigned char)s[k])) {
      while (e < n && is_space((unsigned char)s[e]) && !(pre && (s[e] == '\n' || s[e] == '\r')))
        e++;
      if (e > k && c->line_text) {
        if (!c->space) c->space_f = unit ? o->f : offset_of(o, k);
        c->space_fend = unit ? o->fend : offset_of(o, e - 1) + 1;
        c->space = 1;
      }
      if (e < n && pre && (s[e] == '\n' || s[e] == '\r')) {
        break_line(c, unit ? o->f : offset_of(o, e));
        e++;
      }
      k = e;
      continue;
    }
    /* words and the single spaces between them: the file's own bytes
     * when the run is, so one piece */
    for (;;) {
      while (e < n && !is_space((unsigned char)s[e])) e++;
      if (unit || o->at || e + 1 >= n || s[e] != ' ' || is_space((unsigned char)s[e + 1])) break;
      e++;
    }
    if (c->space && c->line_text) {
      int exact = c->space_fend - c->space_f == 1 && c->file[c->space_f] == ' ';
      put_piece(c, " ", 1, c->space_f, c->space_fend, exact);
      count_text(c, 1);
    }
    c->space = 0;
    if (unit) {
      put_piece(c, s + k, e - k, o->f, o->fend, 0);
    } else {    /* one exact piece per stretch of consecutive file bytes */
      size_t a = k;
      while (a < e) {
        size_t z = a + 1;
        while (z < e && offset_of(o, z) == offset_of(o, z - 1) + 1) z++;
        put_piece(c, s + a, z - a, offset_of(o, a), offset_of(o, z - 1) + 1, 1);
        a = z;
      }
    }
    count_text(c, e - k);
    k = e;
  }
}

/* ---- metadata -------------------------------------------------------------- */

static char *dup_n(conv *c, const char *s, size_t n) {
  char *d = malloc(n + 1);
  if (!d) {
    c->failed = LODE_ENOMEM;
    return NULL;
  }
  memcpy(d, s, n);
  d[n] = '\0';
  return d;
}

/* Collapse runs of white space to one space and trim, in place. */
static size_t squeeze(char *s, size_t n) {
  size_t k, o = 0;
  int space = 0;
  for (k = 0; k < n; k++) {
    if (is_space((unsigned char)s[k])) {
      space = o > 0;
      continue;
    }
    if (space) s[o++] = ' ';
    space = 0;
    s[o++] = s[k];
  }
  s[o] = '\0';
  return o;
}

static void add_meta(conv *c, const char *key, const char *value, size_t vlen,
                     size_t start, size_t end, int raw) {
  lode_html_meta *m = grow(c, c->meta, &c->mcap, c->nmeta + 1, sizeof *m);
  char *k, *v;
  if (!m) return;
  c->meta = m;
  k = dup_n(c, key, strlen(key));
  v = dup_n(c, value, vlen);
  if (!k || !v) {
    free(k);
    free(v);
    return;
  }
  if (!raw) squeeze(v, vlen);
  c->meta[c->nmeta++] = (lode_html_meta){k, v, start, end};
}

/* The file bytes of an attribute value in the tag file[from, to): where
 * its decoded value appears verbatim, else the whole tag. */
static void value_span(const conv *c, const char *value, size_t from, size_t to,
                       size_t *start, size_t *end) {
  size_t n = strlen(value), k;
  *start = from, *end = to;
  if (n == 0 || n > to - from) return;
  for (k = from; k + n <= to; k++)
    if (c->file[k] == value[0] && memcmp(c->file + k, value, n) == 0) {
      *start = k, *end = k + n;
      return;
    }
}

static const char *attr(const xmlChar **atts, const char *name) {
  size_t k;
  if (!atts) return NULL;
  for (k = 0; atts[k]; k += 2)
    if (strcmp((const char *)atts[k], name) == 0) return atts[k + 1] ? (const char *)atts[k + 1] : "";
  return NULL;
}

static int contains_ci(const char *s, const char *word) {
  size_t n = strlen(word);
  for (; s && *s; s++)
    if (xmlStrncasecmp((const xmlChar *)s, (const xmlChar *)word, (int)n) == 0) return 1;
  return 0;
}

/* Metadata a start tag states in its attributes. */
static void tag_meta(conv *c, const char *name, const xmlChar **atts, size_t from, size_t to) {
  const char *key = NULL, *value = NULL;
  size_t a, z;
  if (!strchr("hlmt", name[0])) return;
  if (strcmp(name, "meta") == 0) {
    value = attr(atts, "content");
    if (!(key = attr(atts, "property")) && !(key = attr(atts, "name")))
      key = attr(atts, "itemprop");
  } else if (strcmp(name, "time") == 0) {
    key = "time", value = attr(atts, "datetime");
  } else if (strcmp(name, "html") == 0) {
    key = "lang", value = attr(atts, "lang");
  } else if (strcmp(name, "link") == 0 && contains_ci(attr(atts, "rel"), "canonical")) {
    key = "canonical", value = attr(atts, "href");
  }
  if (!key || !value || !*key) return;
  value_span(c, value, from, to, &a, &z);
  add_meta(c, key, value, strlen(value), a, z, 0);
}

static void collect(conv *c, const char *s, size_t n, size_t f, size_t fend) {
  char *p = grow(c, c->collect, &c->ccap, c->clen + n + 1, 1);
  if (!p) return;
  c->collect = p;
  memcpy(p + c->clen, s, n);
  if (c->clen == 0) c->cstart = f;
  c->clen += n;
  c->cend = fend;
}

/* ---- SAX callbacks --------------------------------------------------------- */

/* An element no reader sees: the hidden attribute, or an inline style
 * of display:none (white space aside, any case). */
static int hidden(const xmlChar **atts) {
  const char *style = attr(atts, "style");
  char squeezed[64];
  size_t n = 0;
  if (attr(atts, "hidden")) return 1;
  for (; style && *style && n + 1 < sizeof squeezed; style++)
    if (!is_space((unsigned char)*style)) squeezed[n++] = (char)(*style | 0x20);
  squeezed[n] = '\0';
  return strstr(squeezed, "display:none") != NULL;
}

static void on_start(void *ud, const xmlChar *xname, const xmlChar **atts) {
  conv *c = ud;
  const char *name = (const char *)xname;
  const element *e = element_of(name);
  size_t now = after_tag(c, position(c));
  frame fr = *top(c), *st;
  tag_meta(c, name, atts, c->last < now ? c->last : now, now);
  c->last = now;
  if (c->adjacent) c->adjacent = 2;
  fr.e = e;
  fr.script_ld = 0;
  if (hidden(atts)) fr.skip = 1;
  if (e) {
    if (e->flags & E_SKIP) fr.skip = 1;
    if (e->flags & E_LINK) fr.link = 1;
    if (e->flags & E_PRE) fr.pre = 1;
    fr.context |= e->context;
    if (e->flags & (E_BLOCK | E_BREAK)) break_line(c, now);
    if (e->flags & E_BLOCK) fr.block = e->name;
    if (e->flags & E_FOREIGN) fr.foreign = 1;
    if (e->flags & E_TITLE && !fr.foreign && !c->collecting && !c->have_title)
      c->collecting = E_TITLE, c->clen = 0;   /* the page's, not an icon's */
    if (e->flags & E_SCRIPT && contains_ci(attr(atts, "type"), "ld+json") && !c->collecting)
      c->collecting = E_SCRIPT, c->clen = 0, fr.script_ld = 1;
  }
  if ((st = grow(c, c->stack, &c->scap, c->depth + 1, sizeof *st)) == NULL) return;
  c->stack = st;
  c->stack[c->depth++] = fr;
}

static void finish_collect(conv *c, int what) {
  if (c->collecting != what) return;
  if (what == E_TITLE) c->have_title = 1;
  if (c->clen) add_meta(c, what == E_TITLE ? "title" : "ld+json", c->collect, c->clen,
                        c->cstart, c->cend, what == E_SCRIPT);
  c->collecting = 0;
  c->clen = 0;
}

static void on_end(void *ud, const xmlChar *xname) {
  conv *c = ud;
  size_t now = after_tag(c, position(c)), k = c->depth;
  const element *e = element_of((const char *)xname);
  while (k > 0 && c->stack[k - 1].e != e) k--;   /* unlisted elements match any unlisted */
  if (k == 0) {
    c->last = now;
    c->adjacent = 1;
    return;
  }
  while (c->depth >= k) {
    const frame *fr = &c->stack[--c->depth];
    if (fr->e && fr->e->flags & E_TITLE) finish_collect(c, E_TITLE);
    if (fr->script_ld) finish_collect(c, E_SCRIPT);
    if (fr->e && fr->e->flags & E_BLOCK) break_line(c, c->last < now ? c->last : now);
  }
  c->last = now;
  c->adjacent = 1;
}

/* Character data: each byte's file offset when the run is the page's own
 * bytes (libxml2 reports CRLF and lone CR as LF), else a unit. */
static void on_text(void *ud, const xmlChar *ch, int n) {
  conv *c = ud;
  size_t now = position(c), from = c->last < now ? c->last : now, len = (size_t)n;
  const char *s = (const char *)ch;
  const frame *fr = top(c);
  c->last = now;
  if (fr->skip) {
    if (c->collecting && (c->collecting == E_SCRIPT ? fr->script_ld : 1))
      collect(c, s, len, from, now);
    return;
  }
  /* Text right after "</x><y>": the two elements are items a page's style
   * sets apart ("Login" "Contact", "Oct 17" "By J. Doe"), not one word. */
  if (c->adjacent == 2 && c->line_text && !c->space && len && !is_space(ch[0])) {
    put_piece(c, " ", 1, from, from, 0);
    count_text(c, 1);
  }
  c->adjacent = 0;
  if (now - from == len && memcmp(c->file + from, s, len) == 0) {
    origin o = {from, NULL, from, now};
    put_text(c, s, len, &o);
  } else {
    origin o = {LODE_NOPOS, NULL, from, now};
    size_t small[64], *at = len <= 64 ? small : malloc(len * sizeof *at), k = 0, f = from;
    if (!at) {
      c->failed = LODE_ENOMEM;
      return;
    }
    while (k < len && f < now) {           /* align, allowing CR(LF) for LF */
      if (c->file[f] == s[k]) at[k++] = f++;
      else if (c->file[f] == '\r' && s[k] == '\n') {
        at[k++] = f;
        f += f + 1 < now && c->file[f + 1] == '\n' ? 2 : 1;
      } else break;
    }
    if (k == len && f == now) o.at = at;
    put_text(c, s, len, &o);
    if (at != small) free(at);
  }
}

static void on_other(void *ud, const xmlChar *ignored) {
  conv *c = ud;
  (void)ignored;
  c->last = position(c);
}

/* ---- entry points ------------------------------------------------------------ */

static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static void init_libxml(void) {
  xmlInitParser();
}

/* Convert UTF-8 s[0, len). */
static int convert(const char *s, size_t len, lode_html *h, lode_error *err) {
  conv c;
  htmlSAXHandler sax;
  memset(h, 0, sizeof *h);
  if (len >= INT_MAX)
    return lode_error_set(err, LODE_ELIMIT, LODE_NOPOS, 0,
                          "HTML page of %zu bytes: 2 GB is the most libxml2 parses", len);
  pthread_once(&init_once, init_libxml);
  memset(&c, 0, sizeof c);
  c.file = s;
  c.flen = len;
  if ((c.map = lode_filemap_new()) == NULL ||
      (c.ctxt = htmlCreateMemoryParserCtxt(len ? s : " ", len ? (int)len : 1)) == NULL) {
    lode_filemap_free(c.map);
    return lode_error_set(err, LODE_ENOMEM, LODE_NOPOS, 0, "out of memory parsing HTML");
  }
  memset(&sax, 0, sizeof sax);
  sax.startElement = on_start;
  sax.endElement = on_end;
  sax.characters = on_text;
  sax.ignorableWhitespace = on_text;
  sax.cdataBlock = on_text;
  sax.comment = on_other;
  memcpy(c.ctxt->sax, &sax, sizeof sax);
  c.ctxt->userData = &c;
  htmlCtxtUseOptions(c.ctxt, HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET |
                     HTML_PARSE_IGNORE_ENC | HTML_PARSE_NODEFDTD);
  xmlSwitchEncoding(c.ctxt, XML_CHAR_ENCODING_UTF8);
  if (len) htmlParseDocument(c.ctxt);
  break_line(&c, len);
  flush_run(&c);
  if (!c.failed) c.failed = lode_filemap_set_lines(c.map, s, 0, len, 1);
  htmlFreeParserCtxt(c.ctxt);
  free(c.stack);
  free(c.collect);
  h->text = c.text, h->len = c.len, h->map = c.map;
  h->lines = c.lines, h->nlines = c.nlines;
  h->meta = c.meta, h->nmeta = c.nmeta;
  if (!h->text && !c.failed && (h->text = calloc(1, 1)) == NULL) c.failed = LODE_ENOMEM;
  if (c.failed) {
    lode_html_release(h);
    return lode_error_set(err, LODE_ENOMEM, LODE_NOPOS, 0, "out of memory converting HTML");
  }
  h->text[h->len] = '\0';
  return 0;
}

int lode_html_rebase(lode_html *h, const lode_text *page, lode_error *err) {
  size_t k, len;
  if (lode_text_same_offsets(page)) return 0;
  if (lode_filemap_compose(h->map, lode_text_bytes(page, &len), lode_text_origin_of, page) != 0) {
    lode_html_release(h);
    return lode_error_set(err, LODE_ENOMEM, LODE_NOPOS, 0, "out of memory converting HTML");
  }
  for (k = 0; k < h->nmeta; k++)
    lode_text_origin(page, h->meta[k].start, h->meta[k].end, &h->meta[k].start, &h->meta[k].end);
  return 0;
}

int lode_html_convert(const char *s, size_t len, lode_html *h, lode_error *err) {
  static const lode_load_opts replace = {LODE_INVALID_REPLACE, NULL};
  lode_text *page;
  const char *bytes;
  lode_error e;
  size_t n;
  int rc;
  if (lode_utf8_valid_prefix(s, len) == len) return convert(s, len, h, err);
  memset(h, 0, sizeof *h);
  if ((page = lode_text_from_memory("<html>", s, len, &replace, &e)) == NULL) {
    if (err) *err = e;
    return e.code;
  }
  bytes = lode_text_bytes(page, &n);
  if ((rc = convert(bytes, n, h, err)) == 0) rc = lode_html_rebase(h, page, err);
  lode_text_free(page);
  return rc;
}

void lode_html_release(lode_html *h) {
  size_t k;
  for (k = 0; k < h->nmeta; k++) {
    free(h->meta[k].key);
    free(h->meta[k].value);
  }
  free(h->meta);
  free(h->lines);
  free(h->text);
  lode_filemap_free(h->map);
  memset(h, 0, sizeof *h);
}

int lode_html_sniff(const char *s, size_t len) {
  size_t k = 0, n = len < 1024 ? len : 1024;
  if (n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) k = 3;
  while (k < n && is_space((unsigned char)s[k])) k++;
  if (k >= n || s[k] != '<') return 0;
  if (n - k >= 14 && xmlStrncasecmp((const xmlChar *)s + k, (const xmlChar *)"<!doctype html", 14) == 0)
    return 1;
  for (; k + 5 <= n; k++) {
    const xmlChar *p = (const xmlChar *)s + k;
    if (s[k] != '<') continue;
    if (xmlStrncasecmp(p, (const xmlChar *)"<html", 5) == 0 ||
        xmlStrncasecmp(p, (const xmlChar *)"<head", 5) == 0 ||
        xmlStrncasecmp(p, (const xmlChar *)"<body", 5) == 0) {
      unsigned char after = k + 5 < n ? (unsigned char)s[k + 5] : '>';
      if (after == '>' || is_space(after)) return 1;
    }
  }
  return 0;
}
