/*
 * test_formats.c -- file maps, CSV records, JSON string members, field
 * decoding, HTML conversion and format detection (core/filemap, dataset,
 * html, format).
 */
#include "lode.h"
#include "test.h"

#define LIT(s) s, sizeof(s) - 1

static void test_filemap(void) {
  lode_filemap *m = lode_filemap_new();
  const char file[] = "<p>ab &amp; c</p>\n<p>d</p>";
  size_t fi, fj;
  /* text "ab & c\nd" */
  CHECK(lode_filemap_add(m, 0, 3, 3, 3, 1) == 0);    /* "ab " */
  CHECK(lode_filemap_add(m, 3, 1, 6, 5, 0) == 0);    /* "&" <- "&amp;" */
  CHECK(lode_filemap_add(m, 4, 2, 11, 2, 1) == 0);   /* " c" */
  CHECK(lode_filemap_add(m, 6, 1, 13, 0, 0) == 0);   /* the inserted '\n' */
  CHECK(lode_filemap_add(m, 7, 1, 21, 1, 1) == 0);   /* "d" */
  CHECK(lode_filemap_add(m, 8, 0, 22, 0, 1) == 0);   /* empty: not stored */
  CHECK(lode_filemap_pieces(m) == 5);
  CHECK(lode_filemap_set_lines(m, file, 0, sizeof file - 1, 1) == 0);
  lode_filemap_origin(m, 1, 2, &fi, &fj);
  CHECK(fi == 4 && fj == 5);
  lode_filemap_origin(m, 3, 4, &fi, &fj);
  CHECK(fi == 6 && fj == 11);
  lode_filemap_origin(m, 0, 6, &fi, &fj);
  CHECK(fi == 3 && fj == 13);
  lode_filemap_origin(m, 2, 2, &fi, &fj);
  CHECK(fi == 5 && fj == 5);
  lode_filemap_origin(m, 7, 8, &fi, &fj);
  CHECK(fi == 21 && fj == 22 && file[fi] == 'd');
  CHECK(lode_filemap_file_line(m, 21) == 2);
  CHECK(lode_filemap_file_line(m, 3) == 1);
  lode_filemap_free(m);
  lode_filemap_free(NULL);
}

static void test_csv(void) {
  const char s[] = "a,\"b \"\"q\"\"\r\nline\",c\r\n\"bad\"x,1\n2,\"open\n";
  lode_csv_field *f = NULL;
  size_t cap = 0, n = 0, next = 0;
  lode_error err;
  CHECK(lode_csv_record("t.csv", s, sizeof s - 1, 0, &f, &cap, &n, &next, &err) == 0);
  CHECK(n == 3 && f[1].quoted && !f[0].quoted);
  CHECK_BYTES(s + f[1].start, f[1].end - f[1].start, "b \"\"q\"\"\r\nline");
  CHECK_BYTES(s + f[2].start, f[2].end - f[2].start, "c");
  CHECK(lode_csv_record("t.csv", s, sizeof s - 1, next, &f, &cap, &n, &next, &err) == LODE_ESYNTAX);
  CHECK_MSG(strcmp(err.msg, "t.csv:3: text after a closing quote at byte 26") == 0, "%s", err.msg);
  CHECK(err.line == 3 && err.offset == 26);
  CHECK(lode_csv_record("t.csv", s, sizeof s - 1, next, &f, &cap, &n, &next, &err) == LODE_ESYNTAX);
  CHECK_MSG(strcmp(err.msg, "t.csv:4: quote never closes: opened at byte 32") == 0, "%s", err.msg);
  CHECK(next == sizeof s - 1);
  CHECK(lode_csv_record(NULL, "", 0, 0, &f, &cap, &n, &next, &err) == 0);
  CHECK(n == 1 && f[0].start == 0 && f[0].end == 0 && next == 0);
  free(f);
}

static void test_json(void) {
  const char s[] = "{\"id\": 3, \"tags\": [\"text\", {\"text\": \"no\"}], \"a\\\"b\": \"x\", "
                   "\"text\": \"caf\\u00e9 \\\"q\\\"\", \"z\": null}";
  size_t a, z;
  CHECK(lode_json_string_span(s, sizeof s - 1, LIT("text"), &a, &z) == 1);
  CHECK_BYTES(s + a, z - a, "caf\\u00e9 \\\"q\\\"");
  CHECK(lode_json_string_span(s, sizeof s - 1, LIT("id"), &a, &z) == 0);
  CHECK(lode_json_string_span(s, sizeof s - 1, LIT("nope"), &a, &z) == 0);
  CHECK(lode_json_string_span(LIT("{\"a\": \"x\\\\\", \"text\": \"y\\\"\"}"), LIT("text"), &a, &z) == 1);
  CHECK(z - a == 3);                                 /* y\" after an escaped backslash */
  CHECK(lode_json_string_span(LIT("[1, 2]"), LIT("text"), &a, &z) == LODE_ESYNTAX);
  CHECK(lode_json_string_span(LIT("{\"text\": \"open"), LIT("text"), &a, &z) == LODE_ESYNTAX);
  CHECK(lode_json_string_span(LIT(""), LIT("text"), &a, &z) == LODE_ESYNTAX);
}

