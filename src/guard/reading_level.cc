// The reading-level stage: the Flesch-Kincaid grade of what the organization sends
// (posts and replies), against ScreenerOptions::reading_grade_target.
//
// What counts (plain-language.md, "Applying them to social media text"):
//   - words are the Document's tokens, minus URLs, web addresses, e-mail addresses,
//     #hashtags and @handles (and the pieces an underscore joins to them); emoji are not
//     tokens. Hyphenated compounds ("covid-19", "well-being") and dotted abbreviations
//     ("U.S.", "a.m.") are one word. Numbers are words of one or two syllables (never
//     "long words"); short ALL-CAPS acronyms ("CPR", "RSV") are read letter by letter.
//   - sentences are the Document's sentences (split on . ! ? and line breaks, not on
//     decimals or abbreviations), with a ";" joining two parts into one sentence; a
//     sentence without counted words (a line of hashtags) does not count.
//   - texts under kMinWords counted words are not graded: a tweet-length text swings
//     several grades on one long word, so its grade means little.
//
// Above the target: one finding over the whole text (type `grade`, severity from
// ReadingLevelSeverity) and `info` findings (type `hard_sentence`) on the hardest
// sentences, up to three, with concrete suggestions: split long sentences, swap jargon
// for the everyday words in data/reading_level_jargon.tsv.
#include <algorithm>
#include <cmath>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "core/strings.h"
#include "guard/embedded_data.h"
#include "guard/policy.h"
#include "guard/reading_level_syllables.h"
#include "guard/stages.h"

namespace carepost::guard {
namespace {

// Texts with fewer counted words are not graded.
constexpr int kMinWords = 30;
// Sentences with fewer words are not pointed at as hard ones.
constexpr int kMinHardSentenceWords = 6;
constexpr int kMaxHardSentences = 3;
// A sentence longer than this gets "split it" advice.
constexpr int kLongSentenceWords = 20;

enum PatternKind : int {
  kUrlScheme = -1,  // "http://", "https://"
  kWww = -2,        // "www."
  kDomain = -3,     // ".gov" in "cdc.gov", "riverside.org/flu", "flu@riverside.org"
  kJargon = -5,     // a term from reading_level_jargon.tsv
};

bool IsHostByte(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-';
}
bool IsSpaceLike(char c) {
  return c == ' ' || c == '\n' || c == '\t' || c == '<' || c == '>' || c == '"';
}

struct Range {
  uint32_t begin, end;  // normalised offsets
};

// Per-sentence counts.
struct SentenceStats {
  uint32_t begin = 0, end = 0;  // original byte span
  int words = 0;
  int syllables = 0;
  int long_words = 0;  // 3+ syllables
  int last_word_syllables = 0;
  uint32_t jargon[3] = {0, 0, 0};  // jargon entry index + 1, up to three distinct
};

class ReadingLevelStage final : public Stage {
 public:
  static absl::StatusOr<std::unique_ptr<Stage>> Create(const ScreenerOptions& o, StageBuilder& b) {
    auto counter = SyllableCounter::Create();
    if (!counter.ok()) return counter.status();
    std::unique_ptr<ReadingLevelStage> s(new ReadingLevelStage(std::move(*counter)));
    s->target_ = o.reading_grade_target;
    // Literal-led patterns only: the address around a match is found by walking bytes.
    s->Register(b.Add(R"(https?://)"), kUrlScheme);
    s->Register(b.Add(R"(\bwww\.)"), kWww);
    s->Register(b.Add(R"(\.(com|org|net|gov|edu|us|io|co|info|health|care|ly|me|ca|uk|app|ai)\b)"),
                kDomain);
    const std::string_view jargon = EmbeddedFile("reading_level_jargon.tsv");
    if (jargon.empty()) {
      return absl::NotFoundError("embedded data file reading_level_jargon.tsv is missing");
    }
    std::string alt;
    int in_alt = 0, line_no = 0;
    size_t pos = 0;
    while (pos < jargon.size()) {
      size_t end = jargon.find('\n', pos);
      if (end == std::string_view::npos) end = jargon.size();
      std::string_view line = jargon.substr(pos, end - pos);
      pos = end + 1;
      ++line_no;
      while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);
      if (line.empty() || line.front() == '#') continue;
      const size_t tab = line.find('\t');
      if (tab == std::string_view::npos || tab == 0 || tab + 1 >= line.size()) {
        return absl::InvalidArgumentError(core::Cat("reading_level_jargon.tsv:", line_no,
                                                    ": expected a term, a tab and a plain word"));
      }
      const std::string_view term = line.substr(0, tab);
      s->jargon_.push_back({term, line.substr(tab + 1)});
      s->jargon_index_[term] = static_cast<uint32_t>(s->jargon_.size() - 1);
      if (!alt.empty()) alt += '|';
      for (char c : term) alt += c == ' ' ? std::string("[\\s\\-]+") : std::string(1, c);
      if (++in_alt == 24) {
        s->Register(b.Add(core::Cat("\\b(", alt, ")\\b")), kJargon);
        alt.clear();
        in_alt = 0;
      }
    }
    if (in_alt > 0) s->Register(b.Add(core::Cat("\\b(", alt, ")\\b")), kJargon);
    return std::unique_ptr<Stage>(std::move(s));
  }

