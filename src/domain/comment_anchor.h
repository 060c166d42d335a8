// File: domain/comment_anchor.h
//
// Inline review comments point at a span of one text of one revision of a post
// (PostComment::anchor). This file names the texts a comment may point into and checks
// an anchor against a revision's content, so a comment never points outside its text or
// into the middle of a character:
//
//   ASSIGN_OR_RETURN(std::string text, AnchorText(revision.content, "x.text"));
//   RETURN_IF_ERROR(CheckCommentAnchor(revision.content, anchor));  // names what is wrong
//
// The fields are the ones the guard's findings use (the same offsets, so the review page
// marks comments and findings in one copy of the text): "master", "<platform>.text" (the
// text as published, domain::TextAsPublished), "<platform>.first_comment" and
// "media[<i>].alt_text". Offsets are UTF-8 bytes, [start, end), non-empty, each on a
// character boundary. Error messages name the anchor's part and numbers, never text.
//
// Thread safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "domain/posts.h"

namespace carepost::domain {

// The text `field` names in `content`; InvalidArgument about anchor.field otherwise
// ("anchor.field: the revision has no x version; use master, ...").
[[nodiscard]] absl::StatusOr<std::string> AnchorText(const PostContent& content,
                                                     std::string_view field);

// OK when `anchor`'s field is a text of `content` and [start, end) is a non-empty span of
// it on UTF-8 character boundaries; InvalidArgument naming anchor.field, anchor.start or
// anchor.end otherwise. anchor.revision is the caller's to check.
[[nodiscard]] absl::Status CheckCommentAnchor(const PostContent& content,
                                              const CommentAnchor& anchor);

}  // namespace carepost::domain
