#include "guard/crisis_lexicon.h"

#include <algorithm>
#include <string>
#include <vector>

#include "core/strings.h"
#include "guard/embedded_data.h"

namespace carepost::guard {
namespace {

std::string_view NextField(std::string_view* line) {
  size_t i = 0;
  while (i < line->size() && ((*line)[i] == ' ' || (*line)[i] == '\t')) ++i;
  size_t j = i;
  while (j < line->size() && (*line)[j] != ' ' && (*line)[j] != '\t') ++j;
  std::string_view field = line->substr(i, j - i);
  line->remove_prefix(j);
  return field;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

}  // namespace

absl::StatusOr<std::vector<LexiconLine>> ParseLexicon(std::string_view file_name,
                                                      std::string_view text) {
  std::vector<LexiconLine> out;
  int number = 0;
  while (!text.empty()) {
    const size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    ++number;
    line = Trim(line);
    if (line.empty() || line.front() == '#') continue;
    LexiconLine l;
    l.line = number;
    l.tag = NextField(&line);
    const std::string_view weight = NextField(&line);
    l.rest = Trim(line);
    if (weight.empty() || l.rest.empty()) {
      return absl::InvalidArgumentError(core::Cat(
          file_name, " line ", number, ": expected TAG WEIGHT REGEX (three fields)"));
    }
    if (weight != "-") {
      const bool digit = weight[0] >= '0' && weight[0] <= '9';
      const bool suffix_ok = weight.size() == 1 || (weight.size() == 2 && weight[1] == 'a');
      if (!digit || !suffix_ok) {
        return absl::InvalidArgumentError(core::Cat(
            file_name, " line ", number, ": weight must be a digit, a digit and 'a', or '-'"));
      }
      l.weight = weight[0] - '0';
      l.anchored = weight.size() == 2;
    }
    out.push_back(l);
  }
  return out;
}

absl::StatusOr<std::string_view> LexiconFile(std::string_view file_name) {
  std::string_view text = EmbeddedFile(file_name);
  if (text.empty()) {
    return absl::NotFoundError(
        core::Cat("embedded data file ", file_name, " is missing (re-run cmake)"));
  }
  return text;
}

bool HasPersonalAnchor(const Document& doc, const Sentence& s) {
  // Normalised spellings (lower case, ASCII apostrophes).
  static constexpr std::string_view kAnchors[] = {
      "i",   "me",  "my",   "myself", "mine",    "im",      "i'm",  "ive",  "i've", "i'd",
      "i'll", "he", "she",  "him",    "her",     "his",     "hers", "he's", "she's",
      "himself", "herself", "yo", "mi", "mis",
  };
  const std::vector<Token>& tokens = doc.tokens();
  for (uint32_t t = s.first_token; t < s.last_token && t < tokens.size(); ++t) {
    const std::string_view w = doc.Norm(tokens[t]);
    if (w.size() > 7) continue;
    for (std::string_view a : kAnchors) {
      if (w == a) return true;
    }
  }
  return false;
}

}  // namespace carepost::guard

namespace carepost::guard {
namespace {

constexpr char kBoundary = '\x01';  // stands for `\b` while expanding

bool IsWordChar(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

// A tiny recursive-descent expander over the regex subset described in the header.
class Expander {
 public:
  Expander(std::string_view re, size_t max) : re_(re), max_(max) {}

  bool Run(std::vector<std::string>* out) {
    if (!Alternation(out)) return false;
    return pos_ == re_.size();
  }

 private:
  bool Alternation(std::vector<std::string>* out) {
    out->clear();
    std::vector<std::string> branch;
    while (true) {
      if (!Sequence(&branch)) return false;
      out->insert(out->end(), branch.begin(), branch.end());
      if (out->size() > max_) return false;
      if (pos_ < re_.size() && re_[pos_] == '|') {
        ++pos_;
        continue;
      }
      return true;
    }
  }

  bool Sequence(std::vector<std::string>* out) {
    out->assign(1, std::string());
    std::vector<std::string> atom;
    while (pos_ < re_.size() && re_[pos_] != '|' && re_[pos_] != ')') {
      if (!Atom(&atom)) return false;
      if (pos_ < re_.size()) {
        const char q = re_[pos_];
        if (q == '*' || q == '+' || q == '{') return false;
        if (q == '?') {
          ++pos_;
          atom.emplace_back();
        }
      }
      std::vector<std::string> next;
      if (out->size() * atom.size() > max_) return false;
      next.reserve(out->size() * atom.size());
      for (const std::string& a : *out) {
        for (const std::string& b : atom) next.push_back(a + b);
      }
      out->swap(next);
    }
    return true;
  }

  bool Atom(std::vector<std::string>* out) {
    out->clear();
    const char c = re_[pos_];
    if (c == '(') {
      ++pos_;
      if (re_.substr(pos_, 2) == "?:") pos_ += 2;
      if (pos_ < re_.size() && re_[pos_] == '?') return false;
      if (!Alternation(out)) return false;
      if (pos_ >= re_.size() || re_[pos_] != ')') return false;
      ++pos_;
      return true;
    }
    if (c == '[') {
      ++pos_;
      if (pos_ < re_.size() && re_[pos_] == '^') return false;
      std::string chars;
      while (pos_ < re_.size() && re_[pos_] != ']') {
        char a = re_[pos_];
        if (a == '\\') return false;
        if (pos_ + 2 < re_.size() && re_[pos_ + 1] == '-' && re_[pos_ + 2] != ']') {
          const char b = re_[pos_ + 2];
          if (b < a) return false;
          for (char x = a; x <= b; ++x) chars.push_back(x);
          pos_ += 3;
        } else {
          chars.push_back(a);
          ++pos_;
        }
      }
      if (pos_ >= re_.size()) return false;
      ++pos_;
      for (char x : chars) out->emplace_back(1, x);
      return !out->empty();
    }
    if (c == '\\') {
      if (pos_ + 1 >= re_.size()) return false;
      const char e = re_[pos_ + 1];
      pos_ += 2;
      if (e == 'b') {
        out->emplace_back(1, kBoundary);
        return true;
      }
      if (e == 'd') {
        for (char x = '0'; x <= '9'; ++x) out->emplace_back(1, x);
        return true;
      }
      if (IsWordChar(e) || (e >= 'A' && e <= 'Z')) return false;  // \w, \s, \n, ...
      out->emplace_back(1, e);
      return true;
    }
    if (c == '.' || c == '^' || c == '$' || c == '*' || c == '+' || c == '?' || c == '{' ||
        c == ']' || c == '}' || static_cast<unsigned char>(c) >= 0x80) {
      return false;
    }
    ++pos_;
    out->emplace_back(1, c);
    return true;
  }

  std::string_view re_;
  size_t max_;
  size_t pos_ = 0;
};

// Turns expanded strings into literals: `\b` only at the ends, and exactly where the
// end character is a word character.
bool ToLiterals(std::vector<std::string>& expanded, std::vector<std::string>* literals) {
  std::vector<std::string> result;
  for (std::string& s : expanded) {
    const bool bound_start = !s.empty() && s.front() == kBoundary;
    if (bound_start) s.erase(0, 1);
    const bool bound_end = !s.empty() && s.back() == kBoundary;
    if (bound_end) s.pop_back();
    if (s.empty() || s.find(kBoundary) != std::string::npos) return false;
    if (bound_start != IsWordChar(s.front()) || bound_end != IsWordChar(s.back())) {
      return false;
    }
    result.push_back(std::move(s));
  }
  std::sort(result.begin(), result.end());
  result.erase(std::unique(result.begin(), result.end()), result.end());
  literals->insert(literals->end(), result.begin(), result.end());
  return true;
}

// Top-level `|` split (outside groups and classes).
std::vector<std::string_view> TopLevelBranches(std::string_view re) {
  std::vector<std::string_view> out;
  int depth = 0;
  bool in_class = false;
  size_t start = 0;
  for (size_t i = 0; i < re.size(); ++i) {
    const char c = re[i];
    if (c == '\\') {
      ++i;
    } else if (in_class) {
      if (c == ']') in_class = false;
    } else if (c == '[') {
      in_class = true;
    } else if (c == '(') {
      ++depth;
    } else if (c == ')') {
      --depth;
    } else if (c == '|' && depth == 0) {
      out.push_back(re.substr(start, i - start));
      start = i + 1;
    }
  }
  out.push_back(re.substr(start));
  return out;
}

bool TryExpand(std::string_view re, size_t max, std::vector<std::string>* literals) {
  std::vector<std::string> expanded;
  Expander ex(re, max);
  return ex.Run(&expanded) && ToLiterals(expanded, literals);
}

}  // namespace

void SplitIntoLiterals(std::string_view regex, size_t max_literals,
                       std::vector<std::string>* literals, std::vector<std::string>* regexes) {
  for (std::string_view branch : TopLevelBranches(regex)) {
    if (TryExpand(branch, max_literals, literals)) continue;
    // `\b(A|B|...)\b` with one group spanning the whole branch: try each alternative.
    const bool wrapped = branch.starts_with("\\b(") && branch.ends_with(")\\b") &&
                         branch.size() > 6;
    std::vector<std::string_view> alts;
    if (wrapped) {
      std::string_view inner = branch.substr(3, branch.size() - 6);
      // The group must close only at the end: check the parentheses stay balanced.
      int depth = 0;
      bool balanced = true;
      for (size_t i = 0; i < inner.size(); ++i) {
        if (inner[i] == '\\') {
          ++i;
        } else if (inner[i] == '(') {
          ++depth;
        } else if (inner[i] == ')' && --depth < 0) {
          balanced = false;
          break;
        }
      }
      if (balanced && depth == 0) alts = TopLevelBranches(inner);
    }
    if (alts.size() < 2) {
      regexes->emplace_back(branch);
      continue;
    }
    for (std::string_view alt : alts) {
      std::string wrapped_alt = core::Cat("\\b(", alt, ")\\b");
      if (!TryExpand(wrapped_alt, max_literals, literals)) regexes->push_back(wrapped_alt);
    }
  }
}

}  // namespace carepost::guard