  std::string_view name() const override { return "reading_level"; }

  void Screen(const Document& doc, std::span<const Match> hits, const ScreenRequest& request,
              std::vector<Finding>* out) const override {
    if (request.context == Context::kInbound) return;
    if (doc.tokens().size() < static_cast<size_t>(kMinWords)) return;
    std::vector<Range> skip;
    for (const Match& m : hits) {
      const int kind = kind_[m.id];
      if (kind != kJargon) AddSkipRange(doc.norm(), kind, m, &skip);
    }
    std::sort(skip.begin(), skip.end(),
              [](const Range& a, const Range& b) { return a.begin < b.begin; });

    int words = 0, syllables = 0, sentences = 0, long_words = 0;
    Walk(doc, skip, [&](const SentenceStats& s, uint32_t) {
      words += s.words;
      syllables += s.syllables;
      long_words += s.long_words;
      ++sentences;
    });
    if (words < kMinWords || sentences == 0) return;
    const double grade = FleschKincaidGrade(words, sentences, syllables);
    if (grade <= target_) return;

    Finding f;
    f.kind = Kind::kReadingLevel;
    f.type = "grade";
    f.start = 0;
    f.end = static_cast<uint32_t>(doc.text().size());
    f.severity = ReadingLevelSeverity(grade, target_);
    f.message =
        core::Cat("Reading level is about grade ", Round1(grade),
                  " (Flesch-Kincaid), above the target of grade ", Round1(target_), ": ", words,
                  " words in ", sentences, sentences == 1 ? " sentence" : " sentences", ", ",
                  long_words, " of them with three or more syllables.");
    f.suggestion =
        "Aim for sentences of 15 words or fewer and everyday words (\"doctor\", not "
        "\"physician\"); the hardest sentences are marked.";
    out->push_back(std::move(f));

    // The hardest sentences, with their jargon.
    std::vector<SentenceStats> stats;
    std::vector<uint32_t> reading_of;  // Document sentence -> index into stats
    Walk(doc, skip, [&](const SentenceStats& s, uint32_t last_doc_sentence) {
      stats.push_back(s);
      reading_of.resize(last_doc_sentence + 1, static_cast<uint32_t>(stats.size() - 1));
    });
    for (const Match& m : hits) {
      if (kind_[m.id] != kJargon) continue;
      const uint32_t ds = doc.SentenceAt(m.from);
      if (ds >= reading_of.size()) continue;
      const int entry = JargonEntry(doc.norm().substr(m.from, m.to - m.from));
      if (entry < 0) continue;
      uint32_t* slots = stats[reading_of[ds]].jargon;
      for (int k = 0; k < 3; ++k) {
        if (slots[k] == static_cast<uint32_t>(entry) + 1) break;
        if (slots[k] == 0) {
          slots[k] = static_cast<uint32_t>(entry) + 1;
          break;
        }
      }
    }
    std::vector<std::pair<double, uint32_t>> ranked;
    for (uint32_t i = 0; i < stats.size(); ++i) {
      if (stats[i].words < kMinHardSentenceWords) continue;
      const double g = FleschKincaidGrade(stats[i].words, 1, stats[i].syllables);
      if (g > target_) ranked.push_back({g, i});
    }
    std::sort(ranked.begin(), ranked.end(),
              [](const auto& a, const auto& b) { return a.first > b.first; });
    if (ranked.size() > kMaxHardSentences) ranked.resize(kMaxHardSentences);
    std::sort(ranked.begin(), ranked.end(),
              [](const auto& a, const auto& b) { return a.second < b.second; });
    for (const auto& [g, i] : ranked) {
      const SentenceStats& s = stats[i];
      Finding h;
      h.kind = Kind::kReadingLevel;
      h.type = "hard_sentence";
      h.start = s.begin;
      h.end = s.end;
      h.severity = Severity::kInfo;
      h.message = core::Cat("One of the hardest sentences to read: about grade ", Round1(g), ", ",
                            s.words, " words.");
      std::string& sug = h.suggestion;
      if (s.words > kLongSentenceWords) {
        core::Append(&sug, "Split this ", s.words, "-word sentence into shorter ones.");
      }
      bool any_jargon = false;
      for (uint32_t slot : s.jargon) {
        if (slot == 0) continue;
        const JargonEntryText& j = jargon_[slot - 1];
        core::Append(&sug, sug.empty() ? "" : " ", any_jargon ? "Also write" : "Write", " \"",
                     j.plain, "\" instead of \"", j.term, "\".");
        any_jargon = true;
      }
      if (!any_jargon && s.long_words > 0) {
        core::Append(&sug, sug.empty() ? "" : " ", "Swap some of its ", s.long_words,
                     s.long_words == 1 ? " long word" : " long words",
                     " for shorter everyday ones.");
      }
      if (sug.empty()) sug = "Say it in fewer, shorter words.";
      out->push_back(std::move(h));
    }
  }

