/*
 * frontmatter.c -- finding the front matter block and reading its YAML
 * (see frontmatter.h); the TOML reader is in frontmatter_toml.c.
 *
 * The reader collects fields into growable arrays that refer to one string
 * arena by offset (the arena moves while it grows); lode_fm_read() turns
 * the offsets into pointers once everything is read.
 */
#include "frontmatter.h"
#include "frontmatter_build.h"
#include "utf8.h"

#include <stdlib.h>
#include <string.h>
#include <yaml.h>

/* ---- lines ------------------------------------------------------------------ */

/* End of the line starting at p (the offset of its CR or LF, or len). */
static size_t line_end(const char *s, size_t len, size_t p) {
  while (p < len && s[p] != '\n' && s[p] != '\r') p++;
  return p;
}

/* Start of the next line after a line ending at e (LF, CRLF or CR). */
static size_t next_line(const char *s, size_t len, size_t e) {
  if (e < len && s[e] == '\r') {
    e++;
    if (e < len && s[e] == '\n') e++;
  } else if (e < len && s[e] == '\n') {
    e++;
  }
  return e;
}

/* s[p, e) without trailing spaces and tabs equals the 3-byte fence f. */
static int is_fence(const char *s, size_t p, size_t e, const char *f) {
  while (e > p && (s[e - 1] == ' ' || s[e - 1] == '\t')) e--;
  return e - p == 3 && memcmp(s + p, f, 3) == 0;
}

static size_t skip_blanks(const char *s, size_t p, size_t e) {
  while (p < e && (s[p] == ' ' || s[p] == '\t')) p++;
  return p;
}

/* Line (1-based; LF, CRLF and CR are breaks) of byte `off` of s[0, len). */
static size_t line_at(const char *s, size_t len, size_t off) {
  size_t line = 1, k;
  for (k = 0; k < off && k < len; k++)
    if (s[k] == '\n' || (s[k] == '\r' && (k + 1 >= len || s[k + 1] != '\n'))) line++;
  return line;
}

/* Does the first significant line of a block look like a key? YAML: a `:`
 * followed by white space or the line end, after something other than a
 * list dash; TOML: `[table]` or `key =`. */
static int looks_like_key(const char *s, size_t p, size_t e, lode_fm_format f) {
  if (f == LODE_FM_TOML) {
    if (s[p] == '[') return 1;
    for (; p < e && s[p] != '='; p++) {}
    return p < e;
  }
  if (s[p] == '-' && (p + 1 == e || s[p + 1] == ' ' || s[p + 1] == '\t')) return 0;
  for (p++; p < e; p++)
    if (s[p] == ':' && (p + 1 == e || s[p + 1] == ' ' || s[p + 1] == '\t')) return 1;
  return 0;
}

lode_fm_format lode_fm_split(const char *s, size_t len, lode_fm_block *b) {
  size_t p = 0, e, inner;
  int checked = 0;
  const char *close2;
  memset(b, 0, sizeof *b);
  b->unclosed = LODE_NOPOS;
  if (len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) p = 3;
  for (;;) {
    if (p >= len) return LODE_FM_NONE;
    e = line_end(s, len, p);
    if (skip_blanks(s, p, e) < e) break;
    p = next_line(s, len, e);
  }
  if (is_fence(s, p, e, "---")) b->format = LODE_FM_YAML, close2 = "...";
  else if (is_fence(s, p, e, "+++")) b->format = LODE_FM_TOML, close2 = "+++";
  else return LODE_FM_NONE;
  b->start = p;
  inner = p = next_line(s, len, e);
  while (p < len) {
    e = line_end(s, len, p);
    if (b->format == LODE_FM_YAML ? is_fence(s, p, e, "---") || is_fence(s, p, e, close2)
                                  : is_fence(s, p, e, close2)) {
      b->inner = inner;
      b->inner_end = p;
      b->end = e;
      while (b->end > p && (s[b->end - 1] == ' ' || s[b->end - 1] == '\t')) b->end--;
      b->body = next_line(s, len, e);
      return b->format;
    }
    if (!checked) {
      size_t q = skip_blanks(s, p, e);
      if (q < e && s[q] != '#') {
        if (!looks_like_key(s, q, e, b->format)) break;
        checked = 1;
      }
    }
    p = next_line(s, len, e);
  }
  if (p >= len) b->unclosed = b->start;
  b->format = LODE_FM_NONE;
  return LODE_FM_NONE;
}

