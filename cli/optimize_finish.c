/*
 * optimize_finish.c - what `stom optimize` does once its job has ended,
 * whichever way it reached the job (gateway or coordinator); job_ended
 * serves `stom backtest` through the gateway too.
 *
 * Thread-safety: the CLI's main thread.
 */
#include "cli.h"
#include "optimize_internal.h"

int job_ended(const char *id, progress_line *pl, const Stom__V1__JobStatus *st)
{
    progress_summary(pl, st);
    if (st->state == STOM__V1__JOB_STATE__JOB_STATE_DONE)
        return EXIT_OK;
    const char *why = st->error && st->error->message ? st->error->message : "no reason given";
    if (st->state == STOM__V1__JOB_STATE__JOB_STATE_FAILED)
        cli_error("job %s failed: %s", id, why);
    else
        cli_error("job %s was cancelled", id);
    return EXIT_INTERNAL;
}

int optimize_show_results(const optimize_options *o, const Stom__V1__JobStatus *st,
                          const Stom__V1__ResultsPage *page)
{
    int rc = EXIT_OK;
    optimize_report r = {o->spec, st, page, o->top};
    if (o->json)
        rc = print_json(optimize_report_json(&r));
    else
        optimize_report_text(&r, stdout);
    /* A job whose every run failed found nothing: say so in the exit code, as a
     * failed backtest does. */
    const Stom__V1__Progress *pr = st->progress;
    if (rc == EXIT_OK && pr != NULL && pr->done > 0 && pr->failed >= pr->done) {
        cli_error("every run of job %s failed (the note column says why)", o->spec->job_id);
        rc = EXIT_INTERNAL;
    }
    return rc;
}
