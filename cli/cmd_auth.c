/*
 * cmd_auth.c - `stom login`, `stom logout`, `stom register` and
 * `stom whoami`: accounts on the gateway and the stored tokens
 * (auth_store.h).
 *
 * A password never comes from the command line (other users see argv in
 * ps): it is read from the terminal without echo, or from the first line
 * of stdin with --password-stdin (for scripts). It is wiped from memory
 * after use and never printed.
 */
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cli.h"
#include "gateway_client.h"

#define FIELD_MAX 256

typedef struct auth_options {
    const char *url, *username, *email;
    bool password_stdin, json, help;
} auth_options;

static void auth_usage(FILE *out, const char *cmd)
{
    if (!strcmp(cmd, "login"))
        fputs("Usage: stom login [--url URL] [--username NAME] [--password-stdin]\n"
              "\n"
              "Logs in to the gateway and stores the tokens in\n"
              "$XDG_CONFIG_HOME/stom/credentials.json (else ~/.config/stom/), mode 0600.\n"
              "Later commands use them and refresh them when they expire.\n"
              "\n"
              "  --url URL          the gateway (default $STOM_URL, else http://127.0.0.1:8080)\n"
              "  --username NAME    asked for on the terminal when missing\n"
              "  --password-stdin   read the password from the first line of stdin (scripts);\n"
              "                     otherwise it is asked for on the terminal without echo.\n"
              "                     There is no --password: argv is visible to other users.\n",
              out);
    else if (!strcmp(cmd, "register"))
        fputs("Usage: stom register [--url URL] [--username NAME] [--email EMAIL] "
              "[--password-stdin]\n"
              "\n"
              "Creates an account on the gateway (then run `stom login`). The password is asked\n"
              "for twice on the terminal, or read from stdin with --password-stdin.\n",
              out);
    else if (!strcmp(cmd, "logout"))
        fputs("Usage: stom logout\n\nRevokes the stored refresh token on the gateway and "
              "deletes the credentials file.\n",
              out);
    else
        fputs("Usage: stom whoami [--url URL] [--json]\n\nThe account the stored tokens belong "
              "to (asks the gateway).\n",
              out);
}

static int parse(int argc, char **argv, auth_options *o)
{
    memset(o, 0, sizeof *o);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-h") || !strcmp(a, "--help"))
            o->help = true;
        else if (!strcmp(a, "--password-stdin"))
            o->password_stdin = true;
        else if (!strcmp(a, "--json"))
            o->json = true;
        else if (cli_flag_is(a, "--url"))
            o->url = cli_flag_value(argc, argv, &i, "--url", argv[0]);
        else if (cli_flag_is(a, "--username"))
            o->username = cli_flag_value(argc, argv, &i, "--username", argv[0]);
        else if (cli_flag_is(a, "--email"))
            o->email = cli_flag_value(argc, argv, &i, "--email", argv[0]);
        else if (cli_flag_is(a, "--password")) {
            cli_error("no --password: other users can read the command line; type it when asked "
                      "or pipe it with --password-stdin");
            return EXIT_USAGE;
        } else {
            cli_error("unexpected argument '%s' (see stom %s --help)", a, argv[0]);
            return EXIT_USAGE;
        }
        if ((cli_flag_is(a, "--url") && !o->url) ||
            (cli_flag_is(a, "--username") && !o->username) ||
            (cli_flag_is(a, "--email") && !o->email))
            return EXIT_USAGE;
    }
    return EXIT_OK;
}

/* ---- reading the user's input ------------------------------------------------------------ */

/* One line from f without its newline into buf. False at end of input or for an empty line. */
static bool read_line(FILE *f, char *buf, size_t len)
{
    if (!fgets(buf, (int)len, f))
        return false;
    buf[strcspn(buf, "\r\n")] = '\0';
    return buf[0] != '\0';
}

/* Asks on the terminal (stderr) and reads a line from it; echo off for secrets. */
static bool ask(const char *prompt, bool secret, char *buf, size_t len)
{
    FILE *tty = fopen("/dev/tty", "r+");
    if (!tty)
        return false;
    struct termios old, quiet;
    bool hide = secret && tcgetattr(fileno(tty), &old) == 0;
    if (hide) {
        quiet = old;
        quiet.c_lflag &= ~(tcflag_t)ECHO;
        tcsetattr(fileno(tty), TCSAFLUSH, &quiet);
    }
    fputs(prompt, stderr);
    fflush(stderr);
    bool ok = read_line(tty, buf, len);
    if (hide) {
        tcsetattr(fileno(tty), TCSAFLUSH, &old);
        fputc('\n', stderr);
    }
    fclose(tty);
    return ok;
}

static int get_username(const auth_options *o, char *buf, size_t len)
{
    if (o->username) {
        snprintf(buf, len, "%s", o->username);
        return EXIT_OK;
    }
    if (!o->password_stdin && isatty(STDIN_FILENO) && ask("username: ", false, buf, len))
        return EXIT_OK;
    cli_error("no user name: pass --username NAME");
    return EXIT_USAGE;
}

