/*
 * test_schedule_store.c - scheduled jobs in PostgreSQL with an injected
 * clock: migration 0007, per-owner add/list/remove/enable, claims that fire
 * on trading days and not on KRX holidays, the missed-fire rule, and two
 * claimers on two connections never getting the same job.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "stom/krx.h"
#include "stom/schedule_store.h"
#include "stom/timeutil.h"
#include "schedule_kst.h"
#include "test_db.h"
#include "test_support.h"

static stom_db *open_db(const char *conninfo)
{
    stom_db *db = NULL;
    stom_errbuf eb = {{0}};
    ck_assert_msg(stom_db_connect(&db, conninfo, &eb) == STOM_OK, "%s", eb.msg);
    return db;
}

static int64_t add_user(stom_db *db, const char *name)
{
    const char *params[] = {name};
    PGresult *res = NULL;
    stom_errbuf eb = {{0}};
    ck_assert_msg(stom_db_query(db,
                                "INSERT INTO users (username, email, password_hash) "
                                "VALUES ($1, $1 || '@example.com', 'x') RETURNING id",
                                1, params, PGRES_TUPLES_OK, "user", &res, &eb) == STOM_OK,
                  "%s", eb.msg);
    int64_t id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
    PQclear(res);
    return id;
}

/* Stores a job of owner named name at when (action liquidate) as of now; returns its id. */
static int64_t add_job(stom_db *db, int64_t owner, const char *name, const char *when, int64_t now)
{
    char text[256];
    snprintf(text, sizeof text, "{\"name\":\"%s\",\"when\":\"%s\",\"action\":\"liquidate\"}", name,
             when);
    stom_schedule_job job;
    stom_errbuf eb = {{0}};
    ck_assert_msg(stom_schedule_job_from_json(text, strlen(text), &job, &eb) == STOM_OK, "%s",
                  eb.msg);
    job.owner = owner;
    ck_assert_msg(stom_schedule_add(db, &job, now, &eb) == STOM_OK, "%s", eb.msg);
    ck_assert_int_gt(job.id, 0);
    ck_assert_int_gt(job.next_fire_ns, now);
    stom_schedule_job_clear(&job);
    return job.id;
}

/* Claims at now; returns how many fired and frees them (first id in *id when not NULL). */
static size_t claim(stom_db *db, int64_t now, int64_t *id, size_t *missed)
{
    stom_schedule_jobs due = {0};
    stom_errbuf eb = {{0}};
    ck_assert_msg(stom_schedule_claim(db, now, &due, missed, &eb) == STOM_OK, "%s", eb.msg);
    size_t n = due.n;
    if (id && n)
        *id = due.v[0].id;
    stom_schedule_jobs_free(&due);
    return n;
}

/* A freshly migrated database (conninfo in url) with one user, kim (id in *kim). */
static stom_db *fresh_db(char *url, size_t len, int64_t *kim)
{
    stom_test_db_create(url, len);
    stom_db *db = open_db(url);
    *kim = add_user(db, "kim");
    return db;
}

/* An ordinary trading day (March 2024). */
#define DAY 20240305

/* fresh_db with one job of kim's at "open", stored at 07:00 on DAY (its id in *id). */
static stom_db *open_job_db(char *url, size_t len, int64_t *kim, int64_t *id)
{
    stom_db *db = fresh_db(url, len, kim);
    *id = add_job(db, *kim, "open", "open", kst(DAY, 7, 0));
    return db;
}

static void drop_db(stom_db *db, const char *url)
{
    stom_db_close(db);
    stom_test_db_drop(url);
}

/* An injectable clock that the test moves. */
static int64_t fake_now(void *arg)
{
    return *(int64_t *)arg;
}

