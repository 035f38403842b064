/*
 * hoplab-init: starts one container of the embedded lab in a single process.
 *
 * It does what src/providers/netns/sandbox.ts's shell launcher does with
 * `ip netns exec`, `unshare`, `sh`, `mount`, `mkdir`, `cp`, `hostname`,
 * `pivot_root`, `umount`, `rmdir` and `env` (about twenty programs started per
 * container), with system calls: on a loaded machine every program started is
 * a fork, an exec and a scheduler round trip, and a thousand pods pay them a
 * thousand times. The daemon compiles it on first use (init-helper.ts); the
 * shell launcher stays the path without a C compiler.
 *
 *   hoplab-init NETNS NENV ENV... CMD [ARG...]
 *   hoplab-init --add-netns NAME      (ip netns add NAME; ip -n NAME link set lo up)
 *   hoplab-init --exec-in NETNS PROGRAM [ARG...]   (a CNI plugin in its node's namespace)
 *
 * NETNS is the pod's network namespace file (/run/netns/<name>); NENV how many
 * NAME=value words of the container's environment follow; then its command.
 * The sandbox's paths come in the environment, as the shell launcher takes
 * them: HL_ROOT, HL_LOWER, HL_UPPER, HL_WORK, HL_DEV, HL_ETC, HL_MOUNTS (lines
 * of source TAB target TAB ro|rw), HL_HOSTNAME, HL_WORKDIR, and HL_NEWPID /
 * HL_NEWIPC (1 unless the pod asked for hostPID / hostIPC).
 *
 * This process enters the network namespace, makes new UTS, IPC, mount and PID
 * namespaces and stays as their parent (what `unshare --fork --kill-child`
 * does: `kubectl exec` enters through its /proc/PID/ns/pid_for_children, and
 * it ends with the container's exit code or signal); the child becomes PID 1,
 * assembles the root filesystem and replaces itself with the container's
 * command.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

static void die(const char *fmt, ...) {
  va_list ap;
  int err = errno;
  fputs("hoplab-init: ", stderr);
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  if (err) fprintf(stderr, ": %s", strerror(err));
  fputc('\n', stderr);
  exit(1);
}

static const char *need(const char *name) {
  const char *v = getenv(name);
  if (!v) {
    errno = 0;
    die("%s is not set", name);
  }
  return v;
}

static char *join(const char *a, const char *b) {
  size_t la = strlen(a), lb = strlen(b);
  char *s = malloc(la + lb + 2);
  if (!s) die("out of memory");
  memcpy(s, a, la);
  size_t i = la;
  if (lb && b[0] != '/') s[i++] = '/';
  memcpy(s + i, b, lb + 1);
  return s;
}

/* mkdir -p */
static void mkdirs(const char *path, mode_t mode) {
  char *p = strdup(path);
  if (!p) die("out of memory");
  for (char *c = p + 1; *c; c++) {
    if (*c != '/') continue;
    *c = 0;
    if (mkdir(p, mode) != 0 && errno != EEXIST) die("mkdir %s", p);
    *c = '/';
  }
  if (mkdir(p, mode) != 0 && errno != EEXIST) die("mkdir %s", p);
  free(p);
}

static void do_mount(const char *src, const char *target, const char *type, unsigned long flags, const char *data) {
  if (mount(src, target, type, flags, data) != 0) die("mount %s on %s", type ? type : src, target);
}

/* A file to bind-mount over: an image's symlink is replaced, a missing file made empty (the launcher's `: >`). */
static void bind_target_file(const char *target) {
  struct stat st;
  if (lstat(target, &st) == 0 && S_ISLNK(st.st_mode)) unlink(target);
  if (access(target, F_OK) != 0) {
    int fd = open(target, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) die("create %s", target);
    close(fd);
  }
}

/* Bind-mounts src on target; read-only as `mount --bind -o ro,nosuid,nodev` does it: a bind, then a remount. */
static void bind_mount(const char *src, const char *target, int ro) {
  do_mount(src, target, NULL, MS_BIND, NULL);
  if (ro) do_mount(NULL, target, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV, NULL);
}

