/*
 * auth_store.h - the credentials file of `stom login`: the gateway URL, the
 * user name and the access and refresh tokens, as JSON in
 * $XDG_CONFIG_HOME/stom/credentials.json (else ~/.config/stom/...).
 *
 * The file is created with mode 0600 and its directory with 0700, written
 * to a temporary file and renamed, so a crash never leaves half a file. A
 * file that others may read or write (any group or other permission bit),
 * or that belongs to another user, is refused: its tokens may have leaked,
 * and the message says how to fix the mode. Nothing here prints; errors
 * are values with a message in the errbuf.
 *
 * Thread-safety: single-threaded program (functions keep no state).
 */
#ifndef STOM_CLI_AUTH_STORE_H
#define STOM_CLI_AUTH_STORE_H

#include <stddef.h>

#include "stom/error.h"

#define AUTH_FILE_MAX (64u << 10) /* a credentials file is small; a bigger one is refused */

typedef struct auth_credentials {
    char *url;           /* owned: gateway base URL ("http://127.0.0.1:8080") */
    char *username;      /* owned */
    char *access_token;  /* owned */
    char *refresh_token; /* owned, may be NULL */
} auth_credentials;

/*
 * The credentials file's path into buf: $XDG_CONFIG_HOME (when absolute)
 * or $HOME/.config, then /stom/credentials.json. STOM_ENOTFOUND when
 * neither variable is usable, STOM_ERANGE when buf is too small.
 */
int auth_store_path(char *buf, size_t len, stom_errbuf *eb);

/*
 * Reads path into *out (fields owned by the caller: auth_credentials_free).
 * STOM_ENOTFOUND when there is no file (not logged in), STOM_ESTATE when
 * its mode lets others read or write it or another user owns it (eb says
 * "chmod 600 <path>"), STOM_EFORMAT for a file that is not ours,
 * STOM_ETOOBIG over AUTH_FILE_MAX, STOM_EIO otherwise. Borrows path.
 */
int auth_store_load(const char *path, auth_credentials *out, stom_errbuf *eb);

/*
 * Writes c to path with mode 0600, creating its directory (mode 0700) and
 * the config directory above it when missing. 0 or STOM_EIO. Borrows both.
 */
int auth_store_save(const char *path, const auth_credentials *c, stom_errbuf *eb);

/* Deletes the file. 0, STOM_ENOTFOUND (there was none) or STOM_EIO. Borrows path. */
int auth_store_remove(const char *path, stom_errbuf *eb);

/* Frees c's fields and sets them to NULL. */
void auth_credentials_free(auth_credentials *c);

#endif
