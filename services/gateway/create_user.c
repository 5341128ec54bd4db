/*
 * create_user.c - `stom-gateway create-user`: an account made from the
 * command line (the first admin, make up's demo account). The password is
 * read from standard input, never from the command line.
 *
 * Thread-safety: runs alone on the main thread before any server starts.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "create_user.h"
#include "gw_auth.h"
#include "gw_users.h"

static void usage(FILE *out)
{
    fputs("Usage: stom-gateway create-user --username NAME --email ADDRESS [--role "
          "user|trader|admin]\n"
          "                                [--database CONNINFO] [--if-missing] < password\n"
          "\n"
          "Creates an account; the password is the first line of standard input.\n"
          "--role        user (default), trader or admin\n"
          "--database    PostgreSQL [STOM_DATABASE_URL, else the local services]\n"
          "--if-missing  an existing account of that name is not an error\n",
          out);
}

static int read_password(char *out, size_t len)
{
    if (!fgets(out, (int)len, stdin))
        return -1;
    out[strcspn(out, "\r\n")] = '\0';
    return 0;
}

int gw_create_user_main(int argc, char **argv)
{
    const char *username = NULL, *email = NULL, *role_name = "user";
    const char *database = getenv("STOM_DATABASE_URL");
    bool if_missing = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            return 0;
        } else if (!strcmp(a, "--if-missing")) {
            if_missing = true;
            continue;
        } else if (!v) {
            fprintf(stderr, "stom-gateway create-user: %s needs a value\n", a);
            return 2;
        } else if (!strcmp(a, "--username")) {
            username = v;
        } else if (!strcmp(a, "--email")) {
            email = v;
        } else if (!strcmp(a, "--role")) {
            role_name = v;
        } else if (!strcmp(a, "--database")) {
            database = v;
        } else {
            fprintf(stderr, "stom-gateway create-user: unknown option %s (see --help)\n", a);
            return 2;
        }
        i++;
    }
    gw_role role = gw_role_parse(role_name);
    if (!username || !email || role == GW_ROLE_NONE) {
        fprintf(stderr, "stom-gateway create-user: --username, --email and a role of user, "
                        "trader or admin are required (see --help)\n");
        return 2;
    }
    char password[256];
    if (read_password(password, sizeof password)) {
        fprintf(stderr, "stom-gateway create-user: no password on standard input\n");
        return 2;
    }
    if (gw_auth_init())
        return 1;
    gw_ctx ctx = {0};
    stom_errbuf eb = {0};
    if (stom_db_connect(&ctx.db, database ? database : STOM_DB_URL_DEFAULT, &eb)) {
        fprintf(stderr, "stom-gateway create-user: %s\n", eb.msg);
        return 1;
    }
    int64_t id = 0;
    int rc = gw_user_create(&ctx, username, email, password, role, &id, &eb);
    stom_db_close(ctx.db);
    memset(password, 0, sizeof password);
    if (rc == STOM_ESTATE && if_missing) {
        printf("account %s exists\n", username);
        return 0;
    }
    if (rc) {
        fprintf(stderr, "stom-gateway create-user: %s\n", eb.msg);
        return rc == STOM_EIO ? 1 : 2;
    }
    printf("created account %s (id %lld, role %s)\n", username, (long long)id, role_name);
    return 0;
}
