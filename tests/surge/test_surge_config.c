/*
 * test_surge_config.c - the surge detector's JSON configuration: defaults,
 * and every refusal naming its field.
 */
#include <stdio.h>
#include <string.h>

#include "stom/error.h"
#include "stom/surge.h"
#include "test_support.h"

static stom_surge_config cfg;

static int parse(const char *json, stom_errbuf *eb)
{
    eb->msg[0] = '\0';
    return stom_surge_config_parse(json, strlen(json), &cfg, eb);
}

START_TEST(a_full_rule_parses_with_its_values)
{
    const char *json = "{\"rules\":[{\"name\":\"jump\",\"kind\":\"volume\",\"window_ms\":60000,"
                       "\"cooldown_ms\":300000,\"lookback\":20,"
                       "\"session\":{\"start\":\"09:00\",\"end\":\"15:20:30\"},"
                       "\"all\":[{\"metric\":\"window_change_bp\",\"min\":300},"
                       "{\"metric\":\"volume_ratio_bp\",\"min\":30000,\"max\":90000}]}]}";
    stom_errbuf eb;
    ck_assert_msg(parse(json, &eb) == STOM_OK, "%s", eb.msg);
    ck_assert_uint_eq(cfg.nrules, 1);
    const stom_surge_rule *r = &cfg.rules[0];
    ck_assert_str_eq(r->name, "jump");
    ck_assert_int_eq(r->kind, STOM_SURGE_KIND_VOLUME);
    ck_assert_int_eq(r->window_ms, 60000);
    ck_assert_int_eq(r->cooldown_ms, 300000);
    ck_assert_int_eq(r->lookback, 20);
    ck_assert(r->has_session);
    ck_assert_int_eq(r->session_start_s, 9 * 3600);
    ck_assert_int_eq(r->session_end_s, 15 * 3600 + 20 * 60 + 30);
    ck_assert_uint_eq(r->ncond, 2);
    ck_assert_int_eq(r->cond[0].metric, STOM_SURGE_WINDOW_CHANGE_BP);
    ck_assert(r->cond[0].has_min && !r->cond[0].has_max);
    ck_assert_int_eq(r->cond[0].min, 300);
    ck_assert_int_eq(r->cond[1].metric, STOM_SURGE_VOLUME_RATIO_BP);
    ck_assert(r->cond[1].has_min && r->cond[1].has_max);
    ck_assert_int_eq(r->cond[1].max, 90000);
}
END_TEST

START_TEST(defaults_are_one_window_of_cooldown_and_the_kind_of_the_first_metric)
{
    const char *json = "{\"rules\":[{\"name\":\"v\",\"window_ms\":5000,"
                       "\"all\":[{\"metric\":\"window_value\",\"min\":1000000000}]}]}";
    stom_errbuf eb;
    ck_assert_msg(parse(json, &eb) == STOM_OK, "%s", eb.msg);
    ck_assert_int_eq(cfg.rules[0].cooldown_ms, 5000);
    ck_assert_int_eq(cfg.rules[0].kind, STOM_SURGE_KIND_VALUE);
    ck_assert(!cfg.rules[0].has_session);
    ck_assert_int_eq(cfg.rules[0].lookback, 0);
}
END_TEST

/* A rule around one condition, with `extra` keys spliced into the rule. */
#define RULE(extra, cond)                                                                          \
    "{\"rules\":[{\"name\":\"r\",\"window_ms\":1000" extra ",\"all\":[" cond "]}]}"
#define COND "{\"metric\":\"window_change_bp\",\"min\":300}"

