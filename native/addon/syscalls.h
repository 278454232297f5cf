// One short function per syscall Node lacks: check args, call, return the
// result or -errno. No Node types here; module.cc does the conversions.
#pragma once
int sys_clear_cloexec(int fd);
