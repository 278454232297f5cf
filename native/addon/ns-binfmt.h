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

// Which step of RunNsBinfmt failed (reported with its errno).
enum NsBinfmtStep {
  kStepNone = 0,
  kStepFork,
  kStepSetnsUser,
  kStepSetnsMnt,
  kStepRoot,
  kStepFsopen,
  kStepFsmount,
  kStepMountpoint,
  kStepAttach,
  kStepOpen,
  kStepWrite,
  kStepChild,
};

const char* NsBinfmtStepName(int step);

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
  int step;          // kStepNone on success, else the step that failed
  int err;           // its errno
  bool attached;     // this call attached the instance at the mount point
  bool was_mounted;  // the instance was already mounted at the mount point
  int mount_fd;      // the instance's detached mount, readable in the parent (-1 if none)
};

// Forks, enters, does the request, returns what happened. Never throws.
NsBinfmtResult RunNsBinfmt(const NsBinfmtRequest& req);
