/*
 * stom/vocabulary.h - the names a user strategy may use, in English and in
 * the Korean that STOM users know (현재가/close, 이동평균/sma, 매수/buy ...).
 *
 * This table is the single source of truth: the Lua runtime binds every
 * entry, `stom strategy check` and the STOM importer accept exactly these
 * names, and docs/strategy-language.md is generated from it.
 *
 * Thread-safety: constant data; safe from any thread.
 */
#ifndef STOM_VOCABULARY_H
#define STOM_VOCABULARY_H

#include <stddef.h>

typedef enum stom_vocab_kind {
    STOM_VOCAB_FIELD = 0, /* a value of the current bar: close, 현재가 */
    STOM_VOCAB_LOOKBACK,  /* a field k bars ago: close_n(k), 현재가N(k) */
    STOM_VOCAB_WINDOW, /* a function of the last n bars: sma(n[, back]), 이동평균(n[, back]) */
    STOM_VOCAB_INDICATOR, /* a technical indicator: rsi(n[, back]), RSI(n[, back]) */
    STOM_VOCAB_POSITION,  /* the held position: pnl_pct, 수익률 (0 when flat) */
    STOM_VOCAB_PORTFOLIO, /* the account: cash, equity */
    STOM_VOCAB_ACTION,    /* orders: buy(), 매수() */
    STOM_VOCAB_HELPER     /* pure helpers: crossover(a, b, a_prev, b_prev) */
} stom_vocab_kind;

/* What data a name needs; a data set without it makes the name an error that says so. */
typedef enum stom_vocab_data {
    STOM_DATA_BARS = 0, /* any OHLCV bars */
    STOM_DATA_SNAPSHOT  /* STOM 1-second snapshots (체결강도, 호가 ...) */
} stom_vocab_data;

typedef struct stom_vocab_entry {
    const char *english; /* "sma" */
    const char *korean;  /* "이동평균", or the STOM (talib) spelling "RSI"; NULL if none */
    stom_vocab_kind kind;
    int min_args, max_args; /* 0, 0 for fields and position/portfolio values */
    const char *args;       /* how the arguments read in the docs: "(n[, back])" */
    stom_vocab_data needs;
    const char *help;    /* one English line */
    const char *help_ko; /* one Korean line */
} stom_vocab_entry;

/* The whole table (borrowed, static) and its length. */
const stom_vocab_entry *stom_vocab_all(size_t *n);
/* The entry whose English or Korean name is name, or NULL. */
const stom_vocab_entry *stom_vocab_find(const char *name);
/* "field", "look-back", ... for docs and messages. */
const char *stom_vocab_kind_name(stom_vocab_kind k);

#endif
