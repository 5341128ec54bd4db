/*
 * stom/db_pipe.h - statements handed to PostgreSQL without waiting for
 * their answers (libpq's pipeline mode), for a thread that must not stop
 * for a round trip: the live engine's order journal and the rows it keeps
 * for the gateway.
 *
 * Each statement is its own transaction (a sync point follows it). When
 * stom_db_pipe_send returns 0 the statement's bytes are in the server's
 * socket, not in a buffer of this process: PostgreSQL runs and commits it
 * even if this process dies the next instant. Outcomes are collected later,
 * in order, by stom_db_pipe_poll (never blocks) or stom_db_pipe_drain
 * (waits); a failed statement is reported to the pipe's failure callback
 * with its label and the server's message, and the statements after it
 * still run. Losing the connection fails every statement in flight (their
 * fate is unknown) and reconnects on the next send.
 *
 * Ownership: the pipe owns its connection; labels and SQL texts passed to
 * send must be string literals or outlive the statement (they are kept by
 * pointer until its outcome is known). Parameters are copied at send.
 * Thread-safety: one thread per pipe; the failure callback runs on it,
 * inside poll, drain or send.
 */
#ifndef STOM_DB_PIPE_H
#define STOM_DB_PIPE_H

#include <stdbool.h>
#include <stddef.h>

#include "stom/error.h"

typedef struct stom_db_pipe stom_db_pipe;

/* A statement failed (critical: as the sender marked it); message names the server's reason. */
typedef void (*stom_db_pipe_failed_fn)(void *arg, const char *label, bool critical,
                                       const char *message);

/*
 * Connects to conninfo (NULL: STOM_DATABASE_URL or the default, as
 * stom_db_connect), runs setup_sql there first (NULL: none; e.g. "SET
 * synchronous_commit = off") and enters pipeline mode. 0 with *out, or
 * STOM_EIO naming the server (never the password).
 */
int stom_db_pipe_open(stom_db_pipe **out, const char *conninfo, const char *setup_sql,
                      stom_db_pipe_failed_fn on_failure, void *arg, stom_errbuf *eb);
/* Waits (up to 5 s) for what is in flight, then closes. NULL: no-op. */
void stom_db_pipe_close(stom_db_pipe *p);

/*
 * Sends one statement with text parameters (NULL: SQL NULL) and returns
 * once its bytes are in the server's socket: 0, or STOM_EIO when the
 * connection is lost or cannot be re-established. After STOM_EIO the
 * statement may still reach the server (the connection broke while it was
 * being written); the failure callback has been told so.
 */
int stom_db_pipe_send(stom_db_pipe *p, const char *sql, int nparams, const char *const *params,
                      const char *label, bool critical, stom_errbuf *eb);
/* Collects the outcomes that have arrived, without blocking. Returns how many remain in flight. */
size_t stom_db_pipe_poll(stom_db_pipe *p);
/* Waits until every statement sent so far has its outcome: 0, or STOM_ETIMEDOUT. */
int stom_db_pipe_drain(stom_db_pipe *p, int timeout_ms, stom_errbuf *eb);
size_t stom_db_pipe_in_flight(const stom_db_pipe *p);
/* Statements sent and failed since the pipe opened. */
void stom_db_pipe_counts(const stom_db_pipe *p, size_t *sent, size_t *failed);

#endif