 private:
  struct JargonEntryText {
    std::string_view term;
    std::string_view plain;
  };

  explicit ReadingLevelStage(SyllableCounter counter) : counter_(std::move(counter)) {}

  void Register(uint32_t id, int kind) {
    if (kind_.size() <= id) kind_.resize(id + 1, kJargon);
    kind_[id] = kind;
  }

  static double Round1(double x) { return std::round(x * 10.0) / 10.0; }

  // The normalised span of a URL, web address or e-mail address around match `m`.
  static void AddSkipRange(std::string_view norm, int kind, const Match& m,
                           std::vector<Range>* out) {
    const uint32_t n = static_cast<uint32_t>(norm.size());
    uint32_t b = m.from, e = m.to;
    if (kind != kUrlScheme) {
      while (b > 0 && IsHostByte(norm[b - 1])) --b;
      if (b > 0 && norm[b - 1] == '@') {  // an e-mail address: take the local part too
        --b;
        while (b > 0 && (IsHostByte(norm[b - 1]) || norm[b - 1] == '_' || norm[b - 1] == '+')) --b;
      }
    }
    // Everything to the next space belongs to the address ("/flu?x=1", "cdc.gov/flu").
    while (e < n && !IsSpaceLike(norm[e])) ++e;
    if (!out->empty() && out->back().end >= b && out->back().begin <= b) {
      out->back().end = std::max(out->back().end, e);
    } else {
      out->push_back({b, e});
    }
  }

  int JargonEntry(std::string_view matched) const {
    char buf[64];
    size_t k = 0;
    bool space = false;
    for (char c : matched) {
      const bool sep = c == ' ' || c == '\n' || c == '\t' || c == '-';
      if (sep) {
        space = true;
        continue;
      }
      if (space && k > 0 && k < sizeof buf) buf[k++] = ' ';
      space = false;
      if (k < sizeof buf) buf[k++] = c;
    }
    auto it = jargon_index_.find(std::string_view(buf, k));
    return it == jargon_index_.end() ? -1 : static_cast<int>(it->second);
  }

