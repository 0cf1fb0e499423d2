/*
 * lregex_scan.c -- rules searched in the word windows around their anchors.
 *
 * lode.core.scan_plan(regexes, sets, befores, afters, prios, words [, needs])
 *   -> plan: the regexes of scan_resolve, read once (a Lua state builds it
 *   once): parallel arrays, per regex its anchor set (a number >= 1), its
 *   word counts (before, after: the width of its windows, below) and its
 *   priority (an integer);
 *   per set the array of its anchor words, byte sequences (core/byteseq.h:
 *   "May", "20[0-9][0-9]", "(?i)week"), all found in one pass of a page;
 *   and per regex the set (or 0) of which every match also holds a word
 *   (a date "May 5, 2021" holds a year): when both its own set and that
 *   set are looked for by their words alone (extras true), its windows
 *   holding no word of that set are not searched.
 * lode.core.scan_plan(regexes, sets, befores, afters, prios, words, needs,
 *   leads): also per regex an array of sets (each < 32) whose words it may
 *   open with before its anchor's whitespace-separated word (a weekday
 *   before a month): every match that starts before that word holds one
 *   of them before the anchor. When those sets are looked for by their
 *   words alone, an anchor with none of them inside its window before it
 *   gets a window from the start of the word `before` words before its own
 *   (the array's field `before`, default 0: how far back a match that
 *   opens with no lead word may start) instead.
 * lode.core.scan_plan(regexes, sets, befores, afters, prios, words, needs,
 *   leads, bares): also per regex a Regex or false: the regex without the
 *   words its leads read (the same groups), searched instead of it in the
 *   subjects whose windows were all narrowed so (there no match opens
 *   with a lead word, and both find the same matches).
 * lode.core.scan_resolve(v, extras, plan, accept [, batch]) -> kept: the
 *   matches of the plan's regexes over View v, resolved leftmost-longest in
 *   one call, a Lua table made only for those that can still win. Regex r
 *   is searched in its windows around the anchors of its set: the
 *   occurrences of the set's words, and with extras[set] a Regex, its
 *   matches too (extras[set] true: the words alone); or in the whole view
 *   text when extras[set] is false. A window runs from the start of the
 *   befores[r]-th word before an anchor to the end of the afters[r]-th
 *   word after it, as re:windows widens a match, overlapping windows
 *   merged; a regex's windows are joined by NUL bytes into subjects of at
 *   most `batch` bytes (default 4096; a longer window is a subject alone),
 *   each searched as re:gfind does: what the windows leave out is never
 *   searched. The matches are walked as
 *   lode.core.resolve walks candidates (earliest start in the original,
 *   then longest, then lower prios[r], then earlier r, then text order),
 *   and accept(r, m) is called on each that starts after the last one
 *   accepted; m = {i, j, NAME = capture ...}: bytes of v's document
 *   (through its map), the regex's named groups (false when unset). accept
 *   returns a value to keep, or nil/false to refuse the match and leave its
 *   bytes to the next ones; kept holds the values, in document order. What
 *   an extractor's rules find, without a table per candidate that loses to
 *   a longer one. (The plan keeps its working memory for the next call; a
 *   call from inside accept makes its own.)
 */
#include <stdlib.h>
#include <string.h>

#include "lregex.h"
#include "byteseq.h"

/* --- rule windows (lode.core.scan_resolve) ---------------------------------- */

/* An anchor: a match s[start, end) of one of the anchor regexes, with the
 * edges of its word windows: ws[k] the start of the k-th word before it,
 * we[k] the end of the k-th word after it (see lode_regex_word_window). */
typedef struct anchor { size_t start, end, *ws, *we; } anchor;

static int by_start(const void *a, const void *b) {
  const anchor *x = a, *y = b;
  return x->start < y->start ? -1 : x->start > y->start ? 1 : x->end < y->end ? -1 : x->end > y->end;
}

/* x->ws[0 .. before] and x->we[0 .. after], walking the words once: what
 * lode_regex_word_window gives for each count (0 / len when fewer words). */
static void word_edges(const char *s, size_t len, anchor *x, size_t before, size_t after) {
  size_t i = x->start, j = x->end, k;
  int more = 1;
  while (i > 0 && !ascii_space((unsigned char)s[i - 1])) i--;
  x->ws[0] = i;
  for (k = 1; k <= before; k++) {
    if (more && i > 0 && ascii_space((unsigned char)s[i - 1])) {
      while (i > 0 && ascii_space((unsigned char)s[i - 1])) i--;
      more = i > 0;
      while (i > 0 && !ascii_space((unsigned char)s[i - 1])) i--;
    } else {
      more = 0;
    }
    x->ws[k] = more ? i : 0;
  }
  more = 1;
  while (j < len && !ascii_space((unsigned char)s[j])) j++;
  x->we[0] = j;
  for (k = 1; k <= after; k++) {
    if (more && j < len && ascii_space((unsigned char)s[j])) {
      while (j < len && ascii_space((unsigned char)s[j])) j++;
      more = j < len;
      while (j < len && !ascii_space((unsigned char)s[j])) j++;
    } else {
      more = 0;
    }
    x->we[k] = more ? j : len;
  }
}

