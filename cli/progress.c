/*
 * progress.c - the live progress line of a running job on stderr:
 *   [#########-----] 412/1,000 41%  best TG 1,234,567  ETA 0:12
 * redrawn in place with a carriage return while stderr is a terminal, and
 * replaced by one summary line when the job ends. Off a terminal (a log
 * file, a pipe) only the summary is written, so logs stay readable.
 */
#include <math.h>
#include <string.h>
#include <unistd.h>

#include "optimize.h"

#define BAR_WIDTH 20

void progress_init(progress_line *p, Stom__V1__Objective objective)
{
    memset(p, 0, sizeof *p);
    p->tty = isatty(STDERR_FILENO) == 1;
    p->objective = objective;
}

static void draw_bar(char *buf, size_t len, uint64_t done, uint64_t total)
{
    size_t fill = total ? (size_t)(done >= total ? BAR_WIDTH : done * BAR_WIDTH / total) : 0;
    char bar[BAR_WIDTH + 1];
    for (size_t k = 0; k < BAR_WIDTH; k++)
        bar[k] = k < fill ? '#' : '-';
    bar[BAR_WIDTH] = '\0';
    snprintf(buf, len, "[%s]", bar);
}

void progress_update(progress_line *p, const Stom__V1__JobStatus *st)
{
    if (!p->tty || st->progress == NULL)
        return;
    const Stom__V1__Progress *pr = st->progress;
    char bar[BAR_WIDTH + 3], done[32], total[32], best[48], eta[24];
    draw_bar(bar, sizeof bar, pr->done, pr->total);
    format_number((double)pr->done, 0, done, sizeof done);
    format_number((double)pr->total, 0, total, sizeof total);
    fprintf(stderr, "\r\033[K%s %s/%s %s", bar, done, total, job_state_label(st->state));
    if (pr->total > 0)
        fprintf(stderr, " %d%%", (int)(pr->done * 100 / pr->total));
    if (pr->has_best_objective && isfinite(pr->best_objective))
        fprintf(stderr, "  best %s %s", objective_pb_name(p->objective),
                format_objective(p->objective, pr->best_objective, best, sizeof best));
    if (pr->has_eta_ms && pr->eta_ms > 0)
        fprintf(stderr, "  ETA %s", format_duration(pr->eta_ms, eta, sizeof eta));
    fflush(stderr);
    p->drawn = true;
}

void progress_clear(progress_line *p)
{
    if (!p->drawn)
        return;
    fputs("\r\033[K", stderr);
    fflush(stderr);
    p->drawn = false;
}

void progress_summary(progress_line *p, const Stom__V1__JobStatus *st)
{
    progress_clear(p);
    const Stom__V1__Progress *pr = st->progress;
    char done[32], failed[32], elapsed[24], best[48];
    fprintf(stderr, "%s %s", st->job_id ? st->job_id : "job", job_state_label(st->state));
    if (pr != NULL) {
        fprintf(stderr, ": %s evaluated", format_number((double)pr->done, 0, done, sizeof done));
        if (pr->failed > 0)
            fprintf(stderr, " (%s failed)",
                    format_number((double)pr->failed, 0, failed, sizeof failed));
        int64_t ms = 0;
        if (job_elapsed_ms(st, &ms))
            fprintf(stderr, " in %s", format_duration(ms, elapsed, sizeof elapsed));
        if (pr->has_best_objective && isfinite(pr->best_objective))
            fprintf(stderr, ", best %s %s", objective_pb_name(p->objective),
                    format_objective(p->objective, pr->best_objective, best, sizeof best));
    }
    fputc('\n', stderr);
}
