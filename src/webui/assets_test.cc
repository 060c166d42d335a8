#include "webui/assets.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace carepost::webui {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

std::string Header(const http::Response& r, std::string_view name) {
  for (const auto& [n, v] : r.headers) {
    if (n == name) return v;
  }
  return "";
}

// The first quoted /assets/ path in index.html that ends with `extension`.
// (Plain scanning: GCC 12's <regex> trips -Wmaybe-uninitialized under ASan.)
std::string AssetIn(const std::string& index, const std::string& extension) {
  for (size_t at = index.find("\"/assets/"); at != std::string::npos;
       at = index.find("\"/assets/", at + 1)) {
    const size_t end = index.find('"', at + 1);
    if (end == std::string::npos) break;
    const std::string path = index.substr(at + 1, end - at - 1);
    if (path.size() > extension.size() &&
        path.compare(path.size() - extension.size(), extension.size(), extension) == 0) {
      return path;
    }
  }
  return "";
}

// The attribute text of every <script ...> tag in `html`.
std::vector<std::string> ScriptTagAttributes(const std::string& html) {
  std::vector<std::string> out;
  for (size_t at = html.find("<script"); at != std::string::npos;
       at = html.find("<script", at + 1)) {
    const size_t end = html.find('>', at);
    if (end == std::string::npos) break;
    out.push_back(html.substr(at + 7, end - at - 7));
  }
  return out;
}

class AssetsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!Embedded()) GTEST_SKIP() << "built with CAREPOST_WEBUI=OFF: no web app to serve";
  }
};

TEST_F(AssetsTest, ServesIndexAtRoot) {
  std::optional<http::Response> r = Serve("/");
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->content_type, "text/html; charset=utf-8");
  EXPECT_THAT(r->body, HasSubstr("<div id=\"app\">"));
  EXPECT_EQ(Header(*r, "Cache-Control"), "no-cache");
  std::optional<http::Response> same = Serve("/index.html");
  ASSERT_TRUE(same.has_value());
  EXPECT_EQ(same->body, r->body);
}

// The server's CSP has no 'unsafe-inline': index.html may only load files.
TEST_F(AssetsTest, IndexHasNoInlineScriptOrStyle) {
  const std::string index = Serve("/")->body;
  const std::vector<std::string> scripts = ScriptTagAttributes(index);
  EXPECT_FALSE(scripts.empty()) << index;
  for (const std::string& attributes : scripts) {
    EXPECT_THAT(attributes, HasSubstr("src=")) << "inline <script> in index.html";
  }
  EXPECT_THAT(index, Not(HasSubstr("<style")));
  EXPECT_THAT(index, Not(HasSubstr(" style=")));
}

TEST_F(AssetsTest, ServesHashedAssetsWithTypeAndLongCache) {
  const std::string index = Serve("/")->body;
  const std::string js = AssetIn(index, ".js");
  const std::string css = AssetIn(index, ".css");
  ASSERT_FALSE(js.empty()) << index;
  ASSERT_FALSE(css.empty()) << index;

  std::optional<http::Response> script = Serve(js);
  ASSERT_TRUE(script.has_value()) << js;
  EXPECT_EQ(script->status, 200);
  EXPECT_EQ(script->content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(Header(*script, "Cache-Control"), "public, max-age=31536000, immutable");
  EXPECT_FALSE(script->body.empty());

  std::optional<http::Response> style = Serve(css);
  ASSERT_TRUE(style.has_value()) << css;
  EXPECT_EQ(style->content_type, "text/css; charset=utf-8");
  EXPECT_EQ(Header(*style, "Cache-Control"), "public, max-age=31536000, immutable");
}

TEST_F(AssetsTest, UnhashedPublicFileIsRevalidated) {
  std::optional<http::Response> icon = Serve("/favicon.svg");
  ASSERT_TRUE(icon.has_value());
  EXPECT_EQ(icon->content_type, "image/svg+xml");
  EXPECT_EQ(Header(*icon, "Cache-Control"), "no-cache");
}

TEST_F(AssetsTest, AppPathsFallBackToIndex) {
  const std::string index = Serve("/")->body;
  for (const char* path : {"/audit", "/users", "/users/42", "/screen/", "/some/deep/page"}) {
    std::optional<http::Response> r = Serve(path);
    ASSERT_TRUE(r.has_value()) << path;
    EXPECT_EQ(r->status, 200) << path;
    EXPECT_EQ(r->content_type, "text/html; charset=utf-8") << path;
    EXPECT_EQ(r->body, index) << path;
    EXPECT_EQ(Header(*r, "Cache-Control"), "no-cache") << path;
  }
}

TEST_F(AssetsTest, ApiPathsNeverFallBack) {
  for (const char* path : {"/api", "/api/", "/api/v1", "/api/v1/nothing-here", "/api/v2/users"}) {
    EXPECT_FALSE(Serve(path).has_value()) << path;
  }
}

TEST_F(AssetsTest, MissingFilesAreNotFound) {
  for (const char* path : {"/assets/index-00000000.js", "/assets/", "/robots.txt",
                           "/favicon.ico", "/users/export.csv", ""}) {
    EXPECT_FALSE(Serve(path).has_value()) << path;
  }
}

TEST(ContentTypeTest, ByExtension) {
  EXPECT_EQ(ContentTypeFor("/index.html"), "text/html; charset=utf-8");
  EXPECT_EQ(ContentTypeFor("/assets/a-1.js"), "text/javascript; charset=utf-8");
  EXPECT_EQ(ContentTypeFor("/assets/a-1.css"), "text/css; charset=utf-8");
  EXPECT_EQ(ContentTypeFor("/favicon.svg"), "image/svg+xml");
  EXPECT_EQ(ContentTypeFor("/assets/f-1.woff2"), "font/woff2");
  EXPECT_EQ(ContentTypeFor("/assets/blob"), "application/octet-stream");
}

}  // namespace
}  // namespace carepost::webui
