/*
 * test_bodies.c - every body type survives encode and decode unchanged,
 * with realistic values (a 10-level quote, a STOM snapshot, fees and taxes,
 * a job with parameters and ranges, metrics ...).
 */
#include <stdlib.h>
#include <string.h>

#include "bus_fixtures.h"

/* ---- helpers ------------------------------------------------------------ */

typedef struct decoded {
    uint8_t *buf;
    size_t len;
    stom_bus_msg msg;
} decoded;

static void assert_same_bytes(const ProtobufCMessage *a, const ProtobufCMessage *b)
{
    size_t na = protobuf_c_message_get_packed_size(a);
    size_t nb = protobuf_c_message_get_packed_size(b);
    ck_assert_uint_eq(na, nb);
    uint8_t *pa = malloc(na + 1), *pb = malloc(nb + 1);
    protobuf_c_message_pack(a, pa);
    protobuf_c_message_pack(b, pb);
    ck_assert_int_eq(memcmp(pa, pb, na), 0);
    free(pa);
    free(pb);
}

/*
 * Encodes body, decodes it again, checks the header, the topic, the body
 * type and that the decoded body packs to the same bytes as the original.
 */
static void round_trip(decoded *d, const char *topic, ProtobufCMessage *body, stom_bus_body want)
{
    stom_errbuf eb = {{0}};
    d->buf = encode_body(topic, body, &d->len);
    ck_assert_msg(stom_bus_decode(d->buf, d->len, 0, &d->msg, &eb) == 0, "%s", eb.msg);
    ck_assert_msg(stom_bus_expect(&d->msg, want, &eb) == 0, "%s", eb.msg);
    ck_assert_uint_eq(d->msg.topic_len, strlen(topic));
    ck_assert_int_eq(memcmp(d->msg.topic, topic, d->msg.topic_len), 0);
    ck_assert_uint_eq(d->msg.env->version, STOM_BUS_VERSION);
    ck_assert_str_eq(d->msg.env->sender, "test-sender");
    ck_assert_uint_eq(d->msg.env->seq, 1);
    ck_assert_int_eq(d->msg.env->ts_ns, TS_NS);
    assert_same_bytes(body, stom_bus_envelope_body(d->msg.env));
}

static void decoded_free(decoded *d)
{
    stom_bus_msg_free(&d->msg);
    free(d->buf);
}

/* ---- round trips: market data ------------------------------------------- */

START_TEST(a_trade_round_trips)
{
    Stom__V1__Trade t;
    make_trade(&t);
    decoded d;
    round_trip(&d, TOPIC, &t.base, STOM__V1__ENVELOPE__BODY_TRADE);
    const Stom__V1__Trade *got = d.msg.env->trade;
    ck_assert_str_eq(got->symbol, "005930");
    ck_assert_int_eq(got->price, 71500);
    ck_assert_int_eq(got->cum_value, 882716977000LL);
    ck_assert_int_eq(got->aggressor, STOM__V1__SIDE__SIDE_BUY);
    decoded_free(&d);
}
END_TEST

START_TEST(a_quote_with_ten_levels_per_side_round_trips)
{
    Stom__V1__PriceLevel bids[10], asks[10];
    Stom__V1__PriceLevel *bid_ptrs[10], *ask_ptrs[10];
    for (int i = 0; i < 10; i++) {
        stom__v1__price_level__init(&bids[i]);
        stom__v1__price_level__init(&asks[i]);
        bids[i].has_price = asks[i].has_price = bids[i].has_qty = asks[i].has_qty = 1;
        bids[i].price = 71400 - 100 * i;
        bids[i].qty = 1000 + i;
        asks[i].price = 71500 + 100 * i;
        asks[i].qty = 2000 + i;
        bid_ptrs[i] = &bids[i];
        ask_ptrs[i] = &asks[i];
    }
    Stom__V1__Quote q;
    stom__v1__quote__init(&q);
    q.symbol = "005930";
    q.n_bids = q.n_asks = 10;
    q.bids = bid_ptrs;
    q.asks = ask_ptrs;
    q.has_total_bid_qty = q.has_total_ask_qty = 1;
    q.total_bid_qty = 10045;
    q.total_ask_qty = 20045;
    decoded d;
    round_trip(&d, TOPIC, &q.base, STOM__V1__ENVELOPE__BODY_QUOTE);
    const Stom__V1__Quote *got = d.msg.env->quote;
    ck_assert_uint_eq(got->n_bids, 10);
    ck_assert_uint_eq(got->n_asks, 10);
    ck_assert_int_eq(got->bids[0]->price, 71400);
    ck_assert_int_eq(got->bids[9]->price, 70500);
    ck_assert_int_eq(got->asks[9]->price, 72400);
    ck_assert_int_eq(got->asks[9]->qty, 2009);
    decoded_free(&d);
}
END_TEST

