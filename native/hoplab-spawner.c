/*
 * hoplab-spawner: the lab daemon's spawner helper (src/core/spawner.ts) in C.
 *
 * The Node helper (spawner-main.ts) spends about 6 ms of CPU per program it
 * starts (its spawn() builds pipes, stream objects and an environment copy,
 * then forks a process of 40 MB); a thousand pods start four programs each.
 * This one uses posix_spawn (a vfork: no page tables copied) and poll(), about
 * 0.3 ms per program. The daemon compiles it on first use (init-helper.ts) and
 * keeps the Node helper when it cannot.
 *
 * Requests on stdin, one frame each: a 4-byte little-endian length, then
 * NUL-terminated fields (spawner-protocol.ts, encodeNativeRequest):
 *   run|start, id, timeoutMs (0: none), cwd ("": ours), logFile (start only),
 *   replaceEnv (0|1), argc, argv..., envc, NAME=value..., then the input's bytes;
 *   kill, id of the request whose program to stop;
 *   stats, id: the CPU of the programs that ended since the last stats, by name.
 * Replies on stdout: the JSON lines of spawner-main.ts (SpawnReply). It exits
 * when its stdin ends; programs started detached live on.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

/* A growable byte buffer. */
typedef struct {
  char *p;
  size_t len, cap;
} buf_t;

static void put(buf_t *b, const void *d, size_t n) {
  if (b->len + n > b->cap) {
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + n) cap *= 2;
    char *p = realloc(b->p, cap);
    if (!p) {
      perror("hoplab-spawner: out of memory");
      exit(1);
    }
    b->p = p;
    b->cap = cap;
  }
  memcpy(b->p + b->len, d, n);
  b->len += n;
}
static void puts_(buf_t *b, const char *s) { put(b, s, strlen(s)); }

/* A JSON string: quotes, backslashes and control characters escaped; other bytes as they are. */
static void put_json(buf_t *b, const char *s, size_t n) {
  put(b, "\"", 1);
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    char e[8];
    if (c == '"' || c == '\\') {
      e[0] = '\\';
      e[1] = (char)c;
      put(b, e, 2);
    } else if (c == '\n') put(b, "\\n", 2);
    else if (c == '\t') put(b, "\\t", 2);
    else if (c == '\r') put(b, "\\r", 2);
    else if (c < 0x20) {
      snprintf(e, sizeof e, "\\u%04x", c);
      put(b, e, 6);
    } else put(b, (const char *)&c, 1);
  }
  put(b, "\"", 1);
}

/* One reply line, written whole (the daemon reads our stdout promptly, so blocking is short). */
static void send_line(buf_t *b) {
  put(b, "\n", 1);
  size_t off = 0;
  while (off < b->len) {
    ssize_t w = write(1, b->p + off, b->len - off);
    if (w < 0) {
      if (errno == EINTR) continue;
      exit(0); /* the daemon went away */
    }
    off += (size_t)w;
  }
  free(b->p);
}

static const char *signame(int sig) {
  static const char *names[] = {
    [SIGHUP] = "SIGHUP", [SIGINT] = "SIGINT", [SIGQUIT] = "SIGQUIT", [SIGILL] = "SIGILL", [SIGTRAP] = "SIGTRAP",
    [SIGABRT] = "SIGABRT", [SIGBUS] = "SIGBUS", [SIGFPE] = "SIGFPE", [SIGKILL] = "SIGKILL", [SIGUSR1] = "SIGUSR1",
    [SIGSEGV] = "SIGSEGV", [SIGUSR2] = "SIGUSR2", [SIGPIPE] = "SIGPIPE", [SIGALRM] = "SIGALRM", [SIGTERM] = "SIGTERM",
    [SIGSTKFLT] = "SIGSTKFLT", [SIGCHLD] = "SIGCHLD", [SIGCONT] = "SIGCONT", [SIGSTOP] = "SIGSTOP", [SIGTSTP] = "SIGTSTP",
    [SIGTTIN] = "SIGTTIN", [SIGTTOU] = "SIGTTOU", [SIGURG] = "SIGURG", [SIGXCPU] = "SIGXCPU", [SIGXFSZ] = "SIGXFSZ",
    [SIGVTALRM] = "SIGVTALRM", [SIGPROF] = "SIGPROF", [SIGWINCH] = "SIGWINCH", [SIGIO] = "SIGIO", [SIGPWR] = "SIGPWR",
    [SIGSYS] = "SIGSYS",
  };
  if (sig > 0 && sig < (int)(sizeof names / sizeof names[0]) && names[sig]) return names[sig];
  return "SIGKILL";
}

