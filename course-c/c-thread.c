/*
 * c-thread: a pthread per client, the course's third model ("멀티쓰레딩 기반 서버: 클라이언트의
 * 수만큼 쓰레드를 생성하는 방식으로 서비스 제공", seed 002 line 368, seed 003 line 452). The course
 * notes have no listing for it, so this is echo_storeserv.c (seed 001, lines 1708-1822, as in
 * c-fork.c) with fork() replaced by pthread_create(): the same calls in the same order, the
 * handler child's loop (lines 1791-1802) become the thread's, the logger child behind the pipe
 * kept (common.c). What changes with threads:
 *  - the client's socket is not closed by the accepting thread (threads share descriptors:
 *    the seed's close(clnt_sock) in the parent, line 1807, would close the client's);
 *  - the listening socket is not closed by the handler (line 1794), for the same reason;
 *  - no SIGCHLD, no waitpid(): a thread is detached and leaves nothing to reap;
 *  - the threads write frames of at most PIPE_BUF bytes to the one pipe, as c-fork's children do,
 *    so that records of two threads never tear each other.
 * SIGTERM/SIGINT: stop accepting, shut down the reading side of every client (each thread sees
 * end of file and ends as at its client's EOF), wait for the threads, then for the logger.
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
#include <pthread.h>
#include <time.h>

#include "common.h"

#define BUF_SIZE 16384

struct slot {                           /* a client being served: for the shutdown */
        int used, fd;
        pthread_t thread;
        uint32_t conn;
};
static struct slot *slots;
static long slots_cap;
static pthread_mutex_t slots_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t slots_empty = PTHREAD_COND_INITIALIZER;

static volatile sig_atomic_t stop, give_up_client, give_up_pipe;   /* the shutdown's deadlines (common.h) */
static int serv_sock = -1;
static int pipe_wr;
static struct options o;

static void *handle_clnt(void *arg);

static void stop_server(int sig)
{
        (void)sig;
        stop = 1;
        note_signal_time();
        if (serv_sock != -1) shutdown(serv_sock, SHUT_RDWR);    /* wakes the accept() */
}

static void interrupt(int sig)
{
        (void)sig;                      /* SIGUSR1 interrupts a thread's blocked write() (EINTR) */
}

