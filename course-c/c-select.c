/*
 * c-select: the course's select() echo server (seed 001, lines 1983-2090, "echo_selectserv"):
 * one process, one loop, FD_ISSET over 0..fd_max, accept on the listening socket, read and echo
 * on a client's. The same calls in the same order; what docs/protocol.md adds is marked
 * "protocol:", and the shared parts are in common.c.
 *
 * The limit: an fd_set holds descriptors 0..FD_SETSIZE-1 (1024 with glibc; seed 001 line 1888).
 * A client whose descriptor is FD_SETSIZE or more cannot be watched: it is accepted and closed at
 * once, counted in connectionsRefused and reported once per burst. So c-select serves at most
 * about FD_SETSIZE - 8 clients at once, whatever --max-connections says; c-epoll has no such limit.
 *
 * Changes from the listing, and why:
 *  - every record also goes to the course's logger child behind a pipe (echo_storeserv.c's, in
 *    common.c): the listing logs nothing, and the protocol keeps file I/O off the echo loop;
 *  - sockets are non-blocking, and echo the kernel does not take at once waits in the client's
 *    buffer, watched with a write set: the listing's write() would block the whole loop on one
 *    client that does not read. Past ECHO_BOUND bytes owed, the client is not read (backpressure);
 *  - read() == 0 (the client's EOF) closes only once everything owed has been sent (half-close);
 *  - the listing's `if (fd_num = 0) continue;` assigns instead of comparing (so it never
 *    continues); here it is `== 0`, and a time-out is when idle connections are checked;
 *  - SIGTERM/SIGINT reach the loop through a pipe in the read set (a flag alone could be set just
 *    before select() sleeps): then it stops accepting and ends every connection as at its EOF;
 *  - nothing is printed per client ("connected client", "closed client"): standard output
 *    carries only the protocol's "listening on" and "summary" lines.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/select.h>
#include <unistd.h>
#include <sys/time.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <errno.h>
#include <fcntl.h>

#include "common.h"

#define BUF_SIZE 16384                  /* seed: 100 */
#define ECHO_BOUND (64 * 1024)          /* unsent echo at which a client stops being read */
#define PIPE_BOUND (64 * 1024)          /* frames waiting for the logger's pipe at which every client does */

struct client {
        int open, eof;                  /* eof: the client's EOF (or its idle time-out) was read */
        struct framer framer;
        struct buf out;                 /* echo the kernel has not taken yet */
        int64_t clock_ns;               /* --idle-timeout: when the wait to read began */
};
static struct client clients[FD_SETSIZE];
static struct buf to_logger;            /* frames the logger's pipe has not taken yet */
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

static void close_client(int i, fd_set *reads)
{
        FD_CLR(i, reads);
        close(i);
        buf_free(&clients[i].out);
        clients[i].open = 0;
        COUNT(active, -1);
}

/* The client's EOF, or as if (an idle time-out, SIGTERM): its unfinished record is logged, and
 * the connection closes once its echo is all sent. */
static void end_client(int i, fd_set *reads)
{
        framer_eof(&clients[i].framer, &to_logger);
        clients[i].eof = 1;
        FD_CLR(i, reads);
        if (buf_size(&clients[i].out) == 0) close_client(i, reads);
}

/* Sends what the client is owed, as far as its socket takes it. */
static void send_echo(int i, fd_set *reads)
{
        struct client *c = &clients[i];
        while (buf_size(&c->out) > 0) {
                ssize_t w = write(i, c->out.p + c->out.off, buf_size(&c->out));
                if (w > 0) { COUNT(bytes_echoed, w); buf_consume(&c->out, (size_t)w); continue; }
                if (w == -1 && (errno == EAGAIN || errno == EINTR)) return;
                COUNT(errors, 1);                               /* the client reset or went */
                if (!c->eof) framer_eof(&c->framer, &to_logger);
                close_client(i, reads);
                return;
        }
        if (c->eof) close_client(i, reads);
}

/* Writes whole frames to the logger's pipe, as many as it takes, each write at most PIPE_BUF
 * bytes (atomic: the logger never sees half a frame). */
static void send_to_logger(void)
{
        send_frames_ready(logger_pipe, &to_logger);
}

