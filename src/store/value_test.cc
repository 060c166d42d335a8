#include "store/value.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>

#include "store/database.h"

namespace carepost::store {
namespace {

TEST(ValueTest, ConvertsFromCppTypes) {
  EXPECT_EQ(Value().type(), Value::Type::kNull);
  EXPECT_EQ(Value(nullptr).type(), Value::Type::kNull);
  EXPECT_EQ(Value(std::nullopt).type(), Value::Type::kNull);
  EXPECT_EQ(Value(std::optional<int64_t>()).type(), Value::Type::kNull);
  EXPECT_EQ(Value(std::optional<int64_t>(7)), Value(int64_t{7}));
  EXPECT_EQ(Value(7).type(), Value::Type::kInt64);
  EXPECT_EQ(Value(7L).type(), Value::Type::kInt64);
  EXPECT_EQ(Value(7LL).type(), Value::Type::kInt64);
  EXPECT_EQ(Value(uint32_t{4000000000u}).int64_value(), 4000000000);
  EXPECT_EQ(Value(1.5).type(), Value::Type::kDouble);
  EXPECT_EQ(Value(1.5f).type(), Value::Type::kDouble);
  EXPECT_EQ(Value("text").type(), Value::Type::kText);
  EXPECT_EQ(Value(std::string("text")).type(), Value::Type::kText);
  EXPECT_EQ(Value(std::string_view("text")).type(), Value::Type::kText);
  EXPECT_EQ(Value(Blob{std::string("\0x", 2)}).type(), Value::Type::kBlob);
  EXPECT_EQ(Value(std::optional<std::string>("a")), Value("a"));
}

TEST(ValueTest, TypedReadsCheckTheType) {
  EXPECT_EQ(*Value(int64_t{-3}).AsInt64(), -3);
  EXPECT_EQ(*Value(0.25).AsDouble(), 0.25);
  EXPECT_EQ(*Value("é").AsText(), "é");
  EXPECT_EQ(*Value(Blob{std::string("\0\1", 2)}).AsBlob(), std::string("\0\1", 2));

  absl::StatusOr<int64_t> wrong = Value("secret 555-0100").AsInt64();
  ASSERT_EQ(wrong.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(std::string(wrong.status().message()), "value is text, not int64");
  EXPECT_EQ(Value().AsText().status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Value(1).AsDouble().status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Value("x").AsBlob().status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Value(Blob{"x"}).AsText().status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(ValueTest, TextAndBlobAreDistinct) {
  EXPECT_NE(Value("x"), Value(Blob{"x"}));
  EXPECT_NE(Value(1), Value(1.0));
  EXPECT_NE(Value(), Value(0));
}

TEST(RowTest, ReadsByColumnName) {
  Rows rows({"id", "email", "gone"});
  rows.Add({Value(5), Value("a@b.example"), Value()});
  ASSERT_EQ(rows.size(), 1u);
  const Row& row = rows[0];
  EXPECT_EQ(*row.GetInt64("id"), 5);
  EXPECT_EQ(*row.GetText("email"), "a@b.example");
  EXPECT_TRUE(*row.IsNull("gone"));
  EXPECT_FALSE(*row.IsNull("id"));

  absl::StatusOr<int64_t> wrong = row.GetInt64("email");
  ASSERT_EQ(wrong.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(std::string(wrong.status().message()), "column 'email': value is text, not int64");
  EXPECT_EQ(std::string(row.GetText("gone").status().message()),
            "column 'gone': value is null, not text");
  absl::StatusOr<std::string> missing = row.GetText("nope");
  ASSERT_EQ(missing.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(std::string(missing.status().message()),
            "the result has no column 'nope' (columns: id, email, gone)");
}

}  // namespace
}  // namespace carepost::store
