/*
 * gw_ws_check.h - the WebSocket hub's checker (internal to the hub): one
 * thread with its own PostgreSQL connection answers "may user U subscribe
 * to backtest.<job>?" from runs.user_id, and "what is user U's account
 * now?" (topic ""), so that the lws service thread never waits for the
 * database.
 *
 * Requests wait in a bounded FIFO; each answer goes to the done callback,
 * called on the checker thread. A run that does not exist, a run of
 * another user and a disabled user give the same answer (REFUSED). An
 * account check is ALLOWED with the user's current role, or REFUSED when
 * the user is disabled or gone.
 *
 * Thread-safety: gw__ws_check_submit from any thread; start and stop from
 * the owner.
 */
#ifndef STOM_GW_WS_CHECK_H
#define STOM_GW_WS_CHECK_H

#include <stdbool.h>
#include <stdint.h>

#include "gw.h"
#include "gw_ws_topic.h"
#include "stom/error.h"

#define GW_WS_CHECK_QUEUE 1024 /* checks waiting at most */

typedef enum gw_ws_verdict {
    GW_WS_ALLOWED = 0,
    GW_WS_REFUSED,    /* no such run, or another user's */
    GW_WS_UNAVAILABLE /* the database could not answer */
} gw_ws_verdict;

/* Called on the checker thread with each answer; topic is borrowed for the call; role is the
 * account's current role for an allowed account check (GW_ROLE_NONE otherwise). */
typedef void (*gw_ws_check_done)(void *arg, uint64_t client, const char *topic,
                                 gw_ws_verdict verdict, gw_role role);

typedef struct gw_ws_check gw_ws_check;

/*
 * Starts the checker thread on conninfo (borrowed, copied; the connection
 * is made by the thread and remade after a failure). 0 or STOM_EIO.
 */
int gw__ws_check_start(gw_ws_check **out, const char *conninfo, gw_ws_check_done done, void *arg,
                       stom_errbuf *eb);
/* Queues a check of topic ("backtest.<job>", or "" for the account; borrowed) for user; false
 * when the queue is full. */
bool gw__ws_check_submit(gw_ws_check *c, uint64_t client, int64_t user, const char *topic);
/* Stops the thread (pending checks are dropped unanswered) and frees c. NULL: no-op. */
void gw__ws_check_stop(gw_ws_check *c);

#endif