/* Node's names for the errors a spawn meets ("spawn ip ENOENT"). */
static const char *errname(int e) {
  switch (e) {
    case ENOENT: return "ENOENT";
    case EACCES: return "EACCES";
    case ENOEXEC: return "ENOEXEC";
    case ENOTDIR: return "ENOTDIR";
    case E2BIG: return "E2BIG";
    case ENOMEM: return "ENOMEM";
    case EAGAIN: return "EAGAIN";
    case EPERM: return "EPERM";
    case ELOOP: return "ELOOP";
    case ENAMETOOLONG: return "ENAMETOOLONG";
    default: return strerror(e);
  }
}

static long long now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

typedef struct {
  int used;
  long id;
  int detached; /* start: only its pid and its end are reported */
  pid_t pid;
  int in_fd, out_fd, err_fd;
  char *input;
  size_t in_len, in_off;
  buf_t out, err;
  int exited, status;
  long long deadline, kill_at;
  long timeout_ms;
  int timed_out;
  char name[64]; /* what its CPU is counted under (program_name) */
} job_t;

/* CPU of the programs that ended, by name, since the last `stats` request: wait4's rusage, which includes what each reaped of its own. */
typedef struct {
  char name[64];
  long count;
  long long user_us, sys_us;
} stat_t;
static stat_t *stats;
static size_t nstats;

static void account(const char *name, const struct rusage *ru) {
  size_t i = 0;
  while (i < nstats && strcmp(stats[i].name, name)) i++;
  if (i == nstats) {
    stat_t *s = realloc(stats, (nstats + 1) * sizeof *s);
    if (!s) return;
    stats = s;
    memset(&stats[nstats], 0, sizeof *stats);
    snprintf(stats[nstats].name, sizeof stats[nstats].name, "%s", name);
    nstats++;
  }
  stats[i].count++;
  stats[i].user_us += (long long)ru->ru_utime.tv_sec * 1000000 + ru->ru_utime.tv_usec;
  stats[i].sys_us += (long long)ru->ru_stime.tv_sec * 1000000 + ru->ru_stime.tv_usec;
}

static const char *base(const char *path) {
  const char *b = strrchr(path, '/');
  return b ? b + 1 : path;
}

/*
 * The name a program's CPU is counted under: the program a wrapper runs
 * (`ip netns exec NS P`, `hoplab-init --exec-in NS P`: P), busybox with its
 * applet, the starter by its mode.
 */
static void program_name(char **argv, long argc, char *out, size_t n) {
  long i = 0;
  const char *b = base(argv[0]);
  if (!strcmp(b, "ip") && argc > 4 && !strcmp(argv[1], "netns") && !strcmp(argv[2], "exec")) i = 4;
  else if (!strncmp(b, "hoplab-init", 11)) {
    if (argc > 3 && !strcmp(argv[1], "--exec-in")) i = 3;
    else {
      snprintf(out, n, "%s", argc > 1 && !strcmp(argv[1], "--add-netns") ? "hoplab-init --add-netns" : "hoplab-init (container)");
      return;
    }
  }
  b = base(argv[i]);
  if (!strcmp(b, "busybox") && i + 1 < argc) snprintf(out, n, "busybox %s", argv[i + 1]);
  else snprintf(out, n, "%s", b);
}

static void reply_stats(long id) {
  buf_t b = {0};
  char h[96];
  snprintf(h, sizeof h, "{\"id\":%ld,\"stats\":[", id);
  puts_(&b, h);
  for (size_t i = 0; i < nstats; i++) {
    if (i) puts_(&b, ",");
    puts_(&b, "[");
    put_json(&b, stats[i].name, strlen(stats[i].name));
    snprintf(h, sizeof h, ",%ld,%.1f,%.1f]", stats[i].count, stats[i].user_us / 1000.0, stats[i].sys_us / 1000.0);
    puts_(&b, h);
  }
  puts_(&b, "]}");
  send_line(&b);
  free(stats);
  stats = NULL;
  nstats = 0;
}

