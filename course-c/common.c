/* common.c: see common.h. */
#define _GNU_SOURCE
#include "common.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct shared *shm;

/* --- options --------------------------------------------------------------------------- */

static void usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(2);
}

static long number(const char *opt, const char *value, long min, long max, const char *bound)
{
    char *end;
    errno = 0;
    long v = strtol(value, &end, 10);
    if (*value == '\0' || *end != '\0' || errno == ERANGE)
        usage_error("%s must be a whole number, got '%s'.", opt, value);
    if (v < min || v > max)
        usage_error("%s must be %s, got %ld.", opt, bound, v);
    return v;
}

void parse_options(int argc, char **argv, const char *name, const char *about, struct options *o)
{
    o->port = 9190;
    o->bind = "127.0.0.1";
    o->log = "echomsg.txt";
    o->max_line = 65536;
    o->max_connections = 10000;
    o->max_log_backlog = 4194304;
    o->idle_timeout = 0;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (!strcmp(arg, "--help") || !strcmp(arg, "-h")) {
            printf("Usage: %s [--port N] [--bind ADDR] [--log FILE] [--max-line BYTES]\n"
                   "       [--max-connections N] [--max-log-backlog BYTES] [--idle-timeout SECONDS]\n"
                   "%s\n"
                   "The echo-with-logging protocol of docs/protocol.md:\n"
                   "  --port N                 TCP port; 0 lets the OS choose (default 9190)\n"
                   "  --bind ADDR              IPv4 address to listen on (default 127.0.0.1)\n"
                   "  --log FILE               log, opened for append (default echomsg.txt)\n"
                   "  --max-line BYTES         longest record logged without a newline (default 65536)\n"
                   "  --max-connections N      clients served at once; more are accepted and closed (default 10000)\n"
                   "  --max-log-backlog BYTES  records that may wait for the logger (default 4194304)\n"
                   "  --idle-timeout SECONDS   end a connection silent this long, as at EOF (default 0: off)\n"
                   "  --help, --version\n", name, about);
            exit(0);
        }
        if (!strcmp(arg, "--version")) {
            printf("%s (echosuite course-c) %s\n", name, COURSE_C_VERSION);
            exit(0);
        }
        /* "--opt VALUE" or "--opt=VALUE" */
        char opt[64];
        const char *value;
        const char *eq = strchr(arg, '=');
        if (strncmp(arg, "--", 2) != 0)
            usage_error("unexpected argument '%s' (options start with --; try --help).", arg);
        if (eq && (size_t)(eq - arg) < sizeof opt) {
            memcpy(opt, arg, (size_t)(eq - arg));
            opt[eq - arg] = '\0';
            value = eq + 1;
        } else {
            snprintf(opt, sizeof opt, "%s", arg);
            value = NULL;
        }
        static const char *known[] = {"--port", "--bind", "--log", "--max-line", "--max-connections",
                                      "--max-log-backlog", "--idle-timeout", NULL};
        int k;
        for (k = 0; known[k] && strcmp(known[k], opt); k++) {}
        if (!known[k])
            usage_error("unknown option '%s' (try --help).", opt);
        if (!value) {
            if (i + 1 >= argc) usage_error("%s needs a value (try --help).", opt);
            value = argv[++i];
        }
        if (!strcmp(opt, "--port")) o->port = (int)number(opt, value, 0, 65535, "between 0 and 65535");
        else if (!strcmp(opt, "--bind")) o->bind = value;
        else if (!strcmp(opt, "--log")) o->log = value;
        else if (!strcmp(opt, "--max-line")) o->max_line = number(opt, value, 1, INT_MAX, "at least 1 byte");
        else if (!strcmp(opt, "--max-connections")) o->max_connections = number(opt, value, 1, INT_MAX, "at least 1");
        else if (!strcmp(opt, "--max-log-backlog")) o->max_log_backlog = number(opt, value, 1, INT_MAX, "at least 1 byte");
        else if (!strcmp(opt, "--idle-timeout"))
            o->idle_timeout = number(opt, value, 0, 604800, "0 (off) or a number of seconds, at most 604800 (a week)");
    }
    struct in_addr a;
    if (inet_pton(AF_INET, o->bind, &a) != 1)
        usage_error("--bind must be an IPv4 address such as 127.0.0.1, got '%s'.", o->bind);
}

