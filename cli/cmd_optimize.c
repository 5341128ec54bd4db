/*
 * cmd_optimize.c - `stom optimize`: which path a job takes, and the
 * direct one (--coordinator URL): submit the job to that backtest
 * coordinator, follow its progress, and print the ranked results. Without
 * a flag the job goes through the gateway (cmd_optimize_gateway.c); with
 * --local it runs in this process on CSV files (optimize_local.c).
 *
 * The job id is chosen here ("j-" and 12 random hex digits) rather than by
 * the coordinator, so a submit that is retried after a timeout names the
 * same job and cannot start a second one. While the job runs the status is
 * polled every POLL_MS; Ctrl-C cancels the job on the coordinator before
 * the command exits with 130, so no work is left running for nobody.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "coordinator_client.h"
#include "gateway_cli.h"
#include "optimize.h"
#include "stom/alloc.h"
#include "stom/pb_json.h"

#define POLL_MS      200
#define JOB_ID_BYTES 6

/* "j-" and 12 hex digits from /dev/urandom. Returns EXIT_OK or EXIT_INTERNAL. */
static int new_job_id(char *buf, size_t len)
{
    unsigned char bytes[JOB_ID_BYTES];
    FILE *f = fopen("/dev/urandom", "rb");
    size_t n = f ? fread(bytes, 1, sizeof bytes, f) : 0;
    if (f)
        fclose(f);
    if (n != sizeof bytes) {
        cli_error("cannot read /dev/urandom for a job id");
        return EXIT_INTERNAL;
    }
    int used = snprintf(buf, len, "j-");
    for (size_t k = 0; k < sizeof bytes; k++)
        used += snprintf(buf + used, len - (size_t)used, "%02x", bytes[k]);
    return EXIT_OK;
}

int print_json(json_t *j)
{
    if (j == NULL) {
        cli_error("internal: cannot build the JSON output");
        return EXIT_INTERNAL;
    }
    json_dumpf(j, stdout, JSON_INDENT(2));
    fputc('\n', stdout);
    json_decref(j);
    return EXIT_OK;
}

/* ---- requests ------------------------------------------------------------------ */

static bool already_exists(const Stom__V1__JobStatus *st)
{
    return st->error && st->error->code == STOM__V1__ERROR_CODE__ERROR_CODE_ALREADY_EXISTS;
}

/*
 * Sends the spec; on a timeout sends it once more (same job id: the
 * coordinator either never saw the first or answers that the job exists).
 * A refused job exits 2 with the coordinator's reason.
 */
static int submit(coordinator_client *c, Stom__V1__JobSpec *spec, stom_bus_received *reply)
{
    const stom_bus_body want = STOM__V1__ENVELOPE__BODY_JOB_STATUS;
    int rc = coordinator_try_call(c, &spec->base, want, reply);
    bool retried = rc == STOM_ETIMEDOUT;
    if (retried)
        rc = coordinator_try_call(c, &spec->base, want, reply);
    if (rc == STOM_ETIMEDOUT)
        coordinator_report_unreachable(c);
    if (rc != STOM_OK)
        return EXIT_INTERNAL;
    const Stom__V1__JobStatus *st = reply->msg.env->job_status;
    if (retried && already_exists(st)) {
        stom_bus_received_free(reply);
        return coordinator_job_control(c, spec->job_id, STOM__V1__JOB_ACTION__JOB_ACTION_QUERY,
                                       reply);
    }
    if (st->error != NULL) {
        cli_error("job refused: %s", st->error->message ? st->error->message : "no reason given");
        stom_bus_received_free(reply);
        return EXIT_USAGE;
    }
    return EXIT_OK;
}

static bool finished(Stom__V1__JobState s)
{
    return s == STOM__V1__JOB_STATE__JOB_STATE_DONE || s == STOM__V1__JOB_STATE__JOB_STATE_FAILED ||
           s == STOM__V1__JOB_STATE__JOB_STATE_CANCELLED;
}

static int cancel_on_interrupt(coordinator_client *c, const char *id, progress_line *pl)
{
    stom_bus_received reply;
    progress_clear(pl);
    if (coordinator_job_control(c, id, STOM__V1__JOB_ACTION__JOB_ACTION_CANCEL, &reply) ==
        EXIT_OK) {
        cli_error("interrupted (Ctrl-C): cancelled job %s", id);
        stom_bus_received_free(&reply);
    } else {
        cli_error("interrupted (Ctrl-C); job %s may still run: stom jobs cancel %s", id, id);
    }
    return EXIT_SIGINT;
}

