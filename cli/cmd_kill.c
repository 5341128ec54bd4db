/*
 * cmd_kill.c - the kill switch from the command line: `stom kill` halts
 * trading (one account, or everything for an administrator) and cancels
 * the open orders; `stom resume` lifts the halt. Over POST /kill and
 * POST /resume (docs/engine.md, "Interfaces"); the engine answers with its
 * status, printed as one line per fact.
 *
 * A halt lasts across engine restarts until someone resumes it, so the
 * reason is required: it is what the next trader reads.
 *
 * Thread-safety: single-threaded program.
 */
#include <string.h>

#include "optimize.h"
#include "trading_cli.h"

static void kill_usage(FILE *out)
{
    fputs("Usage: stom kill [--account A] --reason TEXT [--json]\n"
          "\n"
          "Halts trading at once: no strategy of the account sends another order, and its\n"
          "open orders are cancelled. The halt lasts, across engine restarts, until\n"
          "`stom resume`. Without --account every account stops (administrators only).\n"
          "\n"
          "  --account A     the account to halt\n"
          "  --reason TEXT   why (required; shown in the risk events and to other traders)\n"
          "  --json          the engine's status as JSON\n"
          "  --url URL       the gateway (default $STOM_URL, else the URL of `stom login`)\n"
          "\n"
          "Example:\n"
          "  stom kill --account sim-1 --reason \"broker prices look wrong\"\n"
          "\n"
          "Exit codes: 0 halted, 1 the engine or the gateway failed, 2 usage error, not\n"
          "logged in, or not allowed.\n",
          out);
}

static void resume_usage(FILE *out)
{
    fputs("Usage: stom resume [--account A] [--json]\n"
          "\n"
          "Lifts a halt of the account (the kill switch, or a risk rule's halt such as the\n"
          "daily loss stop): its strategies may send orders again. Without --account the\n"
          "halt of all trading is lifted (administrators only).\n"
          "\n"
          "  --account A   the account to resume\n"
          "  --json        the engine's status as JSON\n"
          "  --url URL     the gateway (default $STOM_URL, else the URL of `stom login`)\n"
          "\n"
          "Exit codes: 0 resumed, 1 the engine or the gateway failed, 2 usage error, not\n"
          "logged in, or not allowed.\n",
          out);
}

/* The engine's status after the command (EngineStatus, docs/engine.md). */
static int print_engine_answer(const json_t *answer)
{
    const json_t *engine = json_object_get(answer, "engine");
    if (json_is_object(engine))
        answer = engine; /* {account, engine: EngineStatus} */
    const char *message = json_str(answer, "message", NULL);
    if (message && *message)
        puts(message);
    const json_t *halted = json_object_get(answer, "halted");
    if (json_is_boolean(halted)) {
        const char *reason = json_str(answer, "halt_reason", "");
        printf("거래 trading: %s%s%s\n", json_is_true(halted) ? "중지 halted" : "가능 allowed",
               *reason ? " — " : "", reason);
    }
    return EXIT_OK;
}

/* POST path with body (taken) and --account; the engine's answer. */
static int send_command(const trading_options *o, const char *path, json_t *body)
{
    if (o->account && *o->account)
        json_object_set_new(body, "account", json_string(o->account));
    int rc = trading_request(o, "POST", path, body, print_engine_answer);
    json_decref(body);
    return rc;
}

int cli_kill(int argc, char **argv)
{
    trading_options o;
    int rc = trading_parse(argc, argv, 1, "--account --reason", 0, "kill", kill_usage, &o);
    if (rc != EXIT_OK || o.help)
        return rc;
    if (!o.reason || !*o.reason) {
        cli_error("stom kill needs --reason TEXT: say why trading stops (for example --reason "
                  "\"prices look wrong\")");
        return EXIT_USAGE;
    }
    return send_command(&o, "/kill", json_pack("{s:s}", "reason", o.reason));
}

int cli_resume(int argc, char **argv)
{
    trading_options o;
    int rc = trading_parse(argc, argv, 1, "--account", 0, "resume", resume_usage, &o);
    if (rc != EXIT_OK || o.help)
        return rc;
    return send_command(&o, "/resume", json_object());
}
