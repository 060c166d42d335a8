#include "guard/crisis_lexicon.h"

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
