#include "publish/bluesky_facets.h"

#include <algorithm>
#include <cctype>

namespace carepost::publish {
namespace {

bool IsSpaceAt(std::string_view s, size_t i, size_t* len) {
  const auto c = static_cast<unsigned char>(s[i]);
  if (c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
    *len = 1;
    return true;
  }
  // U+00A0 no-break space, U+3000 ideographic space.
  if (s.substr(i, 2) == "\xC2\xA0") {
    *len = 2;
    return true;
  }
  if (s.substr(i, 3) == "\xE3\x80\x80") {
    *len = 3;
    return true;
  }
  return false;
}

bool IsSpace(std::string_view s, size_t i) {
  size_t len;
  return IsSpaceAt(s, i, &len);
}

// True when position i starts a word: the start of the text, or after white space or
// an opening bracket.
bool StartsWord(std::string_view s, size_t i) {
  if (i == 0) return true;
  const char prev = s[i - 1];
  if (prev == '(' || prev == '[' || prev == ' ' || prev == '\n' || prev == '\t' || prev == '\r')
    return true;
  if (i >= 2 && s.substr(i - 2, 2) == "\xC2\xA0") return true;
  if (i >= 3 && s.substr(i - 3, 3) == "\xE3\x80\x80") return true;
  return false;
}

// End of the run of non-space bytes starting at i.
size_t WordEnd(std::string_view s, size_t i) {
  while (i < s.size() && !IsSpace(s, i)) ++i;
  return i;
}

bool IsTrailingPunct(char c) {
  return c == '.' || c == ',' || c == ';' || c == ':' || c == '!' || c == '?' || c == '"' ||
         c == '\'' || c == ')' || c == ']';
}

size_t CountGraphemesApprox(std::string_view s) {
  // Code points, an upper bound of graphemes; enough for the 64 limit check.
  return static_cast<size_t>(std::count_if(
      s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

bool IsHandleChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-';
}

}  // namespace

std::vector<FacetSpan> FindFacets(std::string_view text) {
  std::vector<FacetSpan> out;
  size_t i = 0;
  while (i < text.size()) {
    if (!StartsWord(text, i)) {
      ++i;
      continue;
    }
    // Links.
    if (text.substr(i, 8) == "https://" || text.substr(i, 7) == "http://") {
      size_t end = WordEnd(text, i);
      std::string_view url = text.substr(i, end - i);
      // A closing parenthesis belongs to the URL only when it closes one the URL opened.
      while (!url.empty() && IsTrailingPunct(url.back())) {
        if (url.back() == ')' &&
            std::count(url.begin(), url.end(), '(') >= std::count(url.begin(), url.end(), ')')) {
          break;
        }
        url.remove_suffix(1);
      }
      const size_t scheme = url[4] == 's' ? 8 : 7;
      if (url.size() > scheme) {
        out.push_back({FacetSpan::kLink, i, i + url.size(), std::string(url)});
        i += url.size();
        continue;
      }
    }
    // Mentions: @handle.domain
    if (text[i] == '@') {
      size_t end = i + 1;
      while (end < text.size() && IsHandleChar(text[end])) ++end;
      std::string_view handle = text.substr(i + 1, end - i - 1);
      while (!handle.empty() && (handle.back() == '.' || handle.back() == '-'))
        handle.remove_suffix(1);
      const size_t dot = handle.find('.');
      if (dot != std::string_view::npos && dot > 0 && dot + 1 < handle.size() &&
          std::isalpha(static_cast<unsigned char>(handle.back()))) {
        std::string value(handle);
        std::transform(value.begin(), value.end(), value.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        out.push_back({FacetSpan::kMention, i, i + 1 + handle.size(), std::move(value)});
        i += 1 + handle.size();
        continue;
      }
    }
    // Hashtags: '#' or U+FF03.
    const size_t hash_len = text[i] == '#' ? 1 : (text.substr(i, 3) == "\xEF\xBC\x83" ? 3 : 0);
    if (hash_len > 0) {
      const size_t start = i + hash_len;
      size_t end = start;
      // A tag stops at white space or at another '#'.
      while (end < text.size() && !IsSpace(text, end) && text[end] != '#') ++end;
      std::string_view tag = text.substr(start, end - start);
      while (!tag.empty() &&
             (std::ispunct(static_cast<unsigned char>(tag.back())) && tag.back() != '_')) {
        tag.remove_suffix(1);
      }
      // Not a variation selector start (U+FE0F: "#️⃣" is the keycap emoji).
      const bool keycap = tag.substr(0, 3) == "\xEF\xB8\x8F";
      const bool all_digits = std::all_of(tag.begin(), tag.end(), [](char c) {
        return std::isdigit(static_cast<unsigned char>(c));
      });
      if (!tag.empty() && !keycap && !all_digits && tag.size() <= 640 &&
          CountGraphemesApprox(tag) <= 64) {
        out.push_back({FacetSpan::kTag, i, start + tag.size(), std::string(tag)});
        i = start + tag.size();
        continue;
      }
    }
    ++i;
  }
  return out;
}

}  // namespace carepost::publish