/* The windows of one regex joined into subjects: window k is s[from[k],
 * from[k] + len[k]) and starts at byte at[k] of its subject; subject b
 * holds windows first[b] .. first[b + 1] - 1 and is buf[start[b],
 * start[b] + size[b]). */
typedef struct joined {
  size_t *from, *len, *at, *first, *start, *size;
  size_t *led;        /* per window, then per subject: 1 when a lead word may open a match there */
  size_t nspans, nsubjects;
  char *room;         /* where join_windows writes the subjects */
  const char *buf;    /* where they are read: room, or s itself (whole) */
} joined;

/* An anchor word of scan_resolve's plan: s[start, end), of anchor set `set`. */
typedef struct word_hit { size_t start, end, set; } word_hit;

#define LEAD_SETS 32    /* the sets a lead may name: bits of an unsigned long */

/* Whether a word of a set in `mask` (bit s: set s) starts in [from, to);
 * *q a cursor into words (sorted by start), for `from` not decreasing. */
static int lead_between(const word_hit *words, size_t nwords, size_t *q, unsigned long mask, size_t from,
                        size_t to) {
  size_t t;
  while (*q < nwords && words[*q].start < from) ++*q;
  for (t = *q; t < nwords && words[t].start < to; t++)
    if (words[t].set < LEAD_SETS && (mask >> words[t].set & 1)) return 1;
  return 0;
}

/* Merge the windows (before, after) of the n sorted anchors (windows that
 * overlap become one), keep those where a word of set `need` starts (all
 * when need is 0; words[0 .. nwords), sorted by start) and join them by NUL
 * into subjects of at most `batch` bytes (a longer window is a subject
 * alone). With a `lead` mask, an anchor before which no word of those sets
 * starts inside its window gets a window from the start of the `unled`-th
 * word before its own (see scan_plan's leads). J's arrays hold room for n windows; J->room for
 * len + n bytes. */
static void join_windows(const char *s, const anchor *a, size_t n, size_t before, size_t after,
                         const word_hit *words, size_t nwords, size_t need, unsigned long lead, size_t unled,
                         size_t batch,
                         joined *J) {
  size_t k, w = 0, b = 0, fill = 0, q = 0, kept = 0;
  for (k = 0; k < n; k++) {
    size_t ws = a[k].ws[before], we = a[k].we[after], led = 1;
    if (lead && !lead_between(words, nwords, &q, lead, ws, a[k].start)) ws = a[k].ws[unled], led = 0;
    /* overlaps the windows before it (a narrowed one may start before the
     * last ones): one window */
    while (w > 0 && ws < J->from[w - 1] + J->len[w - 1]) {
      w--;
      if (J->from[w] + J->len[w] > we) we = J->from[w] + J->len[w];
      if (J->from[w] < ws) ws = J->from[w];
      led |= J->led[w];
    }
    J->from[w] = ws;
    J->len[w] = we - ws;
    J->led[w] = led;
    w++;
  }
  q = 0;
  for (k = 0; k < w; k++) {                        /* (a cursor: the windows are in order) */
    size_t t;
    if (need) {
      while (q < nwords && words[q].start < J->from[k]) q++;
      for (t = q; t < nwords && words[t].start < J->from[k] + J->len[k] && words[t].set != need; t++) {}
      if (t == nwords || words[t].start >= J->from[k] + J->len[k]) continue;
    }
    J->from[kept] = J->from[k];
    J->led[kept] = J->led[k];
    J->len[kept++] = J->len[k];
  }
  J->nspans = w = kept;
  /* (a subject's windows all led or all not: J->led[b] tells which; the
   * window flags are read before the subject flags overwrite them) */
  for (k = 0; k < w; k++) {
    if (k == 0 || fill + J->len[k] > batch || J->led[k] != J->led[b - 1]) {
      if (k > 0) J->size[b - 1] = fill - 1;
      J->first[b] = k;
      J->start[b] = b == 0 ? 0 : J->start[b - 1] + J->size[b - 1] + 1;
      J->led[b] = J->led[k];
      b++;
      fill = 0;
    }
    J->at[k] = fill;
    memcpy(J->room + J->start[b - 1] + fill, s + J->from[k], J->len[k]);
    J->room[J->start[b - 1] + fill + J->len[k]] = '\0';
    fill += J->len[k] + 1;
  }
  if (b > 0) J->size[b - 1] = fill - 1;
  J->first[b] = w;
  J->nsubjects = b;
  J->buf = J->room;
}

