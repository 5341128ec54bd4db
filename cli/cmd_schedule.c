/*
 * cmd_schedule.c - `stom schedule list|add|rm`: the caller's scheduled
 * jobs of the live engine (docs/scheduler.md) over GET/POST /schedules and
 * DELETE /schedules/{id} (docs/engine.md, "Interfaces").
 *
 * add builds the job's JSON from the flags and reads it with the
 * scheduler's own reader (stom_schedule_job_from_json) before sending it,
 * so a mistyped --when or --days is refused here with the scheduler's
 * message, exactly as the gateway would refuse it.
 *
 * Thread-safety: single-threaded program.
 */
#include <stdlib.h>
#include <string.h>

#include "optimize.h"
#include "stom/schedule.h"
#include "trading_cli.h"

#define SCHEDULE_ID_MAX 9000000000000000000ULL

static void schedule_usage(FILE *out)
{
    fputs("Usage: stom schedule list [--json]\n"
          "       stom schedule add NAME --when WHEN --action ACTION [--days DAYS]\n"
          "                         [--args JSON] [--disabled] [--json]\n"
          "       stom schedule rm ID [--json]\n"
          "\n"
          "Jobs the live engine runs on KRX trading days (holidays skipped), at a KST time\n"
          "or at a session anchor.\n"
          "\n"
          "  list             your jobs: id, name, when, days, action, args, next run (KST)\n"
          "  add NAME         store a job (NAME: 1-64 bytes, unique among yours)\n"
          "  rm ID            remove job ID (its id in list)\n"
          "\n"
          "Options of add:\n"
          "  --when WHEN      \"09:05\" (KST), or pre_open (08:30), open (09:00), close\n"
          "                   (15:30), after_close (18:00), each with +N or -N minutes:\n"
          "                   open+5, close-10 (anchors follow the KRX calendar's delays)\n"
          "  --action ACTION  start_strategy, stop_strategy, liquidate, record_bars or\n"
          "                   run_backtest\n"
          "  --days DAYS      weekdays, comma-separated: mon,tue,wed,thu,fri (default: every\n"
          "                   trading day)\n"
          "  --args JSON      the action's arguments as a JSON object (docs/scheduler.md):\n"
          "                   start_strategy and stop_strategy need \"strategy\";\n"
          "                   record_bars {\"symbols\": [\"005930\"], \"timeframe\": \"1m\",\n"
          "                   \"until\": \"close\"} (timeframe 1s, 1m or 1d; until HH:MM or an\n"
          "                   anchor, default close); run_backtest {\"run\": \"ID\"} re-runs\n"
          "                   your saved backtest ID (stom jobs list)\n"
          "  --disabled       store the job switched off\n"
          "  --json           the gateway's JSON\n"
          "  --url URL        the gateway (default $STOM_URL, else the URL of `stom login`)\n"
          "\n"
          "Example:\n"
          "  stom schedule add morning --when open+5 --action start_strategy \\\n"
          "       --args '{\"strategy\": \"sma_cross\", \"account\": \"sim-1\"}'\n"
          "  stom schedule add bars --when pre_open --action record_bars \\\n"
          "       --args '{\"symbols\": [\"005930\", \"000660\"], \"timeframe\": \"1m\"}'\n"
          "\n"
          "Exit codes: 0 success, 1 the gateway failed, 2 usage error, unknown job or not\n"
          "logged in.\n",
          out);
}

/* ---- list ---------------------------------------------------------------------------- */

static const char *action_label(const char *action, char *buf, size_t len)
{
    static const char *const names[][2] = {
        {"start_strategy", "전략 시작"}, {"stop_strategy", "전략 정지"}, {"liquidate", "청산"},
        {"record_bars", "봉 기록"},      {"run_backtest", "백테스트"},
    };
    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++)
        if (!strcmp(action, names[k][0])) {
            snprintf(buf, len, "%s %s", names[k][1], action);
            return buf;
        }
    return action;
}

