/*
 * c-epoll: c-select's loop on epoll. The course names epoll beside select as a way to multiplex
 * (seed 000, line 673) but has no listing for it; this is the select() echo server of seed 001
 * (lines 1983-2090) with the fd_set replaced by an epoll instance:
 *
 *     select()                                 epoll
 *     FD_ZERO(&reads); FD_SET(serv_sock, ...)  epoll_create1(); epoll_ctl(ADD, serv_sock)
 *     cpy_reads = reads; select(fd_max+1, ...) epoll_wait(epfd, events, ...)
 *     for (i = 0; i < fd_max+1; i++)           for (e = 0; e < n; e++): only the ready ones
 *         if (FD_ISSET(i, &cpy_reads))
 *     FD_SET(clnt_sock, &reads)                epoll_ctl(ADD, clnt_sock, EPOLLIN)
 *     FD_CLR(i, &reads); close(i)              close(i) (a closed descriptor leaves the set)
 *
 * So there is no FD_SETSIZE limit, and the cost of a wake-up does not grow with the number of
 * idle clients. Everything the protocol adds is c-select's (see c-select.c): non-blocking
 * sockets, echo owed kept per client and a bound on it (backpressure), half-close, the logger
 * child behind a pipe, --idle-timeout, --max-connections, SIGTERM through a pipe.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/epoll.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <errno.h>
#include <fcntl.h>

#include "common.h"

#define BUF_SIZE 16384
#define EPOLL_SIZE 64                   /* events taken per epoll_wait() */
#define ECHO_BOUND (64 * 1024)          /* unsent echo at which a client stops being read */
#define PIPE_BOUND (64 * 1024)          /* frames waiting for the logger's pipe at which every client does */

struct client {
        int open, eof;
        uint32_t interest;              /* the events epoll watches for it now */
        struct framer framer;
        struct buf out;
        int64_t clock_ns;
};
static struct client *clients;          /* indexed by descriptor, grown as needed */
static int clients_cap;
static int epfd;
static struct buf to_logger;
static int logger_pipe;
static int signal_pipe[2];
static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
        int saved = errno;
        (void)sig;
        stop = 1;
        note_signal_time();
        if (write(signal_pipe[1], "x", 1) == -1) { /* the pipe already holds a byte */ }
        errno = saved;
}

/* What epoll should watch for client i: its reads unless backpressure stops them, its writes
 * while it is owed echo. */
static void update_interest(int i)
{
        struct client *c = &clients[i];
        if (!c->open) return;
        uint32_t want = 0;
        if (!c->eof && buf_size(&c->out) < ECHO_BOUND && buf_size(&to_logger) < PIPE_BOUND) want |= EPOLLIN;
        if (buf_size(&c->out) > 0) want |= EPOLLOUT;
        if (want == c->interest) return;
        if (!(c->interest & EPOLLIN) && (want & EPOLLIN)) c->clock_ns = now_ns();   /* waits to read again */
        /* Watching nothing, it leaves the set: epoll reports EPOLLHUP whatever it is asked, and a
         * client that closed while the logger is behind would wake the loop without end. */
        struct epoll_event ev = {.events = want, .data.fd = i};
        epoll_ctl(epfd, want == 0 ? EPOLL_CTL_DEL : c->interest == 0 ? EPOLL_CTL_ADD : EPOLL_CTL_MOD, i, &ev);
        c->interest = want;
}

static void close_client(int i)
{
        close(i);                       /* leaves the epoll set with it */
        buf_free(&clients[i].out);
        clients[i].open = 0;
        COUNT(active, -1);
}

static void end_client(int i)
{
        framer_eof(&clients[i].framer, &to_logger);
        clients[i].eof = 1;
        if (buf_size(&clients[i].out) == 0) close_client(i);
        else update_interest(i);
}

static void send_echo(int i)
{
        struct client *c = &clients[i];
        while (buf_size(&c->out) > 0) {
                ssize_t w = write(i, c->out.p + c->out.off, buf_size(&c->out));
                if (w > 0) { COUNT(bytes_echoed, w); buf_consume(&c->out, (size_t)w); continue; }
                if (w == -1 && (errno == EAGAIN || errno == EINTR)) { update_interest(i); return; }
                COUNT(errors, 1);
                if (!c->eof) framer_eof(&c->framer, &to_logger);
                close_client(i);
                return;
        }
        if (c->eof) close_client(i);
        else update_interest(i);
}

static void send_to_logger(void)
{
        int was_behind = buf_size(&to_logger) >= PIPE_BOUND;
        send_frames_ready(logger_pipe, &to_logger);
        struct epoll_event ev = {.events = buf_size(&to_logger) > 0 ? EPOLLOUT : 0, .data.fd = logger_pipe};
        epoll_ctl(epfd, EPOLL_CTL_MOD, logger_pipe, &ev);
        if (was_behind != (buf_size(&to_logger) >= PIPE_BOUND))      /* every client's reading changes */
                for (int i = 0; i < clients_cap; i++) update_interest(i);
}