static job_t *jobs;
static size_t njobs;

static job_t *new_job(void) {
  for (size_t i = 0; i < njobs; i++)
    if (!jobs[i].used) {
      memset(&jobs[i], 0, sizeof jobs[i]);
      jobs[i].used = 1;
      return &jobs[i];
    }
  size_t n = njobs ? njobs * 2 : 16;
  job_t *j = realloc(jobs, n * sizeof *j);
  if (!j) {
    perror("hoplab-spawner: out of memory");
    exit(1);
  }
  memset(j + njobs, 0, (n - njobs) * sizeof *j);
  jobs = j;
  size_t k = njobs;
  njobs = n;
  jobs[k].used = 1;
  return &jobs[k];
}

static void free_job(job_t *j) {
  free(j->input);
  free(j->out.p);
  free(j->err.p);
  j->used = 0;
}

static void reply_error(long id, const char *msg) {
  buf_t b = {0};
  char h[48];
  snprintf(h, sizeof h, "{\"id\":%ld,\"error\":", id);
  puts_(&b, h);
  put_json(&b, msg, strlen(msg));
  puts_(&b, "}");
  send_line(&b);
}

/* A run's end, once it has exited and both its pipes are closed (Node's 'close'). */
static void finish_run(job_t *j) {
  buf_t b = {0};
  char h[96];
  snprintf(h, sizeof h, "{\"id\":%ld", j->id);
  puts_(&b, h);
  if (!j->timed_out && WIFEXITED(j->status)) {
    snprintf(h, sizeof h, ",\"exitCode\":%d", WEXITSTATUS(j->status));
    puts_(&b, h);
  }
  if (j->timed_out) {
    snprintf(h, sizeof h, ",\"why\":\"timed out after %ld ms\"", j->timeout_ms);
    puts_(&b, h);
  }
  puts_(&b, ",\"stdout\":");
  put_json(&b, j->out.p ? j->out.p : "", j->out.len);
  puts_(&b, ",\"stderr\":");
  put_json(&b, j->err.p ? j->err.p : "", j->err.len);
  puts_(&b, "}");
  send_line(&b);
  free_job(j);
}

static void report_exit(job_t *j) {
  char h[128];
  if (WIFEXITED(j->status)) snprintf(h, sizeof h, "{\"id\":%ld,\"exit\":{\"code\":%d,\"signal\":null}}", j->id, WEXITSTATUS(j->status));
  else snprintf(h, sizeof h, "{\"id\":%ld,\"exit\":{\"code\":null,\"signal\":\"%s\"}}", j->id, signame(WTERMSIG(j->status)));
  buf_t b = {0};
  puts_(&b, h);
  send_line(&b);
  free_job(j);
}

/* SIGTERM now, SIGKILL in 2 s if it is still there (what the Node helper does). */
static void stop(job_t *j) {
  if (j->exited) return;
  kill(j->pid, SIGTERM);
  j->kill_at = now_ms() + 2000;
}

/* The program's path: argv[0] itself when it names a path, else the first match on the child's PATH. */
static char *resolve(const char *file, char **envp) {
  if (strchr(file, '/')) return strdup(file);
  const char *path = "/usr/local/bin:/usr/bin:/bin";
  for (char **e = envp; *e; e++)
    if (strncmp(*e, "PATH=", 5) == 0) path = *e + 5;
  size_t fl = strlen(file);
  for (const char *p = path;;) {
    const char *end = strchr(p, ':');
    size_t dl = end ? (size_t)(end - p) : strlen(p);
    char *full = malloc(dl + fl + 2);
    if (!full) return NULL;
    if (dl) {
      memcpy(full, p, dl);
      full[dl] = '/';
      memcpy(full + dl + 1, file, fl + 1);
    } else memcpy(full, file, fl + 1);
    struct stat st;
    if (access(full, X_OK) == 0 && stat(full, &st) == 0 && S_ISREG(st.st_mode)) return full;
    free(full);
    if (!end) return NULL;
    p = end + 1;
  }
}

