#include "cli/bench.h"

#include <simdjson.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>
#include <string>
#include <vector>

#include "core/utf8.h"
#include "guard/document.h"
#include "guard/screener.h"

namespace carepost::cli {
namespace {

using Clock = std::chrono::steady_clock;

double Seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

std::string CpuModel() {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("model name", 0) == 0) {
      const size_t colon = line.find(':');
      if (colon != std::string::npos) return line.substr(colon + 2);
    }
  }
  return "unknown CPU";
}

// Reads texts from a JSONL file ("text" field) or, for lines that are not JSON
// objects, the lines themselves. Invalid UTF-8 lines are skipped and counted.
bool LoadCorpus(const std::string& path, std::vector<std::string>* texts, std::string* error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *error = "cannot open " + path;
    return false;
  }
  simdjson::dom::parser parser;
  std::string line;
  size_t skipped = 0;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    if (!core::ValidateUtf8(line).ok) {
      ++skipped;
      continue;
    }
    std::string_view text;
    simdjson::dom::element doc;
    if (line.front() == '{' && !parser.parse(line).get(doc) && !doc["text"].get_string().get(text)) {
      texts->emplace_back(text);
    } else {
      texts->push_back(line);
    }
  }
  if (skipped > 0) std::cerr << "carepost bench: skipped " << skipped << " invalid UTF-8 lines\n";
  if (texts->empty()) {
    *error = path + ": no texts";
    return false;
  }
  return true;
}

void Row(const char* name, double bytes, double posts, double seconds) {
  printf("  %-22s %9.1f MB/s %12.0f posts/s\n", name, bytes / seconds / 1e6, posts / seconds);
}

}  // namespace

int RunBench(const BenchOptions& options) {
  std::vector<std::string> texts;
  std::string error;
  if (!LoadCorpus(options.corpus, &texts, &error)) {
    std::cerr << "carepost bench: " << error << "\n";
    return 2;
  }
  size_t corpus_bytes = 0;
  for (const auto& t : texts) corpus_bytes += t.size();

  const auto build_start = Clock::now();
  guard::ScreenerOptions screener_options;
  screener_options.builtin_pattern_database = !options.compile_patterns;
  auto screener_or = guard::Screener::Create(screener_options);
  if (!screener_or.ok()) {
    std::cerr << "carepost bench: " << std::string(screener_or.status().message()) << "\n";
    return 2;
  }
  const double build_seconds = Seconds(Clock::now() - build_start);
  const guard::Screener& screener = **screener_or;
  guard::Screener::Scratch scratch = screener.NewScratch();
  guard::ScreenRequest req;
  req.context = *guard::ParseContext(options.context);

  printf("carepost bench: %zu texts, %.1f MB, %.0f bytes/text on average; context %s\n",
         texts.size(), corpus_bytes / 1e6, double(corpus_bytes) / texts.size(),
         options.context.c_str());
  printf("machine: %s, %u hardware threads; one thread measured (per-core figures)\n",
         CpuModel().c_str(), std::thread::hardware_concurrency());
  printf("screener build (patterns, knowledge base, gazetteers, model): %.0f ms (%s)\n\n",
         build_seconds * 1e3,
         options.compile_patterns          ? "every pattern compiled at start, as asked"
         : screener.patterns_precompiled() ? "built-in patterns precompiled"
                                           : "built-in database unusable, compiled at start");
  if (!screener.pattern_note().empty()) {
    std::cerr << "carepost bench: warning: " << screener.pattern_note() << "\n";
  }

  // Warm up caches and scratch buffers.
  size_t findings = 0;
  for (const auto& t : texts) findings += screener.Screen(t, req, scratch).findings.size();

  // The full screen, as `carepost check` runs it.
  double bytes = 0, posts = 0, secs = 0;
  const auto start = Clock::now();
  do {
    for (const auto& t : texts) {
      findings += screener.Screen(t, req, scratch).findings.size();
    }
    bytes += corpus_bytes;
    posts += texts.size();
    secs = Seconds(Clock::now() - start);
  } while (secs < options.seconds);
  printf("full screen (1 core):\n");
  Row("all stages", bytes, posts, secs);

  // Each part on its own: shared analysis, the one pattern scan, then every stage.
  const size_t n = screener.num_stages();
  std::vector<double> stage_secs(n, 0.0);
  double analyze_secs = 0, prepare_secs = 0, part_bytes = 0, part_posts = 0;
  guard::Document doc;
  std::vector<guard::Finding> out;
  const auto part_start = Clock::now();
  do {
    for (const auto& t : texts) {
      auto t0 = Clock::now();
      doc.Analyze(t);
      auto t1 = Clock::now();
      screener.Prepare(t, scratch);
      auto t2 = Clock::now();
      analyze_secs += Seconds(t1 - t0);
      prepare_secs += Seconds(t2 - t1);
      for (size_t i = 0; i < n; ++i) {
        out.clear();
        auto s0 = Clock::now();
        screener.RunStage(i, req, scratch, &out);
        stage_secs[i] += Seconds(Clock::now() - s0);
        findings += out.size();
      }
    }
    part_bytes += corpus_bytes;
    part_posts += texts.size();
  } while (Seconds(Clock::now() - part_start) < options.seconds);
  printf("\nby part (each timed alone; throughput if it were the only work;\n"
         "analyze = normalise, tokenize, split sentences):\n");
  Row("analyze", part_bytes, part_posts, analyze_secs);
  Row("pattern scan", part_bytes, part_posts, std::max(prepare_secs - analyze_secs, 1e-9));
  for (size_t i = 0; i < n; ++i) {
    Row(std::string(screener.stage_name(i)).c_str(), part_bytes, part_posts,
        std::max(stage_secs[i], 1e-9));
  }
  printf("\n(%zu findings in all runs)\n", findings);
  return 0;
}

}  // namespace carepost::cli
