/*
 * optimize_local.c - `stom optimize --local`: the whole job in this process,
 * with no server. The bars come from CSV files (csv_bars.c, as
 * `stom backtest --local` reads them); the job is planned by the
 * coordinator's planner (coord_job), its tasks run on a pool of threads with
 * the workers' task code (bt_task_run), and the results page is built as
 * the coordinator builds it (coord_page), so the report is the one the
 * platform prints for the same job on the same bars.
 *
 * Results do not depend on the number of threads: batches are planned one
 * after another and results are recorded in task order. The --json output
 * leaves out the elapsed time for the same reason (the same job gives the
 * same bytes); the summary line on stderr and the text report show it.
 *
 * Ctrl-C stops handing out tasks, waits for the running ones and exits 130.
 *
 * Thread-safety: the CLI's main thread; the pool's threads are its own.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "optimize.h"
#include "optimize_local.h"
#include "stom/alloc.h"

#define PROGRESS_MS 100
#define NS_PER_S    1000000000LL

static int64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* A JobStatus of j as the coordinator would report it. Points into pr and best. */
static void job_status(const coord_job *j, int64_t elapsed_ms, Stom__V1__JobStatus *st,
                       Stom__V1__Progress *pr, bt_pb_params *best)
{
    stom__v1__job_status__init(st);
    coord_job_progress(j, elapsed_ms, 0, pr, best);
    st->job_id = (char *)j->job.id;
    st->has_state = 1;
    st->state = j->state;
    st->progress = pr;
}

static void draw(const coord_job *j, progress_line *pl, int64_t t0)
{
    Stom__V1__JobStatus st;
    Stom__V1__Progress pr;
    bt_pb_params best;
    job_status(j, mono_ms() - t0, &st, &pr, &best);
    progress_update(pl, &st);
}

static int interrupted(local_pool *p, const coord_job *j, progress_line *pl)
{
    progress_clear(pl);
    cli_error("interrupted (Ctrl-C): stopping after the runs in progress");
    local_pool_stop(p);
    cli_error(
        "stopped after %zu of about %llu runs; nothing was kept", j->done,
        (unsigned long long)(j->total_estimate > j->n_tasks ? j->total_estimate : j->n_tasks));
    return EXIT_SIGINT;
}

/* Runs batch after batch until the planner has none left. */
static int run_batches(local_pool *p, coord_job *j, progress_line *pl, int64_t t0)
{
    int64_t drawn = 0;
    while (local_pool_advance(p) > 0) {
        while (!local_pool_collect(p, PROGRESS_MS)) {
            if (cli_interrupted())
                return interrupted(p, j, pl);
            if (mono_ms() - drawn >= PROGRESS_MS) {
                draw(j, pl, t0);
                drawn = mono_ms();
            }
        }
    }
    if (cli_interrupted())
        return interrupted(p, j, pl);
    if (!coord_job_complete(j)) {
        progress_clear(pl);
        cli_error("internal: the planner stopped before the job was complete");
        return EXIT_INTERNAL;
    }
    return EXIT_OK;
}

static int report(const optimize_options *o, const coord_job *j, const local_result *results,
                  progress_line *pl, int64_t t0)
{
    Stom__V1__JobStatus st;
    Stom__V1__Progress pr;
    bt_pb_params best;
    local_page pg;
    job_status(j, mono_ms() - t0, &st, &pr, &best);
    int rc = job_ended(o->spec->job_id, pl, &st);
    if (o->json) /* the same job gives the same bytes */
        pr.has_elapsed_ms = pr.has_eta_ms = 0;
    if (rc == EXIT_OK)
        rc = local_page_build(&pg, j, results, o->top, &st);
    if (rc == EXIT_OK) {
        rc = optimize_show_results(o, &st, &pg.page);
        local_page_free(&pg);
    }
    return rc;
}

static size_t default_threads(const optimize_options *o)
{
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    return o->jobs > 0 ? o->jobs : cores > 0 ? (size_t)cores : 1;
}

static int run(const optimize_options *o, coord_job *j, const bt_series_set *data)
{
    local_pool *p = NULL;
    progress_line pl;
    int64_t t0 = mono_ms();
    /* Before the threads start: once they run, Ctrl-C must only stop the run. */
    cli_catch_sigint();
    int rc = local_pool_start(&p, j, data, default_threads(o));
    if (rc != EXIT_OK)
        return rc;
    progress_init(&pl, o->spec->objective);
    j->state = STOM__V1__JOB_STATE__JOB_STATE_RUNNING;
    rc = run_batches(p, j, &pl, t0);
    if (rc == EXIT_OK) {
        j->state = STOM__V1__JOB_STATE__JOB_STATE_DONE;
        rc = report(o, j, local_pool_results(p), &pl, t0);
    }
    local_pool_destroy(p);
    return rc;
}

/* Every file's bars in the job's period, in --data order (the workers' order of symbols), as
 * KOSPI stocks: what `stom backtest --local` and `stom data import` assume without --market. */
static int load_data(const optimize_options *o, stom_bars *series)
{
    const Stom__V1__Period *pd = o->spec->period;
    int rc = EXIT_OK;
    for (size_t k = 0; k < o->n_files && rc == EXIT_OK; k++)
        rc = cli_csv_load(o->files[k], STOM_MARKET_KRX, STOM_BOARD_KOSPI, pd->from_ns / NS_PER_S,
                          pd->to_ns / NS_PER_S, &series[k]);
    return rc;
}

int optimize_local(const optimize_options *o)
{
    coord_job *j = NULL;
    stom_errbuf eb = {{0}};
    if (coord_job_create(&j, o->spec, o->spec->job_id, &eb) != STOM_OK) {
        cli_error("job refused: %s", eb.msg);
        return EXIT_USAGE;
    }
    stom_bars *series = stom_xcalloc(o->n_files, sizeof *series);
    int rc = load_data(o, series);
    if (rc == EXIT_OK) {
        bt_series_set data = {series, o->n_files};
        rc = run(o, j, &data);
    }
    for (size_t k = 0; k < o->n_files; k++)
        stom_bars_free(&series[k]);
    free(series);
    coord_job_destroy(j);
    return rc;
}