/* The whole of s as the one window of one subject (J's arrays hold room
 * for one window). */
static void whole_window(const char *s, size_t len, joined *J) {
  J->from[0] = J->at[0] = J->first[0] = J->start[0] = 0;
  J->len[0] = J->size[0] = len;
  J->led[0] = 1;
  J->first[1] = 1;
  J->nspans = J->nsubjects = 1;
  J->buf = s;
}

/* The working memory of a scan, kept between calls (see scan_work_take):
 * the anchors found, their word edges, the joined windows and the room
 * they are copied into; and the matches scan_resolve collects before its
 * walk: per match, its candidate (bytes of the original, prio, id = the
 * match's index), its regex and where its groups' offsets in s start in
 * `groups`. Freed by __gc. */
#define SCAN_WORK "lode.ScanWork"
#define SCAN_ROOM_KEPT ((size_t)1 << 20)   /* bytes of room kept between calls */
typedef struct scan_work {
  word_hit *all;                 /* every set's anchor words */
  anchor *a;                     /* one set's anchors */
  size_t nall, all_cap, a_cap;
  unsigned char *plain;          /* per set (1-based): found by its words alone */
  size_t plain_cap;
  size_t *edges, edges_cap;
  size_t *spans, spans_cap;      /* the arrays of a joined */
  char *room;
  size_t room_cap;
  lode_cand *cand;               /* (twice n: the sort's scratch) */
  size_t *regex, *at, *groups;
  size_t n, cand_cap, regex_cap, at_cap, ngroups, gcap;
  const lode_view *view;
} scan_work;

static int scan_work_gc(lua_State *L) {
  scan_work *w = lua_touserdata(L, 1);
  free(w->all); free(w->a); free(w->plain); free(w->edges); free(w->spans); free(w->room);
  free(w->cand); free(w->regex); free(w->at); free(w->groups);
  memset(w, 0, sizeof *w);
  return 0;
}

/* *p with room for `need` entries of `size` bytes (*cap counts them). */
static void *reserve(lua_State *L, void *p, size_t *cap, size_t need, size_t size) {
  size_t want = *cap ? *cap : 16;
  if (need <= *cap) return p;
  while (want < need) want = want <= (size_t)-1 / 2 ? 2 * want : need;
  p = want <= (size_t)-1 / size ? realloc(p, want * size) : NULL;
  if (!p) luaL_error(L, "not enough memory");
  *cap = want;
  return p;
}
#define RESERVE(L, w, field, capfield, need) \
  ((w)->field = reserve((L), (w)->field, &(w)->capfield, (need), sizeof *(w)->field))

/* Record a match (ovec in subject terms, `off` added to reach s). */
static void add_hit(lua_State *L, scan_work *h, size_t r, long prio, int groups, const size_t *ovec,
                    lua_Integer off) {
  size_t oi, oj, g, need = 2 * ((size_t)groups + 1);
  RESERVE(L, h, cand, cand_cap, 2 * (h->n + 1));
  RESERVE(L, h, regex, regex_cap, h->n + 1);
  RESERVE(L, h, at, at_cap, h->n + 1);
  RESERVE(L, h, groups, gcap, h->ngroups + need);
  for (g = 0; g < need; g++)
    h->groups[h->ngroups + g] = ovec[g] == LODE_NOPOS ? LODE_NOPOS : (size_t)((lua_Integer)ovec[g] + off);
  lode_view_origin(h->view, h->groups[h->ngroups], h->groups[h->ngroups + 1], &oi, &oj);
  h->cand[h->n].start = oi;
  h->cand[h->n].end = oj;
  h->cand[h->n].prio = prio;
  h->cand[h->n].id = h->n;
  h->regex[h->n] = r;
  h->at[h->n] = h->ngroups;
  h->ngroups += need;
  h->n++;
}

/* Search the subjects of J with `re` (regex index r), or with `bare` (the
 * same groups; NULL: none) those where no lead word opens a match: with
 * h, record each match there; else append it to the result table at
 * `out` (n counts its entries). */
