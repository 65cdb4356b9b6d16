/*
 * c-fork: the course's echo_storeserv.c (seed 001, lines 1708-1822): a process per client,
 * every message also stored through a logger child behind a pipe, zombies reaped on SIGCHLD
 * with waitpid(WNOHANG). The same calls in the same order; what docs/protocol.md adds is marked
 * "protocol:" and the shared parts are in common.c.
 *
 * Changes from the listing, and why:
 *  - the logger child reads until the pipe's end of file (the course notes' own fix, seed 001
 *    lines 1852-1870), not 10 messages; it is common.c's start_logger;
 *  - the handler children write frames of at most PIPE_BUF bytes to the pipe, not whatever
 *    read() returned: writes above PIPE_BUF from two children may interleave and tear records;
 *    the logger reassembles each child's bytes into records (common.h explains the frames);
 *  - read_childproc() reaps in a loop: one SIGCHLD may stand for several children that ended;
 *  - SIGTERM/SIGINT: stop accepting, end every child's connection as at its client's EOF, wait
 *    for the children and the logger, print the summary, exit 0;
 *  - nothing is printed per client (the seed's "new client connected..." and "removed proc id"):
 *    standard output carries only the protocol's "listening on" and "summary" lines.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <unistd.h>
#include <string.h>
#include <stdlib.h>
#include <arpa/inet.h>
#include <signal.h>
#include <sys/wait.h>
#include <sys/socket.h>
#include <errno.h>
#include <poll.h>
#include <time.h>

#include "common.h"

#define BUF_SIZE 16384          /* seed: 100 */

void read_childproc(int sig);
static void stop_server(int sig);
static void serve_client(int clnt_sock, int pipe_wr, const struct options *o);

static volatile sig_atomic_t stop;           /* protocol: SIGTERM or SIGINT arrived */
static int serv_sock = -1;
static pid_t *children;                      /* protocol: the handlers to pass SIGTERM on to */
static long children_cap;