static void test_field_decode(void) {
  const char f[] = "x\\n\\u00e9\\ud83d\\ude00\\ud800\\q\"\"y";
  char *t;
  size_t len, fi, fj;
  lode_filemap *m;
  lode_error err;
  CHECK(lode_field_decode(f, 0, sizeof f - 1 - 3, LODE_FIELD_JSON, 7, &t, &len, &m, &err) == 0);
  CHECK_BYTES(t, len, "x\n\xC3\xA9\xF0\x9F\x98\x80\xEF\xBF\xBD\xEF\xBF\xBD");
  lode_filemap_origin(m, 2, 4, &fi, &fj);            /* é <- \u00e9 */
  CHECK(fi == 3 && fj == 9);
  lode_filemap_origin(m, 4, 8, &fi, &fj);            /* the pair */
  CHECK(fi == 9 && fj == 21);
  CHECK(lode_filemap_file_line(m, fi) == 7);
  free(t);
  lode_filemap_free(m);
  CHECK(lode_field_decode(f, sizeof f - 1 - 3, sizeof f - 1, LODE_FIELD_CSV, 1, &t, &len, &m, &err) == 0);
  CHECK_BYTES(t, len, "\"y");
  lode_filemap_origin(m, 0, 1, &fi, &fj);
  CHECK(fj - fi == 2);
  free(t);
  lode_filemap_free(m);
}

static void test_html(void) {
  const char page[] = "<html><head><title>T &amp; t</title><script>x=\"<p>\"</script></head>"
                      "<body><nav><a href=/>Home</a></nav>\r\n<p>Caf&eacute; <b>open</b>\r\nlate</p>"
                      "<div><span>Two</span><br>lines</div><div hidden>modal</div>"
                      "<p style=\"color: red; Display : None\">gone</p><p style=\"display:block\">"
                      "</p></body></html>";
  lode_html h;
  lode_error err;
  size_t fi, fj;
  const char *open;
  CHECK(lode_html_convert(page, sizeof page - 1, &h, &err) == 0);
  CHECK_BYTES(h.text, h.len, "Home\nCaf\xC3\xA9 open late\nTwo\nlines\n");
  CHECK(h.nlines == 4);
  CHECK(strcmp(h.lines[0].block, "nav") == 0 && h.lines[0].context == LODE_HTML_NAV);
  CHECK(h.lines[0].link_bytes == 4 && h.lines[0].bytes == 4);
  CHECK(strcmp(h.lines[1].block, "p") == 0 && h.lines[1].link_bytes == 0);
  open = strstr(h.text, "open");
  lode_filemap_origin(h.map, (size_t)(open - h.text), (size_t)(open - h.text) + 4, &fi, &fj);
  CHECK_BYTES(page + fi, fj - fi, "open");
  lode_filemap_origin(h.map, 5, 10, &fi, &fj);       /* "Café" */
  CHECK_BYTES(page + fi, fj - fi, "Caf&eacute;");
  lode_filemap_origin(h.map, 5, 20, &fi, &fj);       /* "Café open late" */
  CHECK_BYTES(page + fi, fj - fi, "Caf&eacute; <b>open</b>\r\nlate");
  CHECK(lode_filemap_file_line(h.map, fj) == 3);
  CHECK(h.nmeta == 1 && strcmp(h.meta[0].key, "title") == 0 && strcmp(h.meta[0].value, "T & t") == 0);
  CHECK_BYTES(page + h.meta[0].start, h.meta[0].end - h.meta[0].start, "T &amp; t");
  lode_html_release(&h);
  lode_html_release(&h);
  CHECK(lode_html_convert("", 0, &h, &err) == 0 && h.len == 0 && h.nlines == 0);
  lode_html_release(&h);
}

/* Raw bytes that are not UTF-8 (bad bytes in text, an attribute, a
 * comment): decoded before libxml2 sees them, the map monotone, in
 * bounds and pointing at the bytes as given. */
