#include "cli/jsonl_reader.h"

#include <gtest/gtest.h>

namespace carepost::cli {
namespace {

TEST(JsonlReaderTest, ReadsIdTextAndOptionalFields) {
  JsonlReader reader(1024);
  Record r;
  ASSERT_TRUE(reader.Parse(R"({"id": "a-1", "text": "Hello \u00e9", "context": "reply",)"
                           R"( "platform": "x", "extra": [1,2], "media": [{"type": "image"}]})",
                           &r)
                  .ok());
  EXPECT_EQ(r.id_json, "\"a-1\"");
  EXPECT_EQ(r.text, "Hello é");
  EXPECT_EQ(r.context, guard::Context::kReply);
  EXPECT_EQ(r.platform, guard::Platform::kX);
  ASSERT_EQ(r.media.size(), 1u);
  EXPECT_TRUE(r.media[0].alt.empty());
}

TEST(JsonlReaderTest, EchoesNumericIds) {
  JsonlReader reader(1024);
  Record r;
  ASSERT_TRUE(reader.Parse(R"({"text": "x", "id": 42})", &r).ok());
  EXPECT_EQ(r.id_json, "42");
}

TEST(JsonlReaderTest, RejectsBadInputWithClearMessages) {
  JsonlReader reader(64);
  Record r;
  struct Case {
    std::string line;
    std::string message;
  } cases[] = {
      {"not json", "not JSON"},
      {"{\"id\": 1, \"text\": ", "not JSON"},
      {"[1,2]", "not a JSON object"},
      {R"({"id": 1})", "missing \"text\""},
      {R"({"text": "x"})", "missing \"id\""},
      {R"({"id": 1, "text": 5})", "\"text\" must be a string"},
      {std::string("{\"id\": 1, \"text\": \"a\xff\"}"), "invalid UTF-8 at byte 21"},
      {std::string("{\"id\": 1, \"text\": \"a\0\"}", 23), "NUL byte at byte 21"},
      {R"({"id": 1, "text": "a\u0000b"})", "NUL character"},
      {std::string(100, ' '), "limit is 64"},
      {R"({"id": 1, "text": "x", "context": "tweet"})", "\"context\" must be one of"},
      {R"({"id": 1, "text": "x"} trailing)", "not JSON"},
  };
  for (const auto& c : cases) {
    absl::Status st = reader.Parse(c.line, &r);
    EXPECT_FALSE(st.ok()) << c.line;
    EXPECT_NE(std::string(st.message()).find(c.message), std::string::npos) << c.line << " -> " << std::string(st.message());
  }
}

TEST(JsonlReaderTest, KeepsTheIdWhenTheTextIsMissing) {
  JsonlReader reader(1024);
  Record r;
  EXPECT_FALSE(reader.Parse(R"({"id": "keep-me", "body": "x"})", &r).ok());
  EXPECT_EQ(r.id_json, "\"keep-me\"");
}

}  // namespace
}  // namespace carepost::cli
