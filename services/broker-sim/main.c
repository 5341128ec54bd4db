/*
 * main.c - stom-broker-sim: the simulated KRX exchange behind the broker
 * protocol, the platform's paper-trading and demo broker
 * (docs/broker-sim.md). Flags, then serve until SIGINT or SIGTERM.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sim_adapter.h"
#include "stom/timeutil.h"

static const char usage[] =
    "Usage: stom-broker-sim [options]\n"
    "\n"
    "A simulated KRX exchange with one paper account, served over stom's broker\n"
    "protocol (docs/broker-protocol.md): orders on --rep, trades and order events on --pub.\n"
    "\n"
    "  --rep URL            requests (tcp://127.0.0.1:5570; dial:URL to dial out)\n"
    "  --pub URL            market data and order events (tcp://127.0.0.1:5571)\n"
    "  --account NAME       the paper account (paper)\n"
    "  --cash WON           its starting cash (100000000)\n"
    "  --symbols LIST       CODE:PREV_CLOSE,... (005930:70000,000660:130000,035720:50000)\n"
    "  --seed N             the price path's seed (1)\n"
    "  --start 'YYYY-MM-DD HH:MM'  the simulation's KST time at start (now)\n"
    "  --speed N            simulated seconds per real second (1)\n"
    "  --step-ms N          real milliseconds between price steps (1000)\n"
    "  --depth N:QTY        book levels a side and quantity a level (5:100)\n"
    "  --database CONNINFO  keep the account, orders and fills in PostgreSQL (libpq conninfo\n"
    "                       or URL), so that a restart continues; without it, memory only\n"
    "\n"
    "Replay of stored bars instead of the synthetic path (needs --database):\n"
    "  --replay LIST        CODE,CODE,... the symbols whose stored bars are replayed\n"
    "  --timeframe 1m|1d    which stored bars (1m)\n"
    "  --from 'YYYY-MM-DD[ HH:MM]'  the first bar (KST, inclusive)\n"
    "  --to 'YYYY-MM-DD[ HH:MM]'    the end (KST, exclusive; a date alone: that midnight)\n"
    "  --speed N            simulated seconds per real second; nights and weekends are\n"
    "                       skipped\n"
    "Each bar becomes up to four trades (open, low/high, close) on md.sim.<symbol>;\n"
    "an order fills at the first replayed trade at or after its decision time\n"
    "(OrderRequest.ts_ns). See docs/broker-sim.md.\n"
    "\n"
    "Orders are taken in the continuous session (09:00-15:20 KST on trading days).\n";

static sim_adapter *running;

static void on_signal(int sig)
{
    (void)sig;
    if (running)
        sim_adapter_stop(running);
}

static int bad(const char *flag, const char *value, const char *want)
{
    fprintf(stderr, "stom-broker-sim: %s '%s': %s (see --help)\n", flag, value, want);
    return 2;
}

static bool whole(const char *s, long long min, long long max, long long *out)
{
    char *end = NULL;
    long long v = strtoll(s, &end, 10);
    if (!*s || *end || v < min || v > max)
        return false;
    *out = v;
    return true;
}

/* "CODE:PRICE,..." into syms; the count, or -1. */
static int parse_symbols(const char *text, sim_symbol *syms)
{
    char buf[2048];
    snprintf(buf, sizeof buf, "%s", text);
    int n = 0;
    char *save = NULL;
    for (char *item = strtok_r(buf, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
        char *colon = strchr(item, ':');
        long long price;
        if (n == SIM_MAX_SYMBOLS || !colon || colon == item ||
            (size_t)(colon - item) >= sizeof syms[n].code ||
            !whole(colon + 1, 1, 100000000, &price))
            return -1;
        *colon = '\0';
        snprintf(syms[n].code, sizeof syms[n].code, "%s", item);
        syms[n].board = STOM_BOARD_KOSPI;
        syms[n].ref_price = price;
        n++;
    }
    return n;
}

/* "YYYY-MM-DD HH:MM" or "YYYY-MM-DD" (its midnight) in KST into UTC seconds. */
static bool parse_kst(const char *s, int64_t *out)
{
    int32_t date;
    int64_t ns;
    if (strlen(s) == 10 && stom_parse_date(s, 10, &date) == 0) {
        *out = stom_midnight_utc(date, STOM_KST_OFFSET_MINUTES);
        return true;
    }
    if (stom_parse_minute(s, STOM_KST_OFFSET_MINUTES, &ns) != 0)
        return false;
    *out = ns / 1000000000LL;
    return true;
}

/* "CODE,CODE,..." into r->codes, pointing into storage (kept). */
static bool parse_codes(const char *text, char *storage, size_t len, sim_replay_options *r)
{
    snprintf(storage, len, "%s", text);
    r->n_codes = 0;
    char *save = NULL;
    for (char *c = strtok_r(storage, ",", &save); c; c = strtok_r(NULL, ",", &save)) {
        if (r->n_codes == SIM_MAX_SYMBOLS || strlen(c) >= STOM_SYMBOL_MAX)
            return false;
        r->codes[r->n_codes++] = c;
    }
    return r->n_codes > 0 && strlen(text) < len;
}

/* The replay flags: --replay, --timeframe, --from, --to. 1 when f was one of them, 0 when
 * not, -1 when its value is bad. */
static int parse_replay_flag(const char *f, const char *v, sim_replay_options *r)
{
    static char codes[4096];
    if (!strcmp(f, "--replay"))
        return parse_codes(v, codes, sizeof codes, r) ? 1 : -1;
    if (!strcmp(f, "--timeframe"))
        return !strcmp(v, "1m") || !strcmp(v, "1d") ? (r->timeframe = v, 1) : -1;
    if (!strcmp(f, "--from"))
        return parse_kst(v, &r->from_s) ? 1 : -1;
    if (!strcmp(f, "--to"))
        return parse_kst(v, &r->to_s) ? 1 : -1;
    return 0;
}

static int parse(int argc, char **argv, sim_adapter_options *o, sim_symbol *syms,
                 sim_replay_options *replay)
{
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    *o = (sim_adapter_options){
        .rep_spec = "tcp://127.0.0.1:5570",
        .pub_spec = "tcp://127.0.0.1:5571",
        .account = "paper",
        .start_ns = (int64_t)now.tv_sec * 1000000000 + now.tv_nsec,
        .speed = 1,
        .step_ms = 1000,
        .market = {
            .seed = 1, .symbols = syms, .cash = 100000000, .depth_levels = 5, .depth_qty = 100}};
    stom_cost_model_default(&o->market.costs);
    o->market.n_symbols = parse_symbols("005930:70000,000660:130000,035720:50000", syms);
    for (int i = 1; i < argc; i++) {
        const char *f = argv[i];
        if (!strcmp(f, "--help") || !strcmp(f, "-h")) {
            fputs(usage, stdout);
            return 1;
        }
        if (i + 1 >= argc)
            return bad(f, "", "unknown flag, or its value is missing");
        const char *v = argv[++i];
        long long n, q;
        int r = parse_replay_flag(f, v, replay);
        if (r > 0)
            continue;
        if (r < 0)
            return bad(f, v, "a value out of range");
        if (!strcmp(f, "--rep"))
            o->rep_spec = v;
        else if (!strcmp(f, "--pub"))
            o->pub_spec = v;
        else if (!strcmp(f, "--database"))
            o->database = v;
        else if (!strcmp(f, "--account"))
            o->account = v;
        else if (!strcmp(f, "--cash") && whole(v, 0, 1000000000000000LL, &n))
            o->market.cash = n;
        else if (!strcmp(f, "--seed") && whole(v, 0, INT64_MAX, &n))
            o->market.seed = (uint64_t)n;
        else if (!strcmp(f, "--speed") && whole(v, 1, 100000, &n))
            o->speed = (int)n;
        else if (!strcmp(f, "--step-ms") && whole(v, 1, 3600000, &n))
            o->step_ms = (int)n;
        else if (!strcmp(f, "--symbols") && (o->market.n_symbols = parse_symbols(v, syms)) > 0)
            continue;
        else if (!strcmp(f, "--start") &&
                 stom_parse_minute(v, STOM_KST_OFFSET_MINUTES, &o->start_ns) == 0)
            continue;
        else if (!strcmp(f, "--depth") && sscanf(v, "%lld:%lld", &n, &q) == 2 && n >= 1 &&
                 n <= 10 && q >= 1)
            o->market.depth_levels = (int)n, o->market.depth_qty = q;
        else
            return bad(f, v, "unknown flag or a value out of range");
    }
    if (replay->n_codes > 0)
        o->replay = replay;
    if (o->replay && (!replay->from_s || !replay->to_s || replay->from_s >= replay->to_s))
        return bad("--from/--to", "", "a replay needs --from before --to");
    if (o->replay && !o->database)
        return bad("--replay", replay->codes[0], "the bars come from --database");
    return 0;
}

int main(int argc, char **argv)
{
    static sim_symbol syms[SIM_MAX_SYMBOLS];
    static sim_replay_options replay = {.timeframe = "1m"};
    sim_adapter_options o;
    int rc = parse(argc, argv, &o, syms, &replay);
    if (rc)
        return rc == 1 ? 0 : rc;
    stom_errbuf eb = {{0}};
    sim_adapter *a = NULL;
    if (sim_adapter_open(&a, &o, &eb) != STOM_OK) {
        fprintf(stderr, "stom-broker-sim: %s\n", eb.msg);
        return 1;
    }
    running = a;
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    fprintf(stderr, "stom-broker-sim: account %s, %s, requests on %s, events on %s\n", o.account,
            o.replay ? "replaying stored bars" : "synthetic path", o.rep_spec, o.pub_spec);
    sim_adapter_run(a);
    sim_adapter_close(a);
    return 0;
}