START_TEST(a_stom_snapshot_with_a_five_level_book_round_trips)
{
    Stom__V1__PriceLevel lv[10];
    Stom__V1__PriceLevel *asks[5], *bids[5];
    for (int i = 0; i < 5; i++) {
        stom__v1__price_level__init(&lv[i]);
        stom__v1__price_level__init(&lv[5 + i]);
        lv[i].has_price = lv[i].has_qty = lv[5 + i].has_price = lv[5 + i].has_qty = 1;
        lv[i].price = 71600 + 100 * i; /* 매도호가1..5 */
        lv[i].qty = 300 + i;
        lv[5 + i].price = 71500 - 100 * i; /* 매수호가1..5 */
        lv[5 + i].qty = 400 + i;
        asks[i] = &lv[i];
        bids[i] = &lv[5 + i];
    }
    Stom__V1__Snapshot s;
    stom__v1__snapshot__init(&s);
    s.symbol = "005930";
    s.name = "삼성전자";
    s.has_ts_ns = s.has_price = s.has_open = s.has_high = s.has_low = 1;
    s.ts_ns = TS_NS;
    s.price = 71500;
    s.open = 70000;
    s.high = 72000;
    s.low = 69900;
    s.has_change_bp = s.has_day_value = s.has_strength_bp = s.has_market_cap = 1;
    s.change_bp = -215; /* -2.15% */
    s.day_value = 1234567000000LL;
    s.strength_bp = 12345; /* 체결강도 123.45 */
    s.market_cap = 426000000000000LL;
    s.has_sec_buy_qty = s.has_sec_sell_qty = s.has_sec_value = 1;
    s.sec_buy_qty = 1200;
    s.sec_sell_qty = 800;
    s.sec_value = 143000000;
    s.n_asks = s.n_bids = 5;
    s.asks = asks;
    s.bids = bids;
    s.has_vi_active = s.has_vi_price = 1;
    s.vi_active = 1;
    s.vi_price = 78650;
    decoded d;
    round_trip(&d, TOPIC, &s.base, STOM__V1__ENVELOPE__BODY_SNAPSHOT);
    const Stom__V1__Snapshot *got = d.msg.env->snapshot;
    ck_assert_str_eq(got->name, "삼성전자");
    ck_assert_int_eq(got->change_bp, -215);
    ck_assert_int_eq(got->market_cap, 426000000000000LL);
    ck_assert_int_eq(got->asks[4]->price, 72000);
    ck_assert_int_eq(got->bids[4]->qty, 404);
    ck_assert(got->vi_active);
    decoded_free(&d);
}
END_TEST