static const struct bad_case {
    const char *json;
    int rc;
    const char *message; /* must appear in the error */
} BAD[] = {
    {"{\"rules\":", STOM_EFORMAT, "line 1"},
    {"[]", STOM_EFORMAT, "is not an object"},
    {"{\"rules\":[]}", STOM_EFORMAT, "rules: [] is not an array of 1 to 64 rules"},
    {"{\"rulez\":[]}", STOM_EFORMAT, "rulez: is not a known key"},
    {RULE(",\"windw_ms\":5", COND), STOM_EFORMAT, "rules[0].windw_ms: is not a known key"},
    {"{\"rules\":[{\"name\":\"r\",\"window_ms\":\"60s\",\"all\":[" COND "]}]}", STOM_EFORMAT,
     "rules[0].window_ms: \"60s\" is not an integer"},
    {"{\"rules\":[{\"name\":\"r\",\"window_ms\":0,\"all\":[" COND "]}]}", STOM_EINVAL,
     "rules[0].window_ms: 0 is not in 1..86400000"},
    {"{\"rules\":[{\"name\":\"r\",\"all\":[" COND "]}]}", STOM_EFORMAT,
     "rules[0].window_ms: is missing"},
    {RULE(",\"cooldown_ms\":-1", COND), STOM_EINVAL, "rules[0].cooldown_ms: -1 is not in"},
    {RULE("", "{\"metric\":\"window_change_bp\",\"min\":2.5}"), STOM_EFORMAT,
     "rules[0].all[0].min: 2.5 is not an integer"},
    {RULE("", "{\"metric\":\"bogus\",\"min\":1}"), STOM_EFORMAT,
     "rules[0].all[0].metric: \"bogus\" is not a metric"},
    {RULE("", COND ",{\"metric\":\"window_value\",\"min\":-5}"), STOM_EINVAL,
     "rules[0].all[1].min: -5 is negative"},
    {RULE("", "{\"metric\":\"change_bp\",\"min\":10,\"max\":5}"), STOM_EINVAL,
     "rules[0].all[0].max: 5 is below min 10"},
    {RULE("", "{\"metric\":\"change_bp\"}"), STOM_EINVAL, "rules[0].all[0]: neither min nor max"},
    {RULE("", "{\"metric\":\"change_bp\",\"min\":1,\"mn\":2}"), STOM_EFORMAT,
     "rules[0].all[0].mn: is not a known key"},
    {RULE("", "{\"metric\":\"volume_ratio_bp\",\"min\":30000}"), STOM_EINVAL,
     "rules[0].lookback: 0 is not in 1..1000"},
    {RULE(",\"lookback\":5", COND), STOM_EINVAL,
     "rules[0].lookback: 5 but no condition is a ratio metric"},
    {RULE(",\"lookback\":5000", "{\"metric\":\"volume_ratio_bp\",\"min\":1}"), STOM_EINVAL,
     "rules[0].lookback: 5000 is not in 0..1000"},
    {RULE(",\"session\":{\"start\":\"15:20\",\"end\":\"09:00\"}", COND), STOM_EINVAL,
     "rules[0].session: start 55200 s is not before end 32400 s"},
    {RULE(",\"session\":{\"start\":\"9h\",\"end\":\"15:20\"}", COND), STOM_EFORMAT,
     "rules[0].session.start: \"9h\" is not a time"},
    {RULE(",\"session\":{\"start\":\"09:00\",\"end\":\"15:61\"}", COND), STOM_EFORMAT,
     "rules[0].session.end: \"15:61\" is not a time"},
    {RULE(",\"session\":{\"start\":\"09:00\"}", COND), STOM_EFORMAT,
     "rules[0].session.end: is missing"},
    {RULE(",\"kind\":\"boom\"", COND), STOM_EFORMAT, "rules[0].kind: \"boom\" is not one of"},
    {RULE("", ""), STOM_EFORMAT, "rules[0].all: [] is not an array of 1 to 8 conditions"},
    {"{\"rules\":[{\"name\":\"\",\"window_ms\":1,\"all\":[" COND "]}]}", STOM_EINVAL,
     "rules[0].name: must be 1..63 bytes"},
    {"{\"rules\":[{\"name\":\"a\",\"window_ms\":1,\"all\":[" COND
     "]},{\"name\":\"a\",\"window_ms\":2,\"all\":[" COND "]}]}",
     STOM_EINVAL, "rules[1].name: \"a\" repeats rules[0]"},
    {"{\"rules\":[{\"name\":\"a\",\"name\":\"b\",\"window_ms\":1,\"all\":[" COND "]}]}",
     STOM_EFORMAT, "duplicate"},
};

START_TEST(bad_configuration_is_refused_naming_the_field)
{
    const struct bad_case *c = &BAD[_i];
    stom_errbuf eb;
    int rc = parse(c->json, &eb);
    ck_assert_msg(rc == c->rc, "case %d (%s): rc %d, want %d (%s)", _i, c->json, rc, c->rc, eb.msg);
    ck_assert_msg(strstr(eb.msg, c->message) != NULL, "case %d: message \"%s\" lacks \"%s\"", _i,
                  eb.msg, c->message);
}
END_TEST

static void ignore_alert(const stom_surge_alert *a, void *arg)
{
    (void)a;
    (void)arg;
}

START_TEST(create_checks_a_configuration_built_in_code)
{
    stom_surge_config built;
    memset(&built, 0, sizeof built);
    built.nrules = 1;
    snprintf(built.rules[0].name, sizeof built.rules[0].name, "coded");
    built.rules[0].kind = STOM_SURGE_KIND_PRICE;
    built.rules[0].window_ms = 1000;
    built.rules[0].ncond = 1;
    built.rules[0].cond[0] = (stom_surge_cond){STOM_SURGE_WINDOW_VOLUME, true, false, -1, 0};
    stom_surge *d = NULL;
    stom_errbuf eb;
    ck_assert_int_eq(stom_surge_create(&d, &built, ignore_alert, NULL, &eb), STOM_EINVAL);
    ck_assert_ptr_null(d);
    ck_assert_str_eq(eb.msg, "rules[0].all[0].min: -1 is negative");
    built.rules[0].cond[0].min = 0;
    ck_assert_int_eq(stom_surge_create(&d, &built, NULL, NULL, &eb), STOM_EINVAL);
    ck_assert_int_eq(stom_surge_create(&d, &built, ignore_alert, NULL, &eb), STOM_OK);
    ck_assert_ptr_nonnull(d);
    stom_surge_destroy(d);
    stom_surge_destroy(NULL);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("surge_config");
    TCase *tc = tcase_create("config");
    tcase_add_test(tc, a_full_rule_parses_with_its_values);
    tcase_add_test(tc, defaults_are_one_window_of_cooldown_and_the_kind_of_the_first_metric);
    tcase_add_loop_test(tc, bad_configuration_is_refused_naming_the_field, 0,
                        (int)(sizeof BAD / sizeof BAD[0]));
    tcase_add_test(tc, create_checks_a_configuration_built_in_code);
    suite_add_tcase(s, tc);
    return stom_test_run(s);
}
