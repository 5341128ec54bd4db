/*
 * main.c - stom-gateway: settings, signals, the server until SIGINT/SIGTERM.
 *
 * Thread-safety: the signal handler only sets the server's stop flag and
 * wakes its loop (gw_server_stop is async-signal-safe).
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "create_user.h"
#include "gw_auth.h"
#include "gw_config.h"
#include "gw_server.h"

static gw_server *running;

static void on_signal(int sig)
{
    (void)sig;
    if (running)
        gw_server_stop(running);
}

static void install_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "create-user") == 0)
        return gw_create_user_main(argc - 1, argv + 1);
    gw_settings s;
    stom_errbuf eb = {0};
    if (gw_settings_load(&s, argc, argv, &eb)) {
        fprintf(stderr, "stom-gateway: %s\n", eb.msg);
        return 2;
    }
    if (s.help) {
        gw_config_usage(stdout);
        gw_settings_free(&s);
        return 0;
    }
    if (gw_auth_init()) {
        fprintf(stderr, "stom-gateway: libsodium could not be initialised\n");
        gw_settings_free(&s);
        return 1;
    }
    gw_server *srv = NULL;
    if (gw_server_create(&srv, &s.cfg, &eb)) {
        fprintf(stderr, "stom-gateway: %s\n", eb.msg);
        gw_settings_free(&s);
        return 1;
    }
    running = srv;
    install_signals();
    fprintf(stderr, "stom-gateway: listening on http://%s:%d (%d workers)\n", s.cfg.bind,
            s.cfg.port, s.cfg.threads);
    gw_server_run(srv);
    running = NULL;
    gw_server_destroy(srv);
    gw_settings_free(&s);
    fprintf(stderr, "stom-gateway: stopped\n");
    return 0;
}