  // Calls fn(stats, last Document sentence index) for every reading sentence with at
  // least one counted word. Allocation-free.
  template <typename Fn>
  void Walk(const Document& doc, const std::vector<Range>& skip, Fn fn) const {
    const auto& toks = doc.tokens();
    const auto& sents = doc.sentences();
    const std::string_view norm = doc.norm();
    size_t skip_i = 0;
    SentenceStats cur;
    bool open = false;
    for (uint32_t si = 0; si < sents.size(); ++si) {
      const Sentence& s = sents[si];
      // Short ALL-CAPS words are acronyms read letter by letter ("CPR"), unless the whole
      // sentence shouts: the letters' extra syllables are added once the sentence is seen.
      int caps = 0, alpha = 0, acronym_extra = 0;
      if (!open) {
        cur = SentenceStats();
        cur.begin = s.begin;
        open = true;
      }
      const Token* prev = nullptr;
      bool prev_counted = false, prev_tag = false;
      for (uint32_t t = s.first_token; t < s.last_token; ++t) {
        const Token& tok = toks[t];
        if (tok.Has(kTokAlpha)) {
          ++alpha;
          caps += tok.Has(kTokAllCaps);
        }
        while (skip_i < skip.size() && skip[skip_i].end <= tok.norm_begin) ++skip_i;
        const bool skipped = skip_i < skip.size() && skip[skip_i].begin <= tok.norm_begin;
        const bool joined = prev != nullptr && tok.norm_begin == prev->norm_end + 1;
        const char joiner = joined ? norm[prev->norm_end] : ' ';
        bool tag = tok.Has(kTokHashtag) || tok.Has(kTokMention) || (prev_tag && joiner == '_');
        if (skipped || tag) {
          prev = &tok;
          prev_counted = false;
          prev_tag = tag;
          continue;
        }
        const int syl = TokenSyllables(doc, tok);
        if (tok.Has(kTokAllCaps) && tok.norm_end - tok.norm_begin <= 4) {
          acronym_extra += static_cast<int>(tok.norm_end - tok.norm_begin) - syl;
        }
        const bool merge = prev_counted && joined &&
                           (joiner == '-' || (joiner == '.' && tok.norm_end - tok.norm_begin == 1 &&
                                              prev->norm_end - prev->norm_begin == 1));
        if (merge) {
          // One word: replace the previous word's syllables with the compound's.
          const int before = cur.last_word_syllables;
          cur.syllables += syl;
          cur.last_word_syllables = before + syl;
          if (before < 3 && before + syl >= 3) ++cur.long_words;
        } else {
          ++cur.words;
          cur.syllables += syl;
          cur.last_word_syllables = syl;
          if (syl >= 3) ++cur.long_words;
        }
        prev = &tok;
        prev_counted = true;
        prev_tag = false;
      }
      if (alpha > 0 && caps * 2 < alpha) cur.syllables += acronym_extra;
      cur.end = s.end;
      // A ";" (and nothing stronger) between this sentence and the next joins them.
      bool joins_next = false;
      if (si + 1 < sents.size() && s.last_token > s.first_token) {
        const uint32_t gap_b = toks[s.last_token - 1].norm_end;
        const uint32_t gap_e = sents[si + 1].norm_begin;
        bool semicolon = false, strong = false;
        for (uint32_t p = gap_b; p < gap_e && p < norm.size(); ++p) {
          const char c = norm[p];
          semicolon |= c == ';';
          strong |= c == '.' || c == '!' || c == '?' || c == '\n';
        }
        joins_next = semicolon && !strong;
      }
      if (!joins_next) {
        if (cur.words > 0) fn(cur, si);
        open = false;
      }
    }
    if (open && cur.words > 0) fn(cur, static_cast<uint32_t>(sents.size() - 1));
  }

  int TokenSyllables(const Document& doc, const Token& tok) const {
    const std::string_view w = doc.Norm(tok);
    if (!tok.Has(kTokAlpha)) {
      // A number: one syllable for one or two digits, two for longer ones. Phone numbers,
      // times and years are easy to read however many syllables they take aloud.
      return w.size() <= 2 ? 1 : 2;
    }
    return counter_.Count(w);
  }

  SyllableCounter counter_;
  double target_ = 8.0;
  std::vector<int> kind_;  // pattern id -> PatternKind
  std::vector<JargonEntryText> jargon_;
  absl::flat_hash_map<std::string_view, uint32_t> jargon_index_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<Stage>> NewReadingLevelStage(const ScreenerOptions& o,
                                                            StageBuilder& b) {
  return ReadingLevelStage::Create(o, b);
}

}  // namespace carepost::guard
