/*
 * vocabulary.c - the table of names user strategies may use (see
 * stom/vocabulary.h). Add a name here and every consumer sees it.
 */
#include "stom/vocabulary.h"

#include <string.h>

#define F    STOM_VOCAB_FIELD
#define L    STOM_VOCAB_LOOKBACK
#define W    STOM_VOCAB_WINDOW
#define I    STOM_VOCAB_INDICATOR
#define P    STOM_VOCAB_POSITION
#define A    STOM_VOCAB_PORTFOLIO
#define ACT  STOM_VOCAB_ACTION
#define H    STOM_VOCAB_HELPER
#define BARS STOM_DATA_BARS
#define SNAP STOM_DATA_SNAPSHOT

static const stom_vocab_entry table[] = {
    /* Fields of the current bar. */
    {"close", "현재가", F, 0, 0, "", BARS, "last price (the bar's close)", "현재가 (봉의 종가)"},
    {"open", "시가", F, 0, 0, "", BARS, "the bar's open", "시가"},
    {"high", "고가", F, 0, 0, "", BARS, "the bar's high", "고가"},
    {"low", "저가", F, 0, 0, "", BARS, "the bar's low", "저가"},
    {"volume", "거래량", F, 0, 0, "", BARS, "the bar's volume", "거래량"},
    {"value", "거래대금", F, 0, 0, "", BARS, "close x volume of the bar",
     "봉 거래대금 (종가 x 거래량)"},
    {"change_pct", "등락율", F, 0, 0, "", BARS,
     "% change of close against the previous trading day's close", "전일 종가 대비 등락율 (%)"},
    {"day_open", "당일시가", F, 0, 0, "", BARS, "today's first open", "당일 시가"},
    {"day_high", "당일고가", F, 0, 0, "", BARS, "today's high so far", "당일 고가"},
    {"day_low", "당일저가", F, 0, 0, "", BARS, "today's low so far", "당일 저가"},
    {"day_value", "당일거래대금", F, 0, 0, "", BARS, "today's traded value so far (close x volume)",
     "당일 누적 거래대금"},
    {"tick_size", "호가단위", F, 0, 0, "", BARS, "the KRX tick at the current price",
     "현재가 호가단위"},
    {"bars_seen", "데이터길이", F, 0, 0, "", BARS, "bars seen so far, this one included",
     "지금까지의 데이터 길이"},
    {"time", "시분초", F, 0, 0, "", BARS, "bar time as HHMMSS (KST)", "봉 시각 HHMMSS"},
    {"strength", "체결강도", F, 0, 0, "", SNAP, "buy/sell execution strength (100 = balanced)",
     "체결강도"},
    {"bid1", "매수호가1", F, 0, 0, "", SNAP, "best bid", "매수호가1"},
    {"ask1", "매도호가1", F, 0, 0, "", SNAP, "best ask", "매도호가1"},
    {"bid_qty1", "매수잔량1", F, 0, 0, "", SNAP, "quantity at the best bid", "매수잔량1"},
    {"ask_qty1", "매도잔량1", F, 0, 0, "", SNAP, "quantity at the best ask", "매도잔량1"},
    /* Look-back: the field k bars ago (k = 0 is now). */
    {"close_n", "현재가N", L, 1, 1, "(k)", BARS, "close k bars ago", "k봉 전 현재가"},
    {"open_n", "시가N", L, 1, 1, "(k)", BARS, "open k bars ago", "k봉 전 시가"},
    {"high_n", "고가N", L, 1, 1, "(k)", BARS, "high k bars ago", "k봉 전 고가"},
    {"low_n", "저가N", L, 1, 1, "(k)", BARS, "low k bars ago", "k봉 전 저가"},
    {"volume_n", "거래량N", L, 1, 1, "(k)", BARS, "volume k bars ago", "k봉 전 거래량"},
    {"change_pct_n", "등락율N", L, 1, 1, "(k)", BARS, "change_pct k bars ago", "k봉 전 등락율"},
    /* Windows over the last n bars, optionally ending `back` bars ago. */
    {"sma", "이동평균", W, 1, 2, "(n[, back])", BARS, "simple moving average of close",
     "현재가 단순 이동평균"},
    {"highest", "최고현재가", W, 1, 2, "(n[, back])", BARS, "highest close", "최고 현재가"},
    {"lowest", "최저현재가", W, 1, 2, "(n[, back])", BARS, "lowest close", "최저 현재가"},
    {"avg_volume", "평균거래량", W, 1, 2, "(n[, back])", BARS, "average volume", "평균 거래량"},
    {"change_over", "등락율각도", W, 1, 2, "(n[, back])", BARS, "% change of close over n bars",
     "n봉 동안의 현재가 변화율 (%)"},
    /* Indicators (STOM spells them as talib does). */
    {"ema", "EMA", I, 1, 2, "(n[, back])", BARS, "exponential moving average of close",
     "지수 이동평균"},
    {"rsi", "RSI", I, 1, 2, "(n[, back])", BARS, "Wilder RSI of close", "RSI"},
    {"atr", "ATR", I, 1, 2, "(n[, back])", BARS, "Wilder average true range", "ATR"},
    {"bb_upper", "BBU", I, 1, 3, "(n[, k[, back]])", BARS, "Bollinger upper band (k default 2)",
     "볼린저 상단"},
    {"bb_lower", "BBL", I, 1, 3, "(n[, k[, back]])", BARS, "Bollinger lower band", "볼린저 하단"},
    {"macd", "MACD", I, 0, 4, "([fast, slow, signal[, back]])", BARS, "MACD line (12, 26, 9)",
     "MACD"},
    {"macd_signal", "MACDS", I, 0, 4, "([fast, slow, signal[, back]])", BARS, "MACD signal line",
     "MACD 시그널"},
    {"cci", "CCI", I, 1, 2, "(n[, back])", BARS, "commodity channel index", "CCI"},
    {"mfi", "MFI", I, 1, 2, "(n[, back])", BARS, "money flow index", "MFI"},
    {"willr", "WILLR", I, 1, 2, "(n[, back])", BARS, "Williams %R", "윌리엄스 %R"},
    {"adx", "ADX", I, 1, 2, "(n[, back])", BARS, "average directional index", "ADX"},
    {"obv", "OBV", I, 0, 1, "([back])", BARS, "on-balance volume", "OBV"},
    /* The position of this symbol (0 when flat). */
    {"pnl_pct", "수익률", P, 0, 0, "", BARS, "unrealized % return of the position at the close",
     "보유 종목 수익률 (%)"},
    {"pnl", "수익금", P, 0, 0, "", BARS, "unrealized profit in won", "평가 수익금 (원)"},
    {"entry_price", "매수가", P, 0, 0, "", BARS, "average entry price", "평균 매수가"},
    {"position_qty", "보유수량", P, 0, 0, "", BARS, "shares held (negative when short)",
     "보유 수량"},
    {"holding_seconds", "보유시간", P, 0, 0, "", BARS, "seconds since the position was opened",
     "보유 시간 (초)"},
    {"max_pnl_pct", "최고수익률", P, 0, 0, "", BARS, "highest return while held",
     "보유 중 최고 수익률"},
    {"min_pnl_pct", "최저수익률", P, 0, 0, "", BARS, "lowest return while held",
     "보유 중 최저 수익률"},
    /* The account. */
    {"cash", "예수금", A, 0, 0, "", BARS, "cash in won", "예수금"},
    {"equity", "평가금액", A, 0, 0, "", BARS, "cash plus positions at their marks", "총 평가금액"},
    /* Actions (orders fill per the run's fill model). */
    {"buy", "매수", ACT, 0, 2, "([qty[, limit_price]])", BARS,
     "buy: sized by the run when qty is omitted; a limit order when a price is given", "매수"},
    {"sell", "매도", ACT, 0, 2, "([qty[, limit_price]])", BARS,
     "sell: the whole position when qty is omitted (short only when the run allows)", "매도"},
    {"close_position", "청산", ACT, 0, 0, "()", BARS, "close the whole position at market",
     "전량 청산"},
    /* Helpers. */
    {"crossover", "상향돌파", H, 4, 4, "(a, b, a_prev, b_prev)", BARS,
     "a crossed above b: a_prev <= b_prev and a > b", "a가 b를 상향 돌파"},
    {"crossunder", "하향돌파", H, 4, 4, "(a, b, a_prev, b_prev)", BARS,
     "a crossed below b: a_prev >= b_prev and a < b", "a가 b를 하향 돌파"},
};

const stom_vocab_entry *stom_vocab_all(size_t *n)
{
    *n = sizeof table / sizeof table[0];
    return table;
}

const stom_vocab_entry *stom_vocab_find(const char *name)
{
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
        if (strcmp(table[i].english, name) == 0 ||
            (table[i].korean && strcmp(table[i].korean, name) == 0))
            return &table[i];
    }
    return NULL;
}

const char *stom_vocab_kind_name(stom_vocab_kind k)
{
    static const char *const names[] = {"field",    "look-back", "window", "indicator",
                                        "position", "portfolio", "action", "helper"};
    return (int)k >= 0 && k <= STOM_VOCAB_HELPER ? names[k] : "?";
}