static void scan_joined(lua_State *L, lode_regex_scratch *sc, const lode_regex *re, const lode_regex *bare,
                        lua_Integer r, const joined *J, int out, lua_Integer *n, scan_work *h, long prio) {
  size_t stackbuf[OVEC_STACK], *ovec = ovec_for(L, re, stackbuf), b;
  int g, groups = lode_regex_groups(re);
  luaL_checkstack(L, groups + 3, "too many captures");
  for (b = 0; b < J->nsubjects; b++) {
    const char *sub = J->buf + J->start[b];
    const lode_regex *x = bare && !J->led[b] ? bare : re;
    size_t len = J->size[b], pos = 0, k = J->first[b];
    int last_empty = 0;
    while (pos <= len && next_match(L, sc, x, sub, len, &pos, &last_empty, ovec)) {
      lua_Integer off;
      while (k + 1 < J->first[b + 1] && J->at[k + 1] <= ovec[0]) k++;
      off = (lua_Integer)J->from[k] - (lua_Integer)J->at[k];
      if (h) {
        add_hit(L, h, (size_t)r - 1, prio, groups, ovec, off);
        continue;
      }
      lua_pushinteger(L, r);
      lua_rawseti(L, out, ++*n);
      lua_pushinteger(L, (lua_Integer)ovec[0] + 1 + off);
      lua_rawseti(L, out, ++*n);
      lua_pushinteger(L, (lua_Integer)ovec[1] + off);
      lua_rawseti(L, out, ++*n);
      for (g = 1; g <= groups; g++) {
        push_group(L, sub, ovec, g);
        lua_rawseti(L, out, ++*n);
      }
    }
  }
}

/* The Regex at the top of the stack, entry k of the array `arg`. */
static const lode_regex *regex_at(lua_State *L, int arg, lua_Integer k, const char *what) {
  regex_ud *u;
  lua_rawgeti(L, arg, k);
  if ((u = luaL_testudata(L, -1, LODE_REGEX)) == NULL)
    luaL_argerror(L, arg, lua_pushfstring(L, "%s[%I]: lode.Regex expected, got %s", what, k,
                                          luaL_typename(L, -1)));
  if (!u->re) luaL_argerror(L, arg, "regex is freed");
  return u->re;
}

/* Entry k of the array of counts at `arg` (at least `least`). */
static size_t count_at(lua_State *L, int arg, lua_Integer k, lua_Integer least, const char *what) {
  lua_Integer c;
  lua_rawgeti(L, arg, k);
  c = lua_isinteger(L, -1) ? lua_tointeger(L, -1) : least - 1;
  lua_pop(L, 1);
  if (c < least) luaL_argerror(L, arg, lua_pushfstring(L, "entry %I: %s expected", k, what));
  return (size_t)c;
}

/* One regex of a scan and its word counts, read from Lua once; set is the
 * anchor set (an index in the array of sets), prio its priority, need the
 * set whose words every match holds (0: none known). */
typedef struct scan_plan {
  const lode_regex *re;
  size_t before, after, set, need;
  unsigned long lead;   /* bit s: set s leads (see scan_plan's leads) */
  size_t unled;         /* the word count before of a window no lead word opens */
  const lode_regex *bare;   /* re without its lead words, or NULL */
  long prio;
} scan_plan;

/* Read the nre regexes at `res` (with their counts at `bef`, `aft`, and
 * with `sets`, `prios` when nonzero) into plan[0 .. nre). */
static void read_plan(lua_State *L, int res, int bef, int aft, int sets, int prios,
                      scan_plan *plan, lua_Integer nre) {
  lua_Integer r;
  luaL_argcheck(L, luaL_len(L, bef) == nre, bef, "one word count per regex expected");
  luaL_argcheck(L, luaL_len(L, aft) == nre, aft, "one word count per regex expected");
  if (sets) luaL_argcheck(L, luaL_len(L, sets) == nre, sets, "one set per regex expected");
  if (prios) luaL_argcheck(L, luaL_len(L, prios) == nre, prios, "one priority per regex expected");
  for (r = 1; r <= nre; r++) {
    scan_plan *p = &plan[r - 1];
    p->before = count_at(L, bef, r, 0, "a word count >= 0");
    p->after = count_at(L, aft, r, 0, "a word count >= 0");
    p->set = sets ? count_at(L, sets, r, 1, "a set number >= 1") : 1;
    p->need = 0;
    p->lead = 0;
    p->unled = 0;
    p->bare = NULL;
    if (prios) {
      lua_rawgeti(L, prios, r);
      if (!lua_isinteger(L, -1)) luaL_argerror(L, prios, lua_pushfstring(L, "entry %I: an integer expected", r));
      p->prio = (long)lua_tointeger(L, -1);
      lua_pop(L, 1);
    } else {
      p->prio = 0;
    }
    p->re = regex_at(L, res, r, "regexes");
    lua_pop(L, 1);
  }
}

/* Append every match of `re` in s to w->a (w->n counts them). */
static void regex_anchors(lua_State *L, lode_regex_scratch *sc, const lode_regex *re, const char *s, size_t len,
                          scan_work *w, size_t *n) {
  size_t pos = 0, stackbuf[OVEC_STACK], *ovec = ovec_for(L, re, stackbuf);
  int last_empty = 0;
  while (pos <= len && next_match(L, sc, re, s, len, &pos, &last_empty, ovec)) {
    RESERVE(L, w, a, a_cap, *n + 1);
    w->a[*n].start = ovec[0];
    w->a[*n].end = ovec[1];
    ++*n;
  }
}

