/*
 * gw_users.h - gateway accounts (table users, migration 0005): roles by
 * name, the rules for usernames, e-mail addresses and passwords, creating
 * users and reading them as the API's JSON.
 *
 * Usernames are 3..32 characters of [A-Za-z0-9_.-]; e-mail addresses are
 * at most 254 bytes with one '@', a local part and a dotted domain, no
 * spaces; passwords 8..128 bytes. Usernames and e-mail addresses are unique
 * without regard to case (the unique indexes on lower()).
 *
 * Thread-safety: reentrant; the gw_ctx given belongs to the calling thread.
 */
#ifndef STOM_GW_USERS_H
#define STOM_GW_USERS_H

#include "gw.h"

#define GW_USERNAME_MIN 3
#define GW_USERNAME_MAX 32
#define GW_EMAIL_MAX    254
#define GW_PASSWORD_MIN 8
#define GW_PASSWORD_MAX 128

/* "user", "trader", "admin" (static), or "none". */
const char *gw_role_name(gw_role role);
/* The role named name, or GW_ROLE_NONE when it is none of the three. Borrows name. */
gw_role gw_role_parse(const char *name);

/* Field rules: 0, or STOM_EINVAL with the reason in eb ("username must be ..."). */
int gw_username_check(const char *username, stom_errbuf *eb);
int gw_email_check(const char *email, stom_errbuf *eb);
int gw_password_check(const char *password, stom_errbuf *eb);

/*
 * Creates a user (for `stom-gateway --create-user` and the demo account):
 * checks the fields, hashes the password and inserts the row; *id gets its
 * id. STOM_EINVAL (a field breaks its rule, or role is GW_ROLE_NONE),
 * STOM_ESTATE (the username or e-mail address is taken), STOM_EIO
 * (database); eb says which. Borrows all.
 */
int gw_user_create(gw_ctx *ctx, const char *username, const char *email, const char *password,
                   gw_role role, int64_t *id, stom_errbuf *eb);
/*
 * As gw_user_create; on STOM_EINVAL and STOM_ESTATE *field (may be NULL)
 * names the field at fault ("username", "email", "password", "role").
 */
int gw_user_create_field(gw_ctx *ctx, const char *username, const char *email, const char *password,
                         gw_role role, int64_t *id, const char **field, stom_errbuf *eb);

/*
 * The user id as the API shows it: {id, username, email, role, created_at}
 * and, when admin_view, also disabled and last_login_at. Returns the object
 * (owned), or NULL with STOM_ENOTFOUND (no such user) / STOM_EIO in *rc.
 */
json_t *gw_user_json(gw_ctx *ctx, int64_t id, bool admin_view, int *rc, stom_errbuf *eb);
/* A page of users in id order (limit from offset), each as gw_user_json's
 * admin view, as a JSON array (owned), and how many users there are in
 * *total; NULL with STOM_EIO in *rc. */
json_t *gw_users_list_json(gw_ctx *ctx, int64_t limit, int64_t offset, int64_t *total, int *rc,
                           stom_errbuf *eb);

#endif
