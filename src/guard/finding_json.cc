#include "guard/finding_json.h"

#include <cstdio>

namespace carepost::guard {

void AppendJsonString(std::string* out, std::string_view s) {
  out->push_back('"');
  size_t run = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out->append(s.substr(run, i - run));
    run = i + 1;
    switch (c) {
      case '"': out->append("\\\""); break;
      case '\\': out->append("\\\\"); break;
      case '\n': out->append("\\n"); break;
      case '\r': out->append("\\r"); break;
      case '\t': out->append("\\t"); break;
      default: {
        char buf[8];
        snprintf(buf, sizeof buf, "\\u%04x", c);
        out->append(buf);
      }
    }
  }
  out->append(s.substr(run));
  out->push_back('"');
}

void AppendFindingJson(std::string* out, const Finding& f) {
  out->append("{\"kind\":\"");
  out->append(KindName(f.kind));
  out->append("\",\"type\":");
  AppendJsonString(out, f.type);
  out->append(",\"start\":");
  out->append(std::to_string(f.start));
  out->append(",\"end\":");
  out->append(std::to_string(f.end));
  out->append(",\"severity\":\"");
  out->append(SeverityName(f.severity));
  out->append("\",\"message\":");
  AppendJsonString(out, f.message);
  if (!f.suggestion.empty()) {
    out->append(",\"suggestion\":");
    AppendJsonString(out, f.suggestion);
  }
  if (!f.rebuttal.empty()) {
    out->append(",\"rebuttal\":");
    AppendJsonString(out, f.rebuttal);
  }
  if (!f.sources.empty()) {
    out->append(",\"sources\":[");
    for (size_t i = 0; i < f.sources.size(); ++i) {
      if (i) out->push_back(',');
      out->append("{\"title\":");
      AppendJsonString(out, f.sources[i].title);
      out->append(",\"url\":");
      AppendJsonString(out, f.sources[i].url);
      out->push_back('}');
    }
    out->push_back(']');
  }
  out->push_back('}');
}

void AppendResultJson(std::string* out, std::string_view id_json, const ScreenResult& result,
                      const std::string* redacted) {
  out->append("{\"id\":");
  out->append(id_json);
  out->append(",\"verdict\":\"");
  out->append(VerdictName(result.verdict));
  out->append("\",\"findings\":[");
  for (size_t i = 0; i < result.findings.size(); ++i) {
    if (i) out->push_back(',');
    AppendFindingJson(out, result.findings[i]);
  }
  out->push_back(']');
  if (redacted != nullptr) {
    out->append(",\"redacted\":");
    AppendJsonString(out, *redacted);
  }
  out->push_back('}');
}

}  // namespace carepost::guard