/* The child's environment: ours with the request's names added (or replacing ours entirely). */
static char **child_env(int replace, char **add, long nadd) {
  size_t n = 0;
  if (!replace)
    for (char **e = environ; *e; e++) n++;
  char **env = calloc(n + (size_t)nadd + 1, sizeof *env);
  if (!env) return NULL;
  size_t k = 0;
  if (!replace)
    for (char **e = environ; *e; e++) {
      const char *eq = strchr(*e, '=');
      size_t kl = eq ? (size_t)(eq - *e) + 1 : strlen(*e);
      int overridden = 0;
      for (long i = 0; i < nadd && !overridden; i++) overridden = strncmp(add[i], *e, kl) == 0;
      if (!overridden) env[k++] = *e;
    }
  for (long i = 0; i < nadd; i++) env[k++] = add[i];
  env[k] = NULL;
  return env;
}

static void handle(char *p, size_t n) {
  char *end = p + n;
  /* The next NUL-terminated field, or NULL when the frame has none left. */
#define FIELD() ({ char *f_ = p; char *z_ = memchr(p, '\0', (size_t)(end - p)); z_ ? (p = z_ + 1, f_) : NULL; })
  char *kind = FIELD(), *id_s = FIELD();
  if (!kind || !id_s) return;
  long id = strtol(id_s, NULL, 10);
  if (strcmp(kind, "stats") == 0) return reply_stats(id);
  if (strcmp(kind, "kill") == 0) {
    for (size_t i = 0; i < njobs; i++)
      if (jobs[i].used && jobs[i].id == id) stop(&jobs[i]);
    return;
  }
  char *timeout_s = FIELD(), *cwd = FIELD(), *log_file = FIELD(), *replace_s = FIELD(), *argc_s = FIELD();
  if (!argc_s) return reply_error(id, "hoplab-spawner: a short request");
  long argc = strtol(argc_s, NULL, 10);
  if (argc < 1 || argc > 100000) return reply_error(id, "hoplab-spawner: no command");
  char **argv = calloc((size_t)argc + 1, sizeof *argv);
  for (long i = 0; i < argc; i++)
    if (!(argv[i] = FIELD())) return free(argv), reply_error(id, "hoplab-spawner: a short request");
  char *envc_s = FIELD();
  long envc = envc_s ? strtol(envc_s, NULL, 10) : -1;
  if (envc < 0 || envc > 100000) return free(argv), reply_error(id, "hoplab-spawner: a short request");
  char **add = calloc((size_t)envc + 1, sizeof *add);
  for (long i = 0; i < envc; i++)
    if (!(add[i] = FIELD())) return free(argv), free(add), reply_error(id, "hoplab-spawner: a short request");
#undef FIELD
  int detached = strcmp(kind, "start") == 0;
  char name[64];
  program_name(argv, argc, name, sizeof name);
  char **envp = child_env(strcmp(replace_s, "1") == 0, add, envc);
  char *path = resolve(argv[0], envp);

  posix_spawn_file_actions_t fa;
  posix_spawnattr_t at;
  posix_spawn_file_actions_init(&fa);
  posix_spawnattr_init(&at);
  sigset_t none, all;
  sigemptyset(&none);
  sigfillset(&all);
  sigdelset(&all, SIGKILL);
  sigdelset(&all, SIGSTOP);
  posix_spawnattr_setsigmask(&at, &none);
  posix_spawnattr_setsigdefault(&at, &all);
  short flags = POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF;
  if (detached) flags |= POSIX_SPAWN_SETSID; /* its own session and process group, as Node's detached */
  posix_spawnattr_setflags(&at, flags);
  if (*cwd) posix_spawn_file_actions_addchdir_np(&fa, cwd);

  int in[2] = {-1, -1}, out[2] = {-1, -1}, err[2] = {-1, -1}, logfd = -1;
  char msg[4200];
  int rc = 0;
  if (detached) {
    logfd = open(log_file, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0666);
    if (logfd < 0) {
      snprintf(msg, sizeof msg, "%s: %s, open '%s'", errname(errno), strerror(errno), log_file);
      rc = -1;
    } else {
      posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
      posix_spawn_file_actions_adddup2(&fa, logfd, 1);
      posix_spawn_file_actions_adddup2(&fa, logfd, 2);
    }
  } else if (pipe2(in, O_CLOEXEC) || pipe2(out, O_CLOEXEC) || pipe2(err, O_CLOEXEC)) {
    snprintf(msg, sizeof msg, "spawn %s %s", argv[0], errname(errno));
    rc = -1;
  } else {
    posix_spawn_file_actions_adddup2(&fa, in[0], 0);
    posix_spawn_file_actions_adddup2(&fa, out[1], 1);
    posix_spawn_file_actions_adddup2(&fa, err[1], 2);
  }
  pid_t pid = -1;
  if (rc == 0) {
    int e = path ? posix_spawn(&pid, path, &fa, &at, argv, envp) : ENOENT;
    if (e) {
      snprintf(msg, sizeof msg, "spawn %s %s", argv[0], errname(e));
      rc = -1;
    }
  }
  posix_spawn_file_actions_destroy(&fa);
  posix_spawnattr_destroy(&at);
  free(path);
  free(envp);
  free(add);
  free(argv);
  if (logfd >= 0) close(logfd);
  /* The child's ends are the child's now; ours stay open only if it runs. */
  if (in[0] >= 0) close(in[0]);
  if (out[1] >= 0) close(out[1]);
  if (err[1] >= 0) close(err[1]);
  if (rc) {
    if (in[1] >= 0) close(in[1]);
    if (out[0] >= 0) close(out[0]);
    if (err[0] >= 0) close(err[0]);
    if (detached) return reply_error(id, msg);
    /* A run that never started ends at once, its reason on stderr (as the Node helper's 'error'). */
    buf_t b = {0};
    char h[48];
    snprintf(h, sizeof h, "{\"id\":%ld,\"stdout\":\"\",\"stderr\":", id);
    puts_(&b, h);
    strcat(msg, "\n");
    put_json(&b, msg, strlen(msg));
    puts_(&b, "}");
    return send_line(&b);
  }
  job_t *j = new_job();
  j->id = id;
  j->pid = pid;
  j->detached = detached;
  memcpy(j->name, name, sizeof name);
  j->in_fd = j->out_fd = j->err_fd = -1;
  if (detached) {
    char h[64];
    snprintf(h, sizeof h, "{\"id\":%ld,\"pid\":%d}", id, (int)pid);
    buf_t b = {0};
    puts_(&b, h);
    send_line(&b);
    return;
  }
  j->in_fd = in[1];
  j->out_fd = out[0];
  j->err_fd = err[0];
  fcntl(j->in_fd, F_SETFL, O_NONBLOCK);
  fcntl(j->out_fd, F_SETFL, O_NONBLOCK);
  fcntl(j->err_fd, F_SETFL, O_NONBLOCK);
  j->in_len = (size_t)(end - p);
  if (j->in_len) {
    j->input = malloc(j->in_len);
    memcpy(j->input, p, j->in_len);
  } else {
    close(j->in_fd);
    j->in_fd = -1;
  }
  j->timeout_ms = strtol(timeout_s, NULL, 10);
  if (j->timeout_ms > 0) j->deadline = now_ms() + j->timeout_ms;
}