START_TEST(migration_0007_creates_schedules_and_applies_once)
{
    char url[512];
    stom_test_db_create_empty(url, sizeof url);
    stom_db *db = open_db(url);
    stom_errbuf eb = {{0}};
    int applied = 0, version = 0;
    ck_assert_msg(stom_db_migrate(db, &applied, &version, &eb) == STOM_OK, "%s", eb.msg);
    ck_assert_int_ge(version, 7);
    ck_assert_int_eq(stom_db_exec(db, "SELECT id, next_fire_at, missed_count FROM schedules", &eb),
                     STOM_OK);
    ck_assert_msg(stom_db_migrate(db, &applied, &version, &eb) == STOM_OK, "%s", eb.msg);
    ck_assert_int_eq(applied, 0);
    /* An enabled job without a next fire breaks the table's CHECK. */
    int64_t user = add_user(db, "kim");
    char sql[256];
    snprintf(sql, sizeof sql,
             "INSERT INTO schedules (user_id, name, when_spec, action) "
             "VALUES (%lld, 'x', 'open', 'liquidate')",
             (long long)user);
    ck_assert_int_eq(stom_db_exec(db, sql, &eb), STOM_EIO);
    drop_db(db, url);
}
END_TEST

START_TEST(owners_see_and_change_only_their_own_jobs)
{
    char url[512];
    int64_t kim;
    stom_db *db = fresh_db(url, sizeof url, &kim);
    int64_t lee = add_user(db, "lee");
    int64_t now = kst(20240305, 8, 0);
    int64_t a = add_job(db, kim, "open buy", "open", now);
    int64_t b = add_job(db, lee, "close sell", "close-10", now);
    stom_schedule_jobs list = {0};
    stom_errbuf eb = {{0}};
    ck_assert_int_eq(stom_schedule_list(db, kim, &list, &eb), STOM_OK);
    ck_assert_uint_eq(list.n, 1);
    ck_assert_int_eq(list.v[0].id, a);
    ck_assert_str_eq(list.v[0].name, "open buy");
    ck_assert_int_eq(list.v[0].next_fire_ns, kst(20240305, 9, 0));
    stom_schedule_jobs_free(&list);
    ck_assert_int_eq(stom_schedule_list(db, 0, &list, &eb), STOM_OK);
    ck_assert_uint_eq(list.n, 2);
    stom_schedule_jobs_free(&list);

    stom_schedule_job dup = {.owner = kim, .days = STOM_SCHEDULE_EVERY_DAY, .enabled = true};
    snprintf(dup.name, sizeof dup.name, "OPEN BUY");
    ck_assert_int_eq(stom_schedule_add(db, &dup, now, &eb), STOM_EINVAL);
    ck_assert_ptr_nonnull(strstr(eb.msg, "name: "));
    snprintf(dup.name, sizeof dup.name, "weekend");
    dup.days = 1u << 5; /* Saturday */
    ck_assert_int_eq(stom_schedule_add(db, &dup, now, &eb), STOM_EINVAL);
    ck_assert_ptr_nonnull(strstr(eb.msg, "days: "));

    ck_assert_int_eq(stom_schedule_remove(db, kim, b, &eb), STOM_ENOTFOUND);
    ck_assert_int_eq(stom_schedule_set_enabled(db, kim, b, false, now, &eb), STOM_ENOTFOUND);
    ck_assert_int_eq(stom_schedule_set_enabled(db, lee, b, false, now, &eb), STOM_OK);
    stom_schedule_job job;
    ck_assert_int_eq(stom_schedule_get(db, 0, b, &job, &eb), STOM_OK);
    ck_assert(!job.enabled);
    ck_assert_int_eq(job.next_fire_ns, 0);
    stom_schedule_job_clear(&job);
    ck_assert_int_eq(stom_schedule_remove(db, 0, b, &eb), STOM_OK);
    ck_assert_int_eq(stom_schedule_get(db, 0, b, &job, &eb), STOM_ENOTFOUND);
    drop_db(db, url);
}
END_TEST

START_TEST(an_edit_changes_the_time_and_keeps_the_history)
{
    char url[512];
    int64_t kim, id;
    int32_t day = DAY;
    stom_db *db = open_job_db(url, sizeof url, &kim, &id);
    int64_t lee = add_user(db, "lee");
    ck_assert_uint_eq(claim(db, kst(day, 9, 0), NULL, NULL), 1);
    stom_schedule_job job;
    stom_errbuf eb = {{0}};
    ck_assert_int_eq(stom_schedule_get(db, kim, id, &job, &eb), STOM_OK);
    const char *when = "close-10";
    ck_assert_int_eq(stom_schedule_when_parse(when, strlen(when), &job.when, &eb), STOM_OK);
    snprintf(job.name, sizeof job.name, "before the close");
    ck_assert_int_eq(stom_schedule_update(db, lee, &job, kst(day, 10, 0), &eb), STOM_ENOTFOUND);
    ck_assert_msg(stom_schedule_update(db, kim, &job, kst(day, 10, 0), &eb) == STOM_OK, "%s",
                  eb.msg);
    ck_assert_int_eq(job.next_fire_ns, kst(day, 15, 20));
    stom_schedule_job_clear(&job);
    ck_assert_int_eq(stom_schedule_get(db, 0, id, &job, &eb), STOM_OK);
    ck_assert_str_eq(job.name, "before the close");
    ck_assert_int_eq(job.last_fired_ns, kst(day, 9, 0));
    ck_assert_int_eq(job.next_fire_ns, kst(day, 15, 20));
    stom_schedule_job_clear(&job);
    ck_assert_uint_eq(claim(db, kst(day, 15, 20), NULL, NULL), 1);
    drop_db(db, url);
}
END_TEST