/* "mon,wed" of ["mon","wed"]; "매일 every day" for all five. */
static const char *days_text(const json_t *days, char *buf, size_t len)
{
    if (!json_is_array(days) || json_array_size(days) >= 5)
        return "매일 every day";
    buf[0] = '\0';
    for (size_t k = 0; k < json_array_size(days); k++)
        snprintf(buf + strlen(buf), len - strlen(buf), "%s%s", k ? "," : "",
                 json_string_value(json_array_get(days, k)));
    return buf;
}

static void job_row(text_table *t, const json_t *j, void *ctx)
{
    (void)ctx;
    char id[24], days[64], action[64], next[32], last[32];
    char *args = json_dumps(json_object_get(j, "args"), JSON_COMPACT);
    const char *row[] = {
        trading_text(j, TRADING_KEYS("id"), id, sizeof id, "-"),
        json_str(j, "name", "-"),
        json_str(j, "when", "-"),
        days_text(json_object_get(j, "days"), days, sizeof days),
        action_label(json_str(j, "action", "-"), action, sizeof action),
        args && strcmp(args, "{}") ? args : "",
        json_is_false(json_object_get(j, "enabled")) ? "꺼짐 off" : "켜짐 on",
        trading_kst(j, TRADING_KEYS("next_fire_at", "next_fire_ns"), next, sizeof next),
        trading_kst(j, TRADING_KEYS("last_fired_at", "last_fired_ns"), last, sizeof last)};
    text_table_add(t, row);
    free(args);
}

static int print_jobs(const json_t *answer)
{
    const char *heads[] = {"id",         "이름 name",       "시각 when",
                           "요일 days",  "동작 action",     "인자 args",
                           "상태 state", "다음 next (KST)", "최근 last (KST)"};
    return trading_table_print(trading_table(
        answer, "schedules",
        "no scheduled jobs (add one with stom schedule add NAME --when open --action ...)", 9,
        heads, "rllllllll", job_row, NULL));
}

/* ---- add ----------------------------------------------------------------------------- */

/* ["mon","wed"] of "mon,wed" (the scheduler's reader checks the names). */
static json_t *days_array(const char *list)
{
    json_t *a = json_array();
    for (const char *p = list; *p;) {
        size_t n = strcspn(p, ",");
        json_array_append_new(a, json_stringn(p, n));
        p += n + (p[n] == ',');
    }
    return a;
}

/*
 * The job's JSON from the flags, read back with the scheduler's reader; NULL
 * after printing why (the reader's message names the field: "when: ...").
 */
static json_t *job_body(const trading_options *o)
{
    json_error_t e;
    json_t *args = o->args ? json_loads(o->args, JSON_REJECT_DUPLICATES, &e) : json_object();
    if (!json_is_object(args)) {
        cli_error("--args must be a JSON object such as '{\"strategy\": \"sma_cross\"}'%s%s",
                  args ? "" : ": ", args ? "" : e.text);
        json_decref(args);
        return NULL;
    }
    json_t *body = json_pack("{s:s, s:s, s:s, s:o, s:b}", "name", o->pos[0], "when", o->when,
                             "action", o->action, "args", args, "enabled", !o->disabled);
    if (o->days)
        json_object_set_new(body, "days", days_array(o->days));
    char *text = json_dumps(body, JSON_COMPACT);
    stom_schedule_job job = {0};
    stom_errbuf eb = {{0}};
    if (stom_schedule_job_from_json(text, strlen(text), &job, &eb) != STOM_OK) {
        cli_error("%s (see stom schedule --help)", eb.msg);
        json_decref(body);
        body = NULL;
    }
    stom_schedule_job_clear(&job);
    free(text);
    return body;
}

