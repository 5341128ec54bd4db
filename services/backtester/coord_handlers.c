/*
 * coord_handlers.c - one function per request body the coordinator
 * accepts on rpc.backtester (docs/contracts.md). Each answers its request:
 * a reply, a parked pull, or an error reply; none can leave it hanging.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coord_internal.h"
#include "coord_page.h"
#include "stom/store_bars.h"

#define JOB_ID_MAX_LEN 48

static bool id_ok(const char *id)
{
    size_t n = strlen(id);
    if (n == 0 || n > JOB_ID_MAX_LEN)
        return false;
    for (size_t i = 0; i < n; i++) {
        char ch = id[i];
        bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                  (ch >= '0' && ch <= '9') || ch == '-' || ch == '_';
        if (!ok)
            return false;
    }
    return true;
}

static void reply_status_error(coordinator *c, stom_bus_pending *p, const char *id,
                               Stom__V1__ErrorCode code, const char *msg)
{
    Stom__V1__JobStatus st = STOM__V1__JOB_STATUS__INIT;
    Stom__V1__Error err = STOM__V1__ERROR__INIT;
    err.has_code = 1;
    err.code = code;
    err.message = (char *)msg;
    st.job_id = (char *)id;
    st.has_state = 1;
    st.state = STOM__V1__JOB_STATE__JOB_STATE_FAILED;
    st.error = &err;
    coord_reply(c, p, &st.base);
}

/* Every symbol must have bars of the timeframe in the period. */
static int check_data(coordinator *c, const coord_job *j, stom_errbuf *eb)
{
    for (size_t i = 0; i < j->job.spec->n_symbols; i++) {
        const char *sym = j->job.spec->symbols[i];
        int64_t rows = 0;
        int rc = stom_store_count_bars(c->db, sym, j->job.timeframe, j->job.from_ts, j->job.to_ts,
                                       &rows, eb);
        if (rc)
            return rc;
        if (rows == 0)
            return stom_errorf(eb, STOM_EEMPTY,
                               "no %s bars of %s in the job's period (see `stom data list`; "
                               "import with `stom data import`)",
                               j->job.timeframe, sym);
    }
    return 0;
}

static void reply_db_status(coordinator *c, stom_bus_pending *p, const char *id)
{
    stom_errbuf eb = {0};
    Stom__V1__JobStatus st;
    coord_flush(c);
    if (coord_db_job_status(c->db, id, &st, &eb)) {
        reply_status_error(c, p, id, STOM__V1__ERROR_CODE__ERROR_CODE_NOT_FOUND, eb.msg);
        return;
    }
    coord_reply(c, p, &st.base);
    coord_status_free(&st);
}

static void reply_active_status(coordinator *c, stom_bus_pending *p, coord_job_entry *e)
{
    Stom__V1__JobStatus st;
    Stom__V1__Progress pr;
    coord_status_of(c, e, &st, &pr);
    coord_reply(c, p, &st.base);
}

static void submit(coordinator *c, stom_bus_pending *p, const Stom__V1__JobSpec *spec)
{
    char id[BT_ID_MAX];
    if (spec->job_id && spec->job_id[0])
        snprintf(id, sizeof id, "%s", spec->job_id);
    else
        snprintf(id, sizeof id, "j-%012llx", (unsigned long long)(bt_now_ns() & 0xffffffffffffULL));
    if (!id_ok(id)) {
        reply_status_error(c, p, "", STOM__V1__ERROR_CODE__ERROR_CODE_INVALID_ARGUMENT,
                           "job_id must be 1-48 letters, digits, '-' or '_'");
        return;
    }
    coord_job_entry *e = coord_find(c, id);
    if (e) {
        reply_active_status(c, p, e); /* a resent submit: the same job */
        return;
    }
    stom_errbuf eb = {0};
    coord_job *j = NULL;
    int rc = coord_job_create(&j, spec, id, &eb);
    if (!rc)
        rc = check_data(c, j, &eb);
    bool created = false;
    if (!rc)
        rc = coord_db_insert_job(c->db, j, &created, &eb);
    if (rc) {
        bt_log("job %s refused: %s", id, eb.msg);
        reply_status_error(c, p, id, STOM__V1__ERROR_CODE__ERROR_CODE_INVALID_ARGUMENT, eb.msg);
        coord_job_destroy(j);
        return;
    }
    if (!created) {
        coord_job_destroy(j); /* submitted before and finished since */
        reply_db_status(c, p, id);
        return;
    }
    coord_activate(c, j);
    e = coord_find(c, id);
    if (e)
        reply_active_status(c, p, e);
    else
        reply_db_status(c, p, id);
    coord_serve_waiters(c, false);
}

