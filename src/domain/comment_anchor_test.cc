// Anchors of inline review comments against a revision's texts: the fields a comment may
// point into, spans outside the text, spans that cut a character, and messages that name
// the anchor's part without quoting the post or the request.
#include "domain/comment_anchor.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace carepost::domain {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

PostContent Content() {
  PostContent c;
  c.master_text = "Flu shots at the café today.";  // "é" is two bytes: 20 and 21
  c.variants = {{.platform = "x", .hashtags = {"FluShot"}},
                {.platform = "facebook", .text = "Own text.", .first_comment = "More info."}};
  c.media = {{.media_id = 7, .alt_text = "A nurse gives a flu shot."}};
  return c;
}

std::string Message(const absl::Status& s) { return std::string(s.message()); }

TEST(CommentAnchorTest, FieldsNameTheTextsTheGuardScreens) {
  const PostContent c = Content();
  EXPECT_EQ(*AnchorText(c, "master"), c.master_text);
  // A platform's text as published: its hashtags are part of it.
  EXPECT_EQ(*AnchorText(c, "x.text"), "Flu shots at the café today.\n\n#FluShot");
  EXPECT_EQ(*AnchorText(c, "facebook.text"), "Own text.");
  EXPECT_EQ(*AnchorText(c, "facebook.first_comment"), "More info.");
  EXPECT_EQ(*AnchorText(c, "media[0].alt_text"), "A nurse gives a flu shot.");
}

TEST(CommentAnchorTest, UnknownFieldsAreRefusedNamingAnchorField) {
  const PostContent c = Content();
  for (const char* field : {"", "body", "x.link", "linkedin.text", "mars.text", "media[1].alt_text",
                            "media[].alt_text", "media[x].alt_text", "Maria Lopez", "MASTER"}) {
    const absl::Status s = CheckCommentAnchor(c, {.field = field, .start = 0, .end = 1});
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << field;
    EXPECT_THAT(Message(s), StartsWith("anchor.field")) << field;
    // The request's words never come back.
    EXPECT_THAT(Message(s), Not(HasSubstr("Maria"))) << field;
  }
  EXPECT_THAT(Message(AnchorText(c, "linkedin.text").status()), HasSubstr("no linkedin version"));
}

TEST(CommentAnchorTest, SpansMustLieInsideTheTextAndBeNonEmpty) {
  const PostContent c = Content();
  const auto size = static_cast<int64_t>(c.master_text.size());
  EXPECT_TRUE(CheckCommentAnchor(c, {.field = "master", .start = 0, .end = size}).ok());
  EXPECT_TRUE(CheckCommentAnchor(c, {.field = "master", .start = 4, .end = 9}).ok());
  struct Case {
    int64_t start, end;
    const char* names;
  };
  for (const Case& k :
       {Case{-1, 3, "anchor.start"}, Case{size, size + 1, "anchor.start"}, Case{3, 3, "anchor.end"},
        Case{5, 4, "anchor.end"}, Case{0, size + 1, "anchor.end"}}) {
    const absl::Status s =
        CheckCommentAnchor(c, {.field = "master", .start = k.start, .end = k.end});
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << k.start << "," << k.end;
    EXPECT_THAT(Message(s), StartsWith(k.names)) << k.start << "," << k.end;
    EXPECT_THAT(Message(s), HasSubstr("master"));
    EXPECT_THAT(Message(s), Not(HasSubstr("café")));
  }
}

TEST(CommentAnchorTest, SpansMustNotCutACharacter) {
  const PostContent c = Content();
  const int64_t e_acute = static_cast<int64_t>(c.master_text.find("é"));
  // The whole "café".
  EXPECT_TRUE(
      CheckCommentAnchor(c, {.field = "master", .start = e_acute - 3, .end = e_acute + 2}).ok());
  absl::Status s =
      CheckCommentAnchor(c, {.field = "master", .start = e_acute + 1, .end = e_acute + 2});
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(Message(s), StartsWith("anchor.start"));
  EXPECT_THAT(Message(s), HasSubstr("inside a character"));
  s = CheckCommentAnchor(c, {.field = "master", .start = 0, .end = e_acute + 1});
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(Message(s), StartsWith("anchor.end"));
}

}  // namespace
}  // namespace carepost::domain