START_TEST(a_job_enabled_after_its_time_waits_for_the_next_trading_day)
{
    char url[512];
    int64_t kim, id;
    int32_t day = DAY;
    stom_db *db = open_job_db(url, sizeof url, &kim, &id);
    stom_errbuf eb = {{0}};
    ck_assert_int_eq(stom_schedule_set_enabled(db, kim, id, false, kst(day, 8, 0), &eb), STOM_OK);
    ck_assert_uint_eq(claim(db, kst(day, 9, 30), NULL, NULL), 0);
    ck_assert_int_eq(stom_schedule_set_enabled(db, kim, id, true, kst(day, 10, 0), &eb), STOM_OK);
    ck_assert_uint_eq(claim(db, kst(day, 10, 0), NULL, NULL), 0);
    stom_schedule_job job;
    ck_assert_int_eq(stom_schedule_get(db, kim, id, &job, &eb), STOM_OK);
    ck_assert(job.enabled);
    ck_assert_int_eq(job.next_fire_ns, kst(stom_krx_next_trading_day(day), 9, 0));
    stom_schedule_job_clear(&job);
    /* Enabling it again changes nothing. */
    ck_assert_int_eq(stom_schedule_set_enabled(db, kim, id, true, kst(day, 12, 0), &eb), STOM_OK);
    ck_assert_uint_eq(claim(db, kst(stom_krx_next_trading_day(day), 9, 0), NULL, NULL), 1);
    drop_db(db, url);
}
END_TEST

START_TEST(a_job_at_open_is_claimed_once_at_the_open)
{
    char url[512];
    int64_t kim, id;
    int32_t day = DAY;
    stom_db *db = open_job_db(url, sizeof url, &kim, &id);
    int64_t got = 0;
    ck_assert_uint_eq(claim(db, kst(day, 8, 59), NULL, NULL), 0);
    ck_assert_uint_eq(claim(db, kst(day, 9, 0), &got, NULL), 1);
    ck_assert_int_eq(got, id);
    ck_assert_uint_eq(claim(db, kst(day, 9, 0), NULL, NULL), 0);
    stom_schedule_job job;
    stom_errbuf eb = {{0}};
    ck_assert_int_eq(stom_schedule_get(db, kim, id, &job, &eb), STOM_OK);
    ck_assert_int_eq(job.last_fired_ns, kst(day, 9, 0));
    ck_assert_int_eq(job.next_fire_ns, kst(stom_krx_next_trading_day(day), 9, 0));
    stom_schedule_job_clear(&job);
    drop_db(db, url);
}
END_TEST