/* Search s with the regexes of `plan` whose set is `set`: each in its
 * windows around the n anchors w->a (see scan_resolve), those without a
 * word of the regex's `need` set left out when plain[need] and plain[set]
 * (both found by their words alone: w->all holds the need's words, and a
 * match through some other anchor is no concern), joined into subjects
 * of at most `batch` bytes; or, when whole, in the whole of s. Each match
 * goes to scan_joined (out, count, h). */
static void scan_set(lua_State *L, lode_regex_scratch *sc, const char *s, size_t len, int whole, size_t n,
                     const scan_plan *plan, lua_Integer nre, size_t set, const unsigned char *plain,
                     size_t batch, int out, lua_Integer *count, scan_work *w, scan_work *h) {
  size_t maxb = 0, maxa = 0, k, step;
  lua_Integer r;
  int searched = 0;
  anchor *a = w->a;
  joined J;
  for (r = 1; r <= nre; r++) {
    if (plan[r - 1].set != set) continue;
    searched = 1;
    if (plan[r - 1].before > maxb) maxb = plan[r - 1].before;
    if (plan[r - 1].after > maxa) maxa = plan[r - 1].after;
  }
  /* (a set only needed by others, a year or a weekday, anchors no regex) */
  if (!searched || (!whole && n == 0)) return;
  /* the word edges of every anchor, then room to join the windows */
  step = maxb + maxa + 2;
  RESERVE(L, w, edges, edges_cap, (n ? n : 1) * step);
  for (k = 0; k < n; k++) {
    a[k].ws = w->edges + k * step;
    a[k].we = a[k].ws + maxb + 1;
    word_edges(s, len, &a[k], maxb, maxa);
  }
  if (n == 0) n = 1;                                /* (room for the whole window) */
  RESERVE(L, w, spans, spans_cap, 7 * n + 3);
  J.from = w->spans;
  J.len = J.from + n;
  J.at = J.len + n;
  J.first = J.at + n;                               /* nsubjects + 1 <= n + 1 */
  J.start = J.first + n + 1;
  J.size = J.start + n + 1;
  J.led = J.size + n + 1;
  if (whole) {
    whole_window(s, len, &J);
  } else {
    RESERVE(L, w, room, room_cap, len + n + 1);
    J.room = w->room;
  }
  for (r = 1; r <= nre; r++) {
    const scan_plan *p = &plan[r - 1];
    unsigned long lead = p->lead;
    size_t ls;
    if (p->set != set) continue;
    for (ls = 1; lead && ls < LEAD_SETS; ls++)      /* (every lead set found by its words alone) */
      if ((lead >> ls & 1) && !(plain && plain[ls])) lead = 0;
    if (!whole)
      join_windows(s, a, n, p->before, p->after, w->all, w->nall,
                   plain && p->need && plain[p->need] && plain[set] ? p->need : 0, lead, p->unled, batch, &J);
    scan_joined(L, sc, p->re, p->bare, r, &J, out, count, h, p->prio);
  }
}

/* A new scan_work at the top of the stack. */
static scan_work *push_work(lua_State *L) {
  scan_work *w = lua_newuserdatauv(L, sizeof *w, 0);
  memset(w, 0, sizeof *w);
  luaL_setmetatable(L, SCAN_WORK);
  return w;
}

/* A plan of scan_resolve: its regexes (the Regexes themselves kept alive
 * by the plan's user value 1, a copy of the array), sets, counts and
 * prios, and the anchor words of every set as byte sequences (seq_set[q]
 * the set of sequence q). User value 2 holds a spare scan_work. */
#define SCAN_PLAN "lode.ScanPlan"
typedef struct plan_ud {
  lua_Integer nre;
  size_t maxset;       /* the highest set number */
  size_t nwords;       /* the number of word sets (a need may name any) */
  lode_byteseqs *words;
  size_t *seq_set;
  scan_plan p[];
} plan_ud;

static int plan_gc(lua_State *L) {
  plan_ud *u = lua_touserdata(L, 1);
  lode_byteseqs_free(u->words);
  free(u->seq_set);
  u->words = NULL;
  u->seq_set = NULL;
  return 0;
}

