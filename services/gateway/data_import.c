/*
 * data_import.c - the CSV upload route (see data_import.h). Follows
 * cli/cmd_data.c: the same market choices (a KRX board, US or CRYPTO,
 * default KOSPI), the same loader options, parse everything before the
 * database is touched.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api_query.h"
#include "data_import.h"
#include "stom/bars.h"
#include "stom/store_bars.h"

/* The name the CSV loader puts before its line numbers ("upload:12: ..."). */
#define UPLOAD_NAME "upload"

/* The KRX board ("KOSPI", ...), "US" or "CRYPTO", as `stom data list` prints it. */
static const char *market_label(stom_market market, stom_board board)
{
    if (market == STOM_MARKET_KRX)
        return stom_board_name(board);
    return market == STOM_MARKET_US ? "US" : "CRYPTO";
}

/* ?market=: a KRX board, US or CRYPTO; absent means KOSPI. */
static bool parse_market(const char *s, stom_instrument *inst, const char *symbol, gw_response *res)
{
    stom_market market = STOM_MARKET_KRX;
    stom_board board = STOM_BOARD_KOSPI;
    if (s && stom_board_parse(s, &board) != STOM_OK) {
        board = STOM_BOARD_NONE;
        if (strcasecmp(s, "US") && strcasecmp(s, "CRYPTO")) {
            gw_reply_error(res, 400, "invalid_field", "market",
                           "market '%.32s' is not one of KOSPI, KOSDAQ, KONEX, ETF, ETN, US, "
                           "CRYPTO",
                           s);
            return false;
        }
        stom_market_parse(s, &market);
    }
    stom_instrument_init(inst, symbol, market, board);
    return true;
}

/* The content type must be CSV (or plain text); absent is taken as CSV. */
static bool csv_type(const gw_request *req, gw_response *res)
{
    const char *t = req->content_type;
    if (!t || !*t || !strncasecmp(t, "text/csv", 8) || !strncasecmp(t, "text/plain", 10) ||
        !strncasecmp(t, "application/csv", 15))
        return true;
    gw_reply_error(res, 415, "unsupported_media_type", NULL,
                   "the body must be a CSV file (text/csv), not %.64s", t);
    return false;
}

/* Reads a required query parameter checked by check(); false with res set naming it. */
static char *required_param(const gw_request *req, const char *name,
                            int (*check)(const char *, stom_errbuf *), gw_response *res)
{
    char *v = gw_api_query(req, name);
    stom_errbuf eb = {{0}};
    if (!v) {
        gw_reply_error(res, 400, "invalid_field", name, "%s is required", name);
        return NULL;
    }
    if (check(v, &eb) != STOM_OK) {
        gw_reply_error(res, 400, "invalid_field", name, "%s", eb.msg);
        free(v);
        return NULL;
    }
    return v;
}

/* "upload:12: what" -> "line 12: what"; other messages are kept. */
static void reply_bad_file(gw_response *res, const char *msg)
{
    size_t n = strlen(UPLOAD_NAME);
    const char *p = msg;
    if (!strncmp(msg, UPLOAD_NAME ":", n + 1))
        p = msg + n + 1;
    if (p != msg && isdigit((unsigned char)*p))
        gw_reply_error(res, 400, "invalid_field", "file", "line %s; nothing was stored", p);
    else if (p != msg)
        gw_reply_error(res, 400, "invalid_field", "file", "%s; nothing was stored",
                       *p == ' ' ? p + 1 : p);
    else
        gw_reply_error(res, 400, "invalid_field", "file", "%s; nothing was stored", msg);
}

static void store_bars(gw_ctx *ctx, const stom_bars *b, const char *timeframe,
                       const stom_csv_stats *cs, gw_response *res)
{
    stom_import_stats st = {0, 0, 0};
    stom_errbuf eb = {{0}};
    int rc = stom_store_import_bars(ctx->db, b, timeframe, &st, &eb);
    if (rc == STOM_EINVAL) {
        /* The one refusal about the query rather than the file: the symbol has other scales. */
        const char *field = strstr(eb.msg, " is stored as ") ? "market" : "file";
        gw_reply_error(res, 400, "invalid_field", field, "%s; nothing was stored", eb.msg);
        return;
    }
    if (rc != STOM_OK) {
        gw_reply_unavailable(res, "the database", &eb);
        return;
    }
    gw_reply_json(res, 201,
                  json_pack("{s:s, s:s, s:s, s:I, s:I, s:I, s:I}", "symbol", b->inst.symbol,
                            "timeframe", timeframe, "market",
                            market_label(b->inst.market, b->inst.board), "rows",
                            (json_int_t)st.rows, "added", (json_int_t)st.inserted, "existing",
                            (json_int_t)st.existing, "skipped_halt", (json_int_t)cs->skipped_halt));
}

void gw_data_import_handler(gw_ctx *ctx, gw_request *req, gw_response *res)
{
    char *symbol = NULL, *timeframe = NULL, *market = NULL;
    stom_bars b;
    stom_bars_init(&b, NULL);
    if (!csv_type(req, res) || !(symbol = required_param(req, "symbol", stom_symbol_check, res)) ||
        !(timeframe = required_param(req, "timeframe", stom_timeframe_check, res)))
        goto done;
    stom_instrument inst;
    market = gw_api_query(req, "market");
    if (!parse_market(market, &inst, symbol, res))
        goto done;
    if (!req->body || req->body_len == 0) {
        gw_reply_error(res, 400, "invalid_field", "file", "the body is empty: send the CSV file");
        goto done;
    }
    stom_bars_init(&b, &inst);
    stom_csv_options copt;
    stom_csv_options_default(&copt);
    stom_csv_stats cs = {0, 0};
    stom_errbuf eb = {{0}};
    if (stom_bars_parse_csv(&b, req->body, req->body_len, UPLOAD_NAME, &copt, &cs, &eb) != STOM_OK)
        reply_bad_file(res, eb.msg);
    else
        store_bars(ctx, &b, timeframe, &cs, res);
done:
    stom_bars_free(&b);
    free(symbol);
    free(timeframe);
    free(market);
}
