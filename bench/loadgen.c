// loadgen: a small batched DNS load generator for the Hops benchmark
// (bench/run.mjs compiles it with `cc -O2`). dnsperf alone cannot saturate a
// C resolver on one core, so this sends and receives in batches
// (sendmmsg/recvmmsg) and keeps a fixed number of queries outstanding.
//
// Modes:
//   udp   closed loop: keep -w queries outstanding for -d seconds (after -W
//         seconds of warm-up that are not counted), cycling through the file
//   rate  open loop: send -r queries per second for -d seconds; per-query
//         latency histogram (1 µs buckets up to 1 s)
//   tcp   -c connections, each with -P queries pipelined (RFC 7766), -d seconds
//   once  every query of the file exactly once, -w outstanding, then stop
//         (cache warm-up, cold resolution, cache fill)
//
// -D sets the DO bit (RFC 3225) in the OPT record, for a validating resolver's
// RRSIGs. Answers with the AD bit (RFC 4035 §3.2.3) are always counted; with
// -A, once mode also lists (up to 20) the questions whose answer was not
// NOERROR with AD set, or never came: the signed sections check every answer.
//
// Output: one JSON object on stdout. Errors go to stderr, exit code 2.
// Loopback only: the target address must be in 127.0.0.0/8 (or ::1 is not
// supported at all), so a typo cannot aim load at a real network.

#define _GNU_SOURCE
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_IDS 65536
#define MAX_QUERY 300
#define HIST_US 1000000 /* 1 µs buckets up to 1 s; slower answers go to `over` */
#define BATCH_MAX 256
#define MAX_SOCKETS 64
#define MAX_CONNS 1024
#define MAX_PIDS 64

static void die(const char *fmt, const char *arg) {
  fprintf(stderr, "loadgen: ");
  fprintf(stderr, fmt, arg);
  fprintf(stderr, "\n");
  exit(2);
}

static uint64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

// ---- options ------------------------------------------------------------------

static const char *opt_mode = "udp";
static const char *opt_server = "127.0.0.1";
static int opt_port = 53;
static const char *opt_file;
static double opt_duration = 10;
static double opt_warmup = 0;
static int opt_window = 100;
static double opt_rate = 20000;
static int opt_timeout_ms = 1000;
static int opt_sockets = 1;
static int opt_conns = 8;
static int opt_pipeline = 16;
static int opt_edns = 1232;
static int opt_batch = 32;
static long opt_limit = 0; /* once mode: only the first N queries */
static long opt_offset = 0; /* once mode: start at query N */
static int opt_do = 0;      /* -D: DO bit in the OPT record */
static int opt_expect_ad = 0; /* -A: list the answers that are not NOERROR+AD (once mode) */
static int npids;
static int pids[MAX_PIDS];

static void usage(void) {
  fprintf(stderr,
    "usage: loadgen -f QUERYFILE [-m udp|rate|tcp|once] [-s 127.x.y.z] [-p PORT] [-d SECONDS] [-W WARMUP_S]\n"
    "               [-w OUTSTANDING] [-r QPS] [-t TIMEOUT_MS] [-S UDP_SOCKETS] [-c TCP_CONNS] [-P PIPELINE]\n"
    "               [-e EDNS_SIZE|0] [-b BATCH] [-o OFFSET] [-n LIMIT] [-x PID[,PID...]] [-D] [-A]\n"
    "QUERYFILE: one `name TYPE` per line (dnsperf format). -x: report these processes' CPU time\n"
    "(utime+stime from /proc/PID/stat) over the measured window. -D: DO bit set. -A (once mode):\n"
    "list the questions whose answer is not NOERROR with the AD bit, or is lost.\n");
  exit(2);
}

// ---- queries --------------------------------------------------------------------

static uint8_t *qbuf;          /* all encoded queries back to back */
static uint32_t *qoff;         /* offset of query i in qbuf */
static uint16_t *qlen;         /* its length */
static long nq;

static int type_code(const char *t) {
  static const struct { const char *name; int code; } types[] = {
    {"A", 1}, {"NS", 2}, {"CNAME", 5}, {"SOA", 6}, {"PTR", 12}, {"MX", 15}, {"TXT", 16},
    {"AAAA", 28}, {"SRV", 33}, {"NAPTR", 35}, {"DS", 43}, {"DNSKEY", 48}, {"HTTPS", 65}, {"CAA", 257}, {"ANY", 255},
  };
  for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) if (strcasecmp(t, types[i].name) == 0) return types[i].code;
  if (strncasecmp(t, "TYPE", 4) == 0 && isdigit((unsigned char)t[4])) return atoi(t + 4);
  return -1;
}