START_TEST(a_bar_round_trips)
{
    Stom__V1__Bar b;
    stom__v1__bar__init(&b);
    b.symbol = "005930";
    b.has_timeframe = b.has_ts_ns = b.has_open = b.has_high = b.has_low = b.has_close = 1;
    b.timeframe = STOM__V1__TIMEFRAME__TIMEFRAME_MINUTE_1;
    b.ts_ns = TS_NS;
    b.open = 71000;
    b.high = 71600;
    b.low = 70900;
    b.close = 71500;
    b.has_volume = b.has_value = b.has_closed = 1;
    b.volume = 52000;
    b.value = 3712000000LL;
    b.closed = 1;
    decoded d;
    round_trip(&d, TOPIC, &b.base, STOM__V1__ENVELOPE__BODY_BAR);
    ck_assert_int_eq(d.msg.env->bar->timeframe, STOM__V1__TIMEFRAME__TIMEFRAME_MINUTE_1);
    ck_assert_int_eq(d.msg.env->bar->value, 3712000000LL);
    decoded_free(&d);
}
END_TEST

START_TEST(a_price_of_zero_is_distinct_from_an_unset_price)
{
    Stom__V1__Trade zero, unset;
    make_trade(&zero);
    zero.price = 0; /* has_price stays 1 */
    make_trade(&unset);
    unset.has_price = 0;
    decoded a, b;
    round_trip(&a, TOPIC, &zero.base, STOM__V1__ENVELOPE__BODY_TRADE);
    round_trip(&b, TOPIC, &unset.base, STOM__V1__ENVELOPE__BODY_TRADE);
    ck_assert(a.msg.env->trade->has_price);
    ck_assert_int_eq(a.msg.env->trade->price, 0);
    ck_assert(!b.msg.env->trade->has_price);
    decoded_free(&a);
    decoded_free(&b);
}
END_TEST

/* ---- round trips: orders and the broker protocol ------------------------ */

static void make_order(Stom__V1__OrderRequest *o)
{
    stom__v1__order_request__init(o);
    o->client_order_id = "eng-20240617-000042";
    o->account = "55501234-01";
    o->symbol = "005930";
    o->has_side = o->has_type = o->has_time_in_force = o->has_qty = o->has_price = 1;
    o->side = STOM__V1__SIDE__SIDE_BUY;
    o->type = STOM__V1__ORDER_TYPE__ORDER_TYPE_LIMIT;
    o->time_in_force = STOM__V1__TIME_IN_FORCE__TIME_IN_FORCE_IOC;
    o->qty = 15;
    o->price = 71400;
}

START_TEST(an_order_request_round_trips)
{
    Stom__V1__OrderRequest o;
    make_order(&o);
    o.has_stop_price = 1;
    o.stop_price = 71000;
    decoded d;
    round_trip(&d, "eng.orders", &o.base, STOM__V1__ENVELOPE__BODY_ORDER_REQUEST);
    const Stom__V1__OrderRequest *got = d.msg.env->order_request;
    ck_assert_str_eq(got->client_order_id, "eng-20240617-000042");
    ck_assert_int_eq(got->type, STOM__V1__ORDER_TYPE__ORDER_TYPE_LIMIT);
    ck_assert_int_eq(got->time_in_force, STOM__V1__TIME_IN_FORCE__TIME_IN_FORCE_IOC);
    ck_assert_int_eq(got->stop_price, 71000);
    decoded_free(&d);
}
END_TEST

START_TEST(an_order_event_with_fees_and_taxes_round_trips)
{
    Stom__V1__OrderEvent e;
    stom__v1__order_event__init(&e);
    e.has_kind = e.has_side = 1;
    e.kind = STOM__V1__ORDER_EVENT_KIND__ORDER_EVENT_KIND_PARTIALLY_FILLED;
    e.side = STOM__V1__SIDE__SIDE_SELL;
    e.client_order_id = "eng-20240617-000043";
    e.broker_order_no = "0000123456";
    e.symbol = "005930";
    e.has_fill_qty = e.has_fill_price = e.has_cum_qty = e.has_remaining_qty = 1;
    e.fill_qty = 5;
    e.fill_price = 71500;
    e.cum_qty = 5;
    e.remaining_qty = 10;
    e.has_fees = e.has_taxes = 1;
    e.fees = 53;   /* 357,500 * 0.015% = 53.6 -> 53 */
    e.taxes = 643; /* 357,500 * 0.18% = 643.5 -> 643 */
    decoded d;
    round_trip(&d, "ord.ls.55501234-01", &e.base, STOM__V1__ENVELOPE__BODY_ORDER_EVENT);
    const Stom__V1__OrderEvent *got = d.msg.env->order_event;
    ck_assert_int_eq(got->kind, STOM__V1__ORDER_EVENT_KIND__ORDER_EVENT_KIND_PARTIALLY_FILLED);
    ck_assert_int_eq(got->remaining_qty, 10);
    ck_assert_int_eq(got->taxes, 643);
    decoded_free(&d);
}
END_TEST

