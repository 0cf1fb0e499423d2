/*
 * strtab.c -- byte strings numbered in the order first seen (strtab.h).
 *
 * Open addressing with linear probing over a power-of-two table of ids
 * (0: empty slot) into an array of entries, whose bytes live in one arena;
 * the load factor stays under 1/2.
 */
#include "strtab.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct entry {
  size_t off, len;   /* the bytes: arena[off, off + len) */
  uint32_t hash;
  int marked;
} entry;

struct lode_strtab {
  size_t *slots;     /* ids; 0: empty */
  size_t cap;        /* slots: a power of two */
  entry *v;          /* entry id - 1 */
  size_t n, vcap;
  char *arena;
  size_t used, arena_cap;
};

/* FNV-1a. */
static uint32_t hash_bytes(const char *s, size_t len) {
  uint32_t h = 2166136261u;
  for (size_t k = 0; k < len; k++) h = (h ^ (unsigned char)s[k]) * 16777619u;
  return h;
}

lode_strtab *lode_strtab_new(lode_error *err) {
  lode_strtab *t = calloc(1, sizeof *t);
  if (t) t->slots = calloc(64, sizeof *t->slots);
  if (!t || !t->slots) {
    free(t);
    lode_error_set(err, LODE_ENOMEM, LODE_NOPOS, 0, "out of memory");
    return NULL;
  }
  t->cap = 64;
  return t;
}

void lode_strtab_free(lode_strtab *t) {
  if (!t) return;
  free(t->slots);
  free(t->v);
  free(t->arena);
  free(t);
}

/* The slot holding s (hash h), or the empty slot where it would go. */
static size_t probe(const lode_strtab *t, const char *s, size_t len, uint32_t h) {
  size_t mask = t->cap - 1, k = h & mask;
  for (;;) {
    size_t id = t->slots[k];
    if (id == 0) return k;
    const entry *e = &t->v[id - 1];
    if (e->hash == h && e->len == len && memcmp(t->arena + e->off, s, len) == 0) return k;
    k = (k + 1) & mask;
  }
}

size_t lode_strtab_find(const lode_strtab *t, const char *s, size_t len) {
  return t->slots[probe(t, s, len, hash_bytes(s, len))];
}

/* Double the slots, placing every id again. */
static int grow_slots(lode_strtab *t) {
  size_t cap = 2 * t->cap, *slots = calloc(cap, sizeof *slots);
  if (!slots) return LODE_ENOMEM;
  for (size_t id = 1; id <= t->n; id++) {
    size_t k = t->v[id - 1].hash & (cap - 1);
    while (slots[k]) k = (k + 1) & (cap - 1);
    slots[k] = id;
  }
  free(t->slots);
  t->slots = slots;
  t->cap = cap;
  return 0;
}

/* Room for one more entry and len more arena bytes. */
static int reserve(lode_strtab *t, size_t len) {
  if (t->n == t->vcap) {
    size_t vcap = t->vcap ? 2 * t->vcap : 64;
    entry *v = realloc(t->v, vcap * sizeof *v);
    if (!v) return LODE_ENOMEM;
    t->v = v;
    t->vcap = vcap;
  }
  if (len > t->arena_cap - t->used) {
    size_t cap = t->arena_cap ? t->arena_cap : 1024;
    while (len > cap - t->used) {
      if (cap > SIZE_MAX / 2) return LODE_ENOMEM;
      cap *= 2;
    }
    char *a = realloc(t->arena, cap);
    if (!a) return LODE_ENOMEM;
    t->arena = a;
    t->arena_cap = cap;
  }
  return 0;
}

size_t lode_strtab_intern(lode_strtab *t, const char *s, size_t len, lode_error *err) {
  uint32_t h = hash_bytes(s, len);
  size_t k = probe(t, s, len, h);
  entry *e;
  if (t->slots[k]) return t->slots[k];
  if (reserve(t, len) != 0 || (2 * (t->n + 1) > t->cap && grow_slots(t) != 0)) {
    lode_error_set(err, LODE_ENOMEM, LODE_NOPOS, 0, "out of memory");
    return 0;
  }
  k = probe(t, s, len, h);                     /* the slots may have grown */
  e = &t->v[t->n];
  e->off = t->used;
  e->len = len;
  e->hash = h;
  e->marked = 0;
  if (len) memcpy(t->arena + t->used, s, len);
  t->used += len;
  t->slots[k] = ++t->n;
  return t->n;
}

void lode_strtab_mark(lode_strtab *t, size_t id) {
  if (id >= 1 && id <= t->n) t->v[id - 1].marked = 1;
}

int lode_strtab_marked(const lode_strtab *t, size_t id) {
  return id >= 1 && id <= t->n && t->v[id - 1].marked;
}

size_t lode_strtab_size(const lode_strtab *t) { return t->n; }

void lode_strtab_clear(lode_strtab *t) {
  memset(t->slots, 0, t->cap * sizeof *t->slots);
  t->n = 0;
  t->used = 0;
}
