// NODE_API_MODULE init: the export table, and turning -errno into Node-style
// errors (code, errno, syscall, path). Nothing else lives here.
#include <napi.h>

#include <cstring>
#include <string>

#include "syscalls.h"

namespace {

Napi::Value ThrowErrno(Napi::Env env, int neg, const char* syscall, const std::string& path = "") {
  int e = -neg;
  Napi::Error err = Napi::Error::New(env, std::string(syscall) + ": " + strerror(e) + (path.empty() ? "" : " '" + path + "'"));
  err.Set("errno", Napi::Number::New(env, -e));
  err.Set("code", Napi::String::New(env, strerrorname_np(e) ? strerrorname_np(e) : "EUNKNOWN"));
  err.Set("syscall", Napi::String::New(env, syscall));
  if (!path.empty()) err.Set("path", Napi::String::New(env, path));
  err.ThrowAsJavaScriptException();
  return env.Undefined();
}

Napi::Value ClearCloexec(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsNumber()) {
    Napi::TypeError::New(env, "clearCloexec(fd: number)").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  int r = sys_clear_cloexec(info[0].As<Napi::Number>().Int32Value());
  if (r < 0) return ThrowErrno(env, r, "fcntl");
  return env.Undefined();
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("clearCloexec", Napi::Function::New(env, ClearCloexec));
  return exports;
}

}  // namespace

NODE_API_MODULE(binfmt_native, Init)