/* The anchor words of every set (the array of arrays at `arg`) into u. */
static void read_words(lua_State *L, int arg, plan_ud *u) {
  lua_Integer nsets = luaL_len(L, arg), set, k, n = 0, q = 0;
  const char **seqs;
  size_t *lens;
  lode_error err;
  luaL_argcheck(L, nsets >= (lua_Integer)u->maxset, arg, "anchor words for every set expected");
  for (set = 1; set <= nsets; set++) {
    if (lua_rawgeti(L, arg, set) != LUA_TTABLE)
      luaL_argerror(L, arg, lua_pushfstring(L, "entry %I: an array of strings expected", set));
    n += luaL_len(L, -1);
    lua_pop(L, 1);
  }
  seqs = lua_newuserdatauv(L, (size_t)(n ? n : 1) * sizeof *seqs, 0);
  lens = lua_newuserdatauv(L, (size_t)(n ? n : 1) * sizeof *lens, 0);
  if ((u->seq_set = malloc((size_t)(n ? n : 1) * sizeof *u->seq_set)) == NULL) luaL_error(L, "not enough memory");
  for (set = 1; set <= nsets; set++) {
    lua_rawgeti(L, arg, set);
    for (k = 1; k <= luaL_len(L, -1); k++, q++) {
      if (lua_rawgeti(L, -1, k) != LUA_TSTRING)
        luaL_argerror(L, arg, lua_pushfstring(L, "entry %I[%I]: a string expected", set, k));
      seqs[q] = lua_tolstring(L, -1, &lens[q]);   /* (kept alive by the table) */
      u->seq_set[q] = (size_t)set;
      lua_pop(L, 1);
    }
    lua_pop(L, 1);
  }
  if ((u->words = lode_byteseqs_new(seqs, lens, (size_t)n, &err)) == NULL) lode_raise(L, &err);
  lua_pop(L, 2);
}

/* The lead sets of every regex (arrays of set numbers at `arg`) into u. */
static void read_leads(lua_State *L, int arg, plan_ud *u) {
  lua_Integer r, k;
  luaL_argcheck(L, luaL_len(L, arg) == u->nre, arg, "one array of set numbers per regex expected");
  for (r = 1; r <= u->nre; r++) {
    if (lua_rawgeti(L, arg, r) != LUA_TTABLE)
      luaL_argerror(L, arg, lua_pushfstring(L, "entry %I: an array of set numbers expected", r));
    for (k = 1; k <= luaL_len(L, -1); k++) {
      size_t set = count_at(L, lua_gettop(L), k, 1, "a set number >= 1");
      if (set > u->nwords || set >= LEAD_SETS)
        luaL_argerror(L, arg, lua_pushfstring(L, "entry %I: no set %I (at most %d)", r, (lua_Integer)set,
                                              LEAD_SETS - 1));
      u->p[r - 1].lead |= 1UL << set;
    }
    if (lua_getfield(L, -1, "before") != LUA_TNIL) {
      lua_Integer b = lua_isinteger(L, -1) ? lua_tointeger(L, -1) : -1;
      if (b < 0 || (size_t)b > u->p[r - 1].before)
        luaL_argerror(L, arg, lua_pushfstring(L, "entry %I: before, a word count from 0 to the regex's expected", r));
      u->p[r - 1].unled = (size_t)b;
    }
    lua_pop(L, 2);
  }
}

/* Whether regexes a and b number the same groups by the same names. */
static int same_groups(const lode_regex *a, const lode_regex *b) {
  int k, n = lode_regex_name_count(a), ga, gb;
  if (lode_regex_groups(a) != lode_regex_groups(b) || n != lode_regex_name_count(b)) return 0;
  for (k = 0; k < n; k++)
    if (strcmp(lode_regex_name(a, k, &ga), lode_regex_name(b, k, &gb)) != 0 || ga != gb) return 0;
  return 1;
}

/* The bare regexes (a Regex or false per regex, at `arg`) into u, kept
 * alive in the table at `kept` after the regexes. */
static void read_bares(lua_State *L, int arg, int kept, plan_ud *u) {
  lua_Integer r;
  luaL_argcheck(L, luaL_len(L, arg) == u->nre, arg, "one Regex or false per regex expected");
  for (r = 1; r <= u->nre; r++) {
    if (lua_rawgeti(L, arg, r) == LUA_TBOOLEAN && !lua_toboolean(L, -1)) {
      lua_pop(L, 1);
      continue;
    }
    lua_pop(L, 1);
    u->p[r - 1].bare = regex_at(L, arg, r, "bares");
    if (!same_groups(u->p[r - 1].re, u->p[r - 1].bare))
      luaL_argerror(L, arg, lua_pushfstring(L, "entry %I: not the groups of regex %I", r, r));
    lua_rawseti(L, kept, u->nre + r);
  }
}

