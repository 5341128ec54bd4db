/*
 * test_surge_pb.c - a surge alert as stom.v1.SurgeAlert: the fields, the
 * text, saturation, and a pack/unpack round trip.
 */
#include <stdint.h>
#include <string.h>

#include "stom/error.h"
#include "stom/surge_pb.h"
#include "surge_test.h"
#include "test_support.h"

#define SEC 1000000000LL

static uint8_t packed[1024];
static size_t packed_len;
static char text[256];

/* Packs the alert inside the callback, as the engine must. */
static void pack_alert(const stom_surge_alert *a, void *arg)
{
    (void)arg;
    Stom__V1__SurgeAlert msg;
    stom_surge_alert_to_pb(a, &msg, text, sizeof text);
    packed_len = stom__v1__surge_alert__get_packed_size(&msg);
    ck_assert_uint_le(packed_len, sizeof packed);
    stom__v1__surge_alert__pack(&msg, packed);
}

START_TEST(an_alert_becomes_a_surge_alert_message)
{
    const char *json = "{\"rules\":[{\"name\":\"val\",\"window_ms\":1000,\"lookback\":2,"
                       "\"all\":[{\"metric\":\"change_bp\",\"min\":100,\"max\":2900},"
                       "{\"metric\":\"value_ratio_bp\",\"min\":20000}]}]}";
    stom_surge *d = surge_test_detector(json, pack_alert);
    packed_len = 0;
    /* Windows 0 (partial), 1 and 2 hold 10 shares at 1000; at 3.5 s 30 shares at 1100. */
    for (int k = 0; k < 3; k++) {
        stom_surge_trade t = {"035720", 6, k * SEC + SEC / 2, 1000, 10, 1000};
        ck_assert_int_eq(stom_surge_feed(d, &t), STOM_OK);
    }
    ck_assert_uint_eq(packed_len, 0);
    stom_surge_trade t = {"035720", 6, 3 * SEC + SEC / 2, 1100, 30, 1000};
    ck_assert_int_eq(stom_surge_feed(d, &t), STOM_OK);
    ck_assert_uint_gt(packed_len, 0);
    stom_surge_destroy(d);

    Stom__V1__SurgeAlert *m = stom__v1__surge_alert__unpack(NULL, packed_len, packed);
    ck_assert_ptr_nonnull(m);
    ck_assert_str_eq(m->symbol, "035720");
    ck_assert(m->has_kind && m->kind == STOM__V1__SURGE_KIND__SURGE_KIND_PRICE);
    ck_assert(m->has_ts_ns && m->ts_ns == 3 * SEC + SEC / 2);
    ck_assert(m->has_price && m->price == 1100);
    ck_assert(m->has_change_bp && m->change_bp == 1000);
    ck_assert(m->has_window_ms && m->window_ms == 1000);
    ck_assert(m->has_window_change_bp && m->window_change_bp == 0);
    ck_assert(m->has_window_value && m->window_value == 33000);
    /* 33,000 won against an average of 10,000 per window. */
    ck_assert(m->has_value_ratio_bp && m->value_ratio_bp == 33000);
    ck_assert(!m->has_strength_bp && !m->has_day_value && !m->has_score);
    ck_assert_ptr_null(m->name);
    ck_assert_str_eq(m->message,
                     "val: change_bp 1000 (min 100, max 2900), value_ratio_bp 33000 (min 20000)");
    stom__v1__surge_alert__free_unpacked(m, NULL);
}
END_TEST

START_TEST(basis_points_saturate_and_the_text_is_cut_to_fit)
{
    stom_surge_rule rule = {.name = "far"};
    stom_surge_alert a = {.rule = &rule, .kind = STOM_SURGE_KIND_VOLUME, .symbol = "A"};
    a.change_bp = (int64_t)INT32_MAX + 5;
    a.window_change_bp = (int64_t)INT32_MIN - 5;
    a.nmeasure = 1;
    a.measure[0] = (stom_surge_measure){{STOM_SURGE_WINDOW_VOLUME, true, false, 7, 0}, 123456};
    Stom__V1__SurgeAlert msg;
    char small[12];
    stom_surge_alert_to_pb(&a, &msg, small, sizeof small);
    ck_assert_int_eq(msg.change_bp, INT32_MAX);
    ck_assert_int_eq(msg.window_change_bp, INT32_MIN);
    ck_assert(!msg.has_value_ratio_bp);
    ck_assert_int_eq(msg.kind, STOM__V1__SURGE_KIND__SURGE_KIND_VOLUME);
    ck_assert_str_eq(msg.message, "far: window");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("surge_pb");
    TCase *tc = tcase_create("pb");
    tcase_add_test(tc, an_alert_becomes_a_surge_alert_message);
    tcase_add_test(tc, basis_points_saturate_and_the_text_is_cut_to_fit);
    suite_add_tcase(s, tc);
    return stom_test_run(s);
}
