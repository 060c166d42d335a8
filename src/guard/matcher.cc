#include "guard/matcher.h"

#include <hs/hs.h>

#include <algorithm>
#include <cstdlib>

#include "core/status_macros.h"
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

// What `[\s\-]` matches, the separator between an AddWord phrase's words.
bool IsSeparator(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r' || c == '-';
}

// True when no word of `phrase` (split on single spaces) is empty or begins or ends with
// a separator. Then a match of AddWord's pattern `w1[\s\-]+w2...` that ends at a given
// offset has exactly one start: going back from the end, each word is matched exactly
// and the separators before it are the whole run of separator bytes there (the previous
// word cannot end with one).
bool StartFollowsFromEnd(std::string_view phrase) {
  while (true) {
    const size_t space = phrase.find(' ');
    const std::string_view word = phrase.substr(0, space);
    if (word.empty() || IsSeparator(word.front()) || IsSeparator(word.back())) return false;
    if (space == std::string_view::npos) return true;
    phrase.remove_prefix(space + 1);
  }
}

// The start of the match of `phrase` (StartFollowsFromEnd) that ends at `end` in `text`.
size_t PhraseStart(std::string_view phrase, std::string_view text, size_t end) {
  size_t pos = end;
  while (true) {
    const size_t space = phrase.rfind(' ');
    const size_t word_len =
        space == std::string_view::npos ? phrase.size() : phrase.size() - space - 1;
    pos = word_len <= pos ? pos - word_len : 0;
    if (space == std::string_view::npos) return pos;
    phrase.remove_suffix(word_len + 1);
    while (pos > 0 && IsSeparator(text[pos - 1])) --pos;
  }
}
}  // namespace

uint32_t PatternSet::AddLiteral(int stage, std::string_view literal, unsigned flags) {
  std::string re;
  for (char c : literal) {
    char buf[8];
    snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned char>(c));
    re += buf;
  }
  const uint32_t id = Add(stage, re, kPatternNoStart | (flags & kPatternOrg));
  Entry& e = patterns_.back();
  e.literal_len = static_cast<uint32_t>(literal.size());
  e.bound_start = !literal.empty() && IsWordChar(literal.front());
  e.bound_end = !literal.empty() && IsWordChar(literal.back());
  e.regex_boundary = (flags & kLiteralRegexBoundary) != 0;
  return id;
}

uint32_t PatternSet::AddWord(int stage, std::string_view literal, unsigned flags) {
  if (literal.find(' ') == std::string_view::npos) return AddLiteral(stage, literal, flags);
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
  if (!StartFollowsFromEnd(literal)) return Add(stage, re, flags & kPatternOrg);
  const uint32_t id = Add(stage, re, kPatternNoStart | (flags & kPatternOrg));
  patterns_.back().phrase = std::string(literal);
  return id;
}

namespace {

// The Hyperscan flags of a pattern registered with `flags`.
unsigned HsFlags(unsigned flags) {
  unsigned f = HS_FLAG_SOM_LEFTMOST;
  if (flags & kPatternSingleMatch) f = HS_FLAG_SINGLEMATCH;
  if (flags & kPatternNoStart) f &= ~static_cast<unsigned>(HS_FLAG_SOM_LEFTMOST);
  if (flags & kPatternDotAll) f |= HS_FLAG_DOTALL;
  return f;
}

bool IsOrg(unsigned flags) { return (flags & kPatternOrg) != 0; }

// FNV-1a, 64 bits: stable across builds and machines, unlike std::hash.
void Mix(uint64_t* h, std::string_view bytes) {
  for (char c : bytes) {
    *h ^= static_cast<unsigned char>(c);
    *h *= 0x100000001b3ull;
  }
}

std::string HsErrorName(hs_error_t e) {
  switch (e) {
    case HS_DB_VERSION_ERROR:
      return "it was built by another Hyperscan version";
    case HS_DB_PLATFORM_ERROR:
      return "it was built for a CPU with instructions this one lacks";
    case HS_INVALID:
      return "it is not a valid database";
    case HS_NOMEM:
      return "out of memory";
    default:
      return core::Cat("Hyperscan error ", static_cast<int>(e));
  }
}

}  // namespace

