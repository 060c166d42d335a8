// File: publish/bluesky_facets.h
//
// Finds the links, mentions and hashtags in a Bluesky post's text, with the UTF-8 byte
// ranges app.bsky.richtext.facet needs (byteStart inclusive, byteEnd exclusive, counted
// in bytes of the UTF-8 text, not characters: "🎉 https://x.org" puts the link at
// byte 5, not character 2).
//
//   for (const FacetSpan& f : FindFacets(text)) { ... f.byte_start, f.byte_end, f.value }
//
// The rules follow Bluesky's own detection: a link is an http(s) URL starting a word,
// without trailing punctuation; a mention is '@' and a domain-like handle starting a
// word; a hashtag is '#' (or the full-width '＃') and a tag starting a word, not only
// digits, at most 64 graphemes, without trailing punctuation. Pure functions;
// thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace carepost::publish {

struct FacetSpan {
  enum Kind { kLink, kMention, kTag };
  Kind kind = kLink;
  size_t byte_start = 0;
  size_t byte_end = 0;
  // The link's URL, the mention's handle (without '@', lower-cased), the tag (without
  // '#').
  std::string value;
};

// Facets of `text` (valid UTF-8) in text order, not overlapping.
std::vector<FacetSpan> FindFacets(std::string_view text);

}  // namespace carepost::publish