int main(int argc, char **argv)
{
        int clnt_sock;
        struct sockaddr_in clnt_addr;
        int fds[2];

        pid_t pid;
        struct sigaction act;
        socklen_t adr_sz;
        int state;
        struct options o;
        struct burst no_process = {0};

        /* seed: if (argc != 2) { printf("Usage: %s <port>\n", ...); exit(1); } */
        parse_options(argc, argv, "c-fork",
                      "A process per client and a logger child behind a pipe (the course's echo_storeserv.c).", &o);
        int log_fd = open_log(&o);
        shared_init();
        children_cap = 2 * o.max_connections + 64;   /* reaped pids leave the list a moment after their slot is free */
        children = calloc((size_t)children_cap, sizeof *children);
        signal(SIGPIPE, SIG_IGN);                /* protocol: a client gone is an error counted, not death */

        act.sa_handler = read_childproc;         /* seed line 1739 */
        act.sa_flags = 0;
        sigemptyset(&act.sa_mask);
        state = sigaction(SIGCHLD, &act, 0);     /* seed line 1742 */
        act.sa_handler = stop_server;            /* protocol: SIGTERM and SIGINT end the server */
        sigaction(SIGTERM, &act, 0);
        sigaction(SIGINT, &act, 0);
        (void)state;

        serv_sock = listen_socket(&o);           /* seed lines 1744-1761: socket, bind, listen */

        if (pipe(fds) == -1) {                   /* seed line 1763 */
                fprintf(stderr, "cannot create the logger's pipe: %s.\n", strerror(errno));
                return 2;
        }
        int logger_closes[] = {serv_sock, fds[1], -1};   /* the logger must not hold the write end */
        pid_t logger = start_logger(fds[0], log_fd, &o, logger_closes);  /* seed lines 1764-1777 */
        if (logger == -1) {
                fprintf(stderr, "cannot start the logger process: %s.\n", strerror(errno));
                return 2;
        }
        close(fds[0]);
        close(log_fd);
        print_listening(serv_sock, &o);

        while (!stop)                            /* seed line 1780: while (1) */
        {
                adr_sz = sizeof(clnt_addr);      /* seed: sizeof(clnt_sock), a slip */
                clnt_sock = accept(serv_sock, (struct sockaddr*)&clnt_addr, &adr_sz);   /* seed line 1784 */
                if (clnt_sock == -1) {
                        /* seed: continue. EINTR is SIGCHLD (or SIGTERM: then `stop` ends the loop);
                         * protocol: out of descriptors, say so once per burst and pause 100 ms. */
                        if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
                                COUNT(errors, 1);
                                burst_report(&no_process, "cannot accept a connection: %s; accepting pauses"
                                             " for 100 ms at a time until it can", strerror(errno));
                                struct timespec pause = {0, 100 * 1000000L};
                                nanosleep(&pause, NULL);
                        }
                        continue;
                }
                /* protocol: over --max-connections, accept and close at once, counted */
                if (READ(active) >= o.max_connections) {
                        close(clnt_sock);
                        COUNT(connections_refused, 1);
                        continue;
                }

                sigset_t chld, old;
                sigemptyset(&chld);
                sigaddset(&chld, SIGCHLD);
                sigprocmask(SIG_BLOCK, &chld, &old);     /* the pid enters the list before it can leave */
                COUNT(active, 1);
                pid = fork();                            /* seed line 1790 */
                if (pid == 0)
                {
                        sigprocmask(SIG_SETMASK, &old, NULL);
                        close(serv_sock);                /* seed line 1794 */
                        serve_client(clnt_sock, fds[1], &o);
                        return 0;
                }
                else if (pid == -1)
                {       /* protocol: no process for this client: closed, counted, reported once per burst */
                        COUNT(active, -1);
                        COUNT(connections_refused, 1);
                        COUNT(errors, 1);
                        burst_report(&no_process, "cannot start a process for a client: %s; it is closed, and"
                                     " accepting pauses for 100 ms at a time until a process can start", strerror(errno));
                        close(clnt_sock);
                        sigprocmask(SIG_SETMASK, &old, NULL);
                        struct timespec pause = {0, 100 * 1000000L};
                        nanosleep(&pause, NULL);
                        continue;
                }
                else
                {
                        COUNT(connections_accepted, 1);
                        burst_end(&no_process);
                        for (long i = 0; i < children_cap; i++)
                                if (children[i] == 0) { children[i] = pid; break; }
                        sigprocmask(SIG_SETMASK, &old, NULL);
                        close(clnt_sock);                /* seed line 1807 */
                }
        }
        close(serv_sock);                        /* seed line 1810 */

        /* protocol: end every connection as at its client's EOF, then let the logger write the
         * rest. The logger sees the pipe's end of file once the last child has exited. */
        sigset_t chld;
        sigemptyset(&chld);
        sigaddset(&chld, SIGCHLD);
        sigprocmask(SIG_BLOCK, &chld, NULL);
        for (long i = 0; i < children_cap; i++)
                if (children[i] > 0) kill(children[i], SIGTERM);
        close(fds[1]);
        signal(SIGCHLD, SIG_DFL);
        sigprocmask(SIG_UNBLOCK, &chld, NULL);
        int status;
        while ((pid = waitpid(-1, &status, 0)) > 0 || (pid == -1 && errno == EINTR)) {}   /* no zombie left */
        print_summary();
        return 0;
}

/* seed lines 1815-1822; protocol: in a loop, since one SIGCHLD may stand for several children.
 * A child killed before it said its slot is free (see serve_client) frees it here. */
void read_childproc(int sig)
{
        pid_t pid;
        int status;
        int saved = errno;
        (void)sig;
        while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
        {
                /* seed: printf("removed proc id : %d \n", pid); not async-signal-safe, and stdout is the protocol's */
                for (long i = 0; i < children_cap; i++)
                        if (children[i] == pid) { children[i] = 0; break; }
                if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
                        COUNT(active, -1);
        }
        errno = saved;
}