/** Encodes `name type` with RD=1 (and an OPT record when opt_edns > 0); returns the length or -1. */
static int encode_query(const char *name, int type, uint8_t *out) {
  uint8_t *p = out;
  memset(p, 0, 12);
  p[2] = 0x01; /* RD */
  p[5] = 1;    /* QDCOUNT */
  if (opt_edns > 0) p[11] = 1; /* ARCOUNT */
  p += 12;
  const char *s = name;
  if (strcmp(s, ".") != 0) {
    while (*s) {
      const char *dot = strchr(s, '.');
      size_t n = dot ? (size_t)(dot - s) : strlen(s);
      if (n == 0 || n > 63 || (p - out) + n + 1 > 12 + 255) return -1;
      *p++ = (uint8_t)n;
      for (size_t i = 0; i < n; i++) *p++ = (uint8_t)tolower((unsigned char)s[i]);
      s += n;
      if (*s == '.') s++;
    }
  }
  *p++ = 0;
  *p++ = (uint8_t)(type >> 8); *p++ = (uint8_t)type;
  *p++ = 0; *p++ = 1; /* IN */
  if (opt_edns > 0) {
    *p++ = 0;                 /* root owner */
    *p++ = 0; *p++ = 41;      /* OPT */
    *p++ = (uint8_t)(opt_edns >> 8); *p++ = (uint8_t)opt_edns;
    *p++ = 0; *p++ = 0;       /* ext rcode, version */
    *p++ = opt_do ? 0x80 : 0; *p++ = 0; /* flags: DO is the top bit (RFC 3225 §3) */
    *p++ = 0; *p++ = 0;       /* rdlen */
  }
  return (int)(p - out);
}

static void load_queries(const char *path) {
  FILE *f = fopen(path, "r");
  if (!f) die("cannot open query file %s", path);
  size_t cap = 1 << 16, bytes_cap = cap * 64, used = 0;
  qbuf = malloc(bytes_cap); qoff = malloc(cap * sizeof *qoff); qlen = malloc(cap * sizeof *qlen);
  char line[1024];
  long lineno = 0;
  while (fgets(line, sizeof line, f)) {
    lineno++;
    char name[512], type[32];
    if (line[0] == '#' || line[0] == ';' || sscanf(line, "%511s %31s", name, type) != 2) continue;
    int code = type_code(type);
    if (code < 0) { fprintf(stderr, "loadgen: %s:%ld: unknown type %s\n", path, lineno, type); exit(2); }
    if ((size_t)nq == cap) {
      cap *= 2;
      qoff = realloc(qoff, cap * sizeof *qoff); qlen = realloc(qlen, cap * sizeof *qlen);
    }
    if (used + MAX_QUERY > bytes_cap) { bytes_cap *= 2; qbuf = realloc(qbuf, bytes_cap); }
    if (!qbuf || !qoff || !qlen) die("out of memory%s", "");
    int n = encode_query(name, code, qbuf + used);
    if (n < 0) { fprintf(stderr, "loadgen: %s:%ld: bad name %s\n", path, lineno, name); exit(2); }
    qoff[nq] = (uint32_t)used; qlen[nq] = (uint16_t)n; used += (size_t)n; nq++;
  }
  fclose(f);
  if (nq == 0) die("no queries in %s", path);
}

// ---- in-flight queries: indexed by DNS id ----------------------------------------

typedef struct {
  uint64_t sent_ns;
  uint32_t query;   /* index into the query table */
  int16_t conn;     /* TCP connection, -1 for UDP */
  uint8_t inuse;
  uint8_t counted;  /* sent inside the measured window */
} slot_t;

static slot_t slots[MAX_IDS];
static uint16_t freeq[MAX_IDS]; /* FIFO of free ids: reuse as late as possible */
static uint32_t free_head, free_count;
static long outstanding;

static void ids_init(void) {
  for (uint32_t i = 0; i < MAX_IDS; i++) freeq[i] = (uint16_t)i;
  srand((unsigned)now_ns());
  for (uint32_t i = MAX_IDS - 1; i > 0; i--) { uint32_t j = (uint32_t)rand() % (i + 1); uint16_t t = freeq[i]; freeq[i] = freeq[j]; freeq[j] = t; }
  free_head = 0; free_count = MAX_IDS;
}
static int id_take(void) {
  if (free_count == 0) return -1;
  uint16_t id = freeq[free_head];
  free_head = (free_head + 1) & (MAX_IDS - 1); free_count--;
  return id;
}
static void id_give(uint16_t id) {
  freeq[(free_head + free_count) & (MAX_IDS - 1)] = id; free_count++;
}

// ---- statistics ---------------------------------------------------------------------

static struct {
  uint64_t sent, answered, lost, late, mismatched, truncated, with_answer, reconnects, send_errors, skipped;
  uint64_t ad, noerror_ad; /* answers with the AD bit; of them, NOERROR */
  uint64_t rcode[16];
  uint64_t over, lat_sum_us, lat_n, lat_max_us;
} st;
static uint32_t *hist;
static int measuring; /* counters only move while this is set */

