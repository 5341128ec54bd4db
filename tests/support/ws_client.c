/*
 * ws_client.c - the raw-socket WebSocket client of the gateway tests and
 * benchmarks (see ws_client.h). The mask key is fixed: this client talks
 * only to our own server on loopback, where masking protects nothing.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "ws_client.h"

#include "stom/ws_frame.h"

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void ensure(ws_client *c, size_t more)
{
    if (c->off && c->off == c->len)
        c->off = c->len = 0;
    if (c->len + more <= c->cap)
        return;
    if (c->off) {
        memmove(c->buf, c->buf + c->off, c->len - c->off);
        c->len -= c->off;
        c->off = 0;
    }
    while (c->len + more > c->cap)
        c->cap = c->cap ? c->cap * 2 : 65536;
    c->buf = realloc(c->buf, c->cap);
    if (!c->buf)
        abort();
}

int ws_client_read(ws_client *c)
{
    int total = 0;
    for (;;) {
        ensure(c, 65536);
        ssize_t n = recv(c->fd, c->buf + c->len, c->cap - c->len, MSG_DONTWAIT);
        if (n > 0) {
            c->len += (size_t)n;
            total += (int)n;
            continue;
        }
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return total;
        if (n < 0 && errno == EINTR)
            continue;
        return total > 0 ? total : -1;
    }
}

static int send_all(int fd, const void *p, size_t len)
{
    const char *s = p;
    while (len) {
        ssize_t n = send(fd, s, len, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            struct pollfd pfd = {.fd = fd, .events = POLLOUT};
            if (poll(&pfd, 1, 5000) <= 0)
                return -1;
            continue;
        }
        if (n <= 0)
            return -1;
        s += n;
        len -= (size_t)n;
    }
    return 0;
}

/* Reads the HTTP answer to the upgrade; leaves any frame bytes after it in the buffer. */
static int read_upgrade(ws_client *c, int timeout_ms)
{
    long long deadline = now_ms() + timeout_ms;
    for (;;) {
        for (size_t i = 0; i + 4 <= c->len; i++) {
            if (memcmp(c->buf + i, "\r\n\r\n", 4) == 0) {
                c->off = i + 4;
                return c->len >= 12 && memcmp(c->buf, "HTTP/1.1 101", 12) == 0 ? 0 : -1;
            }
        }
        long long left = deadline - now_ms();
        struct pollfd pfd = {.fd = c->fd, .events = POLLIN};
        if (left <= 0 || poll(&pfd, 1, (int)left) <= 0)
            return -1;
        if (ws_client_read(c) < 0)
            return -1;
    }
}

int ws_client_connect(ws_client *c, int port, const char *target, int rcvbuf, int timeout_ms)
{
    memset(c, 0, sizeof *c);
    c->fd = socket(AF_INET, SOCK_STREAM, 0);
    if (c->fd < 0)
        return -1;
    if (rcvbuf > 0)
        setsockopt(c->fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
    int one = 1;
    setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    char req[4096];
    int n = snprintf(req, sizeof req,
                     "GET %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nUpgrade: websocket\r\n"
                     "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                     "Sec-WebSocket-Version: 13\r\n\r\n",
                     target, port);
    if (connect(c->fd, (struct sockaddr *)&a, sizeof a) != 0 || n <= 0 || (size_t)n >= sizeof req ||
        send_all(c->fd, req, (size_t)n) != 0 || read_upgrade(c, timeout_ms) != 0) {
        ws_client_close(c);
        return -1;
    }
    fcntl(c->fd, F_SETFL, fcntl(c->fd, F_GETFL) | O_NONBLOCK);
    return 0;
}

int ws_client_send(ws_client *c, int opcode, const void *data, size_t len, bool fin)
{
    static const unsigned char mask[4] = {0x37, 0xfa, 0x21, 0x3d};
    unsigned char *f = malloc(len + STOM_WS_FRAME_HEAD_MAX);
    if (!f)
        abort();
    size_t h = stom_ws_frame_head(f, opcode, fin, len, mask);
    const unsigned char *d = data;
    for (size_t i = 0; i < len; i++)
        f[h + i] = d[i] ^ mask[i % 4];
    int rc = send_all(c->fd, f, h + len);
    free(f);
    return rc;
}

int ws_client_send_text(ws_client *c, const char *text)
{
    return ws_client_send(c, WS_OP_TEXT, text, strlen(text), true);
}

int ws_client_next(ws_client *c, ws_frame *f)
{
    const unsigned char *p = c->buf + c->off;
    size_t avail = c->len - c->off;
    stom_ws_frame_info fi;
    if (!stom_ws_frame_parse(p, avail, &fi) || avail - fi.header < fi.len)
        return 0;
    size_t h = fi.header;
    memset(f, 0, sizeof *f);
    f->opcode = fi.opcode;
    f->fin = fi.fin;
    f->len = (size_t)fi.len;
    f->data = malloc(f->len + 1);
    if (!f->data)
        abort();
    memcpy(f->data, p + h, f->len);
    f->data[f->len] = '\0';
    if (f->opcode == WS_OP_CLOSE && f->len >= 2)
        f->close_code = ((unsigned char)f->data[0] << 8) | (unsigned char)f->data[1];
    c->off += h + f->len;
    return 1;
}

int ws_client_recv(ws_client *c, ws_frame *f, int timeout_ms)
{
    long long deadline = now_ms() + timeout_ms;
    for (;;) {
        if (ws_client_next(c, f))
            return 1;
        long long left = deadline - now_ms();
        if (left <= 0)
            return 0;
        struct pollfd pfd = {.fd = c->fd, .events = POLLIN};
        if (poll(&pfd, 1, (int)left) < 0 && errno != EINTR)
            return -1;
        if (pfd.revents && ws_client_read(c) < 0)
            return ws_client_next(c, f) ? 1 : -1;
    }
}

void ws_frame_free(ws_frame *f)
{
    free(f->data);
    f->data = NULL;
}

void ws_client_close(ws_client *c)
{
    if (c->fd >= 0)
        close(c->fd);
    c->fd = -1;
    free(c->buf);
    c->buf = NULL;
    c->off = c->len = c->cap = 0;
}