START_TEST(with_a_clock_stepping_through_seollal_jobs_fire_only_on_trading_days)
{
    char url[512];
    int64_t kim;
    stom_db *db = fresh_db(url, sizeof url, &kim);
    int64_t now = kst(20240205, 0, 0);
    add_job(db, kim, "open", "open", now);
    add_job(db, kim, "close-10", "close-10", now);
    stom_schedule_clock clock = {fake_now, &now};
    int fires_per_day[16] = {0};
    int32_t dates[16];
    for (int d = 0; d < 14; d++)
        dates[d] = stom_date_from_days(stom_days_of_date(20240205) + d);
    for (; now < kst(20240219, 0, 0); now += 10 * 60 * STOM_NS_PER_SEC) {
        stom_schedule_jobs due = {0};
        size_t missed = 9;
        stom_errbuf eb = {{0}};
        ck_assert_msg(stom_schedule_run_due(db, clock, &due, &missed, &eb) == STOM_OK, "%s",
                      eb.msg);
        ck_assert_uint_eq(missed, 0);
        for (size_t k = 0; k < due.n; k++) {
            ck_assert_int_le(due.v[k].due_ns, now);
            ck_assert_int_gt(due.v[k].due_ns, now - 10 * 60 * STOM_NS_PER_SEC);
            fires_per_day[stom_days_of_date(date_of(now)) - stom_days_of_date(20240205)]++;
        }
        stom_schedule_jobs_free(&due);
    }
    int holidays = 0;
    for (int d = 0; d < 14; d++) {
        bool trading = stom_krx_is_trading_day(dates[d]);
        holidays += stom_krx_holiday_name(dates[d]) != NULL;
        ck_assert_msg(fires_per_day[d] == (trading ? 2 : 0), "%d: %d fires", dates[d],
                      fires_per_day[d]);
    }
    ck_assert_int_ge(holidays, 2); /* 설날 and its substitute day */
    drop_db(db, url);
}
END_TEST

START_TEST(a_fire_missed_earlier_the_same_day_runs_once_late)
{
    char url[512];
    int64_t kim, id;
    int32_t day = DAY;
    stom_db *db = open_job_db(url, sizeof url, &kim, &id);
    stom_schedule_jobs due = {0};
    size_t missed = 9;
    stom_errbuf eb = {{0}};
    ck_assert_int_eq(stom_schedule_claim(db, kst(day, 11, 0), &due, &missed, &eb), STOM_OK);
    ck_assert_uint_eq(due.n, 1);
    ck_assert_uint_eq(missed, 0);
    ck_assert_int_eq(due.v[0].due_ns, kst(day, 9, 0));
    ck_assert_int_eq(due.v[0].last_fired_ns, kst(day, 11, 0));
    ck_assert_int_eq(due.v[0].next_fire_ns, kst(stom_krx_next_trading_day(day), 9, 0));
    stom_schedule_jobs_free(&due);
    ck_assert_uint_eq(claim(db, kst(day, 11, 30), NULL, NULL), 0);
    drop_db(db, url);
}
END_TEST

START_TEST(a_fire_missed_on_an_earlier_day_is_recorded_and_skipped)
{
    char url[512];
    int64_t kim;
    stom_db *db = fresh_db(url, sizeof url, &kim);
    int32_t day = stom_krx_prev_trading_day(20240209); /* the eve of 설날 */
    int32_t after = stom_krx_next_trading_day(day);
    int64_t id = add_job(db, kim, "open", "open", kst(day, 7, 0));
    size_t missed = 0;
    ck_assert_uint_eq(claim(db, kst(after, 8, 0), NULL, &missed), 0);
    ck_assert_uint_eq(missed, 1);
    stom_schedule_job job;
    stom_errbuf eb = {{0}};
    ck_assert_int_eq(stom_schedule_get(db, kim, id, &job, &eb), STOM_OK);
    ck_assert_int_eq(job.next_fire_ns, kst(after, 9, 0));
    ck_assert_int_eq(job.last_fired_ns, 0);
    stom_schedule_job_clear(&job);
    PGresult *res = NULL;
    ck_assert_int_eq(stom_db_query(db,
                                   "SELECT missed_count, (extract(epoch FROM last_missed_at) * "
                                   "1000000000)::bigint FROM schedules",
                                   0, NULL, PGRES_TUPLES_OK, "missed", &res, &eb),
                     STOM_OK);
    ck_assert_str_eq(PQgetvalue(res, 0, 0), "1");
    ck_assert_int_eq(strtoll(PQgetvalue(res, 0, 1), NULL, 10), kst(day, 9, 0));
    PQclear(res);
    ck_assert_uint_eq(claim(db, kst(after, 9, 0), NULL, &missed), 1);
    ck_assert_uint_eq(missed, 0);
    drop_db(db, url);
}
END_TEST