/* -A: the first questions whose answer was not NOERROR+AD ("name TYPE what"). */
#define MAX_NOT_SECURE 20
static char not_secure[MAX_NOT_SECURE][300];
static int n_not_secure;
static uint64_t not_secure_total;

/** Appends query qi's name and type code, with `what`, to the not-secure list. */
static void note_not_secure(uint32_t qi, const char *what) {
  not_secure_total++;
  if (n_not_secure >= MAX_NOT_SECURE) return;
  const uint8_t *q = qbuf + qoff[qi];
  char *out = not_secure[n_not_secure++];
  size_t o = 0, i = 12;
  while (i < qlen[qi] && q[i] != 0 && o < 255) {
    uint8_t n = q[i++];
    for (uint8_t k = 0; k < n && i < qlen[qi] && o < 255; k++) {
      char ch = (char)q[i++];
      out[o++] = (ch == '"' || ch == '\\' || ch < 33 || ch > 126) ? '?' : ch; /* JSON-safe */
    }
    out[o++] = '.';
  }
  if (o == 0) out[o++] = '.';
  int type = i + 2 < qlen[qi] ? (q[i + 1] << 8 | q[i + 2]) : 0;
  snprintf(out + o, 300 - o, " TYPE%d %s", type, what);
}

static void record_latency(uint64_t us) {
  st.lat_sum_us += us; st.lat_n++;
  if (us > st.lat_max_us) st.lat_max_us = us;
  if (us < HIST_US) hist[us]++; else st.over++;
}

static uint64_t percentile(double p) {
  if (st.lat_n == 0) return 0;
  uint64_t want = (uint64_t)(p * (double)st.lat_n + 0.5);
  if (want == 0) want = 1;
  uint64_t seen = 0;
  for (uint32_t i = 0; i < HIST_US; i++) { seen += hist[i]; if (seen >= want) return i; }
  return st.lat_max_us;
}

// ---- CPU time of the server processes ------------------------------------------------

static long long cpu_ticks(void) {
  long long total = 0;
  for (int i = 0; i < npids; i++) {
    char path[64], buf[2048];
    snprintf(path, sizeof path, "/proc/%d/stat", pids[i]);
    int fd = open(path, O_RDONLY);
    if (fd < 0) continue;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0) continue;
    buf[n] = 0;
    char *p = strrchr(buf, ')'); /* comm may contain spaces */
    if (!p) continue;
    p += 2;
    /* fields after comm: state(3) ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime(14) stime(15) */
    unsigned long utime = 0, stime = 0;
    if (sscanf(p, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &utime, &stime) == 2) total += (long long)(utime + stime);
  }
  return total;
}

// ---- answers -------------------------------------------------------------------------

static uint64_t measure_end_ns;

/** Byte comparison, ASCII letters without case: servers may echo the name's case differently. */
static int same_question(const uint8_t *a, const uint8_t *b, size_t n) {
  for (size_t i = 0; i < n; i++) if (a[i] != b[i] && tolower(a[i]) != tolower(b[i])) return 0;
  return 1;
}

/** Accounts one DNS message received (UDP datagram or TCP frame); returns the connection it belonged to or -1. */
static int on_answer(const uint8_t *m, size_t len, uint64_t t) {
  if (len < 12 || !(m[2] & 0x80)) { if (measuring) st.mismatched++; return -2; }
  uint16_t id = (uint16_t)(m[0] << 8 | m[1]);
  slot_t *s = &slots[id];
  if (!s->inuse) { if (measuring) st.late++; return -2; }
  /* The question must be the one we sent under this id (a late answer to a reused id is not ours). */
  const uint8_t *q = qbuf + qoff[s->query];
  size_t question_end = 12;
  while (question_end < qlen[s->query] && q[question_end] != 0) question_end += q[question_end] + 1;
  question_end += 5;
  if (len < question_end || !same_question(m + 12, q + 12, question_end - 12)) {
    if (measuring) st.mismatched++;
    return -2;
  }
  int conn = s->conn;
  s->inuse = 0; outstanding--; id_give(id);
  if (measuring && t <= measure_end_ns) {
    st.answered++;
    st.rcode[m[3] & 0x0f]++;
    if (m[3] & 0x20) { st.ad++; if ((m[3] & 0x0f) == 0) st.noerror_ad++; }
    if (opt_expect_ad && ((m[3] & 0x0f) != 0 || !(m[3] & 0x20))) {
      char what[32];
      snprintf(what, sizeof what, "rcode=%d AD=%d", m[3] & 0x0f, (m[3] & 0x20) ? 1 : 0);
      note_not_secure(s->query, what);
    }
    if (m[2] & 0x02) st.truncated++;
    if (m[6] | m[7]) st.with_answer++;
    record_latency((t - s->sent_ns) / 1000);
  } else if (measuring) {
    /* After the window closed: answered, but not in the rate; still not lost. */
    st.rcode[m[3] & 0x0f]++;
  }
  return conn;
}