static int get_password(const auth_options *o, bool twice, char *buf, size_t len)
{
    if (o->password_stdin) {
        if (read_line(stdin, buf, len))
            return EXIT_OK;
        cli_error("--password-stdin: no password on the first line of stdin");
        return EXIT_USAGE;
    }
    if (!isatty(STDIN_FILENO) || !ask("password: ", true, buf, len)) {
        cli_error("no terminal to ask for the password: pipe it with --password-stdin");
        return EXIT_USAGE;
    }
    char again[FIELD_MAX];
    if (twice && (!ask("password again: ", true, again, sizeof again) || strcmp(buf, again))) {
        memset(again, 0, sizeof again);
        cli_error("the passwords differ; nothing was changed");
        return EXIT_USAGE;
    }
    memset(again, 0, sizeof again);
    return EXIT_OK;
}

/* ---- the commands ---------------------------------------------------------------------------- */

static int login(const auth_options *o)
{
    char user[FIELD_MAX], password[FIELD_MAX];
    int rc = get_username(o, user, sizeof user);
    if (rc == EXIT_OK)
        rc = get_password(o, false, password, sizeof password);
    if (rc != EXIT_OK)
        return rc;
    gateway_client *g = NULL;
    rc = gateway_client_open(&g, o->url, false);
    json_t *body = json_pack("{s:s, s:s}", "username", user, "password", password);
    memset(password, 0, sizeof password);
    json_t *tokens = NULL;
    if (rc == EXIT_OK)
        rc = gateway_call(g, "POST", "/auth/login", body, &tokens, NULL);
    json_object_clear(body);
    json_decref(body);
    if (rc == EXIT_OK)
        rc = gateway_client_store_tokens(g, user, tokens);
    if (rc == EXIT_OK)
        fprintf(stderr, "logged in to %s as %s\n", gateway_client_url(g), user);
    json_decref(tokens);
    gateway_client_close(g);
    return rc;
}

static int register_user(const auth_options *o)
{
    char user[FIELD_MAX], password[FIELD_MAX];
    int rc = get_username(o, user, sizeof user);
    if (rc == EXIT_OK && !o->email) {
        cli_error("register needs --email EMAIL");
        rc = EXIT_USAGE;
    }
    if (rc == EXIT_OK)
        rc = get_password(o, true, password, sizeof password);
    if (rc != EXIT_OK)
        return rc;
    gateway_client *g = NULL;
    rc = gateway_client_open(&g, o->url, false);
    json_t *body =
        json_pack("{s:s, s:s, s:s}", "username", user, "email", o->email, "password", password);
    memset(password, 0, sizeof password);
    json_t *created = NULL;
    if (rc == EXIT_OK)
        rc = gateway_call(g, "POST", "/auth/register", body, &created, NULL);
    json_object_clear(body);
    json_decref(body);
    if (rc == EXIT_OK)
        fprintf(stderr, "registered %s at %s; now run: stom login --username %s\n", user,
                gateway_client_url(g), user);
    json_decref(created);
    gateway_client_close(g);
    return rc;
}

static int logout(void)
{
    gateway_client *g = NULL;
    int rc = gateway_client_open(&g, NULL, true);
    if (rc != EXIT_OK)
        return rc;
    const auth_credentials *c = gateway_client_credentials(g);
    if (c->refresh_token) {
        json_t *body = json_pack("{s:s}", "refresh_token", c->refresh_token);
        /* Revoking is best effort: the local tokens go away whatever the gateway says. */
        if (gateway_call(g, "POST", "/auth/logout", body, NULL, NULL) != EXIT_OK)
            fprintf(stderr, "(the refresh token could not be revoked on the gateway)\n");
        json_decref(body);
    }
    char path[4096];
    stom_errbuf eb = {{0}};
    if (auth_store_path(path, sizeof path, &eb) == STOM_OK &&
        auth_store_remove(path, &eb) == STOM_OK)
        fprintf(stderr, "logged out of %s\n", gateway_client_url(g));
    else {
        cli_error("%s", eb.msg);
        rc = EXIT_INTERNAL;
    }
    gateway_client_close(g);
    return rc;
}

static int whoami(const auth_options *o)
{
    gateway_client *g = NULL;
    int rc = gateway_client_open(&g, o->url, true);
    json_t *me = NULL;
    if (rc == EXIT_OK)
        rc = gateway_call(g, "GET", "/auth/me", NULL, &me, NULL);
    if (rc == EXIT_OK && o->json) {
        json_object_set_new(me, "url", json_string(gateway_client_url(g)));
        json_dumpf(me, stdout, JSON_INDENT(2));
        fputc('\n', stdout);
    } else if (rc == EXIT_OK) {
        printf("%s (%s, role %s) at %s\n", json_str(me, "username", "?"),
               json_str(me, "email", "-"), json_str(me, "role", "?"), gateway_client_url(g));
    }
    json_decref(me);
    gateway_client_close(g);
    return rc;
}

int cli_auth(int argc, char **argv)
{
    auth_options o;
    int rc = parse(argc, argv, &o);
    if (rc != EXIT_OK || o.help) {
        if (o.help)
            auth_usage(stdout, argv[0]);
        return rc;
    }
    if (!strcmp(argv[0], "login"))
        return login(&o);
    if (!strcmp(argv[0], "register"))
        return register_user(&o);
    if (!strcmp(argv[0], "logout"))
        return logout();
    return whoami(&o);
}