size_t PatternSet::builtin_size() const {
  size_t n = 0;
  for (const Entry& e : patterns_) n += IsOrg(e.flags) ? 0 : 1;
  return n;
}

uint64_t PatternSet::BuiltinFingerprint() const {
  uint64_t h = 0xcbf29ce484222325ull;
  for (const Entry& e : patterns_) {
    if (IsOrg(e.flags)) continue;
    Mix(&h, e.regex);
    Mix(&h, core::Cat('\0', HsFlags(e.flags), '\0'));
  }
  return h;
}

MatchScratch::~MatchScratch() {
  if (scratch_ != nullptr) hs_free_scratch(scratch_);
}

Matcher::~Matcher() {
  if (db_ != nullptr) hs_free_database(db_);
  if (org_db_ != nullptr) hs_free_database(org_db_);
}

namespace {

// Compiles the patterns for which IsOrg(flags) == `org`, with Hyperscan ids first_id,
// first_id + 1, ... in registration order. Null when there are none.
template <typename Entries>
absl::StatusOr<hs_database_t*> CompileSome(const Entries& patterns, bool org, unsigned first_id) {
  std::vector<const char*> exprs;
  std::vector<unsigned> flags;
  std::vector<unsigned> ids;
  std::vector<size_t> index;  // position in `patterns`, for error messages
  for (size_t i = 0; i < patterns.size(); ++i) {
    const auto& e = patterns[i];
    if (IsOrg(e.flags) != org) continue;
    exprs.push_back(e.regex.c_str());
    flags.push_back(HsFlags(e.flags));
    ids.push_back(first_id + static_cast<unsigned>(exprs.size() - 1));
    index.push_back(i);
  }
  if (exprs.empty()) return nullptr;
  hs_database_t* db = nullptr;
  hs_compile_error_t* err = nullptr;
  if (hs_compile_multi(exprs.data(), flags.data(), ids.data(), static_cast<unsigned>(exprs.size()),
                       HS_MODE_BLOCK, nullptr, &db, &err) != HS_SUCCESS) {
    std::string msg = err != nullptr && err->message != nullptr ? err->message : "unknown";
    std::string where = "while compiling the pattern database";
    if (err != nullptr && err->expression >= 0 &&
        static_cast<size_t>(err->expression) < index.size()) {
      const auto& e = patterns[index[err->expression]];
      where = core::Cat("in stage ", e.stage, " pattern ", e.local_id, " /", e.regex.c_str(), "/");
    }
    hs_free_compile_error(err);
    return absl::InvalidArgumentError(core::Cat("pattern error ", where, ": ", msg));
  }
  return db;
}

// Loads a serialized database and checks that it can scan on this machine (Hyperscan
// checks the CPU features when scratch is allocated). Null with `*why` on failure.
hs_database_t* Deserialize(std::string_view bytes, std::string* why) {
  hs_database_t* db = nullptr;
  hs_error_t e = hs_deserialize_database(bytes.data(), bytes.size(), &db);
  if (e == HS_SUCCESS) {
    hs_scratch_t* probe = nullptr;
    e = hs_alloc_scratch(db, &probe);
    if (probe != nullptr) hs_free_scratch(probe);
    if (e != HS_SUCCESS) {
      hs_free_database(db);
      db = nullptr;
    }
  }
  if (e != HS_SUCCESS) {
    *why = HsErrorName(e);
    char* info = nullptr;
    if (hs_serialized_database_info(bytes.data(), bytes.size(), &info) == HS_SUCCESS &&
        info != nullptr) {
      core::Append(why, " (", info, ")");
      free(info);
    }
    return nullptr;
  }
  return db;
}

}  // namespace

