/*
 * fuzz_dataset.c -- CSV records and JSON string members of any bytes.
 * Reading records always moves forward and gives field spans in order,
 * inside the file; a JSON member's span sits between quotes inside the
 * object; decoding a field maps its text back inside the field's bytes.
 */
#include <string.h>
#include "fuzz.h"
#include "dataset.h"

static void check_decode(const char *s, size_t start, size_t end, lode_field_kind kind) {
  char *text;
  size_t tlen, k, fi, fj, prev = start;
  lode_filemap *map;
  FUZZ_CHECK(lode_field_decode(s, start, end, kind, 1, &text, &tlen, &map, NULL) == 0);
  FUZZ_CHECK(text[tlen] == '\0');
  for (k = 0; k < tlen; k++) {
    lode_filemap_origin(map, k, k + 1, &fi, &fj);
    FUZZ_CHECK(start <= fi && fi <= fj && fj <= end && fi >= prev);
    prev = fi;
  }
  free(text);
  lode_filemap_free(map);
}

static void check_csv(const char *s, size_t len) {
  lode_csv_field *fields = NULL;
  size_t cap = 0, n, next, pos = 0, k;
  lode_error err;
  while (pos < len) {
    int rc = lode_csv_record("fuzz", s, len, pos, &fields, &cap, &n, &next, &err);
    FUZZ_CHECK(rc == 0 || rc == LODE_ESYNTAX);
    FUZZ_CHECK(pos < next && next <= len);
    if (rc == 0) {
      size_t prev_end = pos;
      for (k = 0; k < n; k++) {
        const lode_csv_field *f = &fields[k];
        FUZZ_CHECK(prev_end <= f->start && f->start <= f->end && f->end <= next);
        if (f->quoted) FUZZ_CHECK(f->start > 0 && s[f->start - 1] == '"' && s[f->end] == '"');
        check_decode(s, f->start, f->end, f->quoted ? LODE_FIELD_CSV : LODE_FIELD_RAW);
        prev_end = f->end;
      }
    } else {
      FUZZ_CHECK(err.msg[0] != '\0');
    }
    pos = next;
  }
  free(fields);
}

static void check_json(const char *s, size_t len, const char *key) {
  size_t start, end;
  int rc = lode_json_string_span(s, len, key, strlen(key), &start, &end);
  FUZZ_CHECK(rc == 0 || rc == 1 || rc == LODE_ESYNTAX);
  if (rc != 1) return;
  FUZZ_CHECK(0 < start && start <= end && end < len);
  FUZZ_CHECK(s[start - 1] == '"' && s[end] == '"');
  check_decode(s, start, end, LODE_FIELD_JSON);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const char *s = (const char *)data;
  check_csv(s, size);
  check_json(s, size, "text");
  check_json(s, size, "title");
  check_json(s, size, "");
  return 0;
}