START_TEST(a_broker_place_request_round_trips)
{
    Stom__V1__OrderRequest o;
    make_order(&o);
    Stom__V1__BrokerRequest r;
    stom__v1__broker_request__init(&r);
    r.has_request_id = 1;
    r.request_id = 99;
    r.request_case = STOM__V1__BROKER_REQUEST__REQUEST_PLACE;
    r.place = &o;
    decoded d;
    round_trip(&d, "rpc.broker-ls", &r.base, STOM__V1__ENVELOPE__BODY_BROKER_REQUEST);
    const Stom__V1__BrokerRequest *got = d.msg.env->broker_request;
    ck_assert_int_eq(got->request_case, STOM__V1__BROKER_REQUEST__REQUEST_PLACE);
    ck_assert_str_eq(got->place->client_order_id, "eng-20240617-000042");
    decoded_free(&d);
}
END_TEST

START_TEST(a_broker_bars_reply_round_trips)
{
    Stom__V1__Bar bars[3];
    Stom__V1__Bar *ptrs[3];
    for (int i = 0; i < 3; i++) {
        stom__v1__bar__init(&bars[i]);
        bars[i].has_close = 1;
        bars[i].close = 71000 + i;
        ptrs[i] = &bars[i];
    }
    Stom__V1__BarsReply br;
    stom__v1__bars_reply__init(&br);
    br.symbol = "005930";
    br.n_bars = 3;
    br.bars = ptrs;
    br.next_cursor = "20240614";
    Stom__V1__BrokerReply r;
    stom__v1__broker_reply__init(&r);
    r.has_request_id = 1;
    r.request_id = 100;
    r.reply_case = STOM__V1__BROKER_REPLY__REPLY_BARS;
    r.bars = &br;
    decoded d;
    round_trip(&d, "rpc.broker-ls", &r.base, STOM__V1__ENVELOPE__BODY_BROKER_REPLY);
    const Stom__V1__BrokerReply *got = d.msg.env->broker_reply;
    ck_assert_uint_eq(got->bars->n_bars, 3);
    ck_assert_int_eq(got->bars->bars[2]->close, 71002);
    ck_assert_ptr_null(got->error);
    decoded_free(&d);
}
END_TEST

START_TEST(a_broker_error_reply_round_trips)
{
    Stom__V1__Error err;
    stom__v1__error__init(&err);
    err.has_code = err.has_retryable = 1;
    err.code = STOM__V1__ERROR_CODE__ERROR_CODE_RATE_LIMITED;
    err.message = "초당 전송 건수 초과";
    err.detail_code = "IGW00201";
    err.retryable = 1;
    Stom__V1__BrokerReply r;
    stom__v1__broker_reply__init(&r);
    r.error = &err;
    decoded d;
    round_trip(&d, "rpc.broker-ls", &r.base, STOM__V1__ENVELOPE__BODY_BROKER_REPLY);
    const Stom__V1__BrokerReply *got = d.msg.env->broker_reply;
    ck_assert_int_eq(got->reply_case, STOM__V1__BROKER_REPLY__REPLY__NOT_SET);
    ck_assert_int_eq(got->error->code, STOM__V1__ERROR_CODE__ERROR_CODE_RATE_LIMITED);
    ck_assert_str_eq(got->error->message, "초당 전송 건수 초과");
    decoded_free(&d);
}
END_TEST

/* ---- round trips: backtest ---------------------------------------------- */

