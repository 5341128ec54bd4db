/*
 * coord_db.c - the coordinator's writes (coord_db.h). Every statement is
 * parameterised; results are inserted with ON CONFLICT DO NOTHING so that a
 * result delivered twice (a worker retrying after a coordinator restart, a
 * lease that expired while its worker still finished) is stored once.
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "coord_db.h"
#include "coord_page.h"
#include "stom/alloc.h"
#include "stom/pb_json.h"

static const char *state_names[] = {"queued", "queued", "running",  "paused",
                                    "done",   "failed", "cancelled"};

const char *coord_state_name(Stom__V1__JobState s)
{
    return (unsigned)s < sizeof state_names / sizeof state_names[0] ? state_names[s] : "queued";
}

Stom__V1__JobState coord_state_parse(const char *s)
{
    for (unsigned i = 1; i < sizeof state_names / sizeof state_names[0]; i++)
        if (!strcmp(state_names[i], s))
            return (Stom__V1__JobState)i;
    return STOM__V1__JOB_STATE__JOB_STATE_UNSPECIFIED;
}

/* A packed message as bytea text ("\\x" and hex digits). Owned. */
static char *bytea_text(const ProtobufCMessage *m)
{
    size_t len = protobuf_c_message_get_packed_size(m);
    uint8_t *buf = stom_xmalloc(len ? len : 1);
    protobuf_c_message_pack(m, buf);
    static const char digits[] = "0123456789abcdef";
    char *hex = stom_xmalloc(2 * len + 3);
    hex[0] = '\\';
    hex[1] = 'x';
    for (size_t i = 0; i < len; i++) {
        hex[2 + 2 * i] = digits[buf[i] >> 4];
        hex[3 + 2 * i] = digits[buf[i] & 15];
    }
    hex[2 + 2 * len] = '\0';
    free(buf);
    return hex;
}

static char *double_text(double v, char *buf, size_t len)
{
    if (isnan(v))
        return NULL;
    if (isinf(v))
        snprintf(buf, len, "%s", v > 0 ? "Infinity" : "-Infinity");
    else
        snprintf(buf, len, "%.17g", v);
    return buf;
}

/* {"name": value, ...} in schema order. Owned. */
static char *params_json(const stom_strategy_def *def, const stom_params *p)
{
    bt_pb_params pb;
    bt_params_to_pb(def, p, &pb);
    json_t *o = json_object();
    for (size_t i = 0; i < pb.n; i++) {
        const Stom__V1__Param *q = &pb.items[i];
        json_t *v = q->value_case == STOM__V1__PARAM__VALUE_INT_VALUE ? json_integer(q->int_value)
                    : q->value_case == STOM__V1__PARAM__VALUE_BOOL_VALUE
                        ? json_boolean(q->bool_value)
                        : json_real(q->real_value);
        json_object_set_new(o, q->name, v);
    }
    char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(o);
    return s;
}

int coord_db_insert_job(stom_db *db, const coord_job *j, bool *created, stom_errbuf *eb)
{
    const Stom__V1__JobSpec *s = j->job.spec;
    char *spec = bytea_text(&s->base);
    char total[32];
    snprintf(total, sizeof total, "%" PRIu64, j->total_estimate);
    const char *v[] = {j->job.id,
                       s->owner ? s->owner : "",
                       s->title ? s->title : "",
                       j->job.def->name,
                       coord_method_name(j->method),
                       spec,
                       total};
    PGresult *r = NULL;
    int rc = stom_db_query(db,
                           "INSERT INTO jobs (id, owner, title, strategy, method, spec, "
                           "total_tasks) VALUES ($1, $2, $3, $4, $5, $6, $7) "
                           "ON CONFLICT (id) DO NOTHING",
                           7, v, PGRES_COMMAND_OK, "storing the job", &r, eb);
    free(spec);
    if (!rc) {
        *created = atoi(PQcmdTuples(r)) == 1;
        PQclear(r);
    }
    return rc;
}

void coord_queue_job_update(coord_writes *q, const coord_job *j, const char *error)
{
    char done[32], failed[32], total[32], best[40];
    snprintf(done, sizeof done, "%zu", j->done);
    snprintf(failed, sizeof failed, "%zu", j->failed);
    uint64_t t = j->total_estimate > j->n_tasks ? j->total_estimate : j->n_tasks;
    snprintf(total, sizeof total, "%" PRIu64, coord_job_complete(j) ? (uint64_t)j->n_tasks : t);
    const char *b = j->have_best ? double_text(j->best_score, best, sizeof best) : NULL;
    /* The moment of the change, not now(): queued writes are saved together, in one
     * transaction whose now() would give a job's start and end the same time. */
    char at_us[32];
    snprintf(at_us, sizeof at_us, "%" PRId64, bt_now_ns() / 1000);
    const char *v[] = {j->job.id, coord_state_name(j->state), error, done, failed, total, b, at_us};
    coord_writes_query(
        q,
        "UPDATE jobs SET state = $2, error = coalesce($3, error), done_tasks = $4, "
        "failed_tasks = $5, total_tasks = $6, best_objective = $7, "
        "started_at = CASE WHEN $2 = 'running' "
        "THEN coalesce(started_at, to_timestamp($8::bigint / 1e6)) ELSE started_at END, "
        "finished_at = CASE WHEN $2 IN ('done', 'failed', 'cancelled') "
        "THEN to_timestamp($8::bigint / 1e6) END "
        "WHERE id = $1",
        8, v, "updating the job");
}