static void control(coordinator *c, stom_bus_pending *p, const Stom__V1__JobControl *jc)
{
    const char *id = jc->job_id ? jc->job_id : "";
    coord_job_entry *e = coord_find(c, id);
    if (e && jc->action == STOM__V1__JOB_ACTION__JOB_ACTION_CANCEL) {
        coord_finish(c, e, STOM__V1__JOB_STATE__JOB_STATE_CANCELLED, "cancelled on request");
        reply_db_status(c, p, id);
        return;
    }
    if (e && (jc->action == STOM__V1__JOB_ACTION__JOB_ACTION_PAUSE ||
              jc->action == STOM__V1__JOB_ACTION__JOB_ACTION_RESUME)) {
        bool pause = jc->action == STOM__V1__JOB_ACTION__JOB_ACTION_PAUSE;
        e->job->state =
            pause ? STOM__V1__JOB_STATE__JOB_STATE_PAUSED : STOM__V1__JOB_STATE__JOB_STATE_RUNNING;
        coord_queue_job_update(&c->writes, e->job, NULL);
        if (!pause)
            coord_serve_waiters(c, false);
    }
    if (e)
        reply_active_status(c, p, e);
    else
        reply_db_status(c, p, id);
}

/* Answers a pull with a task, or parks it. */
static void pull(coordinator *c, stom_bus_pending *p, const Stom__V1__WorkRequest *wr)
{
    const char *worker = wr->worker_id ? wr->worker_id : "?";
    coord_saw_worker(c, worker);
    if (wr->last_result)
        coord_record(c, wr->last_result);
    if (c->n_waiters == COORD_MAX_WAITERS) {
        coord_reply_no_work(c, p);
        return;
    }
    coord_waiter *w = &c->waiters[c->n_waiters++];
    memset(w, 0, sizeof *w);
    w->p = p;
    int park = c->cfg->park_ms > 0 ? c->cfg->park_ms : 1000;
    w->deadline_ms = bt_mono_ms() + park;
    snprintf(w->worker, sizeof w->worker, "%s", worker);
    for (size_t i = 0; i < wr->n_known_jobs && w->n_known < COORD_MAX_KNOWN; i++)
        snprintf(w->known[w->n_known++], BT_ID_MAX, "%s", wr->known_jobs[i]);
    coord_serve_waiters(c, false);
}

void coord_serve_waiters(coordinator *c, bool deadline_only)
{
    int64_t now = bt_mono_ms();
    size_t kept = 0;
    for (size_t i = 0; i < c->n_waiters; i++) {
        coord_waiter *w = &c->waiters[i];
        coord_job_entry *e = NULL;
        coord_task *t =
            deadline_only && w->deadline_ms > now ? NULL : coord_lease(c, w->worker, &e);
        if (t)
            coord_reply_task(c, w->p, e, t, w->known, w->n_known);
        else if (w->deadline_ms <= now)
            coord_reply_no_work(c, w->p);
        else
            c->waiters[kept++] = *w;
    }
    c->n_waiters = kept;
}

static void results(coordinator *c, stom_bus_pending *p, const Stom__V1__ResultsQuery *q);
static void list(coordinator *c, stom_bus_pending *p, const Stom__V1__JobListQuery *q);

void coord_handle(coordinator *c, stom_bus_pending *p)
{
    const Stom__V1__Envelope *env = stom_bus_pending_msg(p)->env;
    switch (env->body_case) {
    case STOM__V1__ENVELOPE__BODY_JOB_SPEC:
        submit(c, p, env->job_spec);
        break;
    case STOM__V1__ENVELOPE__BODY_JOB_CONTROL:
        control(c, p, env->job_control);
        break;
    case STOM__V1__ENVELOPE__BODY_WORK_REQUEST:
        pull(c, p, env->work_request);
        break;
    case STOM__V1__ENVELOPE__BODY_TASK_RESULT:
        coord_record(c, env->task_result);
        coord_reply_no_work(c, p);
        break;
    case STOM__V1__ENVELOPE__BODY_RESULTS_QUERY:
        results(c, p, env->results_query);
        break;
    case STOM__V1__ENVELOPE__BODY_JOB_LIST_QUERY:
        list(c, p, env->job_list_query);
        break;
    default: {
        char msg[128];
        snprintf(msg, sizeof msg, "the coordinator does not take a %s",
                 stom_bus_body_name(env->body_case));
        coord_reply_error(c, p, STOM__V1__ERROR_CODE__ERROR_CODE_INVALID_ARGUMENT, msg);
    }
    }
}