/* A fixed int parameter and a real one. */
static void make_params(Stom__V1__Param p[2])
{
    stom__v1__param__init(&p[0]);
    p[0].name = "fast";
    p[0].value_case = STOM__V1__PARAM__VALUE_INT_VALUE;
    p[0].int_value = 5;
    stom__v1__param__init(&p[1]);
    p[1].name = "threshold";
    p[1].value_case = STOM__V1__PARAM__VALUE_REAL_VALUE;
    p[1].real_value = 1.5;
}

/* "slow" searched over 20, 30 ... 120. */
static void make_range(Stom__V1__ParamRange *range)
{
    stom__v1__param_range__init(range);
    range->name = "slow";
    range->has_min_value = range->has_max_value = range->has_step = 1;
    range->min_value = 20;
    range->max_value = 120;
    range->step = 10;
}

START_TEST(a_backtest_job_spec_round_trips)
{
    Stom__V1__Param p[2];
    Stom__V1__Param *params[2] = {&p[0], &p[1]};
    make_params(p);
    Stom__V1__ParamRange range;
    Stom__V1__ParamRange *search[1] = {&range};
    make_range(&range);
    Stom__V1__CostModel costs;
    stom__v1__cost_model__init(&costs);
    costs.has_commission_rate = 1;
    costs.commission_rate = 15000;
    Stom__V1__Period period;
    stom__v1__period__init(&period);
    period.has_from_ns = period.has_to_ns = 1;
    period.from_ns = 1704034800000000000LL;
    period.to_ns = 1718582400000000000LL;
    char *symbols[] = {"005930", "000660"};
    Stom__V1__JobSpec j;
    stom__v1__job_spec__init(&j);
    j.job_id = "job-42";
    j.strategy_name = "sma_cross";
    j.strategy_code = "function on_bar(bar) end";
    j.n_params = 2;
    j.params = params;
    j.n_search = 1;
    j.search = search;
    j.n_symbols = 2;
    j.symbols = symbols;
    j.has_timeframe = j.has_method = j.has_objective = j.has_initial_cash = 1;
    j.timeframe = STOM__V1__TIMEFRAME__TIMEFRAME_DAY_1;
    j.method = STOM__V1__OPTIMIZE_METHOD__OPTIMIZE_METHOD_GRID;
    j.objective = STOM__V1__OBJECTIVE__OBJECTIVE_SHARPE;
    j.initial_cash = 10000000;
    j.period = &period;
    j.costs = &costs;
    decoded d;
    round_trip(&d, "rpc.backtester", &j.base, STOM__V1__ENVELOPE__BODY_JOB_SPEC);
    const Stom__V1__JobSpec *got = d.msg.env->job_spec;
    ck_assert_uint_eq(got->n_params, 2);
    ck_assert_int_eq(got->params[1]->value_case, STOM__V1__PARAM__VALUE_REAL_VALUE);
    ck_assert_double_eq(got->params[1]->real_value, 1.5);
    ck_assert_double_eq(got->search[0]->max_value, 120);
    ck_assert_str_eq(got->symbols[1], "000660");
    ck_assert_int_eq(got->costs->commission_rate, 15000);
    decoded_free(&d);
}
END_TEST

START_TEST(a_backtest_task_with_lease_and_fold_round_trips)
{
    Stom__V1__Lease lease;
    stom__v1__lease__init(&lease);
    lease.has_token = lease.has_expires_ns = lease.has_attempt = 1;
    lease.token = 0xfeedbeefULL;
    lease.expires_ns = TS_NS + 60000000000LL;
    lease.attempt = 2;
    Stom__V1__Period train;
    stom__v1__period__init(&train);
    train.has_from_ns = train.has_to_ns = 1;
    train.from_ns = 1;
    train.to_ns = 2;
    Stom__V1__Fold fold;
    stom__v1__fold__init(&fold);
    fold.has_index = fold.has_count = 1;
    fold.index = 3;
    fold.count = 5;
    fold.train = &train;
    Stom__V1__Task t;
    stom__v1__task__init(&t);
    t.job_id = "job-42";
    t.has_task_id = 1;
    t.task_id = 17;
    t.lease = &lease;
    t.fold = &fold;
    decoded d;
    round_trip(&d, "rpc.backtester", &t.base, STOM__V1__ENVELOPE__BODY_TASK);
    const Stom__V1__Task *got = d.msg.env->task;
    ck_assert_uint_eq(got->lease->token, 0xfeedbeefULL);
    ck_assert_uint_eq(got->fold->index, 3);
    ck_assert_int_eq(got->fold->train->to_ns, 2);
    decoded_free(&d);
}
END_TEST