int coord_db_insert_tasks(stom_db *db, const coord_job *j, size_t first, stom_errbuf *eb)
{
    int rc = stom_db_copy_begin(db,
                                "COPY tasks (job_id, task_id, unit, fold, phase, candidate, "
                                "params) FROM STDIN",
                                "storing tasks", eb);
    bool sent = true;
    for (size_t i = first; !rc && sent && i < j->n_tasks; i++) {
        const coord_task *t = &j->tasks[i];
        char *params = params_json(j->job.def, &t->params);
        char line[1024];
        int n =
            snprintf(line, sizeof line, "%s\t%" PRIu64 "\t%u\t%u\t%s\t%" PRIu64 "\t%s\n", j->job.id,
                     t->id, t->unit, t->fold, t->test ? "test" : "search", t->candidate, params);
        free(params);
        sent = PQputCopyData(stom_db_conn(db), line, n) == 1;
    }
    return rc ? rc : stom_db_copy_end(db, sent, "storing tasks", eb);
}

void coord_queue_lease(coord_writes *q, const coord_job *j, const coord_task *t, const char *worker)
{
    char id[32], attempt[16], token[32], left[32];
    snprintf(id, sizeof id, "%" PRIu64, t->id);
    snprintf(attempt, sizeof attempt, "%u", t->attempt);
    snprintf(token, sizeof token, "%" PRId64, (int64_t)t->lease_token);
    snprintf(left, sizeof left, "%" PRId64, t->lease_expires_ms - bt_mono_ms());
    const char *v[] = {j->job.id, id, attempt, token, worker, left};
    coord_writes_query(q,
                       "UPDATE tasks SET state = 'leased', attempt = $3, lease_token = $4, "
                       "worker = $5, lease_expires = now() + interval '1 millisecond' * "
                       "$6::bigint WHERE job_id = $1 AND task_id = $2 AND state <> 'done'",
                       6, v, "recording a lease");
}

static char *metrics_json(const Stom__V1__Metrics *m)
{
    return m ? stom_pb_to_json_text(&m->base) : NULL;
}

/* The result as stored (coord_page_stored_result): the worker's name and timing go to
 * task_runs instead. */
static char *result_text(const Stom__V1__TaskResult *in)
{
    Stom__V1__TaskResult r;
    coord_page_stored_result(in, &r);
    return bytea_text(&r.base);
}

static char *violated_array(const Stom__V1__TaskResult *r)
{
    json_t *a = json_array();
    for (size_t i = 0; i < r->n_violated; i++)
        json_array_append_new(a, json_string(r->violated[i]));
    char *s = json_dumps(a, JSON_COMPACT);
    json_decref(a);
    /* jsonb-like text to a Postgres array: ["a","b"] -> {"a","b"} */
    size_t n = strlen(s);
    s[0] = '{';
    s[n - 1] = '}';
    return s;
}

/*
 * The result row once (ON CONFLICT), and only when it is new: the task
 * marked done and its run (worker, attempt, elapsed) recorded.
 */
static const char INSERT_RESULT[] =
    "WITH r AS (INSERT INTO results (job_id, task_id, unit, fold, phase, candidate, params, "
    "status, error, objective, valid_objective, test_objective, constraints_met, violated, "
    "metrics, valid_metrics, test_metrics, result) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, "
    "$10, $11, $12, $13, $14, $15, $16, $17, $18) ON CONFLICT (job_id, task_id) DO NOTHING "
    "RETURNING task_id), "
    "t AS (UPDATE tasks SET state = 'done' WHERE job_id = $1 AND task_id IN (SELECT task_id FROM "
    "r)) "
    "INSERT INTO task_runs (job_id, task_id, worker, attempt, elapsed_ms) "
    "SELECT $1, task_id, $19, $20, $21 FROM r";