static void list(coordinator *c, stom_bus_pending *p, const Stom__V1__JobListQuery *q)
{
    stom_errbuf eb = {0};
    Stom__V1__JobStatus *jobs = NULL;
    size_t n = 0;
    coord_flush(c);
    if (coord_db_list_jobs(c->db, q->owner, q->limit, &jobs, &n, &eb)) {
        coord_reply_error(c, p, STOM__V1__ERROR_CODE__ERROR_CODE_UNAVAILABLE, eb.msg);
        return;
    }
    Stom__V1__JobStatus **ptrs = calloc(n ? n : 1, sizeof *ptrs);
    for (size_t i = 0; i < n; i++) {
        ptrs[i] = &jobs[i];
        coord_job_entry *e = coord_find(c, jobs[i].job_id);
        if (e && jobs[i].progress) { /* fresher counters than the row */
            jobs[i].progress->done = e->job->done;
            jobs[i].progress->failed = e->job->failed;
        }
    }
    Stom__V1__JobList jl = STOM__V1__JOB_LIST__INIT;
    jl.n_jobs = n;
    jl.jobs = ptrs;
    coord_reply(c, p, &jl.base);
    for (size_t i = 0; i < n; i++)
        coord_status_free(&jobs[i]);
    free(jobs);
    free(ptrs);
}

static void free_results(Stom__V1__TaskResult **r, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (r[i])
            stom__v1__task_result__free_unpacked(r[i], NULL);
    free(r);
}

/* FoldBest rows: each decided unit's best set, per fold, with its test. The rows point
 * into the results kept in *keep. */
static void fold_bests(coordinator *c, const char *id, coord_best_rows *rows,
                       Stom__V1__TaskResult ***keep, size_t *n_keep)
{
    stom_errbuf eb = {0};
    uint32_t *units = NULL;
    uint64_t *cands = NULL;
    size_t n_units = 0;
    if (coord_db_units(c->db, id, &units, &cands, &n_units, &eb))
        return;
    for (size_t u = 0; u < n_units; u++) {
        Stom__V1__TaskResult **s = NULL, **t = NULL;
        size_t ns = 0, nt = 0;
        coord_db_unit_results(c->db, id, units[u], cands[u], false, &s, &ns, &eb);
        coord_db_unit_results(c->db, id, units[u], cands[u], true, &t, &nt, &eb);
        coord_best_rows_add(rows, units[u], s, ns, t, nt);
        *keep = realloc(*keep, (*n_keep + ns + nt) * sizeof **keep);
        for (size_t i = 0; i < ns; i++)
            (*keep)[(*n_keep)++] = s[i];
        for (size_t i = 0; i < nt; i++)
            (*keep)[(*n_keep)++] = t[i];
        free(s);
        free(t);
    }
    free(units);
    free(cands);
}

static void results(coordinator *c, stom_bus_pending *p, const Stom__V1__ResultsQuery *q)
{
    const char *id = q->job_id ? q->job_id : "";
    stom_errbuf eb = {0};
    Stom__V1__JobStatus st;
    coord_flush(c);
    if (coord_db_job_status(c->db, id, &st, &eb)) {
        coord_reply_error(c, p, STOM__V1__ERROR_CODE__ERROR_CODE_NOT_FOUND, eb.msg);
        return;
    }
    Stom__V1__TaskResult **rs = NULL, **keep = NULL;
    size_t n = 0, n_keep = 0;
    uint64_t total = 0;
    Stom__V1__ResultsPage page = STOM__V1__RESULTS_PAGE__INIT;
    if (coord_db_results(c->db, id, q->offset, q->limit, &rs, &n, &total, &eb)) {
        coord_reply_error(c, p, STOM__V1__ERROR_CODE__ERROR_CODE_UNAVAILABLE, eb.msg);
        coord_status_free(&st);
        return;
    }
    coord_best_rows best = {0};
    fold_bests(c, id, &best, &keep, &n_keep);
    stom_plan plan = {0};
    bool planned = best.n && st.spec && coord_spec_plan(st.spec, &plan, &eb) == 0;
    coord_best_rows_finish(&best, planned ? &plan : NULL);
    page.job_id = (char *)id;
    page.has_total = 1;
    page.total = total;
    page.n_results = n;
    page.results = rs;
    page.n_best = best.n;
    page.best = best.ptrs;
    Stom__V1__JobSpec *spec = st.spec;
    st.spec = NULL; /* the page need not repeat the spec */
    page.status = &st;
    coord_reply(c, p, &page.base);
    st.spec = spec;
    coord_status_free(&st);
    free_results(rs, n);
    free_results(keep, n_keep);
    coord_best_rows_free(&best);
    stom_plan_free(&plan);
}
