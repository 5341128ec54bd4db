/*
 * strategy_code.h - strategy code as the REST API sees it: the Lua check
 * (the same stom_strategy_check `stom strategy check` runs) as JSON, the
 * 400 that refuses code failing it, default parameter values checked
 * against the code's schema, and the built-in strategies' schemas.
 *
 * Thread-safety: reentrant (stom_strategy_check keeps no global state).
 */
#ifndef STOM_GW_STRATEGY_CODE_H
#define STOM_GW_STRATEGY_CODE_H

#include <jansson.h>
#include <stddef.h>

#include "gw.h"
#include "stom/strategy_check.h"

/* The largest strategy code the API stores or checks. */
#define GW_STRATEGY_CODE_MAX (256 * 1024)

/*
 * Checks code[0..len) (len <= GW_STRATEGY_CODE_MAX) into *report (release
 * with stom_check_report_free). Returns true, or false with res set to 503
 * when no Lua state could be made.
 */
bool gw_strategy_code_check(const char *code, size_t len, stom_check_report *report,
                            gw_response *res);

/* {ok, errors: [{line, message}], warnings: [{line, message}], params: [...]} (owned). */
json_t *gw_strategy_check_json(const stom_check_report *report);

/*
 * Sets res to the 400 for code that fails its check: fields.code says the
 * first error with its line, and error.errors lists them all [{line,
 * message}]. Borrows report.
 */
void gw_strategy_reply_check_failed(gw_response *res, const stom_check_report *report);

/*
 * Checks params (a JSON object of default values, or NULL) against the
 * schema report declares: every key must be one of its parameters, every
 * value a number (a boolean for bool) within [min, max], integral for int.
 * Returns true, or false with res set to a 400 naming "params.<key>".
 */
bool gw_strategy_params_valid(const json_t *params, const stom_check_report *report,
                              gw_response *res);

/* {strategies: [{name, description, params: [...]}]}: the built-ins (owned). */
json_t *gw_strategy_builtins_json(void);

#endif
