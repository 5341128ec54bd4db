/*
 * surge_test.h - what the surge tests share: a detector from JSON.
 *
 * Thread-safety: single-threaded test code.
 */
#ifndef STOM_SURGE_TEST_H
#define STOM_SURGE_TEST_H

#include <check.h>
#include <string.h>

#include "stom/surge.h"

/* A detector for the JSON configuration `json` that calls on_alert(alert, NULL). */
static inline stom_surge *surge_test_detector(const char *json, stom_surge_alert_fn on_alert)
{
    static stom_surge_config cfg;
    stom_errbuf eb;
    int rc = stom_surge_config_parse(json, strlen(json), &cfg, &eb);
    ck_assert_msg(rc == STOM_OK, "%s", eb.msg);
    stom_surge *d = NULL;
    ck_assert_int_eq(stom_surge_create(&d, &cfg, on_alert, NULL, &eb), STOM_OK);
    return d;
}

#endif