/* cp -a of the /dev template's top level: device nodes, links and directories with their modes. */
static void copy_dev(const char *from, const char *to) {
  DIR *d = opendir(from);
  if (!d) die("open %s", from);
  struct dirent *e;
  while ((e = readdir(d))) {
    if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
    char *src = join(from, e->d_name), *dst = join(to, e->d_name);
    struct stat st;
    if (lstat(src, &st) != 0) die("stat %s", src);
    if (S_ISLNK(st.st_mode)) {
      char link[4096];
      ssize_t n = readlink(src, link, sizeof link - 1);
      if (n < 0) die("readlink %s", src);
      link[n] = 0;
      if (symlink(link, dst) != 0) die("symlink %s", dst);
    } else {
      if (S_ISDIR(st.st_mode)) {
        if (mkdir(dst, st.st_mode & 07777) != 0) die("mkdir %s", dst);
      } else if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)) {
        if (mknod(dst, st.st_mode, st.st_rdev) != 0) die("mknod %s", dst);
      } else {
        continue; /* the template holds no regular files */
      }
      /* The umask narrowed what mkdir and mknod made. */
      if (chmod(dst, st.st_mode & 07777) != 0) die("chmod %s", dst);
    }
    if (lchown(dst, st.st_uid, st.st_gid) != 0) die("chown %s", dst);
    free(src);
    free(dst);
  }
  closedir(d);
}

