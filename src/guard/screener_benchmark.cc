// Google Benchmark cases for the guard: the full screen and the shared analysis on
// typical hospital posts, replies and inbound comments. Run:
//   ninja -C build/release guard_benchmark && build/release/src/guard/guard_benchmark
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "guard/screener.h"

namespace carepost::guard {
namespace {

const std::vector<std::string>& Texts() {
  static const std::vector<std::string> texts = {
      "Flu season is here! Get your flu shot at any Riverside clinic this Saturday, 9am-1pm. "
      "No appointment needed. #FluSeason",
      "Meet Dr. Grace Kim, our new pediatric cardiologist. She joins us from Boston and loves "
      "hiking with her family on weekends.",
      "Thank you so much for the kind words! We'll share them with our 4 West nursing team.",
      "my mom was in room 412 last week and nobody answered the call light for an hour. her "
      "name is Maria Lopez, DOB 3/14/1948, MRN 00482913. call me at 217-555-0199",
      "Vaccines cause autism and the CDC knows it. Do your own research people!!!",
      "I can't do this anymore. I've been saving my pills and I think tonight is the night.",
      "Heart disease is the leading cause of death for women in the US. Know the warning "
      "signs: chest pain, shortness of breath, and pain in the arm, jaw or back.",
  };
  return texts;
}

const Screener& GetScreener() {
  static const Screener* s = [] {
    auto r = Screener::Create({});
    if (!r.ok()) abort();
    return r->release();
  }();
  return *s;
}

void BM_FullScreen(benchmark::State& state) {
  const Screener& screener = GetScreener();
  Screener::Scratch scratch = screener.NewScratch();
  ScreenRequest req;
  req.context = static_cast<Context>(state.range(0));
  size_t bytes = 0;
  for (auto _ : state) {
    for (const std::string& t : Texts()) {
      benchmark::DoNotOptimize(screener.Screen(t, req, scratch));
      bytes += t.size();
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * Texts().size()));
}
BENCHMARK(BM_FullScreen)->Arg(0)->Arg(1)->Arg(2)->ArgNames({"context"});

// Building a Screener: arg 1 loads the built-in pattern database compiled into the
// binary (what every process does), arg 0 compiles every pattern at start instead.
void BM_ScreenerCreate(benchmark::State& state) {
  ScreenerOptions options;
  options.builtin_pattern_database = state.range(0) != 0;
  for (auto _ : state) {
    auto r = Screener::Create(options);
    if (!r.ok()) abort();
    benchmark::DoNotOptimize(r->get());
  }
}
BENCHMARK(BM_ScreenerCreate)->Arg(1)->Arg(0)->ArgNames({"builtin"})->Unit(benchmark::kMillisecond);

void BM_Analyze(benchmark::State& state) {
  Document doc;
  size_t bytes = 0;
  for (auto _ : state) {
    for (const std::string& t : Texts()) {
      doc.Analyze(t);
      benchmark::DoNotOptimize(doc.tokens().data());
      bytes += t.size();
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
}
BENCHMARK(BM_Analyze);

}  // namespace
}  // namespace carepost::guard