int main(int argc, char* argv[])
{
        int serv_sock, clnt_sock;
        struct sockaddr_in clnt_adr;
        struct epoll_event event, events[EPOLL_SIZE];
        socklen_t adr_sz;
        int str_len, event_cnt, e, i;
        char buf[BUF_SIZE];
        struct options o;
        int fds[2];
        struct burst accept_burst = {0};
        int64_t accept_paused_until = 0;

        parse_options(argc, argv, "c-epoll",
                      "One process, one epoll loop over every client (c-select's loop on epoll).", &o);
        int log_fd = open_log(&o);
        shared_init();
        signal(SIGPIPE, SIG_IGN);
        if (pipe2(signal_pipe, O_NONBLOCK | O_CLOEXEC) == -1) { perror("pipe"); return 2; }
        struct sigaction act;
        memset(&act, 0, sizeof act);
        act.sa_handler = on_signal;
        sigemptyset(&act.sa_mask);
        sigaction(SIGTERM, &act, 0);
        sigaction(SIGINT, &act, 0);

        serv_sock = listen_socket(&o);
        fcntl(serv_sock, F_SETFL, O_NONBLOCK);

        if (pipe(fds) == -1) { perror("pipe"); return 2; }
        int logger_closes[] = {serv_sock, fds[1], signal_pipe[0], signal_pipe[1], -1};
        pid_t logger = start_logger(fds[0], log_fd, &o, logger_closes);
        if (logger == -1) { fprintf(stderr, "cannot start the logger process: %s.\n", strerror(errno)); return 2; }
        close(fds[0]);
        close(log_fd);
        logger_pipe = fds[1];
        fcntl(logger_pipe, F_SETFL, O_NONBLOCK);

        epfd = epoll_create1(EPOLL_CLOEXEC);    /* select: FD_ZERO(&reads); FD_SET(serv_sock, &reads); */
        event.events = EPOLLIN;
        event.data.fd = serv_sock;
        epoll_ctl(epfd, EPOLL_CTL_ADD, serv_sock, &event);
        event.data.fd = signal_pipe[0];
        epoll_ctl(epfd, EPOLL_CTL_ADD, signal_pipe[0], &event);
        event.events = 0;
        event.data.fd = logger_pipe;
        epoll_ctl(epfd, EPOLL_CTL_ADD, logger_pipe, &event);
        print_listening(serv_sock, &o);

        while (!stop)
        {
                int wait_ms = 5000;             /* select: 5 s */
                if (o.idle_timeout > 0) wait_ms = o.idle_timeout * 1000 / 2 < 1000 ? (int)(o.idle_timeout * 1000 / 2) : 1000;
                int64_t now = now_ns();
                if (accept_paused_until > 0) {
                        if (accept_paused_until <= now) {       /* the pause is over: watch the listener again */
                                event.events = EPOLLIN;
                                event.data.fd = serv_sock;
                                epoll_ctl(epfd, EPOLL_CTL_MOD, serv_sock, &event);
                                accept_paused_until = 0;
                        } else {
                                wait_ms = 100;
                        }
                }
                event_cnt = epoll_wait(epfd, events, EPOLL_SIZE, wait_ms);     /* select: select(fd_max+1, ...) */
                if (event_cnt == -1) {
                        if (errno == EINTR) continue;
                        break;
                }
                for (e = 0; e < event_cnt; e++)
                {
                        i = events[e].data.fd;
                        if (i == serv_sock)
                        {
                                adr_sz = sizeof(clnt_adr);
                                clnt_sock = accept(serv_sock, (struct sockaddr*)&clnt_adr, &adr_sz);
                                if (clnt_sock == -1) {
                                        if (errno != EAGAIN && errno != EINTR && errno != ECONNABORTED) {
                                                COUNT(errors, 1);
                                                burst_report(&accept_burst, "cannot accept a connection: %s;"
                                                             " accepting pauses for 100 ms at a time until it can",
                                                             strerror(errno));
                                                event.events = 0;               /* not watched for 100 ms: no spinning */
                                                event.data.fd = serv_sock;
                                                epoll_ctl(epfd, EPOLL_CTL_MOD, serv_sock, &event);
                                                accept_paused_until = now_ns() + 100000000LL;
                                        }
                                        continue;
                                }
                                burst_end(&accept_burst);
                                if (READ(active) >= o.max_connections) {
                                        close(clnt_sock);
                                        COUNT(connections_refused, 1);
                                        continue;
                                }
                                if (clnt_sock >= clients_cap) {
                                        int cap = clients_cap ? clients_cap : 1024;
                                        while (cap <= clnt_sock) cap *= 2;
                                        struct client *grown = realloc(clients, (size_t)cap * sizeof *clients);
                                        if (!grown) {
                                                close(clnt_sock);
                                                COUNT(connections_refused, 1);
                                                COUNT(errors, 1);
                                                continue;
                                        }
                                        memset(grown + clients_cap, 0, (size_t)(cap - clients_cap) * sizeof *clients);
                                        clients = grown;
                                        clients_cap = cap;
                                }
                                fcntl(clnt_sock, F_SETFL, O_NONBLOCK);
                                memset(&clients[clnt_sock], 0, sizeof clients[clnt_sock]);
                                clients[clnt_sock].open = 1;
                                clients[clnt_sock].clock_ns = now_ns();
                                framer_init(&clients[clnt_sock].framer, (uint32_t)READ(connections_accepted), o.max_line);
                                event.events = EPOLLIN;         /* select: FD_SET(clnt_sock, &reads) */
                                event.data.fd = clnt_sock;
                                epoll_ctl(epfd, EPOLL_CTL_ADD, clnt_sock, &event);
                                clients[clnt_sock].interest = EPOLLIN;     /* (0: not in the set) */
                                COUNT(connections_accepted, 1);
                                COUNT(active, 1);
                                update_interest(clnt_sock);     /* the logger may be behind */
                        }
                        else if (i == signal_pipe[0])
                        {
                                /* SIGTERM/SIGINT: `stop` ends the loop */
                        }
                        else if (i == logger_pipe)
                        {
                                send_to_logger();
                        }
                        else if (i < clients_cap && clients[i].open)
                        {
                                if (events[e].events & (EPOLLOUT | EPOLLERR)) send_echo(i);
                                if (!clients[i].open || clients[i].eof || !(clients[i].interest & EPOLLIN)) continue;
                                if (!(events[e].events & (EPOLLIN | EPOLLHUP | EPOLLERR))) continue;
                                str_len = read(i, buf, BUF_SIZE);
                                if (str_len == 0)
                                {
                                        end_client(i);
                                }
                                else if (str_len < 0)
                                {
                                        if (errno == EAGAIN || errno == EINTR) continue;
                                        COUNT(errors, 1);
                                        buf_consume(&clients[i].out, buf_size(&clients[i].out));
                                        end_client(i);
                                }
                                else
                                {
                                        buf_append(&clients[i].out, buf, (size_t)str_len);
                                        framer_feed(&clients[i].framer, buf, (size_t)str_len, &to_logger);
                                        clients[i].clock_ns = now_ns();
                                        send_echo(i);
                                }
                        }
                }
                if (buf_size(&to_logger) > 0) send_to_logger();

                if (o.idle_timeout > 0) {
                        now = now_ns();
                        for (i = 0; i < clients_cap; i++)
                                if (clients[i].open && !clients[i].eof && (clients[i].interest & EPOLLIN)
                                    && now - clients[i].clock_ns >= o.idle_timeout * 1000000000LL) {
                                        COUNT(connections_timed_out, 1);
                                        end_client(i);
                                }
                }
        }
        close(serv_sock);

        int64_t signalled = READ(term_at_ns);     /* the deadlines: common.h */
        for (i = 0; i < clients_cap; i++)
                if (clients[i].open && !clients[i].eof) end_client(i);
        if (buf_size(&to_logger) > 0) send_to_logger();
        for (;;) {
                int64_t now = now_ns();
                if (now >= signalled + SHUTDOWN_CLIENTS_NS)
                        for (i = 0; i < clients_cap; i++)
                                if (clients[i].open) close_client(i);   /* a client that does not read its echo */
                int waiting = buf_size(&to_logger) > 0;
                for (i = 0; i < clients_cap && !waiting; i++) waiting = clients[i].open;
                int64_t left = signalled + SHUTDOWN_PIPE_NS - now;
                if (!waiting || left <= 0) break;
                event_cnt = epoll_wait(epfd, events, EPOLL_SIZE, left > 100000000LL ? 100 : (int)(left / 1000000) + 1);
                for (e = 0; e < event_cnt; e++) {
                        i = events[e].data.fd;
                        if (i == logger_pipe) send_to_logger();
                        else if (i < clients_cap && clients[i].open && (events[e].events & (EPOLLOUT | EPOLLERR | EPOLLHUP)))
                                send_echo(i);
                }
        }
        COUNT(records_lost, records_in_frames(to_logger.p + to_logger.off, buf_size(&to_logger)));
        close(logger_pipe);
        while (waitpid(logger, NULL, 0) == -1 && errno == EINTR) {}
        print_summary();
        return 0;
}