static void assemble_root(void) {
  const char *root = need("HL_ROOT");
  char *opts;
  if (asprintf(&opts, "lowerdir=%s,upperdir=%s,workdir=%s", need("HL_LOWER"), need("HL_UPPER"), need("HL_WORK")) < 0) die("out of memory");
  do_mount("overlay", root, "overlay", 0, opts);
  const char *dirs[] = {"proc", "sys", "dev", "etc", "tmp", ".oldroot"};
  for (size_t i = 0; i < sizeof dirs / sizeof *dirs; i++) mkdirs(join(root, dirs[i]), 0755);
  do_mount("proc", join(root, "proc"), "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
  do_mount("sysfs", join(root, "sys"), "sysfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
  char *dev = join(root, "dev");
  do_mount("tmpfs", dev, "tmpfs", MS_NOSUID, "mode=755,size=256k");
  copy_dev(need("HL_DEV"), dev);
  do_mount("devpts", join(dev, "pts"), "devpts", MS_NOSUID | MS_NOEXEC, "newinstance,ptmxmode=0666,mode=620");
  do_mount("shm", join(dev, "shm"), "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "size=64m");

  const char *etc = need("HL_ETC");
  const char *files[] = {"hosts", "resolv.conf", "hostname"};
  for (size_t i = 0; i < 3; i++) {
    char *target = join(join(root, "etc"), files[i]);
    bind_target_file(target);
    bind_mount(join(etc, files[i]), target, 0);
  }

  /* The machine's programs (read-only) and the pod's volumes. */
  char *lines = strdup(need("HL_MOUNTS")), *save = NULL;
  for (char *line = strtok_r(lines, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
    char *src = line, *dst = strchr(src, '\t');
    if (!dst) continue;
    *dst++ = 0;
    char *mode = strchr(dst, '\t');
    if (mode) *mode++ = 0;
    if (!*src) continue;
    char *target = join(root, dst);
    struct stat st;
    if (stat(src, &st) == 0 && S_ISDIR(st.st_mode)) {
      mkdirs(target, 0755);
    } else {
      char *parent = strdup(target);
      char *slash = strrchr(parent, '/');
      if (slash && slash != parent) {
        *slash = 0;
        mkdirs(parent, 0755);
      }
      if (access(target, F_OK) != 0) {
        int fd = open(target, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
        if (fd < 0) die("create %s", target);
        close(fd);
      }
    }
    bind_mount(src, target, mode && !strcmp(mode, "ro"));
  }

  const char *hostname = need("HL_HOSTNAME");
  if (sethostname(hostname, strlen(hostname)) != 0) die("sethostname %s", hostname);
  if (chdir(root) != 0) die("chdir %s", root);
  if (syscall(SYS_pivot_root, ".", ".oldroot") != 0) die("pivot_root %s", root);
  if (chdir("/") != 0) die("chdir /");
  if (umount2("/.oldroot", MNT_DETACH) != 0) die("umount /.oldroot");
  rmdir("/.oldroot");
  const char *wd = getenv("HL_WORKDIR");
  if (!wd || chdir(wd) != 0) {
    if (chdir("/") != 0) die("chdir /");
  }
}

/* env -i NAME=value... CMD: the container's environment only; CMD looked up on its PATH. */
static void exec_container(char **env, int nenv, char **argv) {
  if (clearenv() != 0) die("clearenv");
  for (int i = 0; i < nenv; i++) {
    if (putenv(env[i]) != 0) die("putenv");
  }
  execvp(argv[0], argv);
  int err = errno;
  fprintf(stderr, "hoplab-init: '%s': %s\n", argv[0], strerror(err));
  _exit(err == ENOENT ? 127 : 126);
}

/*
 * What `ip netns add NAME` does (iproute2's netns_add), then the CNI loopback
 * plugin's job, lo up, in the new namespace: a pod sandbox in one program
 * instead of two `ip` runs.
 */
static int add_netns(const char *name) {
  if (!*name || strchr(name, '/') || !strcmp(name, ".") || !strcmp(name, "..")) {
    errno = 0;
    die("invalid namespace name '%s'", name);
  }
  const char *dir = "/run/netns";
  if (mkdir(dir, 0755) != 0 && errno != EEXIST) die("mkdir %s", dir);
  /* /run/netns a shared mount point, so a namespace mounted here shows in every mount namespace. */
  while (mount("", dir, "none", MS_SHARED | MS_REC, NULL) != 0) {
    if (errno != EINVAL) die("mount --make-rshared %s", dir);
    if (mount(dir, dir, "none", MS_BIND | MS_REC, NULL) != 0) die("mount --bind %s", dir);
  }
  char *path = join(dir, name);
  int fd = open(path, O_RDONLY | O_CREAT | O_EXCL, 0);
  if (fd < 0) die("create %s", path);
  close(fd);
  if (unshare(CLONE_NEWNET) != 0 || mount("/proc/self/ns/net", path, "none", MS_BIND, NULL) != 0) {
    int err = errno;
    unlink(path);
    errno = err;
    die("bind /proc/self/ns/net -> %s", path);
  }
  int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (s < 0) die("socket");
  struct ifreq ifr;
  memset(&ifr, 0, sizeof ifr);
  strcpy(ifr.ifr_name, "lo");
  if (ioctl(s, SIOCGIFFLAGS, &ifr) != 0) die("lo flags");
  ifr.ifr_flags |= IFF_UP;
  if (ioctl(s, SIOCSIFFLAGS, &ifr) != 0) die("lo up");
  close(s);
  return 0;
}

/* setns into NETNS, then exec: `ip netns exec` without its mount namespace, /sys remount and /etc/netns binds, which a CNI plugin does not use. */
static int exec_in(const char *netns, char **argv) {
  int fd = open(netns, O_RDONLY | O_CLOEXEC);
  if (fd < 0) die("open %s", netns);
  if (setns(fd, CLONE_NEWNET) != 0) die("setns %s", netns);
  close(fd);
  execv(argv[0], argv);
  die("exec %s", argv[0]);
  return 1;
}

int main(int argc, char **argv) {
  if (argc == 3 && !strcmp(argv[1], "--add-netns")) return add_netns(argv[2]);
  if (argc >= 4 && !strcmp(argv[1], "--exec-in")) return exec_in(argv[2], argv + 3);
  if (argc < 4) {
    fprintf(stderr, "usage: hoplab-init NETNS NENV ENV... CMD [ARG...]\n");
    return 2;
  }
  char *end;
  long nenv = strtol(argv[2], &end, 10);
  if (*end || nenv < 0 || 3 + nenv >= argc) {
    fprintf(stderr, "hoplab-init: bad environment count %s\n", argv[2]);
    return 2;
  }
  int fd = open(argv[1], O_RDONLY | O_CLOEXEC);
  if (fd < 0) die("open %s", argv[1]);
  if (setns(fd, CLONE_NEWNET) != 0) die("setns %s", argv[1]);
  close(fd);

  const char *p = getenv("HL_NEWPID"), *i = getenv("HL_NEWIPC");
  int flags = CLONE_NEWUTS | CLONE_NEWNS;
  if (!p || strcmp(p, "0")) flags |= CLONE_NEWPID;
  if (!i || strcmp(i, "0")) flags |= CLONE_NEWIPC;
  if (unshare(flags) != 0) die("unshare");
  /* unshare --propagation private: nothing mounted here reaches the machine. */
  do_mount("none", "/", NULL, MS_REC | MS_PRIVATE, NULL);

  pid_t parent = getpid();
  pid_t child = fork();
  if (child < 0) die("fork");
  if (child == 0) {
    /* --kill-child: the container goes when its parent does. */
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) die("prctl");
    if (getppid() != parent && (flags & CLONE_NEWPID) == 0) _exit(1);
    assemble_root();
    exec_container(argv + 3, (int)nenv, argv + 3 + nenv);
  }
  /* The parent waits as unshare does, without holding the machine's root in reach of anything. */
  int status;
  while (waitpid(child, &status, 0) < 0) {
    if (errno != EINTR) die("wait");
  }
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) {
    int sig = WTERMSIG(status);
    signal(sig, SIG_DFL);
    kill(getpid(), sig);
    return 128 + sig;
  }
  return 1;
}
