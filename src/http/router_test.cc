#include "http/router.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace carepost::http {
namespace {

Handler Named(std::string name) {
  return [name](Request&) {
    Response r;
    r.body = name;
    return r;
  };
}

TEST(RouterTest, MatchesLiteralAndParameterSegments) {
  Router router;
  router.Add("GET", "/api/v1/posts", Named("list"));
  router.Add("GET", "/api/v1/posts/{id}", Named("get"));
  router.Add("DELETE", "/api/v1/posts/{id}", Named("delete"));
  router.Add("GET", "/api/v1/brands/{brand}/posts/{id}", Named("nested"));

  Request req;
  auto m = router.Find("GET", "/api/v1/posts/42");
  ASSERT_NE(m.handler, nullptr);
  EXPECT_EQ((*m.handler)(req).body, "get");
  EXPECT_EQ(m.route, "/api/v1/posts/{id}");
  EXPECT_EQ(m.params.at("id"), "42");

  m = router.Find("GET", "/api/v1/posts/");
  ASSERT_NE(m.handler, nullptr);
  EXPECT_EQ((*m.handler)(req).body, "list");

  m = router.Find("GET", "/api/v1/brands/7/posts/9");
  ASSERT_NE(m.handler, nullptr);
  EXPECT_EQ(m.params.at("brand"), "7");
  EXPECT_EQ(m.params.at("id"), "9");

  m = router.Find("DELETE", "/api/v1/posts/5");
  ASSERT_NE(m.handler, nullptr);
  EXPECT_EQ((*m.handler)(req).body, "delete");
}

TEST(RouterTest, ReportsMethodMismatchWithAllowedMethods) {
  Router router;
  router.Add("GET", "/x/{id}", Named("get"));
  router.Add("PUT", "/x/{id}", Named("put"));
  const auto m = router.Find("POST", "/x/1");
  EXPECT_EQ(m.handler, nullptr);
  EXPECT_TRUE(m.method_mismatch);
  EXPECT_THAT(m.allowed_methods, ::testing::ElementsAre("GET", "PUT"));
}

TEST(RouterTest, NoMatch) {
  Router router;
  router.Add("GET", "/x/{id}", Named("get"));
  for (const char* path : {"/x", "/x/1/2", "/y/1", "/", "//"}) {
    const auto m = router.Find("GET", path);
    EXPECT_EQ(m.handler, nullptr) << path;
    EXPECT_FALSE(m.method_mismatch) << path;
  }
}

TEST(RouterTest, PathSegments) {
  EXPECT_THAT(PathSegments("/a/b/"), ::testing::ElementsAre("a", "b"));
  EXPECT_THAT(PathSegments("/"), ::testing::IsEmpty());
  EXPECT_THAT(PathSegments("/a//b"), ::testing::ElementsAre("a", "", "b"));
}

}  // namespace
}  // namespace carepost::http