static void make_metrics(Stom__V1__Metrics *m)
{
    stom__v1__metrics__init(m);
    m->has_trades = m->has_final_equity = m->has_return_pct = m->has_cagr_pct = 1;
    m->trades = 128;
    m->final_equity = 11873400;
    m->return_pct = 18.734;
    m->cagr_pct = 9.1;
    m->has_max_drawdown_pct = m->has_max_drawdown_amount = m->has_win_rate_pct = 1;
    m->max_drawdown_pct = 7.25;
    m->max_drawdown_amount = 861000;
    m->win_rate_pct = 54.6875;
    m->has_profit_factor = m->has_sharpe = m->has_sortino = m->has_tpi = 1;
    m->profit_factor = 1.62;
    m->sharpe = 1.31;
    m->sortino = 1.9;
    m->tpi = 1.12;
    m->has_fees = m->has_taxes = 1;
    m->fees = 41230;
    m->taxes = 210455;
}

START_TEST(a_task_result_with_metrics_round_trips)
{
    Stom__V1__Metrics m;
    make_metrics(&m);
    Stom__V1__TaskResult r;
    stom__v1__task_result__init(&r);
    r.job_id = "job-42";
    r.has_task_id = r.has_lease_token = r.has_status = r.has_objective = 1;
    r.task_id = 17;
    r.lease_token = 0xfeedbeefULL;
    r.status = STOM__V1__TASK_STATUS__TASK_STATUS_OK;
    r.objective = 1.31;
    r.metrics = &m;
    decoded d;
    round_trip(&d, "rpc.backtester", &r.base, STOM__V1__ENVELOPE__BODY_TASK_RESULT);
    const Stom__V1__Metrics *got = d.msg.env->task_result->metrics;
    ck_assert_uint_eq(got->trades, 128);
    ck_assert_int_eq(got->final_equity, 11873400);
    ck_assert_double_eq(got->max_drawdown_pct, 7.25);
    ck_assert_int_eq(got->max_drawdown_amount, 861000);
    ck_assert_double_eq(got->win_rate_pct, 54.6875);
    ck_assert_int_eq(got->taxes, 210455);
    decoded_free(&d);
}
END_TEST

START_TEST(backtest_progress_round_trips)
{
    Stom__V1__Progress p;
    stom__v1__progress__init(&p);
    p.job_id = "job-42";
    p.has_done = p.has_total = p.has_best_objective = p.has_eta_ms = 1;
    p.done = 311;
    p.total = 1000;
    p.best_objective = 1.87;
    p.eta_ms = 95000;
    decoded d;
    round_trip(&d, "bt.job-42", &p.base, STOM__V1__ENVELOPE__BODY_PROGRESS);
    ck_assert_uint_eq(d.msg.env->progress->done, 311);
    ck_assert_uint_eq(d.msg.env->progress->total, 1000);
    ck_assert_int_eq(d.msg.env->progress->eta_ms, 95000);
    decoded_free(&d);
}
END_TEST