/* scan_plan(regexes, sets, befores, afters, prios, words [, needs [, leads [, bares]]]) */
static int r_scan_plan(lua_State *L) {
  lua_Integer nre, r, nwords;
  plan_ud *u;
  int k;
  for (k = 1; k <= 6; k++) luaL_checktype(L, k, LUA_TTABLE);
  for (k = 7; k <= 9; k++)
    if (!lua_isnoneornil(L, k)) luaL_checktype(L, k, LUA_TTABLE);
  lua_settop(L, 9);
  nre = luaL_len(L, 1);
  if ((size_t)nre > ((size_t)-1 - sizeof *u) / sizeof(scan_plan)) luaL_argerror(L, 1, "too many regexes");
  u = lua_newuserdatauv(L, sizeof *u + (size_t)nre * sizeof(scan_plan), 2);   /* 10 */
  u->nre = nre;
  u->maxset = 0;
  u->words = NULL;
  u->seq_set = NULL;
  luaL_setmetatable(L, SCAN_PLAN);                  /* (its __gc frees what read_words makes) */
  read_plan(L, 1, 3, 4, 2, 5, u->p, nre);
  lua_createtable(L, (int)nre, 0);                  /* 11: the Regexes (and bare ones), kept */
  for (r = 1; r <= nre; r++) {
    if (u->p[r - 1].set > u->maxset) u->maxset = u->p[r - 1].set;
    lua_rawgeti(L, 1, r);
    lua_rawseti(L, 11, r);
  }
  if (!lua_isnil(L, 9)) read_bares(L, 9, 11, u);
  lua_setiuservalue(L, 10, 1);
  read_words(L, 6, u);
  nwords = luaL_len(L, 6);
  u->nwords = (size_t)nwords;
  if (!lua_isnil(L, 7)) {
    luaL_argcheck(L, luaL_len(L, 7) == nre, 7, "one set number (or 0) per regex expected");
    for (r = 1; r <= nre; r++) {
      size_t need = count_at(L, 7, r, 0, "a set number >= 0");
      if ((lua_Integer)need > nwords) luaL_argerror(L, 7, lua_pushfstring(L, "entry %I: no set %I", r, (lua_Integer)need));
      u->p[r - 1].need = need;
    }
  }
  if (!lua_isnil(L, 8)) read_leads(L, 8, u);
  lua_settop(L, 10);
  return 1;
}

/* The anchor words found by the byte sequences, in text order. */
typedef struct word_ctx { lua_State *L; scan_work *w; const size_t *seq_set; } word_ctx;
static void word_found(void *ctx, size_t seq, size_t start, size_t end) {
  word_ctx *x = ctx;
  scan_work *w = x->w;
  RESERVE(x->L, w, all, all_cap, w->nall + 1);
  w->all[w->nall].start = start;
  w->all[w->nall].end = end;
  w->all[w->nall++].set = x->seq_set[seq];
}

/* A spare scan_work of the plan at 3 (taken from its user value 2: a call
 * inside accept finds none and makes its own), at the top of the stack. */
static scan_work *scan_work_take(lua_State *L) {
  scan_work *w;
  if (lua_getiuservalue(L, 3, 2) == LUA_TUSERDATA) {
    w = lua_touserdata(L, -1);
    lua_pushnil(L);
    lua_setiuservalue(L, 3, 2);
  } else {
    lua_pop(L, 1);
    w = push_work(L);
  }
  w->nall = w->n = w->ngroups = 0;
  return w;
}

