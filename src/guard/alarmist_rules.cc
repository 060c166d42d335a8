#include "guard/alarmist_rules.h"

#include <algorithm>
#include <array>
#include <charconv>

#include "core/strings.h"
#include "guard/embedded_data.h"

namespace carepost::guard {
namespace {

std::vector<std::string_view> Split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (true) {
    const size_t p = s.find(sep, start);
    out.push_back(
        s.substr(start, p == std::string_view::npos ? std::string_view::npos : p - start));
    if (p == std::string_view::npos) break;
    start = p + 1;
  }
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

std::vector<std::string> WordList(std::string_view field) {
  std::vector<std::string> out;
  if (field == "-" || field.empty()) return out;
  for (std::string_view w : Split(field, '|')) {
    w = Trim(w);
    if (!w.empty()) out.emplace_back(w);
  }
  return out;
}

constexpr std::array<std::string_view, 17> kNegations = {
    "not",    "no",    "never",   "isn't", "aren't",  "wasn't", "weren't", "don't", "doesn't",
    "didn't", "won't", "nothing", "less",  "without", "longer", "hardly",  "nor"};

bool InList(std::string_view w, const std::vector<std::string>& list) {
  for (const std::string& x : list) {
    if (x == w) return true;
  }
  return false;
}

}  // namespace

absl::StatusOr<std::vector<PhraseRule>> ParsePhraseRules(std::string_view file_name,
                                                         std::string_view text) {
  std::vector<PhraseRule> rules;
  int line_no = 0;
  for (std::string_view line : Split(text, '\n')) {
    ++line_no;
    line = Trim(line);
    if (line.empty() || line.front() == '#') continue;
    const std::vector<std::string_view> cols = Split(line, '\t');
    if (cols.size() < 5 || cols.size() > 6) {
      return absl::InvalidArgumentError(core::Cat(file_name, ":", line_no, ": expected 5 or 6 ",
                                                  "tab-separated columns, found ", cols.size()));
    }
    PhraseRule r;
    r.family = std::string(Trim(cols[0]));
    if (r.family.empty()) {
      return absl::InvalidArgumentError(core::Cat(file_name, ":", line_no, ": empty family"));
    }
    const std::string_view flags = Trim(cols[1]);
    if (flags != "-") {
      for (std::string_view f : Split(flags, ',')) {
        f = Trim(f);
        if (f == "caps") {
          r.flags |= kRuleCaps;
        } else if (f == "neg") {
          r.flags |= kRuleNegatable;
        } else if (f == "topic") {
          r.flags |= kRuleSuicideTopic;
        } else if (f == "emerg") {
          r.flags |= kRuleNotEmergency;
        } else if (f == "deadline") {
          r.flags |= kRuleNotDeadline;
        } else if (f == "weak") {
          r.flags |= kRuleWeak;
        } else if (f == "cooc") {
          r.flags |= kRuleCooccur;
        } else if (f == "num") {
          r.flags |= kRuleNumberBefore;
        } else {
          return absl::InvalidArgumentError(
              core::Cat(file_name, ":", line_no, ": unknown flag '", f, "'"));
        }
      }
    }
    const std::string_view pattern = Trim(cols[2]);
    const size_t tilde = pattern.find(" ~");
    if (tilde == std::string_view::npos) {
      r.regex = std::string(pattern);
    } else {
      // "A ~N~ B": B within N words after A.
      const size_t close = pattern.find("~ ", tilde + 2);
      int gap = -1;
      if (close != std::string_view::npos) {
        const std::string_view n = pattern.substr(tilde + 2, close - tilde - 2);
        if (std::from_chars(n.data(), n.data() + n.size(), gap).ec != std::errc() || gap < 0 ||
            gap > 8) {
          gap = -1;
        }
      }
      if (gap < 0) {
        return absl::InvalidArgumentError(
            core::Cat(file_name, ":", line_no, ": expected \"A ~N~ B\" with N from 0 to 8"));
      }
      r.regex = std::string(Trim(pattern.substr(0, tilde)));
      r.regex2 = std::string(Trim(pattern.substr(close + 2)));
      r.max_gap = gap;
      if (r.regex2.empty()) {
        return absl::InvalidArgumentError(core::Cat(file_name, ":", line_no, ": empty pattern"));
      }
    }
    if (r.regex.empty()) {
      return absl::InvalidArgumentError(core::Cat(file_name, ":", line_no, ": empty pattern"));
    }
    r.skip_prev = WordList(Trim(cols[3]));
    r.skip_next = WordList(Trim(cols[4]));
    if (cols.size() == 6 && Trim(cols[5]) != "-") r.suggestion = std::string(Trim(cols[5]));
    rules.push_back(std::move(r));
  }
  return rules;
}

absl::StatusOr<std::vector<PhraseRule>> LoadPhraseRules(std::string_view name) {
  const std::string_view text = EmbeddedFile(name);
  if (text.empty()) {
    return absl::NotFoundError(core::Cat("embedded data file ", name, " is missing or empty"));
  }
  return ParsePhraseRules(name, text);
}

bool RuleSkipped(const Document& doc, const RuleHit& hit, const PhraseRule& rule) {
  const auto& toks = doc.tokens();
  const uint32_t first = doc.TokenAtOrAfter(hit.from);
  if (rule.Has(kRuleCaps)) {
    // Every letter-bearing token inside the match must be ALL CAPS in the original.
    bool any = false;
    for (uint32_t i = first; i < toks.size() && toks[i].norm_begin < hit.to; ++i) {
      if (!toks[i].Has(kTokAlpha)) continue;
      any = true;
      if (!toks[i].Has(kTokAllCaps)) return true;
    }
    if (!any) return true;
  }
  if (!rule.skip_prev.empty() || rule.Has(kRuleNegatable)) {
    const uint32_t sentence = doc.SentenceAt(hit.from);
    for (uint32_t k = 1; k <= 3 && k <= first; ++k) {
      const Token& t = toks[first - k];
      if (t.sentence != sentence) break;
      const std::string_view w = doc.Norm(t);
      if (InList(w, rule.skip_prev)) return true;
      if (rule.Has(kRuleNegatable) &&
          std::find(kNegations.begin(), kNegations.end(), w) != kNegations.end()) {
        return true;
      }
    }
  }
  if (!rule.skip_next.empty()) {
    uint32_t j = doc.TokenAtOrAfter(hit.to);
    if (j < toks.size() && toks[j].norm_begin < hit.to) ++j;  // match ended inside a token
    for (uint32_t k = 0; k < 2 && j + k < toks.size(); ++k) {
      if (InList(doc.Norm(toks[j + k]), rule.skip_next)) return true;
    }
  }
  return false;
}

void CompiledRules::Register(uint32_t id, int value) {
  if (what_.size() <= id) what_.resize(id + 1, -1);
  what_[id] = value;
}

void CompiledRules::AddRules(std::vector<PhraseRule> rules, StageBuilder& b) {
  for (PhraseRule& r : rules) {
    const int index = static_cast<int>(rules_.size());
    Register(b.Add(r.regex), index * 2);
    if (!r.regex2.empty()) Register(b.Add(r.regex2), index * 2 + 1);
    rules_.push_back(std::move(r));
  }
}

void CompiledRules::AddMarker(std::string_view regex, int marker, StageBuilder& b) {
  Register(b.Add(regex), marker);
}

void CompiledRules::Resolve(const Document& doc, std::span<const Match> hits,
                            std::vector<RuleHit>* out) const {
  out->clear();
  const auto& toks = doc.tokens();
  const uint32_t nt = static_cast<uint32_t>(toks.size());
  std::vector<RuleHit> pending;  // first parts of two-part rules
  for (const Match& m : hits) {
    if (m.id >= what_.size() || what_[m.id] < 0) continue;
    const int r = what_[m.id] / 2;
    const int part = what_[m.id] % 2;
    const PhraseRule& rule = rules_[r];
    RuleHit hit{r, m.from, m.to};
    if (!rule.regex2.empty()) {
      if (part == 0) {
        pending.push_back(hit);
        continue;
      }
      bool paired = false;
      const uint32_t b_tok = doc.TokenAtOrAfter(m.from);
      for (auto it = pending.rbegin(); it != pending.rend(); ++it) {
        if (it->rule != r || it->to > m.from) continue;
        const uint32_t a_tok = doc.TokenAtOrAfter(it->to);
        if (b_tok < a_tok || b_tok - a_tok > static_cast<uint32_t>(rule.max_gap)) continue;
        if (doc.SentenceAt(it->from) != doc.SentenceAt(m.from)) continue;
        hit.from = it->from;
        paired = true;
        break;
      }
      if (!paired) continue;
    }
    // Start at the beginning of the word the match starts in ("2000mg").
    uint32_t k = doc.TokenAtOrAfter(hit.from);
    if (k < nt && toks[k].norm_begin < hit.from) hit.from = toks[k].norm_begin;
    if (rule.Has(kRuleNumberBefore)) {
      if (k < nt && toks[k].norm_begin < hit.from) ++k;
      while (k < nt && toks[k].norm_begin < hit.from) ++k;
      if (k == 0) continue;
      uint32_t j = k - 1;
      const Token& num = toks[j];
      if (hit.from - std::min(hit.from, num.norm_end) > 1 || !IsNumberToken(doc, num) ||
          num.sentence != doc.SentenceAt(hit.from)) {
        continue;
      }
      // "2,000" and "1.5" are several tokens: take them all.
      const std::string_view norm = doc.norm();
      while (j > 0 && toks[j - 1].Has(kTokDigit) && !toks[j - 1].Has(kTokAlpha) &&
             toks[j - 1].norm_end + 1 == toks[j].norm_begin &&
             (norm[toks[j - 1].norm_end] == ',' || norm[toks[j - 1].norm_end] == '.')) {
        --j;
      }
      hit.from = toks[j].norm_begin;
    }
    out->push_back(hit);
  }
}

bool IsNumberToken(const Document& doc, const Token& t) {
  if (t.Has(kTokDigit) && !t.Has(kTokAlpha)) return true;
  // One to ten in words; checked letter by letter, this runs for many short words.
  const std::string_view w = doc.Norm(t);
  auto is = [&](const char* word) {
    for (size_t i = 0; i < w.size(); ++i) {
      if (word[i] != w[i]) return false;
    }
    return word[w.size()] == '\0';
  };
  if (w.size() < 3 || w.size() > 5) return false;
  switch (w[0]) {
    case 'o':
      return is("one");
    case 't':
      return is("two") || is("three") || is("ten");
    case 'f':
      return is("four") || is("five");
    case 's':
      return is("six") || is("seven");
    case 'e':
      return is("eight");
    case 'n':
      return is("nine");
    default:
      return false;
  }
}

bool InsideQuotes(const Document& doc, uint32_t n) {
  const std::string_view norm = doc.norm();
  n = std::min<uint32_t>(n, static_cast<uint32_t>(norm.size()));
  return std::count(norm.begin(), norm.begin() + n, '"') % 2 == 1;
}

bool AttributedToOthers(const Document& doc, uint32_t n) {
  static constexpr std::string_view kWords[] = {
      "claim",   "claims", "claiming", "claimed", "rumor",  "rumors",         "rumour",
      "rumours", "myth",   "myths",    "hoax",    "hoaxes", "misinformation", "falsely"};
  const auto& sents = doc.sentences();
  const uint32_t si = doc.SentenceAt(n);
  if (si >= sents.size()) return false;
  const auto& toks = doc.tokens();
  for (uint32_t t = sents[si].first_token; t < sents[si].last_token; ++t) {
    if (toks[t].norm_begin >= n) break;
    const std::string_view w = doc.Norm(toks[t]);
    for (std::string_view k : kWords) {
      if (w == k) return true;
    }
  }
  return false;
}

bool IsMythSentence(const Document& doc, uint32_t s) {
  if (s >= doc.sentences().size()) return false;
  const Sentence& sent = doc.sentences()[s];
  for (uint32_t t = sent.first_token; t < sent.last_token && t < sent.first_token + 3; ++t) {
    const std::string_view w = doc.Norm(doc.tokens()[t]);
    if (w == "myth" || w == "myths") return true;
  }
  return false;
}

}  // namespace carepost::guard
