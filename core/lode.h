/*
 * lode.h -- the whole public C API of liblode.
 *
 * liblode is re-entrant: no global mutable state (the one exception is a
 * mutex in regex.c that serialises PCRE2's JIT-stack set-up, which is not
 * thread-safe). Objects are immutable once built (texts, views, compiled
 * regexes, built gazetteers) and can be shared between threads; per-thread
 * scratch (lode_regex_scratch) is never shared. Two environment variables
 * tune gazetteer builds for tests: LODE_GAZ_DFA_MAX_MB, LODE_GAZ_SPLIT_MIN.
 */
#ifndef LODE_H
#define LODE_H

#define LODE_VERSION "0.1.0"

#include "error.h"
#include "utf8.h"
#include "text.h"
#include "srcmap.h"
#include "encoding.h"
#include "normalize.h"
#include "segment.h"
#include "units.h"
#include "regex.h"
#include "gazetteer.h"
#include "files.h"
#include "wordset.h"
#include "frontmatter.h"
#include "filemap.h"
#include "html.h"
#include "dataset.h"
#include "format.h"
#include "resolve.h"

#endif