/** Queries older than the timeout are lost; returns how many (their ids are freed). */
static long expire(uint64_t t, int *lost_conns, int max_lost) {
  uint64_t limit = (uint64_t)opt_timeout_ms * 1000000ull;
  long n = 0;
  for (uint32_t id = 0; id < MAX_IDS; id++) {
    slot_t *s = &slots[id];
    if (!s->inuse || t - s->sent_ns < limit) continue;
    if (lost_conns && n < max_lost) lost_conns[n] = s->conn;
    s->inuse = 0; outstanding--; id_give((uint16_t)id); n++;
    if (s->counted) st.lost++;
    if (s->counted && opt_expect_ad) note_not_secure(s->query, "lost");
  }
  return n;
}

// ---- UDP -------------------------------------------------------------------------------

static int socks[MAX_SOCKETS];
static struct sockaddr_in target;

static void udp_open(void) {
  for (int i = 0; i < opt_sockets; i++) {
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
    if (fd < 0) die("socket: %s", strerror(errno));
    int size = 4 << 20;
    if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof size) < 0) setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
    if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &size, sizeof size) < 0) setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof size);
    if (connect(fd, (struct sockaddr *)&target, sizeof target) < 0) die("connect: %s", strerror(errno));
    socks[i] = fd;
  }
}

static long next_query; /* cycling position in the file */
static int next_sock;

/** Sends up to n queries on one socket in one sendmmsg; returns how many went out. */
static int udp_send(int n, uint64_t t, int once) {
  static struct mmsghdr msgs[BATCH_MAX];
  static struct iovec iov[BATCH_MAX];
  static uint16_t ids[BATCH_MAX];
  static uint8_t bufs[BATCH_MAX][MAX_QUERY];
  if (n > opt_batch) n = opt_batch;
  int k = 0;
  for (; k < n; k++) {
    if (once && next_query >= nq) break;
    int id = id_take();
    if (id < 0) break;
    long qi = next_query++;
    if (!once && next_query >= nq) next_query = 0;
    memcpy(bufs[k], qbuf + qoff[qi], qlen[qi]);
    bufs[k][0] = (uint8_t)(id >> 8); bufs[k][1] = (uint8_t)id;
    iov[k].iov_base = bufs[k]; iov[k].iov_len = qlen[qi];
    memset(&msgs[k], 0, sizeof msgs[k]);
    msgs[k].msg_hdr.msg_iov = &iov[k]; msgs[k].msg_hdr.msg_iovlen = 1;
    ids[k] = (uint16_t)id;
    slot_t *s = &slots[id];
    s->sent_ns = t; s->query = (uint32_t)qi; s->conn = -1; s->inuse = 1; s->counted = (uint8_t)measuring;
  }
  if (k == 0) return 0;
  int fd = socks[next_sock]; next_sock = (next_sock + 1) % opt_sockets;
  int sent = sendmmsg(fd, msgs, (unsigned)k, 0);
  if (sent < 0) sent = 0;
  /* Whatever did not go out is given back (and its place in the file). */
  for (int i = sent; i < k; i++) { slots[ids[i]].inuse = 0; id_give(ids[i]); }
  if (sent < k) {
    if (measuring) st.send_errors += (uint64_t)(k - sent);
    next_query = once ? next_query - (k - sent) : (next_query - (k - sent) + nq) % nq;
  }
  outstanding += sent;
  if (measuring) st.sent += (uint64_t)sent;
  return sent;
}

static int udp_receive_all(void) {
  static struct mmsghdr msgs[BATCH_MAX];
  static struct iovec iov[BATCH_MAX];
  static uint8_t bufs[BATCH_MAX][4096];
  int total = 0;
  for (int si = 0; si < opt_sockets; si++) {
    for (;;) {
      for (int i = 0; i < opt_batch; i++) {
        iov[i].iov_base = bufs[i]; iov[i].iov_len = sizeof bufs[i];
        memset(&msgs[i], 0, sizeof msgs[i]);
        msgs[i].msg_hdr.msg_iov = &iov[i]; msgs[i].msg_hdr.msg_iovlen = 1;
      }
      int n = recvmmsg(socks[si], msgs, (unsigned)opt_batch, MSG_DONTWAIT, NULL);
      if (n <= 0) break;
      uint64_t t = now_ns();
      for (int i = 0; i < n; i++) on_answer(bufs[i], msgs[i].msg_len, t);
      total += n;
      if (n < opt_batch) break;
    }
  }
  return total;
}

