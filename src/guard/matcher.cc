#include "guard/matcher.h"

#include <hs/hs.h>

#include "core/strings.h"

namespace carepost::guard {

uint32_t PatternSet::Add(int stage, std::string_view regex, unsigned flags) {
  if (next_local_.size() <= static_cast<size_t>(stage)) next_local_.resize(stage + 1, 0);
  const uint32_t local = next_local_[stage]++;
  patterns_.push_back(Entry{std::string(regex), flags, stage, local});
  return local;
}

namespace {
bool IsWordChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}
}  // namespace

uint32_t PatternSet::AddLiteral(int stage, std::string_view literal, unsigned flags) {
  std::string re;
  for (char c : literal) {
    char buf[8];
    snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned char>(c));
    re += buf;
  }
  const uint32_t id = Add(stage, re, kPatternNoStart);
  Entry& e = patterns_.back();
  e.literal_len = static_cast<uint32_t>(literal.size());
  e.bound_start = !literal.empty() && IsWordChar(literal.front());
  e.bound_end = !literal.empty() && IsWordChar(literal.back());
  e.regex_boundary = (flags & kLiteralRegexBoundary) != 0;
  return id;
}

uint32_t PatternSet::AddWord(int stage, std::string_view literal) {
  if (literal.find(' ') == std::string_view::npos) return AddLiteral(stage, literal);
  std::string re;
  auto is_word = IsWordChar;
  if (!literal.empty() && is_word(literal.front())) re += "\\b";
  for (char c : literal) {
    const auto u = static_cast<unsigned char>(c);
    if (is_word(c) || u >= 0x80) {
      re += c;
    } else if (c == ' ') {
      re += "[\\s\\-]+";
    } else {
      char buf[8];
      snprintf(buf, sizeof buf, "\\x%02x", u);
      re += buf;
    }
  }
  if (!literal.empty() && is_word(literal.back())) re += "\\b";
  return Add(stage, re);
}

MatchScratch::~MatchScratch() {
  if (scratch_ != nullptr) hs_free_scratch(scratch_);
}

Matcher::~Matcher() {
  if (db_ != nullptr) hs_free_database(db_);
}

absl::StatusOr<std::unique_ptr<const Matcher>> Matcher::Compile(const PatternSet& set,
                                                                int num_stages) {
  std::unique_ptr<Matcher> m(new Matcher());
  m->num_stages_ = num_stages;
  const size_t n = set.patterns_.size();
  if (n == 0) return std::unique_ptr<const Matcher>(std::move(m));
  std::vector<const char*> exprs(n);
  std::vector<unsigned> flags(n);
  std::vector<unsigned> ids(n);
  m->targets_.resize(n);
  for (size_t i = 0; i < n; ++i) {
    const auto& e = set.patterns_[i];
    exprs[i] = e.regex.c_str();
    unsigned f = HS_FLAG_SOM_LEFTMOST;
    if (e.flags & kPatternSingleMatch) f = HS_FLAG_SINGLEMATCH;
    if (e.flags & kPatternNoStart) f &= ~static_cast<unsigned>(HS_FLAG_SOM_LEFTMOST);
    if (e.flags & kPatternDotAll) f |= HS_FLAG_DOTALL;
    flags[i] = f;
    ids[i] = static_cast<unsigned>(i);
    m->targets_[i] = Target{e.stage, e.local_id, e.literal_len, e.bound_start, e.bound_end,
                             e.regex_boundary};
  }
  hs_compile_error_t* err = nullptr;
  if (hs_compile_multi(exprs.data(), flags.data(), ids.data(), static_cast<unsigned>(n),
                       HS_MODE_BLOCK, nullptr, &m->db_, &err) != HS_SUCCESS) {
    std::string msg = err != nullptr && err->message != nullptr ? err->message : "unknown";
    std::string where = "while compiling the pattern database";
    if (err != nullptr && err->expression >= 0 && static_cast<size_t>(err->expression) < n) {
      const auto& e = set.patterns_[err->expression];
      where = core::Cat("in stage ", e.stage, " pattern ", e.local_id, " /", e.regex.c_str(), "/");
    }
    hs_free_compile_error(err);
    return absl::InvalidArgumentError(core::Cat("pattern error ", where, ": ", msg));
  }
  return std::unique_ptr<const Matcher>(std::move(m));
}

std::unique_ptr<MatchScratch> Matcher::NewScratch() const {
  std::unique_ptr<MatchScratch> s(new MatchScratch());
  if (db_ != nullptr) hs_alloc_scratch(db_, &s->scratch_);
  return s;
}

namespace {

}  // namespace

struct Matcher::ScanContext {
  const Matcher* matcher;
  std::string_view text;
  std::vector<std::vector<Match>>* hits;
};

int Matcher::OnMatch(unsigned int id, unsigned long long from, unsigned long long to, unsigned int,
                     void* ctx) {
  auto* c = static_cast<ScanContext*>(ctx);
  const Target& t = c->matcher->targets_[id];
  if (t.literal_len > 0) {
    from = to - t.literal_len;
    // A byte >= 0x80 (a non-ASCII letter) also counts as part of a word.
    // With kLiteralRegexBoundary: exactly what Hyperscan's `\b` treats as a word character.
    const bool regex_boundary = t.regex_boundary;
    auto word = [regex_boundary](char ch) {
      if (regex_boundary) return IsWordChar(ch) || ch == '_';
      return IsWordChar(ch) || static_cast<unsigned char>(ch) >= 0x80;
    };
    if (t.bound_start && from > 0 && word(c->text[from - 1])) return 0;
    if (t.bound_end && to < c->text.size() && word(c->text[to])) return 0;
  }
  (*c->hits)[t.stage].push_back(
      Match{t.local_id, static_cast<uint32_t>(from), static_cast<uint32_t>(to)});
  return 0;
}

void Matcher::Scan(std::string_view norm, MatchScratch& scratch,
                   std::vector<std::vector<Match>>* hits) const {
  hits->resize(num_stages_);
  for (auto& h : *hits) h.clear();
  if (db_ == nullptr || norm.empty()) return;
  ScanContext ctx{this, norm, hits};
  hs_scan(db_, norm.data(), static_cast<unsigned>(norm.size()), 0, scratch.scratch_, OnMatch,
          &ctx);
}

}  // namespace carepost::guard