/* ---- the field list --------------------------------------------------------- */

/* Room for `need` elements of `size` bytes in block p of capacity *cap:
 * p itself when it has room, the moved block, or NULL (p untouched). */
static void *grow(void *p, size_t *cap, size_t need, size_t size) {
  size_t n = *cap ? *cap : 16;
  void *q;
  if (need <= *cap) return p;
  while (n < need) {
    if (n > ((size_t)-1) / 2 / size) return NULL;
    n *= 2;
  }
  if ((q = realloc(p, n * size)) == NULL) return NULL;
  *cap = n;
  return q;
}

/* Copy v[0, n) and a NUL into the arena; *off gets its offset. */
static int arena_add(lode_fmb *b, const char *v, size_t n, size_t *off) {
  char *q;
  if (n >= (size_t)-1 - b->alen - 1 ||
      (q = grow(b->arena, &b->acap, b->alen + n + 1, 1)) == NULL)
    return -1;
  b->arena = q;
  if (n) memcpy(b->arena + b->alen, v, n);
  b->arena[b->alen + n] = '\0';
  *off = b->alen;
  b->alen += n + 1;
  return 0;
}

int lode_fmb_key(lode_fmb *b, size_t keep, char sep, const char *k, size_t n) {
  int add_sep = sep && keep > 0;
  char *q;
  if (keep > b->plen || n >= (size_t)-1 - keep - 1 ||
      (q = grow(b->path, &b->pcap, keep + (size_t)add_sep + n + 1, 1)) == NULL)
    return -1;
  b->path = q;
  b->plen = keep;
  if (add_sep) b->path[b->plen++] = sep;
  if (n) memcpy(b->path + b->plen, k, n);
  b->plen += n;
  return 0;
}

int lode_fmb_field_add(lode_fmb *b, int is_list, size_t start, size_t end) {
  lode_fmb_field *f = grow(b->fields, &b->fcap, b->nfields + 1, sizeof *b->fields);
  size_t key;
  if (!f) return -1;
  b->fields = f;
  if (arena_add(b, b->path, b->plen, &key)) return -1;
  f = &b->fields[b->nfields++];
  f->key = key;
  f->key_len = b->plen;
  f->is_list = is_list;
  f->start = start;
  f->end = end;
  f->first = b->nitems;
  f->nitems = 0;
  return 0;
}

int lode_fmb_item_add(lode_fmb *b, const char *v, size_t n, size_t start, size_t end) {
  lode_fmb_item *it;
  size_t off;
  if (b->nfields == 0) return 0;
  if ((it = grow(b->items, &b->icap, b->nitems + 1, sizeof *b->items)) == NULL) return -1;
  b->items = it;
  if (arena_add(b, v, n, &off)) return -1;
  it = &b->items[b->nitems++];
  it->value = off;
  it->value_len = n;
  it->start = start;
  it->end = end;
  b->fields[b->nfields - 1].nitems++;
  return 0;
}

/* ---- YAML through libyaml ---------------------------------------------------- */

/* libyaml marks count characters (a CRLF is two); a cursor turns them into
 * byte offsets, moving forward only, over the UTF-8 libyaml has validated
 * up to any mark it reports. */
typedef struct ycursor {
  size_t ci, bi;
} ycursor;

static size_t ycursor_to(const char *s, size_t n, ycursor *c, size_t ci) {
  while (c->ci < ci && c->bi < n) {
    c->bi++;
    while (c->bi < n && ((unsigned char)s[c->bi] & 0xC0) == 0x80) c->bi++;
    c->ci++;
  }
  return c->bi;
}

typedef struct yframe {
  int seq;        /* a sequence (items) or a mapping (keys and values) */
  int want_key;   /* mapping: the next node is a key */
  int key_ok;     /* mapping: the last key was a scalar, so its value is kept */
  size_t keep;    /* key path length of this mapping's prefix */
  int flow;       /* sequence: written [a, b] */
} yframe;

/* A node under `f` is complete: after a key comes its value, after a value
 * the next key. A key that was not a scalar (key_ok 0) drops its value. */