static void test_html_raw_bytes(void) {
  const char page[] = "<p title=\"na\xEFve\">caf\xE9 <!-- \xFF\xFE -->cr\xE8me</p>\n"
                      "<p>br\xFBl\xE9" "e \xE0 la \xC3 fin</p>";
  const char binary[] = "<p>\xE9t\xE9\0</p>";
  lode_html h;
  lode_error err;
  size_t k, fi, fj, prev = 0, len = sizeof page - 1;
  const char *at;
  CHECK(lode_html_convert(page, len, &h, &err) == 0);
  CHECK_BYTES(h.text, h.len, "caf\xC3\xA9 cr\xC3\xA8me\nbr\xC3\xBBl\xC3\xA9" "e \xC3\xA0 la \xC3\x83 fin\n");
  for (k = 0; k < h.len; k++) {
    lode_filemap_origin(h.map, k, k + 1, &fi, &fj);
    CHECK_MSG(fi >= prev && fi <= fj && fj <= len, "text byte %zu: %zu-%zu", k, fi, fj);
    prev = fi;
  }
  at = strstr(h.text, "cr\xC3\xA8me");
  lode_filemap_origin(h.map, (size_t)(at - h.text), (size_t)(at - h.text) + 6, &fi, &fj);
  CHECK_BYTES(page + fi, fj - fi, "cr\xE8me");
  at = strstr(h.text, "\xC3\xA0");
  lode_filemap_origin(h.map, (size_t)(at - h.text) + 1, (size_t)(at - h.text) + 2, &fi, &fj);
  CHECK(fi == (size_t)(strchr(page, '\xE0') - page) && fj == fi + 1);
  CHECK(lode_filemap_file_line(h.map, fi) == 2);
  lode_html_release(&h);
  CHECK(lode_html_convert(binary, sizeof binary - 1, &h, &err) == LODE_EBINARY && h.len == 0);
  /* a UTF-32 byte-order mark (found by fuzz_html): refused as text is */
  CHECK(lode_html_convert("\xFF\xFE\0\0\0\0\xAD\xAD", 8, &h, &err) == LODE_EENCODING && h.len == 0);
  CHECK(strstr(err.msg, "UTF-32") != NULL);
}

/* A "<!DO" that opens no doctype, in a page whose bad bytes are decoded
 * first (found by fuzz_html): libxml2 reads it again as text after
 * looking ahead, and the map still never runs backwards. */
static void test_html_rewind(void) {
  size_t len, k, fi, fj, prev = 0;
  char *page = test_slurp(LODE_SOURCE_DIR "/tests/fixtures/formats/markup-rewind.html", &len);
  lode_html h;
  lode_error err;
  CHECK(page != NULL);
  if (!page) return;
  CHECK(lode_html_convert(page, len, &h, &err) == 0);
  CHECK(h.len > 0);
  for (k = 0; k < h.len; k++) {
    lode_filemap_origin(h.map, k, k + 1, &fi, &fj);
    CHECK_MSG(fi >= prev && fi <= fj && fj <= len, "text byte %zu: %zu-%zu after %zu", k, fi, fj, prev);
    if (fi < prev) break;
    prev = fi;
  }
  lode_html_release(&h);
  free(page);
}

static void test_detect(void) {
  CHECK(lode_format_detect("a/b.HTM", LIT("plain")) == LODE_FORMAT_HTML);
  CHECK(lode_format_detect("a.md", LIT("<html>")) == LODE_FORMAT_MARKDOWN);
  CHECK(lode_format_detect("page.txt", LIT("\xEF\xBB\xBF <!doctype HTML>")) == LODE_FORMAT_HTML);
  CHECK(lode_format_detect("page.txt", LIT("<div>\n<body class=x>")) == LODE_FORMAT_HTML);
  CHECK(lode_format_detect("page.txt", LIT("text with <html> later")) == LODE_FORMAT_TEXT);
  CHECK(lode_format_detect("page.txt", LIT("<bodyguard>")) == LODE_FORMAT_TEXT);
  CHECK(lode_format_detect("dir.csv/file", LIT("x")) == LODE_FORMAT_TEXT);
  CHECK(lode_format_detect(NULL, LIT("")) == LODE_FORMAT_TEXT);
  CHECK(lode_format_parse("jsonl") == LODE_FORMAT_JSONL && lode_format_parse("pdf") == -1);
  CHECK(strcmp(lode_format_name(LODE_FORMAT_CSV), "csv") == 0);
}

int main(void) {
  test_filemap();
  test_csv();
  test_json();
  test_field_decode();
  test_html();
  test_html_raw_bytes();
  test_html_rewind();
  test_detect();
  return test_report();
}
