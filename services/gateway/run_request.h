/*
 * run_request.h - the JSON body of POST /api/v1/backtests and
 * /api/v1/optimizations (docs/gateway-api.md) turned into the JobSpec the
 * coordinator runs.
 *
 * Everything that can be checked without bars is checked here with the
 * libraries the coordinator itself uses (the strategy's schema, the search
 * space, the objective and constraint parsers, the validation plan), so a
 * mistake is a 400 naming the field ("search.fast.step", "period.from",
 * "constraints[1]") instead of a refused or useless job. Unknown keys are
 * refused too: nothing a client sends is silently ignored. Bounds: at most
 * GW_RUN_MAX_SYMBOLS symbols, GW_RUN_MAX_SEARCH searched parameters and
 * GW_RUN_MAX_EVALUATIONS parameter sets per job.
 *
 * A stored strategy ({"id": 12, "version": 3}) must belong to the caller;
 * another user's (or a missing) id is a 404. Its code is copied into
 * JobSpec.strategy_code, so the job runs exactly that version.
 *
 * Thread-safety: reentrant; the gw_ctx given belongs to the calling worker.
 */
#ifndef STOM_GW_RUN_REQUEST_H
#define STOM_GW_RUN_REQUEST_H

#include "gw.h"
#include "stom/v1/envelope.pb-c.h"

#define GW_RUN_MAX_SYMBOLS     50
#define GW_RUN_MAX_SEARCH      20
#define GW_RUN_MAX_EVALUATIONS 1000000
#define GW_RUN_MAX_CONSTRAINTS 16

typedef enum gw_run_kind { GW_RUN_BACKTEST = 0, GW_RUN_OPTIMIZATION } gw_run_kind;

typedef struct gw_run_request {
    /* Owned; built from malloc'd parts as protobuf-c unpacks, so
     * stom__v1__job_spec__free_unpacked(spec, NULL) releases it. job_id and
     * owner are left for the caller to set. */
    Stom__V1__JobSpec *spec;
    int64_t strategy_id;      /* 0: a built-in */
    int32_t strategy_version; /* of a stored strategy */
    uint64_t evaluations;     /* parameter sets the job runs at most (1 for a backtest) */
} gw_run_request;

/*
 * Reads body (borrowed) as a run of kind for user into *out. Returns true
 * with *out filled (release with gw_run_request_free), or false with res
 * set: 400 naming the field, 404 for a stored strategy that is not the
 * user's, 503 when the database is down. *out holds nothing on false.
 */
bool gw_run_request_parse(gw_ctx *ctx, const gw_user *user, gw_run_kind kind, const json_t *body,
                          gw_run_request *out, gw_response *res);
/* Releases what r owns; a zeroed r is fine. */
void gw_run_request_free(gw_run_request *r);

/* "backtest" / "optimization". Static strings. */
const char *gw_run_kind_name(gw_run_kind kind);

#endif
