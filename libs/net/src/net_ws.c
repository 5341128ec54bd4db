/*
 * net_ws.c - the blocking WebSocket client: a TCP connection, the HTTP/1.1
 * upgrade, and frames in both directions.
 *
 * Bytes read from the socket go into `in`; frames are parsed from its
 * front, so a partial frame simply waits for more bytes. Fragments of a
 * message collect in `msg` until the FIN frame. Each wait polls the socket
 * against one deadline computed on entry. The handshake checks the 101
 * status and the Upgrade header; the Sec-WebSocket-Accept digest is not
 * verified (it guards against caching proxies, and the CLI talks to the
 * gateway directly).
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "stom/alloc.h"
#include "stom/net_ws.h"
#include "stom/ws_frame.h"
#include "stom/timeutil.h"

#define HANDSHAKE_MAX 8192
#define OP_CONT       0x0
#define OP_TEXT       0x1
#define OP_BINARY     0x2
#define OP_CLOSE      0x8
#define OP_PING       0x9
#define OP_PONG       0xA

struct stom_ws {
    int fd;
    unsigned char *in; /* bytes read and not yet parsed */
    size_t in_len, in_cap;
    char *msg; /* fragments of the message being reassembled */
    size_t msg_len;
    bool in_message;
};

static int remaining(int64_t deadline)
{
    int64_t left = deadline - stom_mono_ms();
    return left > 0 ? (int)left : 0;
}

/* Waits for events on fd until deadline. 0, STOM_ETIMEDOUT or STOM_EIO. */
static int wait_fd(int fd, short events, int64_t deadline)
{
    struct pollfd p = {fd, events, 0};
    for (;;) {
        int n = poll(&p, 1, remaining(deadline));
        if (n > 0)
            return STOM_OK;
        if (n == 0)
            return STOM_ETIMEDOUT;
        if (errno != EINTR)
            return STOM_EIO;
    }
}

static int write_all(int fd, const void *buf, size_t len, int64_t deadline, stom_errbuf *eb)
{
    const unsigned char *p = buf;
    while (len > 0) {
        int rc = wait_fd(fd, POLLOUT, deadline);
        if (rc != STOM_OK)
            return stom_errorf(eb, rc, "cannot send to the WebSocket: %s", stom_strerror(rc));
        ssize_t n = send(fd, p, len, MSG_NOSIGNAL);
        if (n < 0 && (errno == EINTR || errno == EAGAIN))
            continue;
        if (n <= 0)
            return stom_errorf(eb, STOM_EIO, "cannot send to the WebSocket: %s", strerror(errno));
        p += n;
        len -= (size_t)n;
    }
    return STOM_OK;
}

/* Reads what is available (at least one byte) into ws->in. */
static int read_some(stom_ws *ws, int64_t deadline, stom_errbuf *eb)
{
    int rc = wait_fd(ws->fd, POLLIN, deadline);
    if (rc == STOM_ETIMEDOUT)
        return rc;
    if (rc != STOM_OK)
        return stom_errorf(eb, rc, "the WebSocket connection broke");
    if (ws->in_cap - ws->in_len < 4096) {
        ws->in_cap = ws->in_cap ? ws->in_cap * 2 : 16384;
        ws->in = stom_xrealloc(ws->in, ws->in_cap);
    }
    ssize_t n = recv(ws->fd, ws->in + ws->in_len, ws->in_cap - ws->in_len, 0);
    if (n == 0)
        return stom_errorf(eb, STOM_EIO, "the server closed the WebSocket connection");
    if (n < 0)
        return errno == EINTR || errno == EAGAIN
                   ? STOM_OK
                   : stom_errorf(eb, STOM_EIO, "the WebSocket connection broke: %s",
                                 strerror(errno));
    ws->in_len += (size_t)n;
    return STOM_OK;
}

static void consume(stom_ws *ws, size_t n)
{
    memmove(ws->in, ws->in + n, ws->in_len - n);
    ws->in_len -= n;
}

/* ---- connecting --------------------------------------------------------------- */

typedef struct ws_url {
    char host[256], port[8], path[4096];
} ws_url;

