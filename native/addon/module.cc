// NODE_API_MODULE init: the export table, argument checks, and turning -errno
// into Node-style errors (code, errno, syscall, path). Nothing else lives here.
#include <napi.h>

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/file.h>
#include <sys/mount.h>

#include <cstring>
#include <string>
#include <vector>

#include "ns-binfmt.h"
#include "syscalls.h"

namespace {

// The one mapping from an errno value (positive) to a Node-style error, as
// fs throws them: "ENOENT: no such file or directory, open 'path'", with code,
// errno (negative, as libuv's), syscall and, when given, path.
Napi::Error ErrnoError(Napi::Env env, int e, const char* syscall, const std::string& path = "") {
  const char* name = strerrorname_np(e);
  std::string code = name ? name : "EUNKNOWN";
  Napi::Error err =
      Napi::Error::New(env, code + ": " + strerror(e) + ", " + syscall + (path.empty() ? "" : " '" + path + "'"));
  err.Set("errno", Napi::Number::New(env, -e));
  err.Set("code", Napi::String::New(env, code));
  err.Set("syscall", Napi::String::New(env, syscall));
  if (!path.empty()) err.Set("path", Napi::String::New(env, path));
  return err;
}

// Throws the error for a syscall's -errno result (sys::*).
Napi::Value ThrowErrno(Napi::Env env, int neg, const char* syscall, const std::string& path = "") {
  ErrnoError(env, -neg, syscall, path).ThrowAsJavaScriptException();
  return env.Undefined();
}

Napi::Value TypeError(Napi::Env env, const char* usage) {
  Napi::TypeError::New(env, usage).ThrowAsJavaScriptException();
  return env.Undefined();
}

// Whether v is of the kind: 'n' number, 's' string, 'b' boolean, 'B' Buffer,
// 'o' object, 'a' array of strings.
bool IsKind(const Napi::Value& v, char kind) {
  switch (kind) {
    case 'n': return v.IsNumber();
    case 's': return v.IsString();
    case 'b': return v.IsBoolean();
    case 'B': return v.IsBuffer();
    case 'o': return v.IsObject();
    case 'a': {
      if (!v.IsArray()) return false;
      Napi::Array a = v.As<Napi::Array>();
      for (uint32_t j = 0; j < a.Length(); j++)
        if (!a.Get(j).IsString()) return false;
      return true;
    }
    default: return false;
  }
}

// Checks info[i] by kinds[i] (IsKind).
bool Check(const Napi::CallbackInfo& info, const char* kinds) {
  for (size_t i = 0; kinds[i]; i++)
    if (i >= info.Length() || !IsKind(info[i], kinds[i])) return false;
  return true;
}

// A NULL-terminated char* vector over strings that live as long as it does.
struct StringVector {
  std::vector<std::string> store;
  std::vector<char*> ptrs;
  explicit StringVector(Napi::Array a) {
    for (uint32_t i = 0; i < a.Length(); i++) store.push_back(a.Get(i).As<Napi::String>().Utf8Value());
    for (auto& s : store) ptrs.push_back(s.data());
    ptrs.push_back(nullptr);
  }
};

std::string Str(const Napi::CallbackInfo& info, size_t i) { return info[i].As<Napi::String>().Utf8Value(); }
int Int(const Napi::CallbackInfo& info, size_t i) { return info[i].As<Napi::Number>().Int32Value(); }

Napi::Value ClearCloexec(const Napi::CallbackInfo& info) {
  if (!Check(info, "n")) return TypeError(info.Env(), "clearCloexec(fd: number)");
  int r = sys::ClearCloexec(Int(info, 0));
  if (r < 0) return ThrowErrno(info.Env(), r, "fcntl");
  return info.Env().Undefined();
}

Napi::Value Execveat(const Napi::CallbackInfo& info) {
  if (!Check(info, "nsaan"))
    return TypeError(info.Env(), "execveat(dirfd: number, path: string, argv: string[], env: string[], flags: number)");
  std::string path = Str(info, 1);
  StringVector argv(info[2].As<Napi::Array>()), envp(info[3].As<Napi::Array>());
  int r = sys::Execveat(Int(info, 0), path.c_str(), argv.ptrs.data(), envp.ptrs.data(), Int(info, 4));
  return ThrowErrno(info.Env(), r, "execveat", path);
}

Napi::Value Fexecve(const Napi::CallbackInfo& info) {
  if (!Check(info, "naa")) return TypeError(info.Env(), "fexecve(fd: number, argv: string[], env: string[])");
  StringVector argv(info[1].As<Napi::Array>()), envp(info[2].As<Napi::Array>());
  int r = sys::Fexecve(Int(info, 0), argv.ptrs.data(), envp.ptrs.data());
  return ThrowErrno(info.Env(), r, "fexecve");
}

Napi::Value Chroot(const Napi::CallbackInfo& info) {
  if (!Check(info, "s")) return TypeError(info.Env(), "chroot(path: string)");
  std::string path = Str(info, 0);
  int r = sys::Chroot(path.c_str());
  if (r < 0) return ThrowErrno(info.Env(), r, "chroot", path);
  return info.Env().Undefined();
}

Napi::Value Mount(const Napi::CallbackInfo& info) {
  if (!Check(info, "sssns"))
    return TypeError(info.Env(), "mount(source: string, target: string, fstype: string, flags: number, data: string)");
  std::string source = Str(info, 0), target = Str(info, 1), fstype = Str(info, 2), data = Str(info, 4);
  unsigned long flags = static_cast<unsigned long>(info[3].As<Napi::Number>().Int64Value());
  int r = sys::Mount(source.c_str(), target.c_str(), fstype.empty() ? nullptr : fstype.c_str(), flags,
                     data.empty() ? nullptr : data.c_str());
  if (r < 0) return ThrowErrno(info.Env(), r, "mount", target);
  return info.Env().Undefined();
}

Napi::Value Umount2(const Napi::CallbackInfo& info) {
  if (!Check(info, "sn")) return TypeError(info.Env(), "umount2(target: string, flags: number)");
  std::string target = Str(info, 0);
  int r = sys::Umount2(target.c_str(), Int(info, 1));
  if (r < 0) return ThrowErrno(info.Env(), r, "umount2", target);
  return info.Env().Undefined();
}

Napi::Value Flock(const Napi::CallbackInfo& info) {
  if (!Check(info, "nn")) return TypeError(info.Env(), "flock(fd: number, op: number)");
  int r = sys::Flock(Int(info, 0), Int(info, 1));
  if (r < 0) return ThrowErrno(info.Env(), r, "flock");
  return info.Env().Undefined();
}

Napi::Value Openat2(const Napi::CallbackInfo& info) {
  if (!Check(info, "nsnnn"))
    return TypeError(info.Env(), "openat2(dirfd: number, path: string, flags: number, mode: number, resolve: number)");
  std::string path = Str(info, 1);
  auto u64 = [&](size_t i) { return static_cast<uint64_t>(info[i].As<Napi::Number>().Int64Value()); };
  int r = sys::Openat2(Int(info, 0), path.c_str(), u64(2), u64(3), u64(4));
  if (r < 0) return ThrowErrno(info.Env(), r, "openat2", path);
  return Napi::Number::New(info.Env(), r);
}

// nsBinfmt({userFd, mntFd, rootFd, subroot, mountpoint, attach, writeFile,
// data}): see ns-binfmt.h. userFd -1 stays in this user namespace; writeFile
// "" writes nothing. Returns { attached, wasMounted, mountFd }; throws with
// syscall set to the failing step (setns-user, setns-mnt, root, fsopen,
// fsmount, mountpoint, attach, open, write) and `attached` on the error.
Napi::Value NsBinfmt(const Napi::CallbackInfo& info) {
  struct Field {
    const char* name;
    char kind;
  };
  static const Field kFields[] = {{"userFd", 'n'},     {"mntFd", 'n'},  {"rootFd", 'n'},    {"subroot", 's'},
                                  {"mountpoint", 's'}, {"attach", 'b'}, {"writeFile", 's'}, {"data", 'B'}};
  bool ok = Check(info, "o");
  for (const Field& f : kFields) ok = ok && IsKind(info[0].As<Napi::Object>().Get(f.name), f.kind);
  if (!ok) {
    return TypeError(info.Env(),
                     "nsBinfmt({userFd: number, mntFd: number, rootFd: number, subroot: string, "
                     "mountpoint: string, attach: boolean, writeFile: string, data: Buffer})");
  }
  Napi::Object o = info[0].As<Napi::Object>();
  auto str = [&](const char* name) { return o.Get(name).As<Napi::String>().Utf8Value(); };
  auto fd = [&](const char* name) { return o.Get(name).As<Napi::Number>().Int32Value(); };
  std::string subroot = str("subroot"), mountpoint = str("mountpoint"), file = str("writeFile");
  Napi::Buffer<unsigned char> data = o.Get("data").As<Napi::Buffer<unsigned char>>();
  NsBinfmtRequest req = {fd("userFd"),
                         fd("mntFd"),
                         fd("rootFd"),
                         subroot.c_str(),
                         mountpoint.c_str(),
                         o.Get("attach").As<Napi::Boolean>().Value(),
                         file.empty() ? nullptr : file.c_str(),
                         data.Data(),
                         data.Length()};
  NsBinfmtResult r = RunNsBinfmt(req);
  Napi::Env env = info.Env();
  if (r.step != kStepNone) {
    Napi::Error err = ErrnoError(env, r.err, NsBinfmtStepName(r.step));
    err.Set("attached", Napi::Boolean::New(env, r.attached));
    err.ThrowAsJavaScriptException();
    return env.Undefined();
  }
  Napi::Object out = Napi::Object::New(env);
  out.Set("attached", Napi::Boolean::New(env, r.attached));
  out.Set("wasMounted", Napi::Boolean::New(env, r.was_mounted));
  out.Set("mountFd", Napi::Number::New(env, r.mount_fd));
  return out;
}

Napi::Object Constants(Napi::Env env) {
  Napi::Object c = Napi::Object::New(env);
  c.Set("AT_FDCWD", static_cast<double>(AT_FDCWD));
  c.Set("AT_EMPTY_PATH", static_cast<double>(AT_EMPTY_PATH));
  c.Set("O_PATH", static_cast<double>(O_PATH));
  c.Set("O_DIRECTORY", static_cast<double>(O_DIRECTORY));
  c.Set("O_CLOEXEC", static_cast<double>(O_CLOEXEC));
  c.Set("RESOLVE_IN_ROOT", static_cast<double>(RESOLVE_IN_ROOT));
  c.Set("RESOLVE_NO_MAGICLINKS", static_cast<double>(RESOLVE_NO_MAGICLINKS));
  c.Set("MS_BIND", static_cast<double>(MS_BIND));
  c.Set("MS_REC", static_cast<double>(MS_REC));
  c.Set("MS_RDONLY", static_cast<double>(MS_RDONLY));
  c.Set("MS_PRIVATE", static_cast<double>(MS_PRIVATE));
  c.Set("MS_SLAVE", static_cast<double>(MS_SLAVE));
  c.Set("MNT_DETACH", static_cast<double>(MNT_DETACH));
  c.Set("LOCK_SH", static_cast<double>(LOCK_SH));
  c.Set("LOCK_EX", static_cast<double>(LOCK_EX));
  c.Set("LOCK_NB", static_cast<double>(LOCK_NB));
  c.Set("LOCK_UN", static_cast<double>(LOCK_UN));
  return c;
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("clearCloexec", Napi::Function::New(env, ClearCloexec));
  exports.Set("execveat", Napi::Function::New(env, Execveat));
  exports.Set("fexecve", Napi::Function::New(env, Fexecve));
  exports.Set("chroot", Napi::Function::New(env, Chroot));
  exports.Set("mount", Napi::Function::New(env, Mount));
  exports.Set("umount2", Napi::Function::New(env, Umount2));
  exports.Set("openat2", Napi::Function::New(env, Openat2));
  exports.Set("flock", Napi::Function::New(env, Flock));
  exports.Set("nsBinfmt", Napi::Function::New(env, NsBinfmt));
  exports.Set("constants", Constants(env));
  return exports;
}

}  // namespace

NODE_API_MODULE(binfmt_native, Init)