int open_log(const struct options *o)
{
    int fd = open(o->log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
    if (fd == -1)
        usage_error("cannot open log file %s for appending: %s.", o->log, strerror(errno));
    return fd;
}

int listen_socket(const struct options *o)
{
    struct sockaddr_in serv_adr;
    int on = 1;
    int serv_sock = socket(PF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (serv_sock == -1)
        usage_error("cannot create a socket: %s.", strerror(errno));
    /* A restart binds the port at once, even with connections of a killed server in TIME_WAIT
     * (the course's "bind() error" after Ctrl-C, seed 001 lines 2226-2229). */
    setsockopt(serv_sock, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    memset(&serv_adr, 0, sizeof(serv_adr));
    serv_adr.sin_family = AF_INET;
    inet_pton(AF_INET, o->bind, &serv_adr.sin_addr);
    serv_adr.sin_port = htons((uint16_t)o->port);
    if (bind(serv_sock, (struct sockaddr *)&serv_adr, sizeof(serv_adr)) == -1)
        usage_error("cannot listen on %s:%d: %s.", o->bind, o->port, strerror(errno));
    if (listen(serv_sock, SOMAXCONN) == -1)
        usage_error("cannot listen on %s:%d: %s.", o->bind, o->port, strerror(errno));
    return serv_sock;
}

void print_listening(int serv_sock, const struct options *o)
{
    struct sockaddr_in a;
    socklen_t len = sizeof a;
    getsockname(serv_sock, (struct sockaddr *)&a, &len);
    printf("listening on %s:%d\n", o->bind, ntohs(a.sin_port));
    fflush(stdout);
}

/* --- counters -------------------------------------------------------------------------- */

void shared_init(void)
{
    shm = mmap(NULL, sizeof *shm, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (shm == MAP_FAILED) {
        fprintf(stderr, "cannot map the counters' shared memory: %s.\n", strerror(errno));
        exit(1);
    }
    memset(shm, 0, sizeof *shm);
    /* A parent may start us with signals blocked (a shell's subshell blocks SIGCHLD): then
     * SIGCHLD would never reach read_childproc, and zombies would stay until the end. */
    sigset_t mine;
    sigemptyset(&mine);
    sigaddset(&mine, SIGCHLD);
    sigaddset(&mine, SIGTERM);
    sigaddset(&mine, SIGINT);
    sigprocmask(SIG_UNBLOCK, &mine, NULL);
}

void print_summary(void)
{
    printf("summary {\"connectionsAccepted\":%ld,\"connectionsRefused\":%ld,\"connectionsTimedOut\":%ld,"
           "\"bytesEchoed\":%ld,\"recordsLogged\":%ld,\"recordsLost\":%ld,\"errors\":%ld}\n",
           READ(connections_accepted), READ(connections_refused), READ(connections_timed_out),
           READ(bytes_echoed), READ(records_logged), READ(records_lost), READ(errors));
    fflush(stdout);
}

int64_t now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000000000LL + t.tv_nsec;
}

void note_signal_time(void)
{
    int64_t zero = 0, now = now_ns();
    __atomic_compare_exchange_n(&shm->term_at_ns, &zero, now, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
}

void burst_report(struct burst *b, const char *fmt, ...)
{
    if (b->reporting) return;
    b->reporting = 1;
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    fflush(stderr);
}

void burst_end(struct burst *b)
{
    b->reporting = 0;
}

/* --- buffers --------------------------------------------------------------------------- */

void buf_append(struct buf *b, const void *data, size_t n)
{
    if (b->off > 0 && b->off == b->len) b->off = b->len = 0;
    if (b->len + n > b->cap) {
        if (b->off > 0) {                       /* slide down first */
            memmove(b->p, b->p + b->off, b->len - b->off);
            b->len -= b->off;
            b->off = 0;
        }
        if (b->len + n > b->cap) {
            size_t cap = b->cap ? b->cap : 4096;
            while (cap < b->len + n) cap *= 2;
            char *p = realloc(b->p, cap);
            if (!p) { fprintf(stderr, "out of memory.\n"); abort(); }
            b->p = p;
            b->cap = cap;
        }
    }
    memcpy(b->p + b->len, data, n);
    b->len += n;
}

void buf_consume(struct buf *b, size_t n)
{
    b->off += n;
    if (b->off == b->len) b->off = b->len = 0;
}

void buf_free(struct buf *b)
{
    free(b->p);
    memset(b, 0, sizeof *b);
}

/* --- framer and frames ----------------------------------------------------------------- */

void framer_init(struct framer *f, uint32_t conn, long max_line)
{
    f->conn = conn;
    f->max_line = max_line;
    f->run = 0;
}

/* Appends `n` bytes of the connection's record stream as frames. */
static void put_frames(uint32_t conn, const char *s, size_t n, struct buf *frames)
{
    while (n > 0) {
        uint32_t len = n > FRAME_PAYLOAD ? FRAME_PAYLOAD : (uint32_t)n;
        uint32_t header[2] = {conn, len};
        buf_append(frames, header, sizeof header);
        buf_append(frames, s, len);
        s += len;
        n -= len;
    }
}

void framer_feed(struct framer *f, const char *data, size_t n, struct buf *frames)
{
    /* The record stream is `data` with a '\n' added wherever a run reaches --max-line bytes and
     * the next byte is not '\n': a cut is decided only when that next byte is seen. */
    char stream[2 * FRAME_PAYLOAD];
    size_t s = 0;
    for (size_t i = 0; i < n; i++) {
        char c = data[i];
        if (f->run == f->max_line && c != '\n') {
            stream[s++] = '\n';
            f->run = 0;
        }
        stream[s++] = c;
        f->run = c == '\n' ? 0 : f->run + 1;
        if (s >= FRAME_PAYLOAD) {
            put_frames(f->conn, stream, s, frames);
            s = 0;
        }
    }
    put_frames(f->conn, stream, s, frames);
}

void framer_eof(struct framer *f, struct buf *frames)
{
    if (f->run > 0) put_frames(f->conn, "\n", 1, frames);
    f->run = 0;
}

long records_in_frames(const char *frames, size_t len)
{
    long records = 0;
    size_t at = 0;
    while (at + FRAME_HEADER <= len) {
        uint32_t header[2];
        memcpy(header, frames + at, sizeof header);
        at += FRAME_HEADER;
        for (uint32_t i = 0; i < header[1] && at + i < len; i++)
            if (frames[at + i] == '\n') records++;
        at += header[1];
    }
    return records;
}

void send_frames_ready(int pipe_fd, struct buf *frames)
{
    while (buf_size(frames) > 0) {
        size_t n = 0;
        while (n < buf_size(frames)) {
            uint32_t header[2];
            memcpy(header, frames->p + frames->off + n, sizeof header);
            if (n + FRAME_HEADER + header[1] > PIPE_BUF) break;
            n += FRAME_HEADER + header[1];
        }
        ssize_t w = write(pipe_fd, frames->p + frames->off, n);
        if (w == (ssize_t)n) { buf_consume(frames, n); continue; }
        if (w == -1 && (errno == EAGAIN || errno == EINTR)) return;
        fprintf(stderr, "the logger's pipe failed: %s; the records waiting for it are lost\n", strerror(errno));
        COUNT(errors, 1);
        COUNT(records_lost, records_in_frames(frames->p + frames->off, buf_size(frames)));
        buf_consume(frames, buf_size(frames));
        return;
    }
}

int send_frames(int pipe_fd, struct buf *frames, volatile sig_atomic_t *give_up)
{
    while (buf_size(frames) > 0) {
        uint32_t header[2];
        memcpy(header, frames->p + frames->off, sizeof header);
        size_t n = FRAME_HEADER + header[1];
        ssize_t w = -1;
        errno = EINTR;
        if (!(give_up && *give_up))                                 /* given up: no write that may block */
            w = write(pipe_fd, frames->p + frames->off, n);         /* n <= PIPE_BUF: all or nothing */
        if (w == (ssize_t)n) {
            buf_consume(frames, n);
            continue;
        }
        if (w == -1 && errno == EINTR && !(give_up && *give_up)) continue;
        COUNT(records_lost, records_in_frames(frames->p + frames->off, buf_size(frames)));
        buf_consume(frames, buf_size(frames));
        return -1;
    }
    return 0;
}

int write_all(int fd, const char *data, size_t n, volatile sig_atomic_t *give_up)
{
    while (n > 0) {
        ssize_t w = -1;
        errno = EINTR;
        if (!(give_up && *give_up)) w = write(fd, data, n);       /* given up: no write that may block */
        if (w > 0) {
            COUNT(bytes_echoed, w);
            data += w;
            n -= (size_t)w;
        } else if (w == -1 && errno == EINTR && !(give_up && *give_up)) {
            continue;
        } else {
            if (w == -1 && errno == EINTR) errno = ETIMEDOUT;
            return -1;
        }
    }
    return 0;
}

/* --- the logger child ------------------------------------------------------------------ */
/*
 * Two threads: this one reads frames from the pipe, reassembles each connection's records and
 * appends whole ones to the backlog; the writer thread writes the backlog to the file. The
 * reader stops reading the pipe while the backlog holds --max-log-backlog bytes, so the pipe
 * fills and the servers stop reading their clients (backpressure; nothing is dropped). A write
 * that fails is retried every 100 ms and reported once per burst; a write that has not returned
 * for a second is reported once. At the pipe's end of file the logger writes what is left until
 * the shutdown deadline (3 s after the server's signal), then gives up the rest, counted in
 * recordsLost, cutting a half-written record off the file where the file allows it.
 */

struct partial {                        /* a connection's unfinished record */
    uint32_t conn;
    struct buf bytes;
    struct partial *next;
};
#define BUCKETS 4096

static struct {
    int fd;
    const char *name;
    long max_backlog;
    pthread_mutex_t lock;
    pthread_cond_t have_data, have_room;
    struct buf backlog;                 /* whole records waiting for the writer (lock) */
    size_t writing_len;                 /* bytes the writer took and has not finished (lock) */
    int eof, writer_done;               /* (lock) */
    long records_in;                    /* records handed to the backlog (lock) */
    int64_t write_started_ns;           /* atomic: a write() in progress since, or 0 */
    long write_seq;                     /* atomic: numbers the writes */
    int is_regular;
    off_t whole_offset;                 /* atomic: the file's size after the last whole record */
    off_t file_offset;                  /* atomic: the file's size after the last write */
    struct partial *buckets[BUCKETS];
} lg;

static long count_newlines(const char *p, size_t n)
{
    long c = 0;
    for (const char *q = p; (q = memchr(q, '\n', (size_t)(p + n - q))) != NULL; q++) c++;
    return c;
}

static void *writer_main(void *arg)
{
    (void)arg;
    struct buf writing = {0};
    struct burst failing = {0};
    pthread_mutex_lock(&lg.lock);
    for (;;) {
        while (buf_size(&lg.backlog) == 0 && !lg.eof)
            pthread_cond_wait(&lg.have_data, &lg.lock);
        if (buf_size(&lg.backlog) == 0) break;                 /* end of file, all written */
        struct buf t = writing; writing = lg.backlog; lg.backlog = t;   /* take the whole backlog */
        lg.writing_len = buf_size(&writing);
        pthread_mutex_unlock(&lg.lock);
        while (buf_size(&writing) > 0) {
            size_t n = buf_size(&writing);
            if (n > (1 << 20)) n = 1 << 20;
            __atomic_add_fetch(&lg.write_seq, 1, __ATOMIC_SEQ_CST);
            __atomic_store_n(&lg.write_started_ns, now_ns(), __ATOMIC_SEQ_CST);
            ssize_t w = write(lg.fd, writing.p + writing.off, n);
            __atomic_store_n(&lg.write_started_ns, 0, __ATOMIC_SEQ_CST);
            if (w > 0) {
                const char *p = writing.p + writing.off;
                const char *last = memrchr(p, '\n', (size_t)w);
                off_t at = __atomic_load_n(&lg.file_offset, __ATOMIC_SEQ_CST);
                __atomic_store_n(&lg.file_offset, at + w, __ATOMIC_SEQ_CST);
                if (last) __atomic_store_n(&lg.whole_offset, at + (last - p) + 1, __ATOMIC_SEQ_CST);
                COUNT(records_logged, count_newlines(p, (size_t)w));
                buf_consume(&writing, (size_t)w);
                burst_end(&failing);
            } else if (w == -1 && errno == EINTR) {
                continue;
            } else {
                burst_report(&failing, "cannot write to log file %s: %s; clients wait while it is retried",
                             lg.name, w == 0 ? "nothing written" : strerror(errno));
                struct timespec pause = {0, 100 * 1000000L};
                nanosleep(&pause, NULL);
            }
        }
        pthread_mutex_lock(&lg.lock);
        lg.writing_len = 0;
        pthread_cond_broadcast(&lg.have_room);
    }
    lg.writer_done = 1;
    pthread_cond_broadcast(&lg.have_room);
    pthread_mutex_unlock(&lg.lock);
    buf_free(&writing);
    return NULL;
}

/* Reports a write() that has not returned for a second, once per write. */
static void watch_the_writer(void)
{
    static long reported_seq = -1;
    int64_t since = __atomic_load_n(&lg.write_started_ns, __ATOMIC_SEQ_CST);
    long seq = __atomic_load_n(&lg.write_seq, __ATOMIC_SEQ_CST);
    if (since == 0 || seq == reported_seq) return;
    int64_t stalled = now_ns() - since;
    if (stalled >= 1000000000LL) {
        reported_seq = seq;
        fprintf(stderr, "a write to log file %s has not returned for %lld s (the storage stalls); clients wait for it\n",
                lg.name, (long long)(stalled / 1000000000LL));
        fflush(stderr);
    }
}

/* One frame's payload: whole records go to `whole`, the rest stays the connection's partial. */
static void take_frame(uint32_t conn, const char *p, size_t n, struct buf *whole, long *records)
{
    struct partial **slot = &lg.buckets[conn % BUCKETS], *part;
    for (part = *slot; part && part->conn != conn; part = part->next) {}
    const char *last = memrchr(p, '\n', n);
    if (!last) {
        if (!part) {
            part = calloc(1, sizeof *part);
            if (!part) { fprintf(stderr, "out of memory.\n"); abort(); }
            part->conn = conn;
            part->next = *slot;
            *slot = part;
        }
        buf_append(&part->bytes, p, n);
        return;
    }
    size_t upto = (size_t)(last - p) + 1;
    if (part && buf_size(&part->bytes) > 0) {
        buf_append(whole, part->bytes.p + part->bytes.off, buf_size(&part->bytes));
        buf_consume(&part->bytes, buf_size(&part->bytes));
    }
    buf_append(whole, p, upto);
    *records += count_newlines(p, upto);
    if (upto < n) {
        take_frame(conn, last + 1, n - upto, whole, records);  /* starts the next partial */
    } else if (part) {                                          /* nothing unfinished: forget it */
        struct partial **q;
        for (q = slot; *q != part; q = &(*q)->next) {}
        *q = part->next;
        buf_free(&part->bytes);
        free(part);
    }
}

static long unfinished_records(void)
{
    long n = 0;
    for (int i = 0; i < BUCKETS; i++)
        for (struct partial *p = lg.buckets[i]; p; p = p->next)
            if (buf_size(&p->bytes) > 0) n++;
    return n;
}

static void logger_main(int pipe_rd)
{
    struct buf in = {0}, whole = {0};
    pthread_t writer;
    struct stat st;

    /* The logger ends at the pipe's end of file, after every server process closed it. */
    signal(SIGINT, SIG_IGN);
    signal(SIGTERM, SIG_IGN);
    signal(SIGPIPE, SIG_IGN);
    if (fstat(lg.fd, &st) == 0 && S_ISREG(st.st_mode)) {
        lg.is_regular = 1;
        lg.file_offset = lg.whole_offset = st.st_size;
    }
    pthread_mutex_init(&lg.lock, NULL);
    pthread_cond_init(&lg.have_data, NULL);
    pthread_cond_init(&lg.have_room, NULL);
    if (pthread_create(&writer, NULL, writer_main, NULL) != 0) {
        fprintf(stderr, "the logger cannot start its writer thread: %s.\n", strerror(errno));
        _exit(1);
    }

    /* The course's logger, fixed: "while (1) { len = read(fds[0], ...); if (len <= 0) break; ..." */
    int eof = 0;
    for (;;) {
        pthread_mutex_lock(&lg.lock);
        int full = (long)(buf_size(&lg.backlog) + lg.writing_len) >= lg.max_backlog;
        if (full) {
            struct timespec t;
            clock_gettime(CLOCK_REALTIME, &t);
            t.tv_nsec += 100 * 1000000L;
            if (t.tv_nsec >= 1000000000L) { t.tv_sec++; t.tv_nsec -= 1000000000L; }
            pthread_cond_timedwait(&lg.have_room, &lg.lock, &t);
        }
        pthread_mutex_unlock(&lg.lock);
        watch_the_writer();
        if (full) {
            /* Full, so the pipe is not read and its end of file not seen: the shutdown deadline
             * is watched here, or a storage that never recovers would keep the server for ever. */
            int64_t signalled = __atomic_load_n(&shm->term_at_ns, __ATOMIC_SEQ_CST);
            if (signalled && now_ns() >= signalled + SHUTDOWN_LOG_NS) break;
            continue;
        }

        struct pollfd pfd = {pipe_rd, POLLIN, 0};
        if (poll(&pfd, 1, 100) <= 0) continue;
        char chunk[65536];
        ssize_t len = read(pipe_rd, chunk, sizeof chunk);
        if (len == -1 && errno == EINTR) continue;
        if (len <= 0) { eof = 1; break; }
        buf_append(&in, chunk, (size_t)len);
        long records = 0;
        while (buf_size(&in) >= FRAME_HEADER) {
            uint32_t header[2];
            memcpy(header, in.p + in.off, sizeof header);
            if (buf_size(&in) < FRAME_HEADER + header[1]) break;
            take_frame(header[0], in.p + in.off + FRAME_HEADER, header[1], &whole, &records);
            buf_consume(&in, FRAME_HEADER + header[1]);
        }
        if (buf_size(&whole) > 0) {
            pthread_mutex_lock(&lg.lock);
            buf_append(&lg.backlog, whole.p + whole.off, buf_size(&whole));
            lg.records_in += records;
            pthread_cond_signal(&lg.have_data);
            pthread_mutex_unlock(&lg.lock);
            buf_consume(&whole, buf_size(&whole));
        }
    }

    /* Given up at the deadline with the pipe unread: what it still holds is lost, and what the
     * servers still send (they keep sending until SHUTDOWN_PIPE_NS): read it to the end. */
    long unread = 0;
    int64_t drain_until = __atomic_load_n(&shm->term_at_ns, __ATOMIC_SEQ_CST) + SHUTDOWN_PIPE_NS + 500000000LL;
    while (!eof && now_ns() < drain_until) {
        struct pollfd pfd = {pipe_rd, POLLIN, 0};
        if (poll(&pfd, 1, 100) <= 0) continue;
        char chunk[65536];
        ssize_t len = read(pipe_rd, chunk, sizeof chunk);
        if (len == -1 && errno == EINTR) continue;
        if (len <= 0) { eof = 1; break; }
        buf_append(&in, chunk, (size_t)len);
        while (buf_size(&in) >= FRAME_HEADER) {
            uint32_t header[2];
            memcpy(header, in.p + in.off, sizeof header);
            if (buf_size(&in) < FRAME_HEADER + header[1]) break;
            take_frame(header[0], in.p + in.off + FRAME_HEADER, header[1], &whole, &unread);
            buf_consume(&in, FRAME_HEADER + header[1]);
        }
        buf_consume(&whole, buf_size(&whole));
    }

    /* End of file: every server process has closed the pipe. Write the rest until the deadline. */
    int64_t signalled = __atomic_load_n(&shm->term_at_ns, __ATOMIC_SEQ_CST);
    int64_t deadline = (signalled ? signalled : now_ns()) + SHUTDOWN_LOG_NS;
    pthread_mutex_lock(&lg.lock);
    lg.eof = 1;
    pthread_cond_signal(&lg.have_data);
    while (!lg.writer_done && now_ns() < deadline) {
        struct timespec t;
        clock_gettime(CLOCK_REALTIME, &t);
        t.tv_nsec += 100 * 1000000L;
        if (t.tv_nsec >= 1000000000L) { t.tv_sec++; t.tv_nsec -= 1000000000L; }
        pthread_cond_timedwait(&lg.have_room, &lg.lock, &t);
        pthread_mutex_unlock(&lg.lock);
        watch_the_writer();
        pthread_mutex_lock(&lg.lock);
    }
    /* unfinished at the pipe's end: begun by a process killed mid-record (before the end of file,
     * the rest of such a record may still be on its way, and is counted where it is) */
    long lost = unread + (eof ? unfinished_records() : 0);
    if (!lg.writer_done) {
        lost += lg.records_in - READ(records_logged);
        off_t whole_at = __atomic_load_n(&lg.whole_offset, __ATOMIC_SEQ_CST);
        if (lg.is_regular && __atomic_load_n(&lg.file_offset, __ATOMIC_SEQ_CST) > whole_at)
            if (ftruncate(lg.fd, whole_at) != 0) { /* the file keeps the start of the given-up write */ }
    }
    pthread_mutex_unlock(&lg.lock);
    if (lost > 0) {
        COUNT(records_lost, lost);
        fprintf(stderr, "gave up %ld records that log file %s did not take by the shutdown deadline; "
                "they are counted in recordsLost\n", lost, lg.name);
        fflush(stderr);
    }
    _exit(0);                                   /* a writer blocked in write() goes with it */
}

pid_t start_logger(int pipe_rd, int log_fd, const struct options *o, const int *close_in_child)
{
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid == 0) {
        for (; *close_in_child != -1; close_in_child++) close(*close_in_child);
        lg.fd = log_fd;
        lg.name = o->log;
        lg.max_backlog = o->max_log_backlog;
        logger_main(pipe_rd);
    }
    return pid;
}