static void udp_wait(int timeout_us) {
  struct pollfd pfd[MAX_SOCKETS];
  for (int i = 0; i < opt_sockets; i++) { pfd[i].fd = socks[i]; pfd[i].events = POLLIN; }
  struct timespec ts = { timeout_us / 1000000, (long)(timeout_us % 1000000) * 1000 };
  ppoll(pfd, (nfds_t)opt_sockets, &ts, NULL);
}

static volatile sig_atomic_t interrupted;
static void on_signal(int sig) { (void)sig; interrupted = 1; }

static long long cpu_start, cpu_end;
static uint64_t window_start_ns;

static void start_measuring(uint64_t t) {
  memset(&st, 0, sizeof st);
  memset(hist, 0, HIST_US * sizeof *hist);
  measuring = 1;
  window_start_ns = t;
  cpu_start = cpu_ticks();
}

/** Closed loop (udp) and open loop (rate) over UDP. */
static void run_udp(int open_loop) {
  udp_open();
  uint64_t t0 = now_ns();
  uint64_t warm_end = t0 + (uint64_t)(opt_warmup * 1e9);
  measure_end_ns = warm_end + (uint64_t)(opt_duration * 1e9);
  if (opt_warmup <= 0) start_measuring(t0);
  uint64_t last_expire = t0;
  double interval_ns = 1e9 / opt_rate;
  uint64_t rate_start = t0;
  uint64_t rate_sent = 0;
  for (;;) {
    uint64_t t = now_ns();
    if (interrupted) break;
    if (!measuring && t >= warm_end) {
      start_measuring(t);
      rate_start = t; rate_sent = 0;
    }
    if (measuring && t >= measure_end_ns) break;
    int progress = 0;
    if (open_loop) {
      uint64_t due = (uint64_t)((double)(t - rate_start) / interval_ns) + 1;
      /* Fell behind (this process was descheduled)? Skip the backlog instead of
         bursting it at the server: a burst would overflow its socket buffer and
         be counted against the server. The skipped sends are reported. */
      uint64_t max_backlog = (uint64_t)(opt_rate / 500) + (uint64_t)opt_batch; /* 2 ms worth */
      if (due > rate_sent + max_backlog) {
        if (measuring) st.skipped += due - rate_sent - max_backlog;
        rate_sent = due - max_backlog;
      }
      while (rate_sent < due) {
        long want = (long)(due - rate_sent);
        int n = udp_send(want > opt_batch ? opt_batch : (int)want, t, 0);
        if (n <= 0) break;
        rate_sent += (uint64_t)n; progress = 1;
      }
    } else {
      while (outstanding < opt_window) {
        long want = opt_window - outstanding;
        int n = udp_send(want > opt_batch ? opt_batch : (int)want, t, 0);
        if (n <= 0) break;
        progress = 1;
      }
    }
    if (udp_receive_all() > 0) progress = 1;
    if (t - last_expire > 20000000ull) { expire(t, NULL, 0); last_expire = t; }
    if (!progress) {
      int wait_us = 1000;
      if (open_loop) {
        double next = (double)rate_start + (double)(rate_sent) * interval_ns;
        double d = (next - (double)now_ns()) / 1000.0;
        wait_us = d < 1 ? 0 : d > 1000 ? 1000 : (int)d;
      }
      if (wait_us > 0) udp_wait(wait_us);
    }
  }
  cpu_end = cpu_ticks();
  if (now_ns() < measure_end_ns) measure_end_ns = now_ns(); /* interrupted */
  /* Drain: answers after the window are not counted in the rate, and what never comes is lost. */
  uint64_t drain_end = now_ns() + (uint64_t)opt_timeout_ms * 1000000ull;
  while (outstanding > 0 && now_ns() < drain_end && !interrupted) {
    if (udp_receive_all() == 0) udp_wait(1000);
  }
  expire(now_ns() + (uint64_t)opt_timeout_ms * 1000000ull + 1, NULL, 0);
}

/** Every query once, -w outstanding. */
static void run_once(void) {
  udp_open();
  if (opt_offset > 0) next_query = opt_offset < nq ? opt_offset : nq;
  if (opt_limit > 0 && opt_limit < nq - next_query) nq = next_query + opt_limit;
  uint64_t t0 = now_ns();
  measure_end_ns = UINT64_MAX;
  start_measuring(t0);
  uint64_t last_expire = t0;
  while (!interrupted) {
    uint64_t t = now_ns();
    int progress = 0;
    while (outstanding < opt_window && next_query < nq) {
      long want = opt_window - outstanding;
      int n = udp_send(want > opt_batch ? opt_batch : (int)want, t, 1);
      if (n <= 0) break;
      progress = 1;
    }
    if (udp_receive_all() > 0) progress = 1;
    if (t - last_expire > 20000000ull) { expire(t, NULL, 0); last_expire = t; }
    if (next_query >= nq && outstanding == 0) break;
    if (!progress) udp_wait(1000);
  }
  measure_end_ns = now_ns();
  cpu_end = cpu_ticks();
  expire(UINT64_MAX / 2, NULL, 0);
}