START_TEST(a_job_result_with_metrics_and_monthly_returns_round_trips)
{
    Stom__V1__MonthlyReturn months[2];
    Stom__V1__MonthlyReturn *mp[2] = {&months[0], &months[1]};
    for (int i = 0; i < 2; i++) {
        stom__v1__monthly_return__init(&months[i]);
        months[i].has_year = months[i].has_month = months[i].has_return_pct = 1;
        months[i].year = 2024;
        months[i].month = 1 + i;
        months[i].return_pct = i ? -1.25 : 2.5;
    }
    Stom__V1__Metrics m;
    make_metrics(&m);
    m.n_monthly = 2;
    m.monthly = mp;
    Stom__V1__JobResult r;
    stom__v1__job_result__init(&r);
    r.job_id = "job-42";
    r.has_state = 1;
    r.state = STOM__V1__JOB_STATE__JOB_STATE_DONE;
    r.metrics = &m;
    decoded d;
    round_trip(&d, "bt.job-42", &r.base, STOM__V1__ENVELOPE__BODY_JOB_RESULT);
    const Stom__V1__JobResult *got = d.msg.env->job_result;
    ck_assert_int_eq(got->state, STOM__V1__JOB_STATE__JOB_STATE_DONE);
    ck_assert_double_eq(got->metrics->sharpe, 1.31);
    ck_assert_double_eq(got->metrics->monthly[1]->return_pct, -1.25);
    decoded_free(&d);
}
END_TEST

/* ---- round trips: engine ------------------------------------------------ */

START_TEST(a_strategy_control_round_trips)
{
    char *symbols[] = {"005930"};
    Stom__V1__StrategyControl c;
    stom__v1__strategy_control__init(&c);
    c.instance_id = "sma-1";
    c.has_action = c.has_liquidate = 1;
    c.action = STOM__V1__STRATEGY_ACTION__STRATEGY_ACTION_STOP;
    c.liquidate = 1;
    c.n_symbols = 1;
    c.symbols = symbols;
    decoded d;
    round_trip(&d, "rpc.engine", &c.base, STOM__V1__ENVELOPE__BODY_STRATEGY_CONTROL);
    ck_assert_int_eq(d.msg.env->strategy_control->action,
                     STOM__V1__STRATEGY_ACTION__STRATEGY_ACTION_STOP);
    ck_assert(d.msg.env->strategy_control->liquidate);
    decoded_free(&d);
}
END_TEST

START_TEST(a_position_round_trips)
{
    Stom__V1__Position p;
    stom__v1__position__init(&p);
    p.account = "55501234-01";
    p.symbol = "005930";
    p.has_qty = p.has_avg_price = p.has_unrealized_pnl = 1;
    p.qty = 15;
    p.avg_price = 71433;
    p.unrealized_pnl = -1200;
    decoded d;
    round_trip(&d, "eng.positions", &p.base, STOM__V1__ENVELOPE__BODY_POSITION);
    ck_assert_int_eq(d.msg.env->position->avg_price, 71433);
    ck_assert_int_eq(d.msg.env->position->unrealized_pnl, -1200);
    decoded_free(&d);
}
END_TEST

START_TEST(a_risk_event_round_trips)
{
    Stom__V1__RiskEvent r;
    stom__v1__risk_event__init(&r);
    r.has_kind = r.has_action = r.has_limit = r.has_value = 1;
    r.kind = STOM__V1__RISK_KIND__RISK_KIND_DAILY_LOSS;
    r.action = STOM__V1__RISK_ACTION__RISK_ACTION_HALT_TRADING;
    r.limit = 1000000;
    r.value = 1250000;
    r.message = "daily loss 1,250,000 over limit 1,000,000";
    decoded d;
    round_trip(&d, "eng.risk", &r.base, STOM__V1__ENVELOPE__BODY_RISK_EVENT);
    ck_assert_int_eq(d.msg.env->risk_event->action,
                     STOM__V1__RISK_ACTION__RISK_ACTION_HALT_TRADING);
    ck_assert_int_eq(d.msg.env->risk_event->value, 1250000);
    decoded_free(&d);
}
END_TEST

