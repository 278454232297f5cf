// Acting on the binfmt_misc instance of another process's user namespace.
//
// setns(2) into a user namespace refuses a multithreaded caller (EINVAL), and
// Node always runs several threads; setns into a mount namespace refuses a
// caller that shares its fs_struct. So the namespace work happens in a child
// made by fork(2): it has one thread and its own fs_struct, enters the
// namespaces, does its few syscalls (no malloc: only async-signal-safe calls
// are allowed after fork in a multithreaded process) and _exit()s. The parent
// keeps its own namespaces and gets back a result and, by SCM_RIGHTS, the
// instance's mount fd for reading.
#pragma once
#include <cstddef>

// Which step of ns_binfmt failed (reported with its errno).
enum NsBinfmtStep {
  NS_STEP_NONE = 0,
  NS_STEP_FORK,
  NS_STEP_SETNS_USER,
  NS_STEP_SETNS_MNT,
  NS_STEP_ROOT,
  NS_STEP_FSOPEN,
  NS_STEP_FSMOUNT,
  NS_STEP_MOUNTPOINT,
  NS_STEP_ATTACH,
  NS_STEP_OPEN,
  NS_STEP_WRITE,
  NS_STEP_CHILD,
};

const char* ns_binfmt_step_name(int step);

struct NsBinfmtRequest {
  // Opened by the caller in its own namespaces: PID's /proc/PID/ns/user
  // (-1: stay in the caller's user namespace), /proc/PID/ns/mnt, /proc/PID/root.
  int userns_fd;
  int mntns_fd;
  int root_fd;
  // A directory below PID's root to use as the root instead ("" for none):
  // the container's root file system while its runtime has not pivoted yet.
  const char* subroot;
  // Where the instance goes, relative to that root ("proc/sys/fs/binfmt_misc").
  const char* mountpoint;
  // Attach the instance there when it is not mounted there yet.
  bool attach;
  // A file of the instance to write `data` to with one write(2) (nullptr: none).
  const char* write_file;
  const unsigned char* data;
  size_t data_len;
};

struct NsBinfmtResult {
  int step;          // NS_STEP_NONE on success, else the step that failed
  int err;           // its errno
  bool attached;     // this call attached the instance at the mount point
  bool was_mounted;  // the instance was already mounted at the mount point
  int mount_fd;      // the instance's detached mount, readable in the parent (-1 if none)
};

// Forks, enters, does the request, returns what happened. Never throws.
NsBinfmtResult ns_binfmt(const NsBinfmtRequest& req);
