/*
 * error.c - descriptions of STOM_E* values and the error-buffer helper.
 */
#include "stom/error.h"

#include <stdarg.h>
#include <stdio.h>

const char *stom_strerror(int err)
{
    switch (err) {
    case STOM_OK:
        return "success";
    case STOM_EINVAL:
        return "invalid argument";
    case STOM_ENOMEM:
        return "out of memory";
    case STOM_EIO:
        return "input/output error";
    case STOM_EFORMAT:
        return "malformed input";
    case STOM_ERANGE:
        return "value out of range";
    case STOM_ENOTFOUND:
        return "not found";
    case STOM_ETOOBIG:
        return "input too large";
    case STOM_EEMPTY:
        return "empty input";
    case STOM_ETYPE:
        return "wrong message type";
    case STOM_ETRUNC:
        return "truncated input";
    case STOM_ESTATE:
        return "not allowed in this state";
    case STOM_ETIMEDOUT:
        return "timed out";
    default:
        return "unknown error";
    }
}

int stom_errorf(stom_errbuf *eb, int err, const char *fmt, ...)
{
    if (eb != NULL) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(eb->msg, sizeof eb->msg, fmt, ap);
        va_end(ap);
    }
    return err;
}