/* Polls until the job ends; *reply then holds its last JobStatus. */
static int wait_job(coordinator_client *c, const char *id, progress_line *pl,
                    stom_bus_received *reply)
{
    for (;;) {
        if (cli_interrupted())
            return cancel_on_interrupt(c, id, pl);
        if (coordinator_job_control(c, id, STOM__V1__JOB_ACTION__JOB_ACTION_QUERY, reply) !=
            EXIT_OK) {
            progress_clear(pl);
            cli_error("job %s may still be running: see stom jobs show %s", id, id);
            return EXIT_INTERNAL;
        }
        const Stom__V1__JobStatus *st = reply->msg.env->job_status;
        if (finished(st->state))
            return EXIT_OK;
        if (st->error != NULL) {
            progress_clear(pl);
            cli_error("job %s: %s", id, st->error->message ? st->error->message : "unknown");
            stom_bus_received_free(reply);
            return EXIT_INTERNAL;
        }
        progress_update(pl, st);
        stom_bus_received_free(reply);
        cli_sleep_ms(POLL_MS);
    }
}

/* ---- results ------------------------------------------------------------------- */

int optimize_fetch_results(coordinator_client *c, const char *id, uint32_t top,
                           stom_bus_received *reply)
{
    Stom__V1__ResultsQuery q = STOM__V1__RESULTS_QUERY__INIT;
    q.job_id = (char *)id;
    q.has_offset = q.has_limit = true;
    q.offset = 0;
    q.limit = top; /* 0: all */
    int rc = coordinator_call(c, &q.base, STOM__V1__ENVELOPE__BODY_RESULTS_PAGE, reply);
    if (rc != EXIT_OK)
        return rc;
    const Stom__V1__ResultsPage *p = reply->msg.env->results_page;
    if (p->error != NULL) {
        cli_error("no results for job %s: %s", id,
                  p->error->message ? p->error->message : "no reason given");
        stom_bus_received_free(reply);
        return p->error->code == STOM__V1__ERROR_CODE__ERROR_CODE_NOT_FOUND ? EXIT_USAGE
                                                                            : EXIT_INTERNAL;
    }
    return EXIT_OK;
}

static int report(coordinator_client *c, const optimize_options *o, const Stom__V1__JobStatus *st)
{
    stom_bus_received reply;
    int rc = optimize_fetch_results(c, o->spec->job_id, o->top, &reply);
    if (rc != EXIT_OK)
        return rc;
    rc = optimize_show_results(o, st, reply.msg.env->results_page);
    stom_bus_received_free(&reply);
    return rc;
}

static int finish(coordinator_client *c, const optimize_options *o, progress_line *pl,
                  const Stom__V1__JobStatus *st)
{
    int rc = job_ended(o->spec->job_id, pl, st);
    return rc == EXIT_OK ? report(c, o, st) : rc;
}

static int submitted_only(const optimize_options *o, const Stom__V1__JobStatus *st)
{
    if (o->json)
        return print_json(
            json_pack("{s:s, s:s}", "job", o->spec->job_id, "state", job_state_name(st->state)));
    printf("%s\n", o->spec->job_id);
    fprintf(stderr, "job %s submitted (%s); follow it with: stom jobs show %s\n", o->spec->job_id,
            job_state_label(st->state), o->spec->job_id);
    return EXIT_OK;
}

static int run(const optimize_options *o)
{
    coordinator_client *c = NULL;
    stom_bus_received reply;
    progress_line pl;
    int rc = coordinator_open(&c, coordinator_url(o->coordinator));
    if (rc != EXIT_OK)
        return rc;
    cli_catch_sigint();
    rc = submit(c, o->spec, &reply);
    if (rc == EXIT_OK && o->no_wait) {
        rc = submitted_only(o, reply.msg.env->job_status);
        stom_bus_received_free(&reply);
    } else if (rc == EXIT_OK) {
        stom_bus_received_free(&reply);
        progress_init(&pl, o->spec->objective);
        rc = wait_job(c, o->spec->job_id, &pl, &reply);
        if (rc == EXIT_OK) {
            rc = finish(c, o, &pl, reply.msg.env->job_status);
            stom_bus_received_free(&reply);
        }
    }
    coordinator_close(c);
    return rc;
}

/* The id of a local run's job: fixed, so the same job prints the same report. */
#define LOCAL_JOB_ID "local"

static int run_local(optimize_options *o)
{
    o->spec->job_id = stom_xstrdup(LOCAL_JOB_ID);
    if (o->dry_run)
        return print_json(stom_pb_to_json(&o->spec->base));
    return optimize_local(o);
}

static int run_direct(optimize_options *o)
{
    char id[2 + 2 * JOB_ID_BYTES + 1];
    int rc = new_job_id(id, sizeof id);
    if (rc != EXIT_OK)
        return rc;
    o->spec->job_id = stom_xstrdup(id);
    if (o->dry_run)
        return print_json(stom_pb_to_json(&o->spec->base));
    return run(o);
}

int cli_optimize(int argc, char **argv)
{
    optimize_options o;
    int rc = optimize_parse(argc, argv, &o);
    if (rc == EXIT_OK && o.help)
        optimize_usage(stdout);
    else if (rc == EXIT_OK && o.local)
        rc = run_local(&o);
    else if (rc == EXIT_OK && o.coordinator != NULL)
        rc = run_direct(&o);
    else if (rc == EXIT_OK)
        rc = optimize_via_gateway(&o);
    optimize_options_free(&o);
    return rc;
}