static int parse_url(const char *url, ws_url *u, stom_errbuf *eb)
{
    const char *p = NULL;
    if (!strncmp(url, "ws://", 5))
        p = url + 5;
    else if (!strncmp(url, "http://", 7))
        p = url + 7;
    else
        return stom_errorf(eb, STOM_EINVAL, "'%s' is not a ws:// URL", url);
    size_t host_len = strcspn(p, ":/?");
    if (host_len == 0 || host_len >= sizeof u->host)
        return stom_errorf(eb, STOM_EINVAL, "'%s' has no host", url);
    memcpy(u->host, p, host_len);
    u->host[host_len] = '\0';
    p += host_len;
    snprintf(u->port, sizeof u->port, "80");
    if (*p == ':') {
        size_t n = strspn(p + 1, "0123456789");
        if (n == 0 || n >= sizeof u->port)
            return stom_errorf(eb, STOM_EINVAL, "'%s' has a bad port", url);
        memcpy(u->port, p + 1, n);
        u->port[n] = '\0';
        p += 1 + n;
    }
    int n = snprintf(u->path, sizeof u->path, "%s%s", *p == '/' ? "" : "/", p);
    if (n < 0 || (size_t)n >= sizeof u->path)
        return stom_errorf(eb, STOM_EINVAL, "the WebSocket URL is too long");
    return STOM_OK;
}

/* A TCP connection to u within deadline; the socket is left non-blocking. */
static int dial(const ws_url *u, int64_t deadline, int *fd_out, stom_errbuf *eb)
{
    struct addrinfo hints = {0}, *res = NULL;
    hints.ai_socktype = SOCK_STREAM;
    if (getaddrinfo(u->host, u->port, &hints, &res) != 0)
        return stom_errorf(eb, STOM_EIO, "cannot reach ws://%s:%s: unknown host", u->host, u->port);
    int rc = STOM_EIO, err = ECONNREFUSED;
    for (struct addrinfo *a = res; a && rc != STOM_OK; a = a->ai_next) {
        int fd = socket(a->ai_family, a->ai_socktype, a->ai_protocol);
        if (fd < 0 || fcntl(fd, F_SETFL, O_NONBLOCK) < 0) {
            if (fd >= 0)
                close(fd);
            continue;
        }
        int c = connect(fd, a->ai_addr, a->ai_addrlen);
        if (c < 0 && errno == EINPROGRESS && wait_fd(fd, POLLOUT, deadline) == STOM_OK) {
            socklen_t len = sizeof err;
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
            c = err == 0 ? 0 : -1;
        } else if (c < 0) {
            err = errno == EINPROGRESS ? ETIMEDOUT : errno;
        }
        if (c == 0) {
            *fd_out = fd;
            rc = STOM_OK;
        } else {
            close(fd);
        }
    }
    freeaddrinfo(res);
    if (rc != STOM_OK)
        return stom_errorf(eb, err == ETIMEDOUT ? STOM_ETIMEDOUT : STOM_EIO,
                           "cannot reach ws://%s:%s: %s", u->host, u->port, strerror(err));
    return STOM_OK;
}

static void random_bytes(unsigned char *buf, size_t n)
{
    FILE *f = fopen("/dev/urandom", "rb");
    size_t got = f ? fread(buf, 1, n, f) : 0;
    if (f)
        fclose(f);
    /* Without /dev/urandom the key is only less random; the mask is not a secret here. */
    for (size_t k = got; k < n; k++)
        buf[k] = (unsigned char)(rand() & 0xff);
}

static void base64(const unsigned char *in, size_t n, char *out)
{
    static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t o = 0;
    for (size_t k = 0; k < n; k += 3) {
        uint32_t v = (uint32_t)in[k] << 16 | (k + 1 < n ? (uint32_t)in[k + 1] << 8 : 0) |
                     (k + 2 < n ? in[k + 2] : 0);
        out[o++] = tab[v >> 18 & 63];
        out[o++] = tab[v >> 12 & 63];
        out[o++] = k + 1 < n ? tab[v >> 6 & 63] : '=';
        out[o++] = k + 2 < n ? tab[v & 63] : '=';
    }
    out[o] = '\0';
}

