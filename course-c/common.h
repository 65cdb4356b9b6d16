/*
 * common.h: what docs/protocol.md adds to every one of the course's servers, kept out of
 * their own files so that each reads top to bottom beside its listing in the course notes
 * (/work/shared/seeds/001_*.txt): the options and their bounds, the counters and the summary
 * line, the record framer (--max-line), and the logger child of echo_storeserv.c, which all
 * four servers use (the seed's bug fixed: it logs until the pipe's end of file, not ten reads).
 *
 * The pipe between the servers and the logger carries frames: an 8-byte header (connection
 * id, payload length) and at most FRAME_PAYLOAD bytes, so that every frame is one write() of at
 * most PIPE_BUF bytes, which the kernel never interleaves with another writer's. A record longer
 * than one frame is sent in several; the logger reassembles each connection's bytes and appends
 * a record to the file only once its '\n' has arrived. This is what keeps records whole when
 * many handler processes (c-fork) or threads (c-thread) write to one pipe: the seed wrote
 * whatever read() returned, and two writes above PIPE_BUF could tear each other's records.
 */
#ifndef ECHOSUITE_COURSE_C_COMMON_H
#define ECHOSUITE_COURSE_C_COMMON_H

#include <limits.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define COURSE_C_VERSION "0.1.0"

/* --- options (docs/protocol.md, "Starting a server") ------------------------------------ */
struct options {
    int port;                   /* --port N, 0..65535, default 9190 */
    const char *bind;           /* --bind ADDR, default 127.0.0.1 */
    const char *log;            /* --log FILE, default echomsg.txt */
    long max_line;              /* --max-line BYTES, >= 1, default 65536 */
    long max_connections;       /* --max-connections N, >= 1, default 10000 */
    long max_log_backlog;       /* --max-log-backlog BYTES, >= 1, default 4194304 */
    long idle_timeout;          /* --idle-timeout SECONDS, 0 (off) .. 604800 */
};

/* Parses argv; --help and --version print and exit 0; a bad command line gets one sentence on
 * stderr and exit status 2. `about` is one line on the server's model for --help. */
void parse_options(int argc, char **argv, const char *name, const char *about, struct options *o);

/* Opens the log for appending (O_APPEND | O_CREAT, mode 0640) or exits 2 with one sentence. */
int open_log(const struct options *o);

/* socket(), SO_REUSEADDR, bind() to --bind:--port, listen(); exits 2 with one sentence if the
 * address cannot be bound. The course listens with a backlog of 5; here it is SOMAXCONN so that
 * clients beyond what a server holds wait in the backlog instead of timing out. */
int listen_socket(const struct options *o);

/* Prints "listening on HOST:PORT" (the real port) and flushes it. */
void print_listening(int serv_sock, const struct options *o);

/* --- counters and the summary line (docs/protocol.md, "Shutdown and the summary line") -- */
/* In memory shared by every process of a server (mmap MAP_SHARED before any fork), so that
 * handler children and the logger child count into the same place as the parent. */
struct shared {
    long connections_accepted;
    long connections_refused;
    long connections_timed_out;
    long bytes_echoed;
    long records_logged;
    long records_lost;
    long errors;
    long active;                /* connections being served now (c-fork: children that hold a client) */
    int64_t term_at_ns;         /* CLOCK_MONOTONIC of SIGTERM/SIGINT, 0 before: the logger's deadline */
};
extern struct shared *shm;
/* Maps the counters, and unblocks SIGCHLD, SIGTERM and SIGINT (which a parent may have left blocked). */
void shared_init(void);
#define COUNT(field, n) __atomic_add_fetch(&shm->field, (n), __ATOMIC_RELAXED)
#define READ(field) __atomic_load_n(&shm->field, __ATOMIC_RELAXED)
void print_summary(void);

/* The shutdown's deadlines, counted from the signal (the protocol: exit within 5 s):
 *  - CLIENTS: echo owed to a client that does not read is given up, its connection closed;
 *  - LOG: the logger gives up the records its storage has not taken (the protocol's 3 s at most),
 *    counts them in recordsLost, and then reads its pipe to the end, counting what it still
 *    holds: so the servers' last frames always reach it, and each record is counted in one place;
 *  - PIPE: a server gives up a frame the pipe does not take (only if the logger is gone), and
 *    counts its records lost itself. */
#define SHUTDOWN_CLIENTS_NS (2000LL * 1000000LL)
#define SHUTDOWN_LOG_NS     (2500LL * 1000000LL)
#define SHUTDOWN_PIPE_NS    (3500LL * 1000000LL)
int64_t now_ns(void);
/* Async-signal-safe: records the moment of the first SIGTERM/SIGINT. */
void note_signal_time(void);

/* --- reporting once per burst (docs/protocol.md, "Limits and refusals") ---------------- */
struct burst { int reporting; };
void burst_report(struct burst *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void burst_end(struct burst *b);

/* --- a growable byte buffer ------------------------------------------------------------ */
struct buf { char *p; size_t off, len, cap; };   /* the bytes not yet consumed are p[off..len) */
void buf_append(struct buf *b, const void *data, size_t n);
void buf_consume(struct buf *b, size_t n);
static inline size_t buf_size(const struct buf *b) { return b->len - b->off; }
void buf_free(struct buf *b);

/* --- the record framer and the frames (docs/protocol.md, "Logging") -------------------- */
#define FRAME_HEADER 8
#define FRAME_PAYLOAD (PIPE_BUF - FRAME_HEADER)
struct framer {
    uint32_t conn;              /* the connection's id in the frames (a pid, a serial number) */
    long max_line;
    long run;                   /* bytes since the last '\n' */
};
void framer_init(struct framer *f, uint32_t conn, long max_line);
/* Appends frames carrying `data` as records: '\n' kept, a '\n' added after every --max-line
 * bytes without one unless the next byte is '\n'. */
void framer_feed(struct framer *f, const char *data, size_t n, struct buf *frames);
/* End of the connection's bytes: the unfinished record, if any, with a '\n' added. */
void framer_eof(struct framer *f, struct buf *frames);
/* Records ('\n's) in the payloads of a run of whole frames. */
long records_in_frames(const char *frames, size_t len);

/* Writes whole frames from `frames` to the (blocking) pipe, each in one write(): atomic. A
 * write interrupted by a signal is retried unless *give_up is set (SHUTDOWN_PIPE_NS passed);
 * then the records whose frames were not written are added to recordsLost and -1 is returned. */
int send_frames(int pipe_fd, struct buf *frames, volatile sig_atomic_t *give_up);

/* The same for a non-blocking pipe (the select and epoll loops): writes as many whole frames as
 * the pipe takes now, at most PIPE_BUF bytes per write(), and leaves the rest in `frames` for
 * when it is writable again. A pipe that fails otherwise: one line, its records counted lost. */
void send_frames_ready(int pipe_fd, struct buf *frames);

/* --- the logger child (seed 001, echo_storeserv.c lines 1763-1777, bug fixed) ----------- */
/* Forks the logger: it reads frames from pipe_rd until every writer has closed the pipe, and
 * appends whole records to log_fd. It closes the fds in close_in_child (ending with -1) first.
 * Returns its pid to the parent. */
pid_t start_logger(int pipe_rd, int log_fd, const struct options *o, const int *close_in_child);

/* Writes all of buf to a blocking socket; retries on EINTR unless *give_up. Counts bytesEchoed.
 * Returns 0, or -1 on an error (errno set) or when given up. */
int write_all(int fd, const char *data, size_t n, volatile sig_atomic_t *give_up);

#endif