int main(int argc, char* argv[])
{
        int serv_sock, clnt_sock;
        struct sockaddr_in clnt_adr;
        struct timeval timeout;
        fd_set reads, cpy_reads, cpy_writes;

        socklen_t adr_sz;
        int fd_max, str_len, fd_num, i;
        char buf[BUF_SIZE];
        struct options o;
        int fds[2];
        struct burst accept_burst = {0}, setsize_burst = {0};
        int64_t accept_paused_until = 0;

        /* seed: if (argc != 2) { printf("Usage: %s <port> \n", argv[0]); exit(1); } */
        parse_options(argc, argv, "c-select",
                      "One process, one select() loop over every client (the course's echo_selectserv.c);"
                      " at most FD_SETSIZE descriptors.", &o);
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

        serv_sock = listen_socket(&o);          /* seed lines 2017-2027: socket, bind, listen */
        fcntl(serv_sock, F_SETFL, O_NONBLOCK);

        /* protocol: the logger child of echo_storeserv.c (seed lines 1763-1777, fixed) */
        if (pipe(fds) == -1) { perror("pipe"); return 2; }
        int logger_closes[] = {serv_sock, fds[1], signal_pipe[0], signal_pipe[1], -1};
        pid_t logger = start_logger(fds[0], log_fd, &o, logger_closes);
        if (logger == -1) { fprintf(stderr, "cannot start the logger process: %s.\n", strerror(errno)); return 2; }
        close(fds[0]);
        close(log_fd);
        logger_pipe = fds[1];
        fcntl(logger_pipe, F_SETFL, O_NONBLOCK);
        print_listening(serv_sock, &o);

        FD_ZERO(&reads);                        /* seed lines 2029-2031 */
        FD_SET(serv_sock, &reads);
        FD_SET(signal_pipe[0], &reads);
        fd_max = serv_sock > signal_pipe[0] ? serv_sock : signal_pipe[0];
        if (logger_pipe > fd_max) fd_max = logger_pipe;

        while (!stop)                           /* seed: while (1) */
        {
                cpy_reads = reads;              /* seed line 2035 */
                FD_ZERO(&cpy_writes);
                int64_t now = now_ns();
                /* protocol: backpressure. A client owed ECHO_BOUND bytes is not read but written
                 * to; while the logger's pipe is behind by PIPE_BOUND, no client is read. */
                int logger_behind = buf_size(&to_logger) >= PIPE_BOUND;
                for (i = 0; i < fd_max + 1; i++) {
                        if (!clients[i].open) continue;
                        if (buf_size(&clients[i].out) > 0) FD_SET(i, &cpy_writes);
                        if (logger_behind || buf_size(&clients[i].out) >= ECHO_BOUND) {
                                FD_CLR(i, &cpy_reads);
                                clients[i].clock_ns = now;      /* not idle: the server does not wait to read */
                        }
                }
                if (buf_size(&to_logger) > 0) FD_SET(logger_pipe, &cpy_writes);
                if (accept_paused_until > now) FD_CLR(serv_sock, &cpy_reads);

                timeout.tv_sec = 5;             /* seed: 5 s and 5000 us */
                timeout.tv_usec = 5000;
                if (o.idle_timeout > 0) {       /* protocol: look at idle clients at least every second */
                        long ms = o.idle_timeout * 1000 / 2 < 1000 ? o.idle_timeout * 1000 / 2 : 1000;
                        timeout.tv_sec = ms / 1000;
                        timeout.tv_usec = (ms % 1000) * 1000;
                }
                if (accept_paused_until > now) {
                        timeout.tv_sec = 0;
                        timeout.tv_usec = 100000;
                }

                if ((fd_num = select(fd_max + 1, &cpy_reads, &cpy_writes, 0, &timeout)) == -1) {   /* seed line 2039 */
                        if (errno == EINTR) continue;
                        break;
                }
                if (fd_num > 0 && FD_ISSET(logger_pipe, &cpy_writes)) send_to_logger();
                for (i = 0; fd_num > 0 && i < fd_max + 1; i++)
                {
                        if (clients[i].open && FD_ISSET(i, &cpy_writes)) send_echo(i, &reads);
                        if (FD_ISSET(i, &cpy_reads))
                        {
                                if (i == serv_sock)
                                //i번 FD가 서버 소켓이라면 ⇒ 새로운 클라이언트가 접속 요청한 것
                                {
                                        adr_sz = sizeof(clnt_adr);
                                        clnt_sock = accept(serv_sock, (struct sockaddr*)&clnt_adr, &adr_sz);
                                        if (clnt_sock == -1) {
                                                /* protocol: out of descriptors: counted, said once per burst,
                                                 * and the listening socket left alone for 100 ms (no spinning) */
                                                if (errno != EAGAIN && errno != EINTR && errno != ECONNABORTED) {
                                                        COUNT(errors, 1);
                                                        burst_report(&accept_burst, "cannot accept a connection: %s;"
                                                                     " accepting pauses for 100 ms at a time until it can",
                                                                     strerror(errno));
                                                        accept_paused_until = now_ns() + 100000000LL;
                                                }
                                                continue;
                                        }
                                        burst_end(&accept_burst);
                                        if (clnt_sock >= FD_SETSIZE) {
                                                /* the limit of select(): see the top of this file */
                                                close(clnt_sock);
                                                COUNT(connections_refused, 1);
                                                burst_report(&setsize_burst, "refusing connections: their descriptors"
                                                             " are beyond select()'s FD_SETSIZE (%d)", FD_SETSIZE);
                                                continue;
                                        }
                                        burst_end(&setsize_burst);
                                        if (READ(active) >= o.max_connections) {
                                                /* protocol: over --max-connections, accepted and closed, counted */
                                                close(clnt_sock);
                                                COUNT(connections_refused, 1);
                                                continue;
                                        }
                                        fcntl(clnt_sock, F_SETFL, O_NONBLOCK);
                                        FD_SET(clnt_sock, &reads);
                                        if (fd_max < clnt_sock)
                                        {
                                                fd_max = clnt_sock;
                                        }
                                        /* seed: printf("connected client :%d \n", clnt_sock); */
                                        memset(&clients[clnt_sock], 0, sizeof clients[clnt_sock]);
                                        clients[clnt_sock].open = 1;
                                        clients[clnt_sock].clock_ns = now_ns();
                                        framer_init(&clients[clnt_sock].framer, (uint32_t)READ(connections_accepted), o.max_line);
                                        COUNT(connections_accepted, 1);
                                        COUNT(active, 1);
                                }
                                else if (i == signal_pipe[0])
                                {
                                        /* SIGTERM/SIGINT: `stop` ends the loop */
                                }
                                else if (clients[i].open && !clients[i].eof)
                                {       //i번 FD가 클라이언트 소켓일 때 (서버 소켓이 아님)
                                        str_len = read(i, buf, BUF_SIZE);       /* seed line 2062 */
                                        if (str_len == 0)
                                        {
                                                end_client(i, &reads);          /* seed: FD_CLR(i, &reads); close(i); */
                                        }
                                        else if (str_len < 0)
                                        {
                                                if (errno == EAGAIN || errno == EINTR) continue;
                                                COUNT(errors, 1);               /* a reset */
                                                buf_consume(&clients[i].out, buf_size(&clients[i].out));
                                                end_client(i, &reads);
                                        }
                                        else
                                        {       // 에코 처리
                                                buf_append(&clients[i].out, buf, (size_t)str_len);  /* seed: write(i, buf, str_len); */
                                                framer_feed(&clients[i].framer, buf, (size_t)str_len, &to_logger);
                                                clients[i].clock_ns = now_ns();
                                                send_echo(i, &reads);
                                        }
                                }
                        }
                }
                if (buf_size(&to_logger) > 0) send_to_logger();

                /* protocol: --idle-timeout; a client silent that long while waited on ends as at EOF */
                if (o.idle_timeout > 0) {
                        now = now_ns();
                        for (i = 0; i < fd_max + 1; i++)
                                if (clients[i].open && !clients[i].eof
                                    && now - clients[i].clock_ns >= o.idle_timeout * 1000000000LL) {
                                        COUNT(connections_timed_out, 1);
                                        end_client(i, &reads);
                                }
                }
        }
        close(serv_sock);                       /* seed line 2079 */

        /* protocol: end every connection as at its EOF: log its unfinished record, send what it
         * is owed until the deadline, close; then hand the logger the rest and wait for it. */
        int64_t signalled = READ(term_at_ns);     /* the deadlines: common.h */
        for (i = 0; i < fd_max + 1; i++)
                if (clients[i].open && !clients[i].eof) end_client(i, &reads);
        for (;;) {
                int64_t now = now_ns();
                if (now >= signalled + SHUTDOWN_CLIENTS_NS)
                        for (i = 0; i < fd_max + 1; i++)
                                if (clients[i].open) close_client(i, &reads);   /* a client that does not read its echo */
                FD_ZERO(&cpy_writes);
                int waiting = 0;
                for (i = 0; i < fd_max + 1; i++)
                        if (clients[i].open) { FD_SET(i, &cpy_writes); waiting = 1; }
                if (buf_size(&to_logger) > 0) { FD_SET(logger_pipe, &cpy_writes); waiting = 1; }
                int64_t left = signalled + SHUTDOWN_PIPE_NS - now;
                if (!waiting || left <= 0) break;
                timeout.tv_sec = 0;
                timeout.tv_usec = left > 100000000LL ? 100000 : (long)(left / 1000);
                if (select(fd_max + 1, NULL, &cpy_writes, NULL, &timeout) <= 0) continue;
                if (FD_ISSET(logger_pipe, &cpy_writes)) send_to_logger();
                for (i = 0; i < fd_max + 1; i++)
                        if (clients[i].open && FD_ISSET(i, &cpy_writes)) send_echo(i, &reads);
        }
        COUNT(records_lost, records_in_frames(to_logger.p + to_logger.off, buf_size(&to_logger)));
        close(logger_pipe);                     /* the logger's end of file */
        while (waitpid(logger, NULL, 0) == -1 && errno == EINTR) {}
        print_summary();
        return 0;
}