/* The end of the header block ("\r\n\r\n") in ws->in: its length, or 0 when incomplete. */
static size_t header_end(const stom_ws *ws)
{
    for (size_t k = 0; k + 4 <= ws->in_len; k++)
        if (!memcmp(ws->in + k, "\r\n\r\n", 4))
            return k + 4;
    return 0;
}

/* True when head has the header "Upgrade: websocket" (case-insensitive). */
static bool upgraded(char *head)
{
    for (char *c = head; *c; c++)
        *c = (char)tolower((unsigned char)*c);
    return strstr(head, "\r\nupgrade: websocket") != NULL;
}

/* Reads the answer's header block; checks for "101" and "Upgrade: websocket". */
static int read_handshake(stom_ws *ws, int64_t deadline, stom_errbuf *eb)
{
    for (;;) {
        size_t n = header_end(ws);
        if (n > 0 && n <= HANDSHAKE_MAX) {
            char head[HANDSHAKE_MAX + 1];
            memcpy(head, ws->in, n);
            head[n] = '\0';
            consume(ws, n);
            bool switched = strncmp(head, "HTTP/1.1 101", 12) == 0;
            if (!switched || !upgraded(head)) {
                head[strcspn(head, "\r\n")] = '\0';
                return stom_errorf(eb, STOM_EIO, "the server refused the WebSocket: %s", head);
            }
            return STOM_OK;
        }
        if (ws->in_len > HANDSHAKE_MAX)
            return stom_errorf(eb, STOM_EIO, "the WebSocket handshake answer is too long");
        int rc = read_some(ws, deadline, eb);
        if (rc == STOM_ETIMEDOUT)
            return stom_errorf(eb, rc, "no WebSocket handshake answer in time");
        if (rc != STOM_OK)
            return rc;
    }
}

int stom_ws_connect(stom_ws **out, const char *url, int timeout_ms, stom_errbuf *eb)
{
    ws_url u;
    int rc = parse_url(url, &u, eb);
    if (rc != STOM_OK)
        return rc;
    int64_t deadline = stom_mono_ms() + timeout_ms;
    int fd = -1;
    rc = dial(&u, deadline, &fd, eb);
    if (rc != STOM_OK)
        return rc;
    stom_ws *ws = stom_xcalloc(1, sizeof *ws);
    ws->fd = fd;
    unsigned char key[16];
    char key64[32], req[HANDSHAKE_MAX];
    random_bytes(key, sizeof key);
    base64(key, sizeof key, key64);
    int n = snprintf(req, sizeof req,
                     "GET %s HTTP/1.1\r\nHost: %s:%s\r\nUpgrade: websocket\r\n"
                     "Connection: Upgrade\r\nSec-WebSocket-Key: %s\r\n"
                     "Sec-WebSocket-Version: 13\r\n\r\n",
                     u.path, u.host, u.port, key64);
    rc = n > 0 && (size_t)n < sizeof req ? write_all(fd, req, (size_t)n, deadline, eb)
                                         : stom_errorf(eb, STOM_EINVAL, "WebSocket URL too long");
    if (rc == STOM_OK)
        rc = read_handshake(ws, deadline, eb);
    if (rc != STOM_OK) {
        close(fd);
        free(ws->in);
        free(ws);
        return rc;
    }
    *out = ws;
    return STOM_OK;
}

/* ---- frames ---------------------------------------------------------------------- */

static int send_frame(stom_ws *ws, int opcode, const void *data, size_t len, int64_t deadline,
                      stom_errbuf *eb)
{
    unsigned char head[STOM_WS_FRAME_HEAD_MAX], mask[4];
    random_bytes(mask, sizeof mask);
    size_t h = stom_ws_frame_head(head, opcode, true, len, mask);
    unsigned char *frame = stom_xmalloc(h + len);
    memcpy(frame, head, h);
    const unsigned char *src = data;
    for (size_t k = 0; k < len; k++)
        frame[h + k] = src[k] ^ mask[k & 3];
    int rc = write_all(ws->fd, frame, h + len, deadline, eb);
    free(frame);
    return rc;
}

