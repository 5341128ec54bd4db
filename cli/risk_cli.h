/*
 * risk_cli.h - what `stom risk` (cmd_risk.c) shares with its formats
 * (risk_format.c): the settings' keys with their STOM names and units, one
 * KEY=VALUE change applied to a settings object, and the printers of the
 * gateway's answers.
 *
 * Thread-safety: single-threaded program.
 */
#ifndef STOM_CLI_RISK_CLI_H
#define STOM_CLI_RISK_CLI_H

#include <jansson.h>

#define RISK_EVENTS_DEFAULT 30
#define RISK_EVENTS_MAX     1000

/*
 * Applies "KEY=VALUE" (borrowed) to limits: a known account key (docs/risk.md) set to won or
 * a count ("5,000,000"), a percent or basis points for the _bp keys ("3%", "2.5%", "300"),
 * "HH:MM[:SS]" for end_time, true/false, or removed by "none". EXIT_OK, or EXIT_USAGE after
 * saying what was wrong with which key.
 */
int risk_apply_setting(json_t *limits, const char *setting);

/* The printers borrow answer and return an exit code (trading_print_fn). */
/* GET /accounts/{a}/risk: {account, limits, updated_at} as a table. */
int risk_print_settings(const json_t *answer);
/* PUT's answer {account, limits, applied, message}: the message, then the table. */
int risk_print_stored(const json_t *answer);
/* GET /risk/events: {events: [...]} as a table, newest first. */
int risk_print_events(const json_t *answer);

#endif
