/*
 * symbols.c - the symbols the engine watches: their instruments, last
 * prices, the surge detector and the bar builders their trades feed.
 */
#include <stdio.h>
#include <string.h>

#include "engine_internal.h"
#include "stom/timeutil.h"

static int64_t kst_day(int64_t ns)
{
    return (ns / 1000000000LL + STOM_KST_OFFSET_MINUTES * 60) / 86400;
}

static void quote_request(const char *code, Stom__V1__QuoteRequest *q, Stom__V1__BrokerRequest *br)
{
    stom__v1__quote_request__init(q);
    q->symbol = (char *)code;
    stom__v1__broker_request__init(br);
    br->request_case = STOM__V1__BROKER_REQUEST__REQUEST_QUOTE;
    br->quote = q;
}

void eng_quote_answered(engine *e, const char *code, int rc, const stom_broker_reply *rep,
                        const char *why)
{
    int k = -1;
    for (size_t i = 0; i < e->n_symbols && k < 0; i++)
        if (!strcmp(e->symbols[i].code, code))
            k = (int)i;
    if (k < 0)
        return;
    eng_symbol *s = &e->symbols[k];
    if (rc || rep->reply->error || rep->reply->reply_case != STOM__V1__BROKER_REPLY__REPLY_QUOTE) {
        eng_log("reference price of %s: %s", code, rc ? why : "the broker did not say");
        return; /* asked again, waiting, by the first order that needs it */
    }
    const Stom__V1__QuoteReply *q = rep->reply->quote;
    s->ref_price = q->has_prev_close ? q->prev_close : 0;
    s->ref_day = kst_day(eng_now_ns(e));
    /* A symbol no trade has reached yet: the broker's latest print values its market orders. */
    if (!s->last_price && q->last && q->last->has_price && q->last->price > 0) {
        s->last_price = q->last->price;
        s->last_ns = q->last->has_ts_ns ? q->last->ts_ns : eng_now_ns(e);
    }
}

/* Asks for symbol k's reference price without waiting (when it is subscribed). */
static void prefetch_ref_price(engine *e, int k)
{
    Stom__V1__QuoteRequest q;
    Stom__V1__BrokerRequest br;
    quote_request(e->symbols[k].code, &q, &br);
    stom_errbuf eb = {0};
    if (e->broker_up && eng_ticket_start(e, ENG_TICKET_QUOTE, e->symbols[k].code, &br, &eb))
        eng_log("reference price of %s: %s", e->symbols[k].code, eb.msg);
}

int64_t eng_symbol_ref_price(engine *e, int k)
{
    eng_symbol *s = &e->symbols[k];
    int64_t day = kst_day(eng_now_ns(e));
    if (s->ref_day == day || !e->broker_up)
        return s->ref_price;
    if (eng_ticket_pending(e, ENG_TICKET_QUOTE, s->code) && s->ref_price)
        return s->ref_price; /* yesterday's until the answer is in */
    /* Not asked today (a new day, or the prefetch failed), or a symbol first seen just now whose
     * prefetch is still out: ask and wait, answered or not (the prefetch's answer, when it
     * comes, says the same). */
    Stom__V1__QuoteRequest q;
    Stom__V1__BrokerRequest br;
    quote_request(s->code, &q, &br);
    stom_broker_reply rep;
    stom_errbuf eb = {0};
    int rc = stom_broker_client_call(e->broker, &br, &rep, &eb);
    eng_quote_answered(e, s->code, rc, &rep, eb.msg);
    stom_broker_reply_free(&rep);
    s->ref_day = day;
    return s->ref_price;
}

int eng_symbol_index(engine *e, const char *code)
{
    for (size_t i = 0; i < e->n_symbols; i++)
        if (!strcmp(e->symbols[i].code, code))
            return (int)i;
    if (e->n_symbols == ENG_MAX_SYMBOLS)
        return -1;
    eng_symbol *s = &e->symbols[e->n_symbols];
    memset(s, 0, sizeof *s);
    if (stom_instrument_init(&s->inst, code, STOM_MARKET_KRX, STOM_BOARD_KOSPI) != 0)
        return -1;
    snprintf(s->code, sizeof s->code, "%s", code);
    stom_errbuf eb = {0};
    if (stom_broker_feed_subscribe_md(e->feed, code, &eb) != 0)
        eng_log("cannot subscribe to %s: %s", code, eb.msg);
    int k = (int)e->n_symbols++;
    prefetch_ref_price(e, k);
    return k;
}

void eng_symbols_listen(engine *e)
{
    const char *args[] = {e->cfg->broker};
    PGresult *res = NULL;
    stom_errbuf eb = {0};
    if (stom_db_query_prepared(e->db,
                               "SELECT DISTINCT unnest(s.symbols) FROM engine_strategies s JOIN "
                               "broker_accounts b USING (account) WHERE b.broker = $1 AND s.state "
                               "IN ('starting', 'running', 'paused')",
                               1, args, PGRES_TUPLES_OK, "reading the instances' symbols", &res,
                               &eb)) {
        eng_log("%s", eb.msg);
        return;
    }
    for (int i = 0; i < PQntuples(res); i++)
        if (eng_symbol_index(e, PQgetvalue(res, i, 0)) < 0)
            eng_log("instance symbol '%s' is not a symbol code", PQgetvalue(res, i, 0));
    PQclear(res);
}

void eng_symbols_prefetch(engine *e)
{
    int64_t day = kst_day(eng_now_ns(e));
    for (size_t k = 0; k < e->n_symbols; k++)
        if (e->symbols[k].ref_day != day &&
            !eng_ticket_pending(e, ENG_TICKET_QUOTE, e->symbols[k].code))
            prefetch_ref_price(e, (int)k);
}

/* A trade: last price, marks for the risk manager, surge rules, bars. */
static void on_trade(engine *e, const Stom__V1__Trade *t)
{
    if (!t->symbol || !t->has_price || t->price <= 0 || !t->has_qty || t->qty <= 0)
        return;
    int k = -1;
    for (size_t i = 0; i < e->n_symbols; i++)
        if (!strcmp(e->symbols[i].code, t->symbol))
            k = (int)i;
    if (k < 0)
        return; /* not ours: the subscription is by exact topic, but be strict */
    eng_symbol *s = &e->symbols[k];
    int64_t ts = t->has_ts_ns ? t->ts_ns : eng_now_ns(e);
    if (s->open_price == 0 || kst_day(ts) != kst_day(s->last_ns))
        s->open_price = t->price; /* the surge rules' reference when no previous close is known */
    s->last_price = t->price;
    s->last_ns = ts;
    if (ts > e->market_ns)
        e->market_ns = ts;
    stom_risk_mark(e->risk, s->code, t->price, ts);
    stom_surge_trade st = {.symbol = s->code,
                           .symbol_len = strlen(s->code),
                           .ts_ns = ts,
                           .price = t->price,
                           .qty = t->qty,
                           .prev_close = eng_symbol_ref_price(e, k) ? s->ref_price : s->open_price};
    stom_surge_feed(e->surge, &st);
    eng_instances_trade(e, k, ts, t->price, t->qty);
    eng_recordings_trade(e, k, ts, t->price, t->qty);
}

void eng_on_market(engine *e, const Stom__V1__Envelope *env)
{
    if (env->body_case == STOM__V1__ENVELOPE__BODY_TRADE)
        on_trade(e, env->trade);
}
