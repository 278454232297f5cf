#include "ns-binfmt.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sched.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

// The new mount API (Linux 5.2), called through syscall(2): glibc's wrappers
// need <sys/mount.h> from 2.36, which clashes with <linux/mount.h>.
#ifndef FSOPEN_CLOEXEC
#define FSOPEN_CLOEXEC 0x00000001
#endif
#ifndef FSCONFIG_CMD_CREATE
#define FSCONFIG_CMD_CREATE 6
#endif
#ifndef FSMOUNT_CLOEXEC
#define FSMOUNT_CLOEXEC 0x00000001
#endif
#ifndef MOVE_MOUNT_F_EMPTY_PATH
#define MOVE_MOUNT_F_EMPTY_PATH 0x00000004
#endif

const char* NsBinfmtStepName(int step) {
  switch (step) {
    case kStepNone: return "none";
    case kStepFork: return "fork";
    case kStepSetnsUser: return "setns-user";
    case kStepSetnsMnt: return "setns-mnt";
    case kStepRoot: return "root";
    case kStepFsopen: return "fsopen";
    case kStepFsmount: return "fsmount";
    case kStepMountpoint: return "mountpoint";
    case kStepAttach: return "attach";
    case kStepOpen: return "open";
    case kStepWrite: return "write";
    default: return "child";
  }
}

namespace {

// What the child sends back, with the mount fd as SCM_RIGHTS when it has one.
struct Report {
  int step;
  int err;
  int attached;
  int was_mounted;
};

void SendReport(int sock, const Report& r, int fd) {
  struct iovec iov = {const_cast<Report*>(&r), sizeof r};
  struct msghdr msg = {};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  alignas(struct cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
  if (fd >= 0) {
    msg.msg_control = control;
    msg.msg_controllen = sizeof control;
    struct cmsghdr* c = CMSG_FIRSTHDR(&msg);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(c), &fd, sizeof fd);
  }
  while (sendmsg(sock, &msg, MSG_NOSIGNAL) < 0 && errno == EINTR) {
  }
}

[[noreturn]] void Fail(int sock, Report& r, int step, int err) {
  r.step = step;
  r.err = err;
  SendReport(sock, r, -1);
  _exit(1);
}

// The child: only syscalls from here to _exit.
[[noreturn]] void Child(const NsBinfmtRequest& req, int sock) {
  Report r = {kStepNone, 0, 0, 0};
  if (req.userns_fd >= 0) {
    if (setns(req.userns_fd, CLONE_NEWUSER) < 0) Fail(sock, r, kStepSetnsUser, errno);
    // Become root of that namespace where it maps one (as nsenter -U does), so
    // that files its root owns are ours; setns already gave all capabilities.
    syscall(SYS_setresgid, 0, 0, 0);
    syscall(SYS_setresuid, 0, 0, 0);
  }
  if (setns(req.mntns_fd, CLONE_NEWNS) < 0) Fail(sock, r, kStepSetnsMnt, errno);
  if (fchdir(req.root_fd) < 0) Fail(sock, r, kStepRoot, errno);
  const char* sub = req.subroot;
  while (*sub == '/') sub++;
  if (*sub && chdir(sub) < 0) Fail(sock, r, kStepRoot, errno);
  if (chroot(".") < 0) Fail(sock, r, kStepRoot, errno);

  // A detached mount of this user namespace's instance: the kernel keys
  // binfmt_misc superblocks by user namespace, so this is the existing
  // instance when there is one, and a new one otherwise.
  int fs = static_cast<int>(syscall(SYS_fsopen, "binfmt_misc", FSOPEN_CLOEXEC));
  if (fs < 0) Fail(sock, r, kStepFsopen, errno);
  if (syscall(SYS_fsconfig, fs, FSCONFIG_CMD_CREATE, nullptr, nullptr, 0) < 0) Fail(sock, r, kStepFsmount, errno);
  int mnt = static_cast<int>(syscall(SYS_fsmount, fs, FSMOUNT_CLOEXEC, 0));
  if (mnt < 0) Fail(sock, r, kStepFsmount, errno);

  struct stat inst, at;
  if (fstat(mnt, &inst) < 0) Fail(sock, r, kStepFsmount, errno);
  if (stat(req.mountpoint, &at) < 0) {
    if (req.attach) Fail(sock, r, kStepMountpoint, errno);
  } else if (at.st_dev == inst.st_dev) {
    r.was_mounted = 1;
  } else if (req.attach) {
    if (syscall(SYS_move_mount, mnt, "", AT_FDCWD, req.mountpoint, MOVE_MOUNT_F_EMPTY_PATH) < 0)
      Fail(sock, r, kStepAttach, errno);
    r.attached = 1;
  }
  if (req.write_file) {
    // One write(2), by a process whose root is PID's: with flag F the kernel
    // opens the interpreter now, resolving its path from this root.
    int fd = openat(mnt, req.write_file, O_WRONLY | O_CLOEXEC);
    if (fd < 0) Fail(sock, r, kStepOpen, errno);
    ssize_t n = write(fd, req.data, req.data_len);
    if (n < 0) Fail(sock, r, kStepWrite, errno);
    if (static_cast<size_t>(n) != req.data_len) Fail(sock, r, kStepWrite, EIO);
  }
  SendReport(sock, r, mnt);
  _exit(0);
}

}  // namespace

NsBinfmtResult RunNsBinfmt(const NsBinfmtRequest& req) {
  NsBinfmtResult out = {kStepNone, 0, false, false, -1};
  int sv[2];
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0) return {kStepFork, errno, false, false, -1};
  pid_t pid = fork();
  if (pid < 0) {
    int e = errno;
    close(sv[0]);
    close(sv[1]);
    return {kStepFork, e, false, false, -1};
  }
  if (pid == 0) {
    close(sv[0]);
    Child(req, sv[1]);
  }
  close(sv[1]);
  Report r = {kStepChild, EPROTO, 0, 0};
  struct iovec iov = {&r, sizeof r};
  struct msghdr msg = {};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  alignas(struct cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
  msg.msg_control = control;
  msg.msg_controllen = sizeof control;
  ssize_t n;
  while ((n = recvmsg(sv[0], &msg, MSG_CMSG_CLOEXEC)) < 0 && errno == EINTR) {
  }
  if (n != static_cast<ssize_t>(sizeof r)) r = Report{kStepChild, n < 0 ? errno : EPROTO, 0, 0};
  for (struct cmsghdr* c = CMSG_FIRSTHDR(&msg); n > 0 && c; c = CMSG_NXTHDR(&msg, c)) {
    if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) memcpy(&out.mount_fd, CMSG_DATA(c), sizeof(int));
  }
  close(sv[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  out.step = r.step;
  out.err = r.err;
  out.attached = r.attached != 0;
  out.was_mounted = r.was_mounted != 0;
  if (out.step != kStepNone && out.mount_fd >= 0) {
    close(out.mount_fd);
    out.mount_fd = -1;
  }
  return out;
}
