/*
 * risk_limits.h - the table of limit fields (key, place in stom_risk_limits,
 * unit, highest value) shared by validation and the JSON loader.
 *
 * Thread-safety: a constant table and pure functions.
 */
#ifndef STOM_RISK_LIMITS_H
#define STOM_RISK_LIMITS_H

#include "stom/risk.h"

typedef enum stom__risk_unit {
    STOM__RISK_WON,
    STOM__RISK_COUNT,
    STOM__RISK_BP,
    STOM__RISK_TIME, /* seconds after KST midnight; "HH:MM[:SS]" in JSON */
    STOM__RISK_BOOL
} stom__risk_unit;

typedef struct stom__risk_field {
    const char *key;
    size_t offset;
    stom__risk_unit unit;
    int64_t max;
} stom__risk_field;

extern const stom__risk_field stom__risk_fields[];
extern const size_t stom__risk_nfields;

/* The field's slot in l. */
int64_t *stom__risk_field_ptr(stom_risk_limits *l, const stom__risk_field *f);
/* "must be a positive amount of won" and the like. */
const char *stom__risk_field_expect(const stom__risk_field *f);
/* 0 when v is unset or in range, else STOM_EINVAL naming prefix.key and v. */
int stom__risk_field_check(const stom__risk_field *f, int64_t v, const char *prefix,
                           stom_errbuf *eb);
/*
 * The percentage rules need a capital: l's own or its account's
 * (account_capital, STOM_RISK_UNSET when none). 0 or STOM_EINVAL.
 */
int stom__risk_capital_check(const stom_risk_limits *l, int64_t account_capital, const char *prefix,
                             stom_errbuf *eb);

#endif