static void queue_result_row(coord_writes *q, const coord_job *j, const coord_task *t,
                             const Stom__V1__TaskResult *r)
{
    char id[32], unit[16], fold[16], cand[32], o1[40], o2[40], o3[40], attempt[16], ms[32];
    snprintf(id, sizeof id, "%" PRIu64, t->id);
    snprintf(unit, sizeof unit, "%u", t->unit);
    snprintf(fold, sizeof fold, "%u", t->fold);
    snprintf(cand, sizeof cand, "%" PRIu64, t->candidate);
    snprintf(attempt, sizeof attempt, "%u", t->attempt);
    snprintf(ms, sizeof ms, "%" PRId64, r->elapsed_ms);
    bool ok = r->status != STOM__V1__TASK_STATUS__TASK_STATUS_FAILED;
    char *params = params_json(j->job.def, &t->params);
    char *m1 = metrics_json(r->metrics), *m2 = metrics_json(r->valid_metrics),
         *m3 = metrics_json(r->test_metrics), *viol = violated_array(r);
    char *blob = result_text(r);
    const char *v[] = {j->job.id,
                       id,
                       unit,
                       fold,
                       t->test ? "test" : "search",
                       cand,
                       params,
                       ok ? "ok" : "failed",
                       r->error,
                       r->has_objective ? double_text(r->objective, o1, sizeof o1) : NULL,
                       r->has_valid_objective ? double_text(r->valid_objective, o2, sizeof o2)
                                              : NULL,
                       r->has_test_objective ? double_text(r->test_objective, o3, sizeof o3) : NULL,
                       r->n_violated ? "false" : "true",
                       viol,
                       m1,
                       m2,
                       m3,
                       blob,
                       r->worker_id ? r->worker_id : "",
                       attempt,
                       ms};
    coord_writes_query(q, INSERT_RESULT, 21, v, "storing a result");
    free(params);
    free(m1);
    free(m2);
    free(m3);
    free(viol);
    free(blob);
}

/* One COPY line: ids, a symbol and numbers, all bounded, fit with room to spare. */
#define COPY_LINE_MAX 512

/* Appends one printf-formatted line (snprintf's n) to a growing COPY text. */
typedef struct copy_text {
    char *data;
    size_t len, cap;
} copy_text;

static void copy_line(copy_text *c, const char *line, int n)
{
    if (n <= 0 || n >= COPY_LINE_MAX)
        abort(); /* a truncated row would be stored wrong: a programming error */
    if (c->len + (size_t)n + 1 > c->cap) {
        c->cap = 2 * (c->len + (size_t)n + 1);
        c->data = stom_xrealloc(c->data, c->cap);
    }
    memcpy(c->data + c->len, line, (size_t)n);
    c->len += (size_t)n;
}

/* Trades and equity points of a detailed run, as COPY text. */
static void queue_details(coord_writes *q, const coord_job *j, const Stom__V1__TaskResult *r)
{
    char line[COPY_LINE_MAX];
    copy_text c = {0};
    for (size_t i = 0; i < r->n_trades; i++) {
        const Stom__V1__TradeRecord *t = r->trades[i];
        copy_line(&c, line,
                  snprintf(line, sizeof line,
                           "%s\t%" PRIu64 "\t%zu\t%s\t%s\t%" PRId64 "\t%" PRId64 "\t%" PRId64
                           "\t%" PRId64 "\t%" PRId64 "\t%" PRId64 "\t%.17g\t%" PRId64 "\t%" PRId64
                           "\t%s\n",
                           j->job.id, r->task_id, i + 1, t->symbol ? t->symbol : "",
                           t->side == STOM__V1__SIDE__SIDE_SELL ? "short" : "long", t->qty,
                           t->entry_ns / 1000000000, t->exit_ns / 1000000000, t->entry_price,
                           t->exit_price, t->pnl, t->return_pct, t->fees, t->taxes,
                           t->open_at_end ? "t" : "f"));
    }
    coord_writes_copy(q,
                      "COPY trades (job_id, task_id, seq, symbol, side, qty, entry_ts, exit_ts, "
                      "entry_price, exit_price, pnl, return_pct, fees, taxes, open_at_end) "
                      "FROM STDIN",
                      c.data, c.len, "storing trades");
    if (!r->equity)
        return;
    copy_text e = {0};
    const Stom__V1__EquitySeries *s = r->equity;
    for (size_t i = 0; i < s->n_ts_ns && i < s->n_equity; i++)
        copy_line(&e, line,
                  snprintf(line, sizeof line, "%s\t%" PRIu64 "\t%" PRId64 "\t%" PRId64 "\n",
                           j->job.id, r->task_id, s->ts_ns[i] / 1000000000, s->equity[i]));
    coord_writes_copy(q, "COPY equity_points (job_id, task_id, ts, equity) FROM STDIN", e.data,
                      e.len, "storing the equity series");
}

void coord_queue_result(coord_writes *q, const coord_job *j, const Stom__V1__TaskResult *r)
{
    const coord_task *t = &j->tasks[r->task_id - 1];
    queue_result_row(q, j, t, r);
    if (r->n_trades || r->equity)
        queue_details(q, j, r);
}

int coord_db_store_unit(stom_db *db, const coord_job *j, size_t u, stom_errbuf *eb)
{
    const coord_unit_best *b = &j->best[u];
    char unit[16], cand[32], score[40];
    snprintf(unit, sizeof unit, "%zu", u);
    snprintf(cand, sizeof cand, "%" PRIu64, b->candidate);
    char *params = params_json(j->job.def, &b->params);
    const char *v[] = {j->job.id, unit, cand, double_text(b->score, score, sizeof score), params};
    int rc = stom_db_query(
        db,
        "INSERT INTO job_units (job_id, unit, best_candidate, best_objective, params) "
        "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (job_id, unit) DO NOTHING",
        5, v, PGRES_COMMAND_OK, "storing a unit's best set", NULL, eb);
    free(params);
    return rc;
}