static int print_added(const json_t *answer)
{
    char id[24], next[32];
    printf("schedule %s '%s' added: %s, %s; ",
           trading_text(answer, TRADING_KEYS("id"), id, sizeof id, "?"),
           json_str(answer, "name", "?"), json_str(answer, "when", "?"),
           json_str(answer, "action", "?"));
    if (json_is_false(json_object_get(answer, "enabled")))
        puts("switched off, it does not run");
    else
        printf(
            "next run %s KST\n",
            trading_kst(answer, TRADING_KEYS("next_fire_at", "next_fire_ns"), next, sizeof next));
    return EXIT_OK;
}

static int check_add(const trading_options *o)
{
    if (o->n_pos != 1) {
        cli_error("stom schedule add needs the job's NAME (stom schedule add NAME --when ... "
                  "--action ...)");
        return EXIT_USAGE;
    }
    if (!o->when || !o->action) {
        cli_error("stom schedule add needs %s (see stom schedule --help)",
                  !o->when ? "--when (09:05, open, close-10 ...)"
                           : "--action (start_strategy, stop_strategy, liquidate, record_bars, "
                             "run_backtest)");
        return EXIT_USAGE;
    }
    return EXIT_OK;
}

/* ---- dispatch ------------------------------------------------------------------------ */

static int run(gateway_client *g, const trading_options *o, const char *verb, json_t *body)
{
    if (!strcmp(verb, "list"))
        return trading_call(g, o, "GET", "/schedules", NULL, print_jobs);
    if (!strcmp(verb, "add"))
        return trading_call(g, o, "POST", "/schedules", body, print_added);
    json_t *answer = NULL;
    char path[64];
    int64_t id = 0;
    trading_whole("ID", o->pos[0], SCHEDULE_ID_MAX, &id); /* checked before: "1,234" too */
    snprintf(path, sizeof path, "/schedules/%lld", (long long)id);
    int rc = gateway_call(g, "DELETE", path, NULL, &answer, NULL);
    json_decref(answer);
    if (rc == EXIT_OK && o->json)
        return print_json(json_pack("{s:I, s:b}", "id", (json_int_t)id, "removed", 1));
    if (rc == EXIT_OK)
        printf("schedule %lld removed\n", (long long)id);
    return rc;
}

/* The verb's own checks, before the gateway is asked; *body is add's job (owned). */
static int check(const trading_options *o, const char *verb, json_t **body)
{
    int64_t id = 0;
    *body = NULL;
    if (!strcmp(verb, "rm")) {
        if (o->n_pos != 1) {
            cli_error("stom schedule rm needs the job's ID (stom schedule list shows it)");
            return EXIT_USAGE;
        }
        return trading_whole("ID", o->pos[0], SCHEDULE_ID_MAX, &id);
    }
    if (!strcmp(verb, "add")) {
        if (check_add(o) != EXIT_OK || (*body = job_body(o)) == NULL)
            return EXIT_USAGE;
    }
    return EXIT_OK;
}

int cli_schedule(int argc, char **argv)
{
    const char *verb = argc > 1 ? argv[1] : "";
    if (!strcmp(verb, "-h") || !strcmp(verb, "--help")) {
        schedule_usage(stdout);
        return EXIT_OK;
    }
    bool add = !strcmp(verb, "add");
    if (!add && strcmp(verb, "list") && strcmp(verb, "rm")) {
        cli_error("stom schedule needs list, add or rm (see stom schedule --help)");
        return EXIT_USAGE;
    }
    trading_options o;
    char command[32];
    snprintf(command, sizeof command, "schedule %s", verb);
    int rc = trading_parse(argc, argv, 2, add ? "--when --action --days --args --disabled" : "",
                           strcmp(verb, "list") ? 1 : 0, command, schedule_usage, &o);
    if (rc != EXIT_OK || o.help)
        return rc;
    json_t *body = NULL;
    if (check(&o, verb, &body) != EXIT_OK)
        return EXIT_USAGE;
    gateway_client *g = NULL;
    rc = trading_open(&o, &g);
    if (rc == EXIT_OK)
        rc = run(g, &o, verb, body);
    gateway_client_close(g);
    json_decref(body);
    return rc;
}