// ---- TCP -------------------------------------------------------------------------------

typedef struct {
  int fd;
  int connected;
  int inflight;
  uint8_t *in; size_t in_len;
  uint8_t *out; size_t out_len, out_sent;
} conn_t;

static conn_t conns[MAX_CONNS];
static int ep;
#define IN_CAP (65536 + 2 + 4096)
#define OUT_CAP (MAX_QUERY * 1100)

static void tcp_connect(int i) {
  conn_t *c = &conns[i];
  c->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
  if (c->fd < 0) die("socket: %s", strerror(errno));
  int one = 1;
  setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  if (connect(c->fd, (struct sockaddr *)&target, sizeof target) < 0 && errno != EINPROGRESS) die("connect: %s", strerror(errno));
  c->connected = 0; c->inflight = 0; c->in_len = 0; c->out_len = 0; c->out_sent = 0;
  struct epoll_event ev = { .events = EPOLLIN | EPOLLOUT, .data.u32 = (uint32_t)i };
  epoll_ctl(ep, EPOLL_CTL_ADD, c->fd, &ev);
}

static void tcp_flush(int i) {
  conn_t *c = &conns[i];
  while (c->out_sent < c->out_len) {
    ssize_t n = send(c->fd, c->out + c->out_sent, c->out_len - c->out_sent, MSG_NOSIGNAL);
    if (n <= 0) break;
    c->out_sent += (size_t)n;
  }
  if (c->out_sent == c->out_len) c->out_len = c->out_sent = 0;
  struct epoll_event ev = { .events = EPOLLIN | (c->out_len ? EPOLLOUT : 0), .data.u32 = (uint32_t)i };
  epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev);
}

/** Queues framed queries on connection i until it has -P in flight. */
static void tcp_fill(int i, uint64_t t) {
  conn_t *c = &conns[i];
  if (!c->connected) return;
  while (c->inflight < opt_pipeline && c->out_len + MAX_QUERY + 2 < OUT_CAP) {
    int id = id_take();
    if (id < 0) break;
    long qi = next_query++;
    if (next_query >= nq) next_query = 0;
    uint8_t *p = c->out + c->out_len;
    p[0] = (uint8_t)(qlen[qi] >> 8); p[1] = (uint8_t)qlen[qi];
    memcpy(p + 2, qbuf + qoff[qi], qlen[qi]);
    p[2] = (uint8_t)(id >> 8); p[3] = (uint8_t)id;
    c->out_len += (size_t)qlen[qi] + 2;
    slot_t *s = &slots[id];
    s->sent_ns = t; s->query = (uint32_t)qi; s->conn = (int16_t)i; s->inuse = 1; s->counted = (uint8_t)measuring;
    c->inflight++; outstanding++;
    if (measuring) st.sent++;
  }
  tcp_flush(i);
}

/** The server closed (or broke) connection i: its queries are lost; connect again. */
static void tcp_reset(int i) {
  conn_t *c = &conns[i];
  epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
  close(c->fd);
  for (uint32_t id = 0; id < MAX_IDS; id++) {
    slot_t *s = &slots[id];
    if (s->inuse && s->conn == i) { s->inuse = 0; outstanding--; id_give((uint16_t)id); if (s->counted) st.lost++; }
  }
  if (measuring) st.reconnects++;
  tcp_connect(i);
}

static void tcp_read(int i, uint64_t t) {
  conn_t *c = &conns[i];
  for (;;) {
    ssize_t n = recv(c->fd, c->in + c->in_len, IN_CAP - c->in_len, 0);
    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)) { tcp_reset(i); return; }
    if (n < 0) break;
    c->in_len += (size_t)n;
    size_t pos = 0;
    while (c->in_len - pos >= 2) {
      size_t flen = (size_t)c->in[pos] << 8 | c->in[pos + 1];
      if (c->in_len - pos < flen + 2) break;
      if (on_answer(c->in + pos + 2, flen, t) == i) c->inflight--;
      pos += flen + 2;
    }
    memmove(c->in, c->in + pos, c->in_len - pos);
    c->in_len -= pos;
    if (c->in_len == IN_CAP) { tcp_reset(i); return; } /* a frame larger than any DNS message */
  }
  tcp_fill(i, t);
}

