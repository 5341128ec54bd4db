/*
 * gw_config.h - stom-gateway's settings from its command line and
 * environment (flags win over the environment, which wins over defaults).
 *
 * The JWT secret is required and must be at least 32 bytes; --dev replaces
 * a missing one with a random secret of this process only (tokens die with
 * it). Secrets are never printed.
 *
 * Thread-safety: load once in main before any thread starts; the resulting
 * gw_config is read-only afterwards.
 */
#ifndef STOM_GW_CONFIG_H
#define STOM_GW_CONFIG_H

#include <stdio.h>

#include "gw.h"

#define GW_SECRET_MIN 32

typedef struct gw_settings {
    gw_config cfg;
    bool help;           /* --help was given: print gw_config_usage and exit 0 */
    char *cors_copy;     /* owned: the split STOM_CORS_ORIGINS / --cors string */
    char dev_secret[65]; /* the random secret of --dev without STOM_JWT_SECRET */
} gw_settings;

/*
 * Fills s from argv and the environment. Returns 0, or STOM_EINVAL with eb
 * naming the flag or variable that is wrong (and how to set it). Borrows
 * argv and the environment (they outlive s); s->cors_copy is owned.
 */
int gw_settings_load(gw_settings *s, int argc, char **argv, stom_errbuf *eb);
/* Releases what s owns. */
void gw_settings_free(gw_settings *s);
/* Writes the --help text to f. */
void gw_config_usage(FILE *f);

#endif