static void ynode_done(yframe *f) {
  if (f->seq) return;
  if (f->want_key) f->key_ok = 0;
  f->want_key = !f->want_key;
}

/* Skip a node's properties (`&anchor`, `!tag`) and the blanks after them. */
static size_t skip_properties(const char *s, size_t a, size_t z) {
  while (a < z && (s[a] == '&' || s[a] == '!')) {
    while (a < z && !strchr(" \t\r\n", s[a])) a++;
    while (a < z && strchr(" \t\r\n", s[a])) a++;
  }
  return a;
}

/* The span in the block of a scalar event: its text without properties and
 * quotes, the lines of a block scalar without its indicator line, no
 * blanks at either end. */
static void yscalar_span(const char *s, size_t n, ycursor *c, const yaml_event_t *ev,
                         size_t *a, size_t *z) {
  ycursor end;
  *a = ycursor_to(s, n, c, ev->start_mark.index);
  end = *c;
  *z = ycursor_to(s, n, &end, ev->end_mark.index);
  *a = skip_properties(s, *a, *z);
  switch (ev->data.scalar.style) {
    case YAML_SINGLE_QUOTED_SCALAR_STYLE:
    case YAML_DOUBLE_QUOTED_SCALAR_STYLE:
      if (*z - *a >= 2) (*a)++, (*z)--;
      return;
    case YAML_LITERAL_SCALAR_STYLE:
    case YAML_FOLDED_SCALAR_STYLE:
      while (*a < *z && s[*a] != '\n' && s[*a] != '\r') (*a)++;
      *a = next_line(s, *z, *a);
      break;
    default:
      break;
  }
  while (*z > *a && strchr(" \t\r\n", s[*z - 1])) (*z)--;
  *a = skip_blanks(s, *a, *z);
}

/* libyaml's scanner is quadratic in the nesting of flow collections
 * (100,000 `[` take a minute): past FLOW_LIMIT levels, which read_yaml skips
 * anyway (LODE_FM_MAX_DEPTH), brackets are read as spaces, in a copy of the
 * block of the same length, so offsets hold. Quoted scalars are left alone.
 * Returns y itself when nothing is that deep, the copy (*copy, to free),
 * or NULL when out of memory. */
#define FLOW_LIMIT 64
static const char *flatten_deep_flow(const char *y, size_t n, char **copy) {
  size_t k, depth = 0;
  char quote = 0, *c = NULL;
  *copy = NULL;
  for (k = 0; k < n; k++) {
    char ch = y[k];
    if (quote) {
      if (quote == '"' && ch == '\\') k++;
      else if (ch == quote) {
        if (quote == '\'' && k + 1 < n && y[k + 1] == '\'') k++;
        else quote = 0;
      }
    } else if ((ch == '"' || ch == '\'') && (k == 0 || strchr(" \t\r\n[{,:", y[k - 1]))) {
      quote = ch;
    } else if (ch == '[' || ch == '{' || ch == ']' || ch == '}') {
      int open = ch == '[' || ch == '{';
      if (open) depth++;
      if (depth > FLOW_LIMIT) {
        if (!c) {
          if ((c = malloc(n)) == NULL) return NULL;
          memcpy(c, y, n);
          *copy = c;
        }
        c[k] = ' ';
      }
      if (!open && depth) depth--;
    }
  }
  return c ? c : y;
}

/* Read YAML in s[p, e). Returns 0, -1 out of memory, or 1 with *where and
 * msg for malformed YAML or YAML that is not a map of keys. */
