/*
 * schedule_args.c - record_bars and run_backtest args (stom/schedule_args.h).
 *
 * Both read a JSON object that stom_schedule_job_from_json already bounded
 * (STOM_SCHEDULE_ARGS_MAX), so sizes here are bounded by the field limits
 * alone: at most STOM_RECORD_MAX_SYMBOLS symbols of STOM_SYMBOL_MAX - 1
 * bytes, a run id of STOM_RUN_ID_MAX characters.
 */
#include <string.h>

#include <jansson.h>

#include "stom/schedule_args.h"
#include "stom/store_bars.h"

static const struct {
    const char *name;
    int64_t seconds;
} timeframes[] = {{"1s", 1}, {"1m", 60}, {"1d", 86400}};

/* Refuses a key of obj that is not in known (n names); action names the job's kind. */
static int only_keys(json_t *obj, const char *const *known, size_t n, const char *action,
                     stom_errbuf *eb)
{
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v)
    {
        size_t k = 0;
        while (k < n && strcmp(key, known[k]) != 0)
            k++;
        if (k == n)
            return stom_errorf(eb, STOM_EINVAL, "args.%.32s: unknown key (%s takes %s%s%s%s%s)",
                               key, action, known[0], n > 1 ? ", " : "", n > 1 ? known[1] : "",
                               n > 2 ? ", " : "", n > 2 ? known[2] : "");
    }
    return STOM_OK;
}

static json_t *load_object(const char *text, size_t n, const char *action, stom_errbuf *eb)
{
    json_error_t jerr;
    json_t *root = json_loadb(text ? text : "{}", text ? n : 2, JSON_REJECT_DUPLICATES, &jerr);
    if (!root || !json_is_object(root)) {
        json_decref(root);
        stom_errorf(eb, STOM_EINVAL, "args: %s needs a JSON object (%s)", action,
                    root ? "not an object" : jerr.text);
        return NULL;
    }
    return root;
}

static int read_symbols(json_t *v, stom_record_args *out, stom_errbuf *eb)
{
    if (!json_is_array(v) || json_array_size(v) == 0)
        return stom_errorf(eb, STOM_EINVAL,
                           "args.symbols: record_bars needs a non-empty array of stock codes");
    if (json_array_size(v) > STOM_RECORD_MAX_SYMBOLS)
        return stom_errorf(eb, STOM_EINVAL, "args.symbols: more than %d symbols",
                           STOM_RECORD_MAX_SYMBOLS);
    size_t i;
    json_t *s;
    json_array_foreach(v, i, s)
    {
        const char *code = json_string_value(s);
        stom_errbuf why = {0};
        if (!code || strlen(code) != json_string_length(s) || stom_symbol_check(code, &why))
            return stom_errorf(eb, STOM_EINVAL, "args.symbols[%zu]: %s", i,
                               code ? why.msg : "must be a string");
        for (size_t k = 0; k < out->n_symbols; k++)
            if (!strcmp(out->symbols[k], code))
                return stom_errorf(eb, STOM_EINVAL, "args.symbols[%zu]: %s is listed twice", i,
                                   code);
        memcpy(out->symbols[out->n_symbols++], code, json_string_length(s) + 1);
    }
    return STOM_OK;
}

static int read_timeframe(json_t *v, stom_record_args *out, stom_errbuf *eb)
{
    const char *tf = json_string_value(v);
    for (size_t k = 0; tf && k < sizeof timeframes / sizeof timeframes[0]; k++)
        if (!strcmp(tf, timeframes[k].name)) {
            strcpy(out->timeframe, timeframes[k].name);
            out->timeframe_s = timeframes[k].seconds;
            return STOM_OK;
        }
    return stom_errorf(eb, STOM_EINVAL, "args.timeframe: %.16s is not one of 1s, 1m, 1d",
                       tf ? tf : "a non-string");
}

static int read_until(json_t *v, stom_record_args *out, stom_errbuf *eb)
{
    out->until = (stom_schedule_when){STOM_SCHEDULE_CLOSE, 0};
    if (!v)
        return STOM_OK;
    stom_errbuf why = {0};
    if (!json_is_string(v) ||
        stom_schedule_when_parse(json_string_value(v), json_string_length(v), &out->until, &why))
        return stom_errorf(eb, STOM_EINVAL,
                           "args.until: must be \"HH:MM\" (KST) or an anchor such as "
                           "\"close\" (%s)",
                           json_is_string(v) ? why.msg : "not a string");
    return STOM_OK;
}

int stom_record_args_parse(const char *text, size_t n, stom_record_args *out, stom_errbuf *eb)
{
    static const char *const known[] = {"symbols", "timeframe", "until"};
    json_t *root = load_object(text, n, "record_bars", eb);
    if (!root)
        return STOM_EINVAL;
    memset(out, 0, sizeof *out);
    int rc = only_keys(root, known, 3, "record_bars", eb);
    if (!rc)
        rc = read_symbols(json_object_get(root, "symbols"), out, eb);
    if (!rc)
        rc = read_timeframe(json_object_get(root, "timeframe"), out, eb);
    if (!rc)
        rc = read_until(json_object_get(root, "until"), out, eb);
    json_decref(root);
    return rc;
}

int stom_backtest_args_parse(const char *text, size_t n, stom_backtest_args *out, stom_errbuf *eb)
{
    static const char *const known[] = {"run"};
    json_t *root = load_object(text, n, "run_backtest", eb);
    if (!root)
        return STOM_EINVAL;
    int rc = only_keys(root, known, 1, "run_backtest", eb);
    json_t *run = json_object_get(root, "run");
    const char *id = json_string_value(run);
    if (!rc && (!id || json_string_length(run) == 0 || json_string_length(run) > STOM_RUN_ID_MAX ||
                strlen(id) != json_string_length(run)))
        rc = stom_errorf(eb, STOM_EINVAL,
                         "args.run: run_backtest needs the saved run's id (1-%d characters, as "
                         "`stom jobs` lists it)",
                         STOM_RUN_ID_MAX);
    if (!rc)
        memcpy(out->run, id, json_string_length(run) + 1);
    json_decref(root);
    return rc;
}
