#include "http/router.h"

#include <cassert>

namespace carepost::http {

std::vector<std::string_view> PathSegments(std::string_view path) {
  std::vector<std::string_view> out;
  if (!path.empty() && path.front() == '/') path.remove_prefix(1);
  while (!path.empty() && path.back() == '/') path.remove_suffix(1);
  if (path.empty()) return out;
  size_t start = 0;
  while (true) {
    const size_t slash = path.find('/', start);
    out.push_back(path.substr(start, slash == std::string_view::npos ? slash : slash - start));
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return out;
}

void Router::Add(std::string method, std::string pattern, Handler handler) {
  assert(!pattern.empty() && pattern.front() == '/');
  routes_.push_back({std::move(method), std::move(pattern), std::move(handler)});
}

namespace {
bool MatchPattern(std::string_view pattern, std::string_view path,
                  std::map<std::string, std::string>* params) {
  const auto want = PathSegments(pattern);
  const auto got = PathSegments(path);
  if (want.size() != got.size()) return false;
  std::map<std::string, std::string> p;
  for (size_t i = 0; i < want.size(); ++i) {
    const std::string_view w = want[i];
    if (w.size() >= 2 && w.front() == '{' && w.back() == '}') {
      if (got[i].empty()) return false;
      p[std::string(w.substr(1, w.size() - 2))] = std::string(got[i]);
    } else if (w != got[i]) {
      return false;
    }
  }
  *params = std::move(p);
  return true;
}
}  // namespace

Router::Match Router::Find(std::string_view method, std::string_view path) const {
  Match m;
  for (const Route& r : routes_) {
    std::map<std::string, std::string> params;
    if (!MatchPattern(r.pattern, path, &params)) continue;
    if (r.method == method) {
      m.handler = &r.handler;
      m.route = r.pattern;
      m.params = std::move(params);
      m.method_mismatch = false;
      m.allowed_methods.clear();
      return m;
    }
    m.method_mismatch = true;
    m.route = r.pattern;
    m.allowed_methods.push_back(r.method);
  }
  return m;
}

}  // namespace carepost::http