/* scan_resolve(v, extra, plan, accept [, batch]) */
static int r_scan_resolve(lua_State *L) {
  size_t len, k, nplain;
  const char *s;
  const scan_plan *plan;
  const plan_ud *u;
  lua_Integer nsets, set, batch = luaL_optinteger(L, 5, 4096), kept = 0;
  lode_regex_scratch *sc = lode_scratch(L);
  lode_resolve_walk rw;
  const lode_cand *c;
  scan_work *w;
  int words_found = 0;
  const lode_view *view = lode_checkview(L, 1)->view;
  s = lode_view_bytes(view, &len);
  luaL_checktype(L, 2, LUA_TTABLE);
  u = luaL_checkudata(L, 3, SCAN_PLAN);
  plan = u->p;
  luaL_checktype(L, 4, LUA_TFUNCTION);
  luaL_argcheck(L, batch > 0, 5, "batch: a positive size expected");
  lua_settop(L, 5);
  nsets = luaL_len(L, 2);
  if ((lua_Integer)u->maxset > nsets)
    luaL_argerror(L, 2, lua_pushfstring(L, "the plan needs %I anchor sets", (lua_Integer)u->maxset));
  check_subject(L, s, len, 1);
  w = scan_work_take(L);                            /* 6 */
  w->view = view;
  /* plain[set]: the set is found by its words alone. A need may name a
   * set past the extras given: not plain, so nothing is skipped for it */
  nplain = (size_t)nsets > u->nwords ? (size_t)nsets : u->nwords;
  RESERVE(L, w, plain, plain_cap, nplain + 1);
  memset(w->plain, 0, nplain + 1);
  for (set = 1; set <= nsets; set++) {
    w->plain[set] = lua_rawgeti(L, 2, set) == LUA_TBOOLEAN && lua_toboolean(L, -1);
    lua_pop(L, 1);
  }
  for (set = 1; set <= nsets; set++) {
    int t = lua_rawgeti(L, 2, set);                 /* 7 */
    const lode_regex *extra = NULL;
    size_t n = 0;
    if (t == LUA_TUSERDATA) {
      regex_ud *x = luaL_testudata(L, 7, LODE_REGEX);
      if (x && !x->re) luaL_argerror(L, 2, "regex is freed");
      extra = x ? x->re : NULL;
    }
    if (!extra && t != LUA_TBOOLEAN)
      luaL_argerror(L, 2, lua_pushfstring(L, "entry %I: a Regex, true or false expected", set));
    if (t == LUA_TBOOLEAN && !lua_toboolean(L, 7)) {
      scan_set(L, sc, s, len, 1, 0, plan, u->nre, (size_t)set, w->plain, (size_t)batch, 0, NULL, w, w);
    } else {
      if (!words_found) {                           /* every set's words, in one pass */
        word_ctx x;
        x.L = L;
        x.w = w;
        x.seq_set = u->seq_set;
        lode_byteseqs_find(u->words, s, len, word_found, &x);
        words_found = 1;
      }
      for (k = 0; k < w->nall; k++) {
        if (w->all[k].set != (size_t)set) continue;
        RESERVE(L, w, a, a_cap, n + 1);
        w->a[n].start = w->all[k].start;
        w->a[n++].end = w->all[k].end;
      }
      if (extra) {
        regex_anchors(L, sc, extra, s, len, w, &n);
        qsort(w->a, n, sizeof *w->a, by_start);
      }
      scan_set(L, sc, s, len, 0, n, plan, u->nre, (size_t)set, w->plain, (size_t)batch, 0, NULL, w, w);
    }
    lua_settop(L, 6);
  }
  if (w->n) lode_resolve_sort_runs(w->cand, w->n, w->cand + w->n);   /* a run per regex, each in order */
  lua_newtable(L);                                  /* 7: kept */
  lode_resolve_walk_init(&rw, w->cand, w->n, NULL, 0);
  while ((c = lode_resolve_next(&rw)) != NULL) {
    const lode_regex *re = plan[w->regex[c->id]].re;
    const size_t *ovec = w->groups + w->at[c->id];
    int names = lode_regex_name_count(re), g;
    lua_pushvalue(L, 4);
    lua_pushinteger(L, (lua_Integer)w->regex[c->id] + 1);
    lua_createtable(L, 0, names + 2);               /* [.., accept, r, m] */
    lua_pushinteger(L, (lua_Integer)c->start + 1);
    lua_setfield(L, -2, "i");
    lua_pushinteger(L, (lua_Integer)c->end);
    lua_setfield(L, -2, "j");
    for (k = 0; k < (size_t)names; k++) {
      const char *name = lode_regex_name(re, (int)k, &g);
      push_group(L, s, ovec, g);
      lua_setfield(L, -2, name);
    }
    lua_call(L, 2, 1);                              /* [.., kept, value] */
    if (!((lode_view_ud *)lua_touserdata(L, 1))->view)
      return luaL_error(L, "scan_resolve: the view was closed during the walk");
    if (!lua_toboolean(L, -1)) { lua_pop(L, 1); continue; }
    lode_resolve_take(&rw, c);
    lua_rawseti(L, 7, ++kept);
  }
  /* the work back, for the next call; not the room a huge page took (the
   * plan lives as long as its Lua state) */
  if (w->room_cap > SCAN_ROOM_KEPT) {
    free(w->room);
    w->room = NULL;
    w->room_cap = 0;
  }
  lua_pushvalue(L, 6);
  lua_setiuservalue(L, 3, 2);
  return 1;
}

void lode_open_scan(lua_State *L) {
  luaL_newmetatable(L, SCAN_PLAN);       /* [M, meta] */
  lua_pushcfunction(L, plan_gc);
  lua_setfield(L, -2, "__gc");
  lua_pop(L, 1);
  luaL_newmetatable(L, SCAN_WORK);
  lua_pushcfunction(L, scan_work_gc);
  lua_setfield(L, -2, "__gc");
  lua_pop(L, 1);
  lua_pushcfunction(L, r_scan_resolve);
  lua_setfield(L, -2, "scan_resolve");
  lua_pushcfunction(L, r_scan_plan);
  lua_setfield(L, -2, "scan_plan");
}