START_TEST(a_claimer_skips_a_job_another_claimer_holds)
{
    char url[512];
    int64_t kim;
    stom_db *a = fresh_db(url, sizeof url, &kim), *b = open_db(url);
    int32_t day = 20240305;
    int64_t first = add_job(a, kim, "one", "open", kst(day, 7, 0));
    int64_t second = add_job(a, kim, "two", "open", kst(day, 7, 0));
    /* Connection a is in the middle of a claim of the first job: it holds the row lock. */
    stom_errbuf eb = {{0}};
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT 1 FROM schedules WHERE id = %lld FOR UPDATE",
             (long long)first);
    ck_assert_int_eq(stom_db_begin(a, &eb), STOM_OK);
    ck_assert_int_eq(stom_db_exec(a, sql, &eb), STOM_OK);
    ck_assert_int_eq(stom_db_exec(b, "SET lock_timeout = '2s'", &eb), STOM_OK);
    int64_t got = 0;
    ck_assert_uint_eq(claim(b, kst(day, 9, 0), &got, NULL), 1);
    ck_assert_int_eq(got, second);
    stom_db_rollback(a);
    ck_assert_uint_eq(claim(b, kst(day, 9, 0), &got, NULL), 1);
    ck_assert_int_eq(got, first);
    stom_db_close(b);
    drop_db(a, url);
}
END_TEST

START_TEST(concurrent_claimers_never_get_the_same_job)
{
    char url[512];
    int64_t kim;
    stom_db *db = fresh_db(url, sizeof url, &kim);
    enum { JOBS = 60, CLAIMERS = 4 };
    int32_t day = 20240305;
    for (int k = 0; k < JOBS; k++) {
        char name[16];
        snprintf(name, sizeof name, "job%d", k);
        add_job(db, kim, name, k % 2 ? "open" : "09:00", kst(day, 7, 0));
    }
    stom_db_close(db);
    int fds[CLAIMERS][2];
    for (int c = 0; c < CLAIMERS; c++) {
        ck_assert_int_eq(pipe(fds[c]), 0);
        pid_t pid = fork();
        ck_assert_int_ge(pid, 0);
        if (pid == 0) {
            stom_db *own = NULL;
            stom_schedule_jobs due = {0};
            if (stom_db_connect(&own, url, NULL) != STOM_OK)
                _exit(1);
            /* Several claims each, at the same now, so that they overlap. */
            for (int r = 0; r < 5; r++) {
                if (stom_schedule_claim(own, kst(day, 9, 0), &due, NULL, NULL) != STOM_OK)
                    _exit(1);
                for (size_t k = 0; k < due.n; k++)
                    if (write(fds[c][1], &due.v[k].id, sizeof due.v[k].id) != sizeof due.v[k].id)
                        _exit(1);
                stom_schedule_jobs_free(&due);
            }
            _exit(0);
        }
        close(fds[c][1]);
    }
    int seen[JOBS + 1] = {0};
    int total = 0;
    for (int c = 0; c < CLAIMERS; c++) {
        int64_t id;
        while (read(fds[c][0], &id, sizeof id) == (ssize_t)sizeof id) {
            ck_assert(id >= 1 && id <= JOBS);
            ck_assert_msg(seen[id] == 0, "job %lld claimed twice", (long long)id);
            seen[id]++;
            total++;
        }
        close(fds[c][0]);
    }
    for (int c = 0; c < CLAIMERS; c++) {
        int status = 0;
        wait(&status);
        ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    }
    ck_assert_int_eq(total, JOBS);
    stom_test_db_drop(url);
}
END_TEST

static Suite *store_suite(void)
{
    Suite *s = suite_create("schedule_store");
    TCase *tc = tcase_create("store");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, migration_0007_creates_schedules_and_applies_once);
    tcase_add_test(tc, owners_see_and_change_only_their_own_jobs);
    tcase_add_test(tc, a_job_at_open_is_claimed_once_at_the_open);
    tcase_add_test(tc, an_edit_changes_the_time_and_keeps_the_history);
    tcase_add_test(tc, a_job_enabled_after_its_time_waits_for_the_next_trading_day);
    tcase_add_test(tc, with_a_clock_stepping_through_seollal_jobs_fire_only_on_trading_days);
    tcase_add_test(tc, a_fire_missed_earlier_the_same_day_runs_once_late);
    tcase_add_test(tc, a_fire_missed_on_an_earlier_day_is_recorded_and_skipped);
    tcase_add_test(tc, a_claimer_skips_a_job_another_claimer_holds);
    tcase_add_test(tc, concurrent_claimers_never_get_the_same_job);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return stom_test_run(store_suite());
}