static void run_tcp(void) {
  ep = epoll_create1(0);
  if (opt_conns > MAX_CONNS) opt_conns = MAX_CONNS;
  if ((long)opt_conns * opt_pipeline > 60000) die("too many queries in flight (-c × -P > 60000)%s", "");
  for (int i = 0; i < opt_conns; i++) {
    conns[i].in = malloc(IN_CAP); conns[i].out = malloc(OUT_CAP);
    tcp_connect(i);
  }
  uint64_t t0 = now_ns();
  uint64_t warm_end = t0 + (uint64_t)(opt_warmup * 1e9);
  measure_end_ns = warm_end + (uint64_t)(opt_duration * 1e9);
  if (opt_warmup <= 0) start_measuring(t0);
  uint64_t last_expire = t0;
  struct epoll_event evs[256];
  int lost_conns[4096];
  for (;;) {
    uint64_t t = now_ns();
    if (interrupted) break;
    if (!measuring && t >= warm_end) start_measuring(t);
    if (measuring && t >= measure_end_ns) break;
    int n = epoll_wait(ep, evs, 256, 5);
    t = now_ns();
    for (int k = 0; k < n; k++) {
      int i = (int)evs[k].data.u32;
      conn_t *c = &conns[i];
      if (evs[k].events & (EPOLLERR | EPOLLHUP) && !(evs[k].events & EPOLLIN)) { tcp_reset(i); continue; }
      if (!c->connected && (evs[k].events & EPOLLOUT)) {
        int err = 0; socklen_t el = sizeof err;
        getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &el);
        if (err) { tcp_reset(i); continue; }
        c->connected = 1;
        tcp_fill(i, t);
        continue;
      }
      if (evs[k].events & EPOLLOUT) tcp_flush(i);
      if (evs[k].events & EPOLLIN) tcp_read(i, t);
    }
    if (t - last_expire > 20000000ull) {
      long lost = expire(t, lost_conns, 4096);
      for (long k = 0; k < lost && k < 4096; k++) if (lost_conns[k] >= 0) { conns[lost_conns[k]].inflight--; tcp_fill(lost_conns[k], t); }
      last_expire = t;
    }
  }
  cpu_end = cpu_ticks();
  if (now_ns() < measure_end_ns) measure_end_ns = now_ns(); /* interrupted */
  uint64_t drain_end = now_ns() + (uint64_t)opt_timeout_ms * 1000000ull;
  while (outstanding > 0 && now_ns() < drain_end && !interrupted) {
    int n = epoll_wait(ep, evs, 256, 5);
    for (int k = 0; k < n; k++) {
      int i = (int)evs[k].data.u32;
      conn_t *c = &conns[i];
      for (;;) {
        ssize_t r = recv(c->fd, c->in + c->in_len, IN_CAP - c->in_len, 0);
        if (r <= 0) break;
        c->in_len += (size_t)r;
        size_t pos = 0;
        while (c->in_len - pos >= 2) {
          size_t flen = (size_t)c->in[pos] << 8 | c->in[pos + 1];
          if (c->in_len - pos < flen + 2) break;
          on_answer(c->in + pos + 2, flen, now_ns());
          pos += flen + 2;
        }
        memmove(c->in, c->in + pos, c->in_len - pos);
        c->in_len -= pos;
      }
    }
  }
  expire(UINT64_MAX / 2, NULL, 0);
  for (int i = 0; i < opt_conns; i++) close(conns[i].fd);
}

// ---- main --------------------------------------------------------------------------------

static const char *RCODES[16] = {"NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED", "YXDOMAIN", "YXRRSET",
  "NXRRSET", "NOTAUTH", "NOTZONE", "RCODE11", "RCODE12", "RCODE13", "RCODE14", "RCODE15"};