int stom_ws_send_text(stom_ws *ws, const char *text, size_t len, int timeout_ms, stom_errbuf *eb)
{
    return send_frame(ws, OP_TEXT, text, len, stom_mono_ms() + timeout_ms, eb);
}

typedef stom_ws_frame_info frame;

/* Parses the frame at the front of ws->in: 1 complete, 0 incomplete, or an error. */
static int parse_frame(stom_ws *ws, frame *f, stom_errbuf *eb)
{
    if (!stom_ws_frame_parse((const unsigned char *)ws->in, ws->in_len, f))
        return 0;
    if (f->len > STOM_WS_MESSAGE_MAX)
        return stom_errorf(eb, STOM_ETOOBIG, "a WebSocket message of %llu bytes is too large",
                           (unsigned long long)f->len);
    return ws->in_len >= f->header + f->len ? 1 : 0;
}

/* Handles a control frame (ping, pong, close). */
static int control_frame(stom_ws *ws, const frame *f, int64_t deadline, stom_errbuf *eb)
{
    const unsigned char *payload = ws->in + f->header;
    if (f->opcode == OP_PING)
        return send_frame(ws, OP_PONG, payload, f->len, deadline, eb);
    if (f->opcode != OP_CLOSE)
        return STOM_OK;
    unsigned code = f->len >= 2 ? (unsigned)payload[0] << 8 | payload[1] : 1005;
    int reason = f->len > 2 ? (int)(f->len - 2) : 0;
    return stom_errorf(eb, STOM_EIO, "the server closed the WebSocket (%u%s%.*s)", code,
                       reason ? ": " : "", reason, (const char *)payload + 2);
}

/* Appends a data frame to the message; 1 when the message is complete. */
static int data_frame(stom_ws *ws, const frame *f, stom_errbuf *eb)
{
    if (ws->msg_len + f->len > STOM_WS_MESSAGE_MAX)
        return stom_errorf(eb, STOM_ETOOBIG, "a WebSocket message is too large");
    ws->msg = stom_xrealloc(ws->msg, ws->msg_len + f->len + 1);
    memcpy(ws->msg + ws->msg_len, ws->in + f->header, f->len);
    ws->msg_len += f->len;
    ws->msg[ws->msg_len] = '\0';
    ws->in_message = !f->fin;
    return f->fin ? 1 : 0;
}

/* The next complete frame's effect: 1 a message is ready, 0 keep going, <0 error. */
static int next_frame(stom_ws *ws, int64_t deadline, stom_errbuf *eb)
{
    frame f;
    int rc = parse_frame(ws, &f, eb);
    while (rc == 0) {
        rc = read_some(ws, deadline, eb);
        if (rc != STOM_OK)
            return rc;
        rc = parse_frame(ws, &f, eb);
    }
    if (rc < 0)
        return rc;
    /* The server must not mask; unmask anyway when it does. */
    if (f.masked)
        for (size_t k = 0; k < f.len; k++)
            ws->in[f.header + k] ^= ws->in[f.header - 4 + (k & 3)];
    if (f.opcode >= OP_CLOSE)
        rc = control_frame(ws, &f, deadline, eb);
    else
        rc = data_frame(ws, &f, eb);
    consume(ws, f.header + f.len);
    return rc;
}

int stom_ws_recv_text(stom_ws *ws, char **text, size_t *len, int timeout_ms, stom_errbuf *eb)
{
    int64_t deadline = stom_mono_ms() + timeout_ms;
    for (;;) {
        int rc = next_frame(ws, deadline, eb);
        if (rc < 0)
            return rc;
        if (rc == 1) {
            *text = ws->msg;
            *len = ws->msg_len;
            ws->msg = NULL;
            ws->msg_len = 0;
            return STOM_OK;
        }
    }
}

void stom_ws_close(stom_ws *ws)
{
    if (!ws)
        return;
    unsigned char code[2] = {1000 >> 8, 1000 & 0xff};
    send_frame(ws, OP_CLOSE, code, sizeof code, stom_mono_ms() + 200, NULL);
    close(ws->fd);
    free(ws->in);
    free(ws->msg);
    free(ws);
}
