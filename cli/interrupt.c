/*
 * interrupt.c - Ctrl-C while a command waits for a job: the first one sets
 * a flag the wait loops read (and interrupts their sleep), a second one
 * kills at once (SA_RESETHAND).
 *
 * Thread-safety: the flag is a sig_atomic_t written only by the handler;
 * the CLI waits on its main thread.
 */
#include <signal.h>
#include <string.h>
#include <time.h>

#include "cli.h"

static volatile sig_atomic_t interrupted;

static void on_sigint(int sig)
{
    (void)sig;
    interrupted = 1;
}

void cli_catch_sigint(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigint;
    sa.sa_flags = SA_RESETHAND;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
}

bool cli_interrupted(void)
{
    return interrupted != 0;
}

void cli_sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000};
    nanosleep(&ts, NULL); /* Ctrl-C ends it early (EINTR): the loop reacts at once */
}
