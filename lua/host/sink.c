/* sink.c -- buffered, checked output for batch jobs (batch.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "batch.h"

#define SINK_FLUSH (1u << 16)

int lode_write_all(int fd, const char *p, size_t n) {
  while (n > 0) {
    ssize_t k = write(fd, p, n);
    if (k < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    p += k;
    n -= (size_t)k;
  }
  return 0;
}

void lode_sink_init(lode_sink *s, int fd, unsigned long long offset) {
  memset(s, 0, sizeof *s);
  s->fd = fd;
  s->offset = offset;
}

int lode_sink_flush(lode_sink *s) {
  if (s->err) return -1;
  if (s->fd < 0 || s->len == 0) return 0;
  if (lode_write_all(s->fd, s->buf, s->len) != 0) {
    s->err = errno ? errno : EIO;
    return -1;
  }
  s->offset += s->len;
  s->len = 0;
  return 0;
}

int lode_sink_write(lode_sink *s, const char *p, size_t n) {
  if (s->err) return -1;
  if (n == 0) return 0;
  if (s->fd >= 0 && s->len + n > SINK_FLUSH) {
    if (lode_sink_flush(s) != 0) return -1;
    if (n >= SINK_FLUSH) {  /* big: straight through */
      if (lode_write_all(s->fd, p, n) != 0) {
        s->err = errno ? errno : EIO;
        return -1;
      }
      s->offset += n;
      return 0;
    }
  }
  if (s->len + n > s->cap) {
    size_t cap = s->cap ? s->cap : 256;
    char *nb;
    while (cap < s->len + n) cap *= 2;
    if ((nb = realloc(s->buf, cap)) == NULL) {
      s->err = ENOMEM;
      return -1;
    }
    s->buf = nb;
    s->cap = cap;
  }
  memcpy(s->buf + s->len, p, n);
  s->len += n;
  return 0;
}

void lode_sink_free(lode_sink *s) {
  free(s->buf);
  s->buf = NULL;
  s->len = s->cap = 0;
}

/* Escape as lua-cjson does, so error records look like the others. */
int lode_sink_json_string(lode_sink *s, const char *p, size_t n) {
  static const char hex[] = "0123456789abcdef";
  size_t k, run = 0;
  if (lode_sink_write(s, "\"", 1)) return -1;
  for (k = 0; k < n; k++) {
    unsigned char c = (unsigned char)p[k];
    char esc[7];
    size_t elen = 2;
    if (c >= 0x20 && c != '"' && c != '\\' && c != 0x7f) continue;
    if (lode_sink_write(s, p + run, k - run)) return -1;
    run = k + 1;
    esc[0] = '\\';
    switch (c) {
      case '"': esc[1] = '"'; break;
      case '\\': esc[1] = '\\'; break;
      case '\n': esc[1] = 'n'; break;
      case '\r': esc[1] = 'r'; break;
      case '\t': esc[1] = 't'; break;
      case '\b': esc[1] = 'b'; break;
      case '\f': esc[1] = 'f'; break;
      default:
        memcpy(esc + 1, "u00", 3);
        esc[4] = hex[c >> 4];
        esc[5] = hex[c & 15];
        elen = 6;
    }
    if (lode_sink_write(s, esc, elen)) return -1;
  }
  if (lode_sink_write(s, p + run, n - run)) return -1;
  return lode_sink_write(s, "\"", 1);
}

int lode_sink_error_record(lode_sink *s, int keyed, const char *prefix,
                           const char *field, const char *name, const char *msg) {
  if (keyed && (lode_sink_write(s, prefix, strlen(prefix)) || lode_sink_write(s, "\t", 1)))
    return -1;
  if (lode_sink_write(s, "{\"", 2) || lode_sink_write(s, field, strlen(field)) ||
      lode_sink_write(s, "\":", 2) || lode_sink_json_string(s, name, strlen(name)) ||
      lode_sink_write(s, ",\"error\":", 9) || lode_sink_json_string(s, msg, strlen(msg)))
    return -1;
  return lode_sink_write(s, "}\n", 2);
}
