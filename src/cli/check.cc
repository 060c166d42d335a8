#include "cli/check.h"

#include <algorithm>
#include <atomic>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

#include "core/strings.h"
#include "cli/jsonl_reader.h"
#include "core/utf8.h"
#include "guard/finding_json.h"
#include "guard/screener.h"

namespace carepost::cli {
namespace {

using guard::Finding;
using guard::Screener;
using guard::ScreenResult;
using guard::Verdict;

bool ReadAll(const std::string& path, std::string* out, std::string* error) {
  std::ostringstream ss;
  if (path == "-") {
    ss << std::cin.rdbuf();
  } else {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      *error = core::Cat("cannot open ", path);
      return false;
    }
    ss << in.rdbuf();
  }
  *out = std::move(ss).str();
  return true;
}

struct Line {
  size_t number;  // 1-based
  std::string_view text;
};

// One screened (or rejected) record, rendered and ready to print in input order.
struct Outcome {
  std::string out;  // for stdout
  std::string err;  // for stderr
  bool rejected = false;
  Verdict verdict = Verdict::kPass;
};

const char* SeverityColor(guard::Severity s) {
  switch (s) {
    case guard::Severity::kBlock: return "\033[1;31m";
    case guard::Severity::kReview: return "\033[1;33m";
    case guard::Severity::kInfo: return "\033[36m";
  }
  return "";
}

// For people: a header, the text with every finding's span marked, then the findings.
void RenderHuman(std::string_view id, std::string_view text, guard::Context context,
                 guard::Platform platform, const ScreenResult& r, const std::string* redacted,
                 bool color, std::string* out) {
  const char* bold = color ? "\033[1m" : "";
  const char* reset = color ? "\033[0m" : "";
  const char* verdict_color = color ? (r.verdict == Verdict::kBlock    ? "\033[1;31m"
                                       : r.verdict == Verdict::kReview ? "\033[1;33m"
                                                                       : "\033[1;32m")
                                    : "";
  std::string verdict(guard::VerdictName(r.verdict));
  for (char& c : verdict) c = static_cast<char>(toupper(c));
  core::Append(out, bold, id.empty() ? "text" : id, reset, " · ", guard::ContextName(context));
  if (platform != guard::Platform::kNone) core::Append(out, " · ", guard::PlatformName(platform));
  core::Append(out, " · ", verdict_color, verdict, reset, "\n");
  // The text, with spans of findings other than whole-text ones marked.
  std::vector<std::pair<uint32_t, uint32_t>> marks;
  for (const Finding& f : r.findings) {
    if (f.end > f.start && !(f.start == 0 && f.end == text.size())) marks.push_back({f.start, f.end});
  }
  std::sort(marks.begin(), marks.end());
  std::string body;
  uint32_t pos = 0;
  for (size_t i = 0; i < marks.size();) {
    uint32_t s = std::max(marks[i].first, pos), e = marks[i].second;
    while (++i < marks.size() && marks[i].first < e) e = std::max(e, marks[i].second);
    if (s >= e) continue;
    body.append(text.substr(pos, s - pos));
    body.append(color ? "\033[4;31m" : "⟦");
    body.append(text.substr(s, e - s));
    body.append(color ? "\033[0m" : "⟧");
    pos = e;
  }
  body.append(text.substr(pos));
  core::Append(out, "  ", body, "\n");
  for (const Finding& f : r.findings) {
    core::Append(out, "  ", color ? SeverityColor(f.severity) : "", "[",
                    guard::SeverityName(f.severity), "]", reset, " ", guard::KindName(f.kind), "/",
                    f.type, " @", f.start, "-", f.end, ": ", f.message, "\n");
    if (!f.suggestion.empty()) core::Append(out, "      suggestion: ", f.suggestion, "\n");
    if (!f.rebuttal.empty()) core::Append(out, "      rebuttal: ", f.rebuttal, "\n");
    for (const auto& src : f.sources) {
      core::Append(out, "      source: ", src.title, " <", src.url, ">\n");
    }
  }
  if (redacted != nullptr) core::Append(out, "  redacted: ", *redacted, "\n");
  out->push_back('\n');
}

std::vector<Line> SplitLines(std::string_view input) {
  std::vector<Line> lines;
  size_t number = 0, pos = 0;
  while (pos < input.size()) {
    size_t nl = input.find('\n', pos);
    if (nl == std::string_view::npos) nl = input.size();
    std::string_view line = input.substr(pos, nl - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    ++number;
    if (line.find_first_not_of(" \t") != std::string_view::npos) lines.push_back({number, line});
    pos = nl + 1;
  }
  return lines;
}

class Worker {
 public:
  Worker(const Screener& screener, const CheckOptions& options)
      : screener_(screener), options_(options), reader_(options.max_record_bytes),
        scratch_(screener.NewScratch()) {}

  void Run(const Line& line, Outcome* o) {
    Record record;
    const absl::Status st = reader_.Parse(line.text, &record);
    if (!st.ok()) {
      o->rejected = true;
      o->err = core::Cat("line ", line.number, ": ", std::string(st.message()), "\n");
      if (options_.format == "jsonl") {
        core::Append(&o->out, "{\"id\":", record.id_json, ",\"line\":", line.number,
                        ",\"error\":");
        guard::AppendJsonString(&o->out, std::string(st.message()));
        o->out.append("}\n");
      }
      return;
    }
    std::vector<guard::MediaItem> media;
    for (const auto& m : record.media) media.push_back({m.is_image, m.alt});
    guard::ScreenRequest req;
    req.context = record.context.value_or(options_.context);
    req.platform = record.platform.value_or(options_.platform);
    req.media = media;
    ScreenResult r = screener_.Screen(record.text, req, scratch_);
    o->verdict = r.verdict;
    std::string redacted;
    if (options_.redact) redacted = guard::Redact(record.text, r.findings);
    if (options_.format == "jsonl") {
      guard::AppendResultJson(&o->out, record.id_json, r, options_.redact ? &redacted : nullptr);
      o->out.push_back('\n');
    } else {
      std::string id = record.id_json;
      if (id.size() >= 2 && id.front() == '"') id = id.substr(1, id.size() - 2);
      RenderHuman(id, record.text, req.context, req.platform, r,
                  options_.redact ? &redacted : nullptr, options_.color, &o->out);
    }
  }

 private:
  const Screener& screener_;
  const CheckOptions& options_;
  JsonlReader reader_;
  Screener::Scratch scratch_;
};

}  // namespace

int RunCheck(const CheckOptions& options) {
  guard::ScreenerOptions so;
  if (!options.org_file.empty()) {
    std::string toml, error;
    if (!ReadAll(options.org_file, &toml, &error)) {
      std::cerr << "carepost check: " << error << "\n";
      return 2;
    }
    auto profile = guard::ParseOrgProfile(toml, options.org_file);
    if (!profile.ok()) {
      std::cerr << "carepost check: " << profile.status().message() << "\n";
      return 2;
    }
    so.org = *std::move(profile);
  }
  auto screener_or = Screener::Create(std::move(so));
  if (!screener_or.ok()) {
    std::cerr << "carepost check: " << screener_or.status().message() << "\n";
    return 2;
  }
  const Screener& screener = **screener_or;
  if (!screener.pattern_note().empty()) {
    std::cerr << "carepost check: warning: " << screener.pattern_note() << "\n";
  }

  std::string input, error;
  if (!ReadAll(options.input, &input, &error)) {
    std::cerr << "carepost check: " << error << "\n";
    return 2;
  }
  const bool records = options.format == "jsonl" ||
                       (options.input.size() > 6 &&
                        options.input.substr(options.input.size() - 6) == ".jsonl");

  if (!records) {
    // The whole input is one text.
    if (const size_t nul = input.find('\0'); nul != std::string::npos) {
      std::cerr << "carepost check: " << options.input << ": NUL byte at byte " << nul << "\n";
      return 2;
    }
    if (const core::Utf8Check u = core::ValidateUtf8(input); !u.ok) {
      std::cerr << "carepost check: " << options.input << ": invalid UTF-8 at byte "
                << u.error_offset << "\n";
      return 2;
    }
    while (!input.empty() && (input.back() == '\n' || input.back() == '\r')) input.pop_back();
    auto scratch = screener.NewScratch();
    guard::ScreenRequest req{options.context, options.platform, {}};
    ScreenResult r = screener.Screen(input, req, scratch);
    std::string redacted = options.redact ? guard::Redact(input, r.findings) : "";
    std::string out;
    RenderHuman("", input, options.context, options.platform, r,
                options.redact ? &redacted : nullptr, options.color, &out);
    std::cout << out;
    return r.verdict == Verdict::kBlock ? 1 : 0;
  }

  const std::vector<Line> lines = SplitLines(input);
  if (lines.empty()) {
    std::cerr << "carepost check: " << options.input << ": no records to screen\n";
    return 2;
  }
  int threads = options.threads > 0 ? options.threads
                                    : static_cast<int>(std::thread::hardware_concurrency());
  threads = std::clamp(threads, 1, 64);
  std::vector<std::unique_ptr<Worker>> workers;
  for (int i = 0; i < threads; ++i) workers.push_back(std::make_unique<Worker>(screener, options));

  size_t rejected = 0, screened = 0;
  bool blocked = false;
  constexpr size_t kBatch = 4096;
  std::vector<Outcome> outcomes;
  for (size_t begin = 0; begin < lines.size(); begin += kBatch) {
    const size_t end = std::min(lines.size(), begin + kBatch);
    outcomes.assign(end - begin, Outcome{});
    std::atomic<size_t> next{begin};
    auto work = [&](Worker* w) {
      for (size_t i; (i = next.fetch_add(1)) < end;) w->Run(lines[i], &outcomes[i - begin]);
    };
    if (threads == 1 || end - begin < 64) {
      work(workers[0].get());
    } else {
      std::vector<std::thread> pool;
      for (int t = 1; t < threads; ++t) pool.emplace_back(work, workers[t].get());
      work(workers[0].get());
      for (auto& th : pool) th.join();
    }
    std::string out;
    for (const Outcome& o : outcomes) {
      out += o.out;
      if (!o.err.empty()) std::cerr << "carepost check: " << options.input << ": " << o.err;
      rejected += o.rejected;
      screened += !o.rejected;
      blocked |= o.verdict == Verdict::kBlock;
    }
    std::cout << out;
  }
  std::cout.flush();
  if (screened == 0) return 2;
  if (blocked) return 1;
  return rejected > 0 ? 3 : 0;
}

}  // namespace carepost::cli