absl::StatusOr<std::unique_ptr<const Matcher>> Matcher::Compile(const PatternSet& set,
                                                                int num_stages,
                                                                const SerializedPatterns* builtin) {
  std::unique_ptr<Matcher> m(new Matcher());
  m->num_stages_ = num_stages;
  const size_t n_builtin = set.builtin_size();
  m->targets_.resize(set.patterns_.size());
  size_t next_builtin = 0, next_org = n_builtin;
  for (const auto& e : set.patterns_) {
    size_t& slot = IsOrg(e.flags) ? next_org : next_builtin;
    Target& t = m->targets_[slot++];
    t = Target{e.stage, e.local_id, e.literal_len, e.bound_start, e.bound_end, e.regex_boundary};
    if (!e.phrase.empty()) {
      m->phrases_.push_back(e.phrase);
      t.phrase = static_cast<uint32_t>(m->phrases_.size());
    }
  }
  if (builtin != nullptr && n_builtin > 0) {
    std::string why;
    if (builtin->bytes.empty()) {
      why = "this build has none";
    } else if (builtin->count != n_builtin || builtin->fingerprint != set.BuiltinFingerprint()) {
      why = core::Cat("it holds ", builtin->count, " patterns and the screener registered ",
                      n_builtin, " (or other ones): the build did not regenerate it");
    } else {
      m->db_ = Deserialize(builtin->bytes, &why);
    }
    if (m->db_ != nullptr) {
      m->builtin_precompiled_ = true;
    } else {
      m->note_ = core::Cat("the built-in pattern database cannot be used: ", why, "; compiling ",
                           n_builtin, " patterns at start instead (slower start)");
    }
  }
  if (m->db_ == nullptr) {
    ASSIGN_OR_RETURN(m->db_, CompileSome(set.patterns_, /*org=*/false, 0));
  }
  ASSIGN_OR_RETURN(m->org_db_,
                   CompileSome(set.patterns_, /*org=*/true, static_cast<unsigned>(n_builtin)));
  return std::unique_ptr<const Matcher>(std::move(m));
}

absl::StatusOr<std::string> Matcher::SerializeBuiltin(const PatternSet& set) {
  ASSIGN_OR_RETURN(hs_database_t * db, CompileSome(set.patterns_, /*org=*/false, 0));
  if (db == nullptr) return std::string();
  char* bytes = nullptr;
  size_t length = 0;
  const hs_error_t e = hs_serialize_database(db, &bytes, &length);
  hs_free_database(db);
  if (e != HS_SUCCESS) {
    return absl::InternalError(core::Cat("hs_serialize_database failed: ", HsErrorName(e)));
  }
  std::string out(bytes, length);
  free(bytes);
  return out;
}

std::unique_ptr<MatchScratch> Matcher::NewScratch() const {
  std::unique_ptr<MatchScratch> s(new MatchScratch());
  // One scratch grown to fit both databases.
  if (db_ != nullptr) hs_alloc_scratch(db_, &s->scratch_);
  if (org_db_ != nullptr) hs_alloc_scratch(org_db_, &s->scratch_);
  return s;
}

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
  } else if (t.phrase > 0) {
    from = PhraseStart(c->matcher->phrases_[t.phrase - 1], c->text, to);
  }
  (*c->hits)[t.stage].push_back(
      Match{t.local_id, static_cast<uint32_t>(from), static_cast<uint32_t>(to)});
  return 0;
}

void Matcher::Scan(std::string_view norm, MatchScratch& scratch,
                   std::vector<std::vector<Match>>* hits) const {
  hits->resize(num_stages_);
  for (auto& h : *hits) h.clear();
  if (norm.empty()) return;
  ScanContext ctx{this, norm, hits};
  if (db_ != nullptr) {
    hs_scan(db_, norm.data(), static_cast<unsigned>(norm.size()), 0, scratch.scratch_, OnMatch,
            &ctx);
  }
  if (org_db_ == nullptr) return;
  // The org database's matches come after the built-in ones: merge each stage's two
  // runs back into one in order of end offset (stable: built-in first on a tie).
  auto& mark = scratch.builtin_hits_;
  mark.resize(hits->size());
  for (size_t i = 0; i < hits->size(); ++i) mark[i] = (*hits)[i].size();
  hs_scan(org_db_, norm.data(), static_cast<unsigned>(norm.size()), 0, scratch.scratch_, OnMatch,
          &ctx);
  for (size_t i = 0; i < hits->size(); ++i) {
    auto& h = (*hits)[i];
    if (h.size() == mark[i] || mark[i] == 0) continue;
    std::inplace_merge(h.begin(), h.begin() + static_cast<std::ptrdiff_t>(mark[i]), h.end(),
                       [](const Match& a, const Match& b) { return a.to < b.to; });
  }
}

}  // namespace carepost::guard