/* protocol: SIGTERM/SIGINT stops accepting: the flag, and a shutdown() of the listening socket
 * that wakes the accept() (a signal that came just before accept() was called would not). */
static void stop_server(int sig)
{
        (void)sig;
        stop = 1;
        note_signal_time();
        if (serv_sock != -1) shutdown(serv_sock, SHUT_RDWR);
}

/* --- the handler child ----------------------------------------------------------------- */

/* The shutdown's deadlines (common.h), kept with alarm(): at SIGTERM + 2 s the echo to a client
 * that does not read is given up, at + 3 s (the logger reads its pipe to the end from + 2.5 s)
 * a frame the pipe does not take. */
static volatile sig_atomic_t give_up_client, give_up_pipe;

static void child_stop(int sig)
{
        (void)sig;
        if (!stop) alarm(2);
        stop = 1;
}

static void child_give_up(int sig)
{
        (void)sig;
        if (give_up_client) give_up_pipe = 1;
        give_up_client = 1;
        alarm(1);                            /* next deadline, or again for a write entered just before */
}

/* The seed's handler child (lines 1791-1802): read, echo, write to the logger's pipe. */
static void serve_client(int clnt_sock, int pipe_wr, const struct options *o)
{
        char buf[BUF_SIZE];
        int str_len;
        struct framer framer;
        struct buf frames = {0};
        struct sigaction act;

        memset(&act, 0, sizeof act);
        sigemptyset(&act.sa_mask);
        act.sa_handler = SIG_DFL;
        sigaction(SIGCHLD, &act, 0);
        act.sa_handler = child_stop;             /* no SA_RESTART: a blocked read() returns EINTR */
        sigaction(SIGTERM, &act, 0);
        sigaction(SIGINT, &act, 0);
        act.sa_handler = child_give_up;
        sigaction(SIGALRM, &act, 0);
        if (stop) alarm(2);                      /* the signal came between fork() and here */
        framer_init(&framer, (uint32_t)getpid(), o->max_line);

        for (;;)
        {
                /* protocol: --idle-timeout, the time waited to read, restarted by every byte */
                if (o->idle_timeout > 0) {
                        struct pollfd pfd = {clnt_sock, POLLIN, 0};
                        int ready = poll(&pfd, 1, (int)(o->idle_timeout * 1000));
                        if (ready == -1 && errno == EINTR && !stop) continue;
                        if (ready == 0) { COUNT(connections_timed_out, 1); break; }
                }
                if (stop) break;                 /* protocol: at SIGTERM, as if the client sent EOF */
                str_len = read(clnt_sock, buf, BUF_SIZE);        /* seed line 1795 */
                if (str_len == -1 && errno == EINTR) continue;
                if (str_len == -1) { COUNT(errors, 1); break; }  /* a reset */
                if (str_len == 0) break;
                if (write_all(clnt_sock, buf, (size_t)str_len, &give_up_client) == -1) {   /* seed line 1797 */
                        if (!give_up_client) COUNT(errors, 1);
                        framer_feed(&framer, buf, (size_t)str_len, &frames);
                        break;
                }
                framer_feed(&framer, buf, (size_t)str_len, &frames);
                send_frames(pipe_wr, &frames, &give_up_pipe);    /* seed line 1798: write(fds[1], buf, str_len) */
        }
        framer_eof(&framer, &frames);            /* protocol: the unfinished record, with '\n' */
        send_frames(pipe_wr, &frames, &give_up_pipe);
        /* Everything owed was echoed (the writes above block until it is). The slot is free
         * before the client sees the close, so a client that connects next is not refused. */
        COUNT(active, -1);
        close(clnt_sock);                        /* seed line 1800 */
        close(pipe_wr);
        exit(0);
}