static int read_yaml(lode_fmb *b, const char *s, size_t p, size_t e, size_t *where,
                     char *msg, size_t cap) {
  char *flat;
  const char *y = flatten_deep_flow(s + p, e - p, &flat);
  size_t n = e - p, skip = 0, depth = 0, last_end = 0;
  yframe st[LODE_FM_MAX_DEPTH + 1];
  ycursor cur = {0, 0};
  yaml_parser_t parser;
  yaml_event_t ev;
  int rc = 0, done = 0;
  if (!y || !yaml_parser_initialize(&parser)) { free(flat); return -1; }
  yaml_parser_set_input_string(&parser, (const unsigned char *)y, n);
  yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING);
  while (!done && rc == 0) {
    yframe *top;
    if (!yaml_parser_parse(&parser, &ev)) {
      ycursor c0 = {0, 0};
      if (parser.error == YAML_MEMORY_ERROR) { rc = -1; break; }
      if (parser.error == YAML_READER_ERROR) {
        /* libyaml names the byte where a bad sequence shows; name its start */
        size_t valid = lode_utf8_valid_prefix(y, n);
        *where = p + (valid < parser.problem_offset ? valid : parser.problem_offset);
      } else {
        *where = p + ycursor_to(y, n, &c0, parser.problem_mark.index);
      }
      if (parser.context)
        snprintf(msg, cap, "%s: %s", parser.context, parser.problem ? parser.problem : "error");
      else
        snprintf(msg, cap, "%s", parser.problem ? parser.problem : "error");
      rc = 1;
      break;
    }
    top = depth ? &st[depth - 1] : NULL;
    /* the end of the last item written: scalars, aliases, a flow `]` or `}`
     * (block collections end with a zero-width event) */
    if (ev.type == YAML_SCALAR_EVENT || ev.type == YAML_ALIAS_EVENT ||
        ev.end_mark.index > ev.start_mark.index)
      last_end = ev.end_mark.index;
    if (skip) {
      if (ev.type == YAML_MAPPING_START_EVENT || ev.type == YAML_SEQUENCE_START_EVENT) skip++;
      else if (ev.type == YAML_MAPPING_END_EVENT || ev.type == YAML_SEQUENCE_END_EVENT) skip--;
      if (!skip && top) ynode_done(top);
      yaml_event_delete(&ev);
      continue;
    }
    switch (ev.type) {
      case YAML_MAPPING_START_EVENT:
        if (!top) {
          st[depth++] = (yframe){0, 1, 0, 0, 0};
        } else if (top->seq || top->want_key || !top->key_ok || depth > LODE_FM_MAX_DEPTH - 1) {
          skip = 1;
        } else {
          st[depth++] = (yframe){0, 1, 0, b->plen, 0};
        }
        break;
      case YAML_SEQUENCE_START_EVENT:
        if (!top) {
          *where = p + ycursor_to(y, n, &cur, ev.start_mark.index);
          snprintf(msg, cap, "a list, not keys and values");
          rc = 1;
        } else if (top->seq || top->want_key || !top->key_ok) {
          skip = 1;
        } else {
          /* empty until its end event, grown by each item: a list cut
           * short by a syntax error still spans what was read */
          size_t open = p + skip_properties(y, ycursor_to(y, n, &cur, ev.start_mark.index), n);
          if (lode_fmb_field_add(b, 1, open, open))
            rc = -1;
          else
            st[depth++] = (yframe){1, 0, 0, b->plen,
                                   ev.data.sequence_start.style == YAML_FLOW_SEQUENCE_STYLE};
        }
        break;
      case YAML_SEQUENCE_END_EVENT: {
        /* A block sequence ends where the next token starts (comments
         * and blank lines included): its span ends with its last item. */
        lode_fmb_field *f = &b->fields[b->nfields - 1];
        ycursor end = cur;
        f->end = p + ycursor_to(y, n, &end, top->flow ? ev.end_mark.index : last_end);
        if (f->end < f->start) f->end = f->start;
      }
        /* fall through */
      case YAML_MAPPING_END_EVENT:
        if (--depth) ynode_done(&st[depth - 1]);
        break;
      case YAML_SCALAR_EVENT: {
        const char *v = (const char *)ev.data.scalar.value;
        size_t vn = ev.data.scalar.length, a, z;
        if (!top) {
          if (vn) {
            *where = p + ycursor_to(y, n, &cur, ev.start_mark.index);
            snprintf(msg, cap, "a text, not keys and values");
            rc = 1;
          }
          break;
        }
        yscalar_span(y, n, &cur, &ev, &a, &z);
        if (top->seq) {
          if (lode_fmb_item_add(b, v, vn, p + a, p + z)) rc = -1;
          else b->fields[b->nfields - 1].end = p + z;
        } else if (top->want_key) {
          if (lode_fmb_key(b, top->keep, '.', v, vn)) rc = -1;
          top->key_ok = 1;
          top->want_key = 0;
        } else {
          if (top->key_ok && (lode_fmb_field_add(b, 0, p + a, p + z) ||
                              lode_fmb_item_add(b, v, vn, p + a, p + z)))
            rc = -1;
          ynode_done(top);
        }
        break;
      }
      case YAML_ALIAS_EVENT:
        if (top) ynode_done(top);
        break;
      case YAML_STREAM_END_EVENT:
        done = 1;
        break;
      default:
        break;
    }
    yaml_event_delete(&ev);
  }
  yaml_parser_delete(&parser);
  free(flat);
  return rc;
}