START_TEST(a_surge_alert_round_trips)
{
    Stom__V1__SurgeAlert a;
    stom__v1__surge_alert__init(&a);
    a.symbol = "035420";
    a.has_kind = a.has_price = a.has_window_change_bp = a.has_value_ratio_bp = 1;
    a.kind = STOM__V1__SURGE_KIND__SURGE_KIND_VALUE;
    a.price = 182500;
    a.window_change_bp = 310;
    a.value_ratio_bp = 45000;
    decoded d;
    round_trip(&d, "eng.surge", &a.base, STOM__V1__ENVELOPE__BODY_SURGE_ALERT);
    ck_assert_int_eq(d.msg.env->surge_alert->kind, STOM__V1__SURGE_KIND__SURGE_KIND_VALUE);
    ck_assert_int_eq(d.msg.env->surge_alert->value_ratio_bp, 45000);
    decoded_free(&d);
}
END_TEST

START_TEST(an_engine_command_and_its_status_round_trip)
{
    Stom__V1__EngineCommand c;
    stom__v1__engine_command__init(&c);
    c.has_action = 1;
    c.action = STOM__V1__ENGINE_ACTION__ENGINE_ACTION_KILL;
    c.account = "paper";
    c.reason = "손실 확대: 수동 정지";
    decoded d;
    round_trip(&d, "rpc.engine", &c.base, STOM__V1__ENVELOPE__BODY_ENGINE_COMMAND);
    ck_assert_int_eq(d.msg.env->engine_command->action,
                     STOM__V1__ENGINE_ACTION__ENGINE_ACTION_KILL);
    ck_assert_str_eq(d.msg.env->engine_command->reason, "손실 확대: 수동 정지");
    decoded_free(&d);

    Stom__V1__EngineStatus st;
    stom__v1__engine_status__init(&st);
    st.has_halted = st.has_broker_up = st.has_md_gaps = 1;
    st.halted = 1;
    st.md_gaps = 3;
    st.halt_reason = "kill switch";
    round_trip(&d, "rpc.engine", &st.base, STOM__V1__ENVELOPE__BODY_ENGINE_STATUS);
    ck_assert(d.msg.env->engine_status->halted);
    ck_assert(!d.msg.env->engine_status->broker_up);
    ck_assert_uint_eq(d.msg.env->engine_status->md_gaps, 3);
    decoded_free(&d);
}
END_TEST

static Suite *bodies_suite(void)
{
    Suite *s = suite_create("bus_bodies");
    TCase *rt = tcase_create("round_trip");
    tcase_add_test(rt, a_trade_round_trips);
    tcase_add_test(rt, a_quote_with_ten_levels_per_side_round_trips);
    tcase_add_test(rt, a_stom_snapshot_with_a_five_level_book_round_trips);
    tcase_add_test(rt, a_bar_round_trips);
    tcase_add_test(rt, a_price_of_zero_is_distinct_from_an_unset_price);
    tcase_add_test(rt, an_order_request_round_trips);
    tcase_add_test(rt, an_order_event_with_fees_and_taxes_round_trips);
    tcase_add_test(rt, a_broker_place_request_round_trips);
    tcase_add_test(rt, a_broker_bars_reply_round_trips);
    tcase_add_test(rt, a_broker_error_reply_round_trips);
    tcase_add_test(rt, a_backtest_job_spec_round_trips);
    tcase_add_test(rt, a_backtest_task_with_lease_and_fold_round_trips);
    tcase_add_test(rt, a_task_result_with_metrics_round_trips);
    tcase_add_test(rt, backtest_progress_round_trips);
    tcase_add_test(rt, a_job_result_with_metrics_and_monthly_returns_round_trips);
    tcase_add_test(rt, a_strategy_control_round_trips);
    tcase_add_test(rt, a_position_round_trips);
    tcase_add_test(rt, a_risk_event_round_trips);
    tcase_add_test(rt, a_surge_alert_round_trips);
    tcase_add_test(rt, an_engine_command_and_its_status_round_trip);
    suite_add_tcase(s, rt);
    return s;
}

int main(void)
{
    Suite *s = bodies_suite();
    return stom_test_run(s);
}