int main(int argc, char **argv) {
  int c;
  while ((c = getopt(argc, argv, "m:s:p:f:d:W:w:r:t:S:c:P:e:b:n:o:x:DAh")) != -1) {
    switch (c) {
      case 'm': opt_mode = optarg; break;
      case 's': opt_server = optarg; break;
      case 'p': opt_port = atoi(optarg); break;
      case 'f': opt_file = optarg; break;
      case 'd': opt_duration = atof(optarg); break;
      case 'W': opt_warmup = atof(optarg); break;
      case 'w': opt_window = atoi(optarg); break;
      case 'r': opt_rate = atof(optarg); break;
      case 't': opt_timeout_ms = atoi(optarg); break;
      case 'S': opt_sockets = atoi(optarg); break;
      case 'c': opt_conns = atoi(optarg); break;
      case 'P': opt_pipeline = atoi(optarg); break;
      case 'e': opt_edns = atoi(optarg); break;
      case 'b': opt_batch = atoi(optarg); break;
      case 'n': opt_limit = atol(optarg); break;
      case 'o': opt_offset = atol(optarg); break;
      case 'D': opt_do = 1; break;
      case 'A': opt_expect_ad = 1; break;
      case 'x': {
        char *save, *tok = strtok_r(optarg, ",", &save);
        while (tok && npids < MAX_PIDS) { pids[npids++] = atoi(tok); tok = strtok_r(NULL, ",", &save); }
        break;
      }
      default: usage();
    }
  }
  if (!opt_file) usage();
  memset(&target, 0, sizeof target);
  target.sin_family = AF_INET;
  target.sin_port = htons((uint16_t)opt_port);
  if (inet_pton(AF_INET, opt_server, &target.sin_addr) != 1) die("-s %s: not an IPv4 address", opt_server);
  if ((ntohl(target.sin_addr.s_addr) >> 24) != 127) die("-s %s: only loopback (127.0.0.0/8) targets are allowed", opt_server);
  if (opt_window < 1 || opt_window > 60000) die("-w must be 1..60000%s", "");
  if (opt_sockets < 1 || opt_sockets > MAX_SOCKETS) die("-S must be 1..64%s", "");
  if (opt_batch < 1 || opt_batch > BATCH_MAX) die("-b must be 1..256%s", "");
  if (opt_rate <= 0) die("-r must be positive%s", "");
  if (opt_edns != 0 && opt_edns < 512) opt_edns = 512;
  if (opt_do && opt_edns == 0) die("-D needs EDNS (not -e 0)%s", "");
  hist = calloc(HIST_US, sizeof *hist);
  load_queries(opt_file);
  ids_init();
  signal(SIGINT, on_signal);
  signal(SIGTERM, on_signal);
  signal(SIGPIPE, SIG_IGN);

  if (strcmp(opt_mode, "udp") == 0) run_udp(0);
  else if (strcmp(opt_mode, "rate") == 0) run_udp(1);
  else if (strcmp(opt_mode, "tcp") == 0) run_tcp();
  else if (strcmp(opt_mode, "once") == 0) run_once();
  else usage();

  uint64_t window_ns = measure_end_ns - window_start_ns;
  double seconds = (double)window_ns / 1e9;
  long hz = sysconf(_SC_CLK_TCK);
  double cpu_s = npids ? (double)(cpu_end - cpu_start) / (double)hz : 0;
  printf("{\"mode\":\"%s\",\"server\":\"%s:%d\",\"queries_in_file\":%ld,\"seconds\":%.3f,"
         "\"sent\":%llu,\"answered\":%llu,\"lost\":%llu,\"late\":%llu,\"mismatched\":%llu,\"send_errors\":%llu,"
         "\"qps\":%.1f,\"truncated\":%llu,\"with_answer\":%llu,\"reconnects\":%llu,",
         opt_mode, opt_server, opt_port, nq, seconds,
         (unsigned long long)st.sent, (unsigned long long)st.answered, (unsigned long long)st.lost,
         (unsigned long long)st.late, (unsigned long long)st.mismatched, (unsigned long long)st.send_errors,
         seconds > 0 ? (double)st.answered / seconds : 0.0, (unsigned long long)st.truncated,
         (unsigned long long)st.with_answer, (unsigned long long)st.reconnects);
  printf("\"rcodes\":{");
  int first = 1;
  for (int i = 0; i < 16; i++) if (st.rcode[i]) { printf("%s\"%s\":%llu", first ? "" : ",", RCODES[i], (unsigned long long)st.rcode[i]); first = 0; }
  printf("},\"latency_us\":{\"avg\":%.1f,\"p50\":%llu,\"p90\":%llu,\"p99\":%llu,\"p999\":%llu,\"max\":%llu,\"over_1s\":%llu},",
         st.lat_n ? (double)st.lat_sum_us / (double)st.lat_n : 0.0,
         (unsigned long long)percentile(0.50), (unsigned long long)percentile(0.90), (unsigned long long)percentile(0.99),
         (unsigned long long)percentile(0.999), (unsigned long long)st.lat_max_us, (unsigned long long)st.over);
  printf("\"ad\":%llu,\"noerror_ad\":%llu,", (unsigned long long)st.ad, (unsigned long long)st.noerror_ad);
  if (opt_expect_ad) {
    printf("\"not_secure\":%llu,\"not_secure_examples\":[", (unsigned long long)not_secure_total);
    for (int i = 0; i < n_not_secure; i++) printf("%s\"%s\"", i ? "," : "", not_secure[i]);
    printf("],");
  }
  printf("\"skipped\":%llu,\"window_mono_us\":[%llu,%llu],", (unsigned long long)st.skipped,
         (unsigned long long)(window_start_ns / 1000), (unsigned long long)(measure_end_ns / 1000));
  printf("\"cpu\":{\"pids\":%d,\"seconds\":%.3f,\"us_per_answer\":%.2f},\"interrupted\":%s}\n",
         npids, cpu_s, st.answered && npids ? cpu_s * 1e6 / (double)st.answered : 0.0, interrupted ? "true" : "false");
  return 0;
}