/* ---- the result --------------------------------------------------------------- */

typedef struct fm_result {
  lode_frontmatter pub;     /* first: the caller's pointer is this */
  char *arena;
  lode_fm_field *fields;
  lode_fm_item *items;
} fm_result;

/* Move the build into r, turning arena offsets into pointers. */
static int finish(fm_result *r, lode_fmb *b) {
  size_t k;
  if (b->nfields && (r->fields = calloc(b->nfields, sizeof *r->fields)) == NULL) return -1;
  if (b->nitems && (r->items = calloc(b->nitems, sizeof *r->items)) == NULL) return -1;
  r->arena = b->arena;
  b->arena = NULL;
  for (k = 0; k < b->nitems; k++) {
    lode_fm_item *it = &r->items[k];
    it->value = r->arena + b->items[k].value;
    it->value_len = b->items[k].value_len;
    it->start = b->items[k].start;
    it->end = b->items[k].end;
  }
  for (k = 0; k < b->nfields; k++) {
    lode_fm_field *f = &r->fields[k];
    const lode_fmb_field *g = &b->fields[k];
    f->key = r->arena + g->key;
    f->key_len = g->key_len;
    f->is_list = g->is_list;
    f->start = g->start;
    f->end = g->end;
    f->nitems = g->nitems;
    f->items = r->items ? r->items + g->first : NULL;
  }
  r->pub.nfields = b->nfields;
  r->pub.fields = r->fields;
  return 0;
}

lode_frontmatter *lode_fm_read(const char *name, const char *s, size_t len,
                               lode_error *err) {
  fm_result *r = calloc(1, sizeof *r);
  lode_fm_block *blk;
  lode_fmb b;
  size_t where = 0;
  char msg[300];
  int rc;
  if (!name) name = "<string>";
  if (!r) goto oom;
  blk = &r->pub.block;
  lode_error_clear(&r->pub.problem);
  if (lode_fm_split(s, len, blk) == LODE_FM_NONE) {
    if (blk->unclosed != LODE_NOPOS)
      lode_error_set(&r->pub.problem, LODE_ESYNTAX, blk->unclosed,
                     line_at(s, len, blk->unclosed),
                     "%s:%zu: front matter fence at byte %zu is never closed: read as text",
                     name, line_at(s, len, blk->unclosed), blk->unclosed);
    return &r->pub;
  }
  memset(&b, 0, sizeof b);
  msg[0] = '\0';
  rc = blk->format == LODE_FM_YAML
           ? read_yaml(&b, s, blk->inner, blk->inner_end, &where, msg, sizeof msg)
           : lode_fm_toml(&b, s, blk->inner, blk->inner_end, &where, msg, sizeof msg);
  if (rc >= 0 && finish(r, &b) < 0) rc = -1;
  free(b.arena);
  free(b.fields);
  free(b.items);
  free(b.path);
  if (rc < 0) goto oom;
  if (rc > 0) {
    size_t line = line_at(s, len, where);
    lode_error_set(&r->pub.problem, LODE_ESYNTAX, where, line,
                   "%s:%zu: bad %s front matter: %s at byte %zu", name, line,
                   blk->format == LODE_FM_YAML ? "YAML" : "TOML", msg, where);
  }
  return &r->pub;
oom:
  lode_frontmatter_free(r ? &r->pub : NULL);
  lode_error_set(err, LODE_ENOMEM, LODE_NOPOS, 0, "%s: out of memory reading front matter", name);
  return NULL;
}

void lode_frontmatter_free(lode_frontmatter *fm) {
  fm_result *r = (fm_result *)fm;
  if (!r) return;
  free(r->arena);
  free(r->fields);
  free(r->items);
  free(r);
}
