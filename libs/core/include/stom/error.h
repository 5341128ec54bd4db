/*
 * stom/error.h - error values shared by every stom library.
 *
 * Fallible functions return int: 0 (STOM_OK) on success or one of the
 * negative STOM_E* values below. Library errors (nng, libpq, ...) are
 * translated to these at the module boundary; the detail goes to the log or
 * to a caller-supplied message buffer (see stom_errbuf).
 *
 * Thread-safety: everything here is safe from any thread.
 */
#ifndef STOM_ERROR_H
#define STOM_ERROR_H

#include <stddef.h>

enum {
    STOM_OK = 0,
    STOM_EINVAL = -1,    /* an argument or value is out of range */
    STOM_ENOMEM = -2,    /* allocation failed (only where we do not abort) */
    STOM_EIO = -3,       /* a file or socket could not be read or written */
    STOM_EFORMAT = -4,   /* input is malformed (CSV, protobuf, JSON, ...) */
    STOM_ERANGE = -5,    /* a number does not fit or is outside its limits */
    STOM_ENOTFOUND = -6, /* a named thing does not exist */
    STOM_ETOOBIG = -7,   /* input exceeds a configured size limit */
    STOM_EEMPTY = -8,    /* input is empty where content is required */
    STOM_ETYPE = -9,     /* input is valid but of the wrong kind */
    STOM_ETRUNC = -10,   /* input ends before it is complete */
    STOM_ESTATE = -11,   /* the call is not allowed in the object's state */
    STOM_ETIMEDOUT = -12 /* a deadline passed */
};

/* Returns a static English description of err (never NULL). */
const char *stom_strerror(int err);

/*
 * A caller-owned buffer for a human-readable error message. Functions that
 * can say more than an error code take a `stom_errbuf *` (may be NULL) and
 * fill it with a message such as "prices.csv:12: high 100 is below low 101".
 */
typedef struct stom_errbuf {
    char msg[512];
} stom_errbuf;

/* printf-style: writes the message into eb when eb is not NULL; returns err. */
int stom_errorf(stom_errbuf *eb, int err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
