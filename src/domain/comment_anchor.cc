#include "domain/comment_anchor.h"

#include <cstddef>
#include <cstdint>

#include "absl/strings/numbers.h"
#include "core/status_macros.h"
#include "core/strings.h"

namespace carepost::domain {
namespace {

constexpr std::string_view kFieldHelp =
    "use master, <platform>.text, <platform>.first_comment or media[<i>].alt_text";

// Never quotes the field: it is request content (problem details never repeat it).
absl::Status UnknownField(std::string_view why) {
  return absl::InvalidArgumentError(core::Cat("anchor.field: ", why, "; ", kFieldHelp));
}

bool OnBoundary(const std::string& text, int64_t at) {
  if (at == static_cast<int64_t>(text.size())) return true;
  const auto byte = static_cast<unsigned char>(text[static_cast<size_t>(at)]);
  return (byte & 0xC0) != 0x80;  // not a continuation byte
}

}  // namespace

absl::StatusOr<std::string> AnchorText(const PostContent& content, std::string_view field) {
  for (char c : field) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
                    c == '[' || c == ']';
    if (!ok) return UnknownField("not a field name");
  }
  if (field == "master") return content.master_text;
  if (field.starts_with("media[") && field.ends_with("].alt_text")) {
    const std::string_view digits = field.substr(6, field.size() - 6 - 10);
    size_t index = 0;
    if (digits.empty() || digits.size() > 3 || !absl::SimpleAtoi(std::string(digits), &index)) {
      return UnknownField("not an attachment index");
    }
    if (index >= content.media.size()) {
      return UnknownField(
          core::Cat("the revision has ", content.media.size(), " attachments, counted from 0"));
    }
    return content.media[index].alt_text;
  }
  const size_t dot = field.find('.');
  if (dot == std::string_view::npos) return UnknownField("not a text of a post");
  const std::string_view platform = field.substr(0, dot);
  const std::string_view part = field.substr(dot + 1);
  if (part != "text" && part != "first_comment") {
    return UnknownField("not a text of a post");
  }
  for (const Variant& v : content.variants) {
    if (v.platform != platform) continue;
    if (part == "text") return TextAsPublished(content, v);
    return v.first_comment;
  }
  if (!IsPostPlatform(platform)) return UnknownField("not a platform of carepost");
  return UnknownField(core::Cat("the revision has no ", platform, " version"));
}

absl::Status CheckCommentAnchor(const PostContent& content, const CommentAnchor& anchor) {
  ASSIGN_OR_RETURN(const std::string text, AnchorText(content, anchor.field));
  const auto size = static_cast<int64_t>(text.size());
  if (anchor.start < 0 || anchor.start >= size) {
    return absl::InvalidArgumentError(core::Cat("anchor.start ", anchor.start, " is outside ",
                                                anchor.field, ", which has ", size,
                                                " bytes (offsets count from 0)"));
  }
  if (anchor.end <= anchor.start || anchor.end > size) {
    return absl::InvalidArgumentError(core::Cat("anchor.end ", anchor.end, " must be after start ",
                                                anchor.start, " and at most ", size, " (the ",
                                                "bytes of ", anchor.field, ")"));
  }
  if (!OnBoundary(text, anchor.start)) {
    return absl::InvalidArgumentError(core::Cat("anchor.start ", anchor.start,
                                                " is inside a character of ", anchor.field,
                                                ": offsets are UTF-8 bytes on character "
                                                "boundaries"));
  }
  if (!OnBoundary(text, anchor.end)) {
    return absl::InvalidArgumentError(core::Cat("anchor.end ", anchor.end,
                                                " is inside a character of ", anchor.field,
                                                ": offsets are UTF-8 bytes on character "
                                                "boundaries"));
  }
  return absl::OkStatus();
}

}  // namespace carepost::domain
