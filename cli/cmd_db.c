/*
 * cmd_db.c - `stom db migrate`: brings the database's schema up to this
 * binary's migrations; and cli_db_open, the connection every database
 * command makes, whose failures say how to fix them.
 *
 * The database is --database URL, else STOM_DATABASE_URL, else the private
 * server `make up` starts (STOM_DB_URL_DEFAULT).
 */
#include <jansson.h>
#include <string.h>

#include "cli.h"
#include "stom/store.h"

static void usage(FILE *out)
{
    fputs("Usage: stom db migrate [--database URL] [--json]\n"
          "\n"
          "Applies the schema migrations built into this stom that the database does not\n"
          "have yet, each in its own transaction, and prints how many were applied and the\n"
          "schema version. Running it again applies nothing. Safe to run from several\n"
          "processes at once.\n"
          "\n"
          "Options:\n"
          "  --database URL  a libpq connection string (\"host=... port=... dbname=...\") or\n"
          "                  postgresql:// URL; default $STOM_DATABASE_URL, else the local\n"
          "                  services (" STOM_DB_URL_DEFAULT ")\n"
          "  --json          print {\"applied\": N, \"version\": V}\n"
          "\n"
          "Exit codes: 0 success, 1 the database cannot be reached, a migration failed or\n"
          "the database is newer than this stom, 2 usage error.\n",
          out);
}

int cli_db_open(const char *database, bool need_schema, stom_db **out)
{
    stom_db *db = NULL;
    stom_errbuf eb = {{0}};
    if (stom_db_connect(&db, database, &eb) != STOM_OK) {
        cli_error("%s\n  start the local services with `make up` (or scripts/services.sh start), "
                  "or point --database or STOM_DATABASE_URL at your PostgreSQL",
                  eb.msg);
        return EXIT_INTERNAL;
    }
    int version = 0;
    size_t n;
    const stom_migration *m = stom_migrations(&n);
    if (need_schema && stom_db_schema_version(db, &version, &eb) != STOM_OK) {
        cli_error("%s", eb.msg);
        stom_db_close(db);
        return EXIT_INTERNAL;
    }
    if (need_schema && version < m[n - 1].version) {
        cli_error("the database's schema is at version %d, this stom needs %d: run `stom db "
                  "migrate`%s",
                  version, m[n - 1].version, database ? " with the same --database" : "");
        stom_db_close(db);
        return EXIT_INTERNAL;
    }
    *out = db;
    return EXIT_OK;
}

static int print_result(int applied, int version, bool json)
{
    if (!json) {
        if (applied == 0)
            printf("schema up to date (version %d)\n", version);
        else
            printf("applied %d migration%s; schema version %d\n", applied, applied == 1 ? "" : "s",
                   version);
        return EXIT_OK;
    }
    json_t *j = json_object();
    json_object_set_new(j, "applied", json_integer(applied));
    json_object_set_new(j, "version", json_integer(version));
    int rc = json_dumpf(j, stdout, JSON_INDENT(2));
    putchar('\n');
    json_decref(j);
    return rc == 0 ? EXIT_OK : EXIT_INTERNAL;
}

static int cmd_migrate(int argc, char **argv)
{
    const char *database = NULL;
    bool json = false;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--json")) {
            json = true;
        } else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            usage(stdout);
            return EXIT_OK;
        } else if (!strncmp(argv[i], "--database=", 11)) {
            database = argv[i] + 11;
        } else if (!strcmp(argv[i], "--database") && i + 1 < argc) {
            database = argv[++i];
        } else {
            cli_error("db migrate: unknown or incomplete option '%s' (see stom db --help)",
                      argv[i]);
            return EXIT_USAGE;
        }
    }
    stom_db *db = NULL;
    int rc = cli_db_open(database, false, &db);
    if (rc != EXIT_OK)
        return rc;
    stom_errbuf eb = {{0}};
    int applied = 0, version = 0;
    if (stom_db_migrate(db, &applied, &version, &eb) != STOM_OK) {
        cli_error("%s", eb.msg);
        if (applied > 0)
            cli_error("%d migration%s applied before it; schema version %d", applied,
                      applied == 1 ? " was" : "s were", version);
        rc = EXIT_INTERNAL;
    } else {
        rc = print_result(applied, version, json);
    }
    stom_db_close(db);
    return rc;
}

int cli_db(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return EXIT_USAGE;
    }
    if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "help")) {
        usage(stdout);
        return EXIT_OK;
    }
    if (!strcmp(argv[1], "migrate"))
        return cmd_migrate(argc - 1, argv + 1);
    cli_error("db: unknown verb '%s' (verbs: migrate; see stom db --help)", argv[1]);
    return EXIT_USAGE;
}
