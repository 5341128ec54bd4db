/*
 * store_internal.h - what the files of libs/store share: turning libpq's
 * failures into STOM_EIO with one readable line, and the big-endian
 * integers of PostgreSQL's binary COPY format.
 *
 * Thread-safety: as stom/store.h (one stom_db per thread); the inline
 * helpers are pure.
 */
#ifndef STOM_STORE_INTERNAL_H
#define STOM_STORE_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "stom/store.h"

#define STOM_DB_MAX_HOOKS 8

typedef struct stom__reconnect_hook {
    stom_db_reconnect_fn fn;
    void *arg;
} stom__reconnect_hook;

/* A statement prepared on the connection (db_prepared.c). */
typedef struct stom__prepared {
    char *sql; /* owned copy: the key */
    uint64_t hash;
    char name[16]; /* "stom_<n>" */
} stom__prepared;

struct stom_db {
    PGconn *conn;
    char *url;
    stom__reconnect_hook hooks[STOM_DB_MAX_HOOKS];
    size_t n_hooks;
    stom__prepared *prepared; /* statements this session has prepared */
    size_t n_prepared, cap_prepared;
    unsigned next_statement; /* numbers the names, never reused within a session */
};

/* Forgets every prepared statement (after a reset the session has none). */
void stom__db_forget_prepared(stom_db *db);

/*
 * Writes the server's message for res (or, when res holds none, the
 * connection's) into buf as one line: primary message, then the detail in
 * parentheses. Returns buf. Borrows res and conn.
 */
char *stom__pg_message(PGresult *res, PGconn *conn, char *buf, size_t len);

/*
 * Fails a statement: puts "<what>: <server message>" in eb, clears res
 * (may be NULL) and returns STOM_EIO. Takes res.
 */
int stom__db_fail(stom_db *db, PGresult *res, const char *what, stom_errbuf *eb);

/*
 * Checks res reached want: 0 with *out = res (owned; cleared when out is
 * NULL), or stom__db_fail's STOM_EIO. Takes res (may be NULL).
 */
int stom__db_want(stom_db *db, PGresult *res, ExecStatusType want, const char *what, PGresult **out,
                  stom_errbuf *eb);

/*
 * As stom_db_query for a statement returning rows, but the result comes in
 * binary format (big-endian integers, raw bytea): 0 with *out set (owned,
 * PQclear) or STOM_EIO with "<what>: <server message>" in eb.
 */
int stom__db_query_binary(stom_db *db, const char *sql, int nparams, const char *const *params,
                          const char *what, PGresult **out, stom_errbuf *eb);

/*
 * "host=... port=... dbname=... user=..." of conninfo, without the password
 * or any other keyword, for messages. Returns buf.
 */
char *stom__conninfo_describe(const char *conninfo, char *buf, size_t len);

/* ---- PostgreSQL binary COPY: signature, flags, header extension -------- */

#define STOM_COPY_HEADER_LEN 19
extern const char stom__copy_signature[11];

static inline void stom__put_be16(unsigned char *p, uint16_t v)
{
    p[0] = (unsigned char)(v >> 8);
    p[1] = (unsigned char)v;
}

static inline void stom__put_be32(unsigned char *p, uint32_t v)
{
    for (int k = 0; k < 4; k++)
        p[k] = (unsigned char)(v >> (24 - 8 * k));
}

static inline void stom__put_be64(unsigned char *p, uint64_t v)
{
    for (int k = 0; k < 8; k++)
        p[k] = (unsigned char)(v >> (56 - 8 * k));
}

static inline uint16_t stom__get_be16(const unsigned char *p)
{
    return (uint16_t)((unsigned)p[0] << 8 | p[1]);
}

static inline uint32_t stom__get_be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static inline uint64_t stom__get_be64(const unsigned char *p)
{
    return (uint64_t)stom__get_be32(p) << 32 | stom__get_be32(p + 4);
}

#endif