/* Reads what a pipe has; closes it at its end. */
static void drain(int *fd, buf_t *b) {
  char tmp[65536];
  for (;;) {
    ssize_t r = read(*fd, tmp, sizeof tmp);
    if (r > 0) {
      put(b, tmp, (size_t)r);
      continue;
    }
    if (r < 0 && errno == EINTR) continue;
    if (r < 0 && errno == EAGAIN) return;
    close(*fd);
    *fd = -1;
    return;
  }
}

int main(void) {
  signal(SIGPIPE, SIG_IGN);
  sigset_t chld;
  sigemptyset(&chld);
  sigaddset(&chld, SIGCHLD);
  sigprocmask(SIG_BLOCK, &chld, NULL);
  int sfd = signalfd(-1, &chld, SFD_NONBLOCK | SFD_CLOEXEC);
  if (sfd < 0) {
    perror("hoplab-spawner: signalfd");
    return 1;
  }
  buf_t req = {0};
  struct pollfd *pf = NULL;
  job_t **owner = NULL;
  int *which = NULL;
  size_t pcap = 0;
  for (;;) {
    size_t need = 2 + 3 * njobs;
    if (need > pcap) {
      pcap = need * 2;
      pf = realloc(pf, pcap * sizeof *pf);
      owner = realloc(owner, pcap * sizeof *owner);
      which = realloc(which, pcap * sizeof *which);
      if (!pf || !owner || !which) {
        perror("hoplab-spawner: out of memory");
        return 1;
      }
    }
    size_t np = 0;
    pf[np++] = (struct pollfd){.fd = 0, .events = POLLIN};
    pf[np++] = (struct pollfd){.fd = sfd, .events = POLLIN};
    long long now = now_ms(), wake = -1;
    for (size_t i = 0; i < njobs; i++) {
      job_t *j = &jobs[i];
      if (!j->used) continue;
      int fds[3] = {j->in_fd, j->out_fd, j->err_fd};
      for (int k = 0; k < 3; k++) {
        if (fds[k] < 0) continue;
        owner[np] = j;
        which[np] = k;
        pf[np++] = (struct pollfd){.fd = fds[k], .events = k == 0 ? POLLOUT : POLLIN};
      }
      long long d[2] = {j->deadline, j->kill_at};
      for (int k = 0; k < 2; k++)
        if (d[k] && (wake < 0 || d[k] < wake)) wake = d[k];
    }
    int timeout = wake < 0 ? -1 : (wake <= now ? 0 : (int)(wake - now));
    if (poll(pf, np, timeout) < 0 && errno != EINTR) {
      perror("hoplab-spawner: poll");
      return 1;
    }
    for (size_t i = 2; i < np; i++) {
      if (!pf[i].revents) continue;
      job_t *j = owner[i];
      if (which[i] == 0) {
        ssize_t w = write(j->in_fd, j->input + j->in_off, j->in_len - j->in_off);
        if (w > 0) j->in_off += (size_t)w;
        if ((w < 0 && errno != EAGAIN && errno != EINTR) || j->in_off == j->in_len) {
          close(j->in_fd); /* all written, or a program that does not read it */
          j->in_fd = -1;
        }
      } else drain(which[i] == 1 ? &j->out_fd : &j->err_fd, which[i] == 1 ? &j->out : &j->err);
    }
    if (pf[1].revents) {
      struct signalfd_siginfo si;
      while (read(sfd, &si, sizeof si) > 0) {
      }
      int st;
      pid_t pid;
      struct rusage ru;
      while ((pid = wait4(-1, &st, WNOHANG, &ru)) > 0) {
        for (size_t i = 0; i < njobs; i++) {
          job_t *j = &jobs[i];
          if (!j->used || j->pid != pid || j->exited) continue;
          j->exited = 1;
          j->status = st;
          account(j->name, &ru);
          if (j->detached) report_exit(j);
          break;
        }
      }
    }
    now = now_ms();
    for (size_t i = 0; i < njobs; i++) {
      job_t *j = &jobs[i];
      if (!j->used) continue;
      if (j->deadline && now >= j->deadline) {
        j->deadline = 0;
        j->timed_out = 1;
        stop(j);
      }
      if (j->kill_at && now >= j->kill_at) {
        j->kill_at = 0;
        if (!j->exited) kill(j->pid, SIGKILL);
      }
      if (!j->detached && j->exited && j->out_fd < 0 && j->err_fd < 0) {
        if (j->in_fd >= 0) close(j->in_fd);
        finish_run(j);
      }
    }
    if (pf[0].revents) {
      char tmp[65536];
      ssize_t r = read(0, tmp, sizeof tmp);
      if (r == 0 || (r < 0 && errno != EINTR && errno != EAGAIN)) return 0; /* the daemon went away */
      if (r > 0) put(&req, tmp, (size_t)r);
      size_t off = 0;
      while (req.len - off >= 4) {
        unsigned char *h = (unsigned char *)req.p + off;
        uint32_t n = (uint32_t)h[0] | (uint32_t)h[1] << 8 | (uint32_t)h[2] << 16 | (uint32_t)h[3] << 24;
        if (req.len - off - 4 < n) break;
        handle(req.p + off + 4, n);
        off += 4 + n;
      }
      if (off) {
        memmove(req.p, req.p + off, req.len - off);
        req.len -= off;
      }
    }
  }
}