int main(int argc, char **argv)
{
        int clnt_sock;
        struct sockaddr_in clnt_addr;
        int fds[2];
        pthread_t t_id;
        struct sigaction act;
        socklen_t adr_sz;
        struct burst no_thread = {0};

        parse_options(argc, argv, "c-thread",
                      "A thread per client and a logger child behind a pipe (echo_storeserv.c with pthread_create).", &o);
        int log_fd = open_log(&o);
        shared_init();
        slots_cap = o.max_connections;
        slots = calloc((size_t)slots_cap, sizeof *slots);
        signal(SIGPIPE, SIG_IGN);

        memset(&act, 0, sizeof act);            /* seed: sigaction(SIGCHLD, ...): no children to reap here */
        sigemptyset(&act.sa_mask);
        act.sa_handler = stop_server;
        sigaction(SIGTERM, &act, 0);
        sigaction(SIGINT, &act, 0);
        act.sa_handler = interrupt;
        sigaction(SIGUSR1, &act, 0);

        serv_sock = listen_socket(&o);          /* seed lines 1744-1761 */

        if (pipe(fds) == -1) {                  /* seed line 1763 */
                fprintf(stderr, "cannot create the logger's pipe: %s.\n", strerror(errno));
                return 2;
        }
        int logger_closes[] = {serv_sock, fds[1], -1};
        pid_t logger = start_logger(fds[0], log_fd, &o, logger_closes);   /* seed lines 1764-1777, fixed */
        if (logger == -1) {
                fprintf(stderr, "cannot start the logger process: %s.\n", strerror(errno));
                return 2;
        }
        close(fds[0]);
        close(log_fd);
        pipe_wr = fds[1];
        print_listening(serv_sock, &o);

        while (!stop)                           /* seed line 1780 */
        {
                adr_sz = sizeof(clnt_addr);
                clnt_sock = accept(serv_sock, (struct sockaddr*)&clnt_addr, &adr_sz);   /* seed line 1784 */
                if (clnt_sock == -1) {
                        if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
                                COUNT(errors, 1);
                                burst_report(&no_thread, "cannot accept a connection: %s; accepting pauses"
                                             " for 100 ms at a time until it can", strerror(errno));
                                struct timespec pause = {0, 100 * 1000000L};
                                nanosleep(&pause, NULL);
                        }
                        continue;
                }
                if (READ(active) >= o.max_connections) {         /* protocol: accepted and closed, counted */
                        close(clnt_sock);
                        COUNT(connections_refused, 1);
                        continue;
                }
                pthread_mutex_lock(&slots_lock);
                long s;
                for (s = 0; s < slots_cap && slots[s].used; s++) {}
                slots[s].used = 1;
                slots[s].fd = clnt_sock;
                slots[s].conn = (uint32_t)READ(connections_accepted);
                COUNT(active, 1);
                int err = pthread_create(&t_id, NULL, handle_clnt, &slots[s]);    /* seed line 1790: fork() */
                if (err == 0) {
                        slots[s].thread = t_id;
                        pthread_detach(t_id);
                        COUNT(connections_accepted, 1);
                        burst_end(&no_thread);
                        pthread_mutex_unlock(&slots_lock);
                } else {
                        /* protocol: no thread for this client: closed, counted, reported once per burst */
                        slots[s].used = 0;
                        COUNT(active, -1);
                        pthread_mutex_unlock(&slots_lock);
                        close(clnt_sock);
                        COUNT(connections_refused, 1);
                        COUNT(errors, 1);
                        burst_report(&no_thread, "cannot start a thread for a client: %s; it is closed, and"
                                     " accepting pauses for 100 ms at a time until a thread can start", strerror(err));
                        struct timespec pause = {0, 100 * 1000000L};
                        nanosleep(&pause, NULL);
                }
                /* seed line 1807: close(clnt_sock) in the parent; not with threads: the descriptor is shared */
        }
        close(serv_sock);                       /* seed line 1810 */

        /* protocol: every connection ends as at its client's EOF: its thread reads end of file. */
        int64_t signalled = READ(term_at_ns);
        pthread_mutex_lock(&slots_lock);
        for (long i = 0; i < slots_cap; i++)
                if (slots[i].used) shutdown(slots[i].fd, SHUT_RD);
        while (READ(active) > 0) {
                struct timespec t;
                clock_gettime(CLOCK_REALTIME, &t);
                t.tv_nsec += 100 * 1000000L;
                if (t.tv_nsec >= 1000000000L) { t.tv_sec++; t.tv_nsec -= 1000000000L; }
                pthread_cond_timedwait(&slots_empty, &slots_lock, &t);
                int64_t now = now_ns();
                if (now >= signalled + SHUTDOWN_CLIENTS_NS) {
                        /* threads still blocked writing to a client that does not read, or (later) to a
                         * pipe the logger no longer reads: they give up what they could not send
                         * (interrupted again every 100 ms, for a write entered just before the flag) */
                        give_up_client = 1;
                        if (now >= signalled + SHUTDOWN_PIPE_NS) give_up_pipe = 1;
                        for (long i = 0; i < slots_cap; i++)
                                if (slots[i].used) {
                                        shutdown(slots[i].fd, SHUT_RDWR);
                                        pthread_kill(slots[i].thread, SIGUSR1);
                                }
                }
        }
        pthread_mutex_unlock(&slots_lock);
        close(pipe_wr);                         /* the logger's end of file */
        while (waitpid(logger, NULL, 0) == -1 && errno == EINTR) {}
        print_summary();
        return 0;
}

/* The seed's handler child (lines 1791-1802) as a thread: read, echo, write to the logger's pipe. */
static void *handle_clnt(void *arg)
{
        struct slot *slot = arg;
        int clnt_sock = slot->fd;
        char buf[BUF_SIZE];
        int str_len;
        struct framer framer;
        struct buf frames = {0};

        framer_init(&framer, slot->conn, o.max_line);
        for (;;)
        {
                if (o.idle_timeout > 0) {       /* protocol: --idle-timeout, as in c-fork */
                        struct pollfd pfd = {clnt_sock, POLLIN, 0};
                        int ready = poll(&pfd, 1, (int)(o.idle_timeout * 1000));
                        if (ready == -1 && errno == EINTR) continue;
                        if (ready == 0) { COUNT(connections_timed_out, 1); break; }
                }
                if (stop) break;                /* protocol: at SIGTERM, as if the client sent EOF */
                str_len = read(clnt_sock, buf, BUF_SIZE);        /* seed line 1795 */
                if (str_len == -1 && errno == EINTR && !give_up_client) continue;
                if (str_len == -1) { if (!give_up_client) COUNT(errors, 1); break; }
                if (str_len == 0) break;
                if (write_all(clnt_sock, buf, (size_t)str_len, &give_up_client) == -1) {   /* seed line 1797 */
                        if (!give_up_client) COUNT(errors, 1);
                        framer_feed(&framer, buf, (size_t)str_len, &frames);
                        break;
                }
                framer_feed(&framer, buf, (size_t)str_len, &frames);
                send_frames(pipe_wr, &frames, &give_up_pipe);    /* seed line 1798 */
        }
        framer_eof(&framer, &frames);
        send_frames(pipe_wr, &frames, &give_up_pipe);
        buf_free(&frames);
        pthread_mutex_lock(&slots_lock);
        COUNT(active, -1);                      /* the slot is free before the client sees the close */
        close(clnt_sock);                       /* seed line 1800 */
        slot->used = 0;
        pthread_cond_signal(&slots_empty);
        pthread_mutex_unlock(&slots_lock);
        return NULL;
}
