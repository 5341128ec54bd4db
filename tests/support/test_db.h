/*
 * test_db.h - PostgreSQL and Redis for tests that need them.
 *
 * The servers are the private pair scripts/services.sh starts for ctest (the
 * stom_services fixture), found through STOM_TEST_PG_URL and
 * STOM_TEST_REDIS_URL. Every test gets its own freshly migrated database,
 * so tests may run in parallel and in any order. A missing or unreachable
 * server fails the test with a message saying how to start it: these tests
 * never skip silently.
 *
 * Thread-safety: single-threaded test code (a counter names the databases).
 */
#ifndef STOM_TEST_DB_H
#define STOM_TEST_DB_H

#include <stddef.h>

/*
 * Creates a database named t_<pid>_<counter> on the STOM_TEST_PG_URL server,
 * applies every migration to it and writes its conninfo into conninfo (len
 * bytes). Aborts the test (ck_abort_msg) when anything fails.
 */
void stom_test_db_create(char *conninfo, size_t len);

/* As stom_test_db_create without the migrations: an empty database. */
void stom_test_db_create_empty(char *conninfo, size_t len);

/* Drops the database conninfo names (one made by stom_test_db_create*). */
void stom_test_db_drop(const char *conninfo);

/* The test Redis URL (STOM_TEST_REDIS_URL); aborts the test when unset. */
const char *stom_test_redis_url(void);

#endif
