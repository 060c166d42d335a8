#include "domain/secrets.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <fstream>
#include <string>

#include "domain/testing_db.h"

namespace carepost::domain {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

std::string Hex64(char c) { return std::string(64, c); }

class KeyFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (std::filesystem::temp_directory_path() / "carepost-key-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string Write(const std::string& name, const std::string& contents, mode_t mode) {
    const std::string path = dir_ + "/" + name;
    std::ofstream(path, std::ios::binary) << contents;
    EXPECT_EQ(chmod(path.c_str(), mode), 0);
    return path;
  }
  std::string dir_;
};

TEST_F(KeyFileTest, LoadsHexAndRawKeys) {
  absl::StatusOr<SecretKey> hex = LoadSecretKeyFile(Write("hex", Hex64('a') + "\n", 0600));
  ASSERT_TRUE(hex.ok()) << hex.status();
  EXPECT_EQ(hex->data()[0], 0xaa);
  absl::StatusOr<SecretKey> raw = LoadSecretKeyFile(Write("raw", std::string(32, 'k'), 0400));
  ASSERT_TRUE(raw.ok()) << raw.status();
  EXPECT_EQ(raw->data()[31], 'k');
}

TEST_F(KeyFileTest, MissingFileIsNotFound) {
  absl::StatusOr<SecretKey> key = LoadSecretKeyFile(dir_ + "/nope");
  EXPECT_EQ(key.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(std::string(key.status().message()), HasSubstr("does not exist"));
}

TEST_F(KeyFileTest, GroupOrWorldReadableFileIsRefused) {
  for (mode_t mode : {0640, 0604, 0660, 0644}) {
    absl::StatusOr<SecretKey> key = LoadSecretKeyFile(Write("k", Hex64('b'), mode));
    EXPECT_EQ(key.status().code(), absl::StatusCode::kFailedPrecondition) << mode;
    EXPECT_THAT(std::string(key.status().message()), HasSubstr("chmod 600"));
  }
}

TEST_F(KeyFileTest, WrongSizeIsInvalidArgumentWithoutKeyBytes) {
  absl::StatusOr<SecretKey> key = LoadSecretKeyFile(Write("short", "abcdef0123", 0600));
  EXPECT_EQ(key.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(key.status().message()), HasSubstr("32 raw bytes or 64 hex digits"));
  EXPECT_THAT(std::string(key.status().message()), Not(HasSubstr("abcdef0123")));
  key = LoadSecretKeyFile(Write("nothex", std::string(64, 'z'), 0600));
  EXPECT_EQ(key.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(key.status().message()), HasSubstr("hex digit"));
}

TEST_F(KeyFileTest, LoadSecretKeyPrefersFlagThenFileVariableThenHexVariable) {
  const std::string a = Write("a", Hex64('a'), 0600);
  const std::string b = Write("b", Hex64('b'), 0600);
  LoadKeyOptions options{.file = "",
                         .file_env = "CAREPOST_TEST_KEY_FILE_X",
                         .hex_env = "CAREPOST_TEST_KEY_HEX_X"};
  unsetenv("CAREPOST_TEST_KEY_FILE_X");
  unsetenv("CAREPOST_TEST_KEY_HEX_X");
  absl::StatusOr<SecretKey> none = LoadSecretKey(options);
  EXPECT_EQ(none.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(std::string(none.status().message()), HasSubstr("--secret-key-file"));

  setenv("CAREPOST_TEST_KEY_HEX_X", Hex64('c').c_str(), 1);
  EXPECT_EQ(LoadSecretKey(options)->data()[0], 0xcc);
  setenv("CAREPOST_TEST_KEY_FILE_X", b.c_str(), 1);
  EXPECT_EQ(LoadSecretKey(options)->data()[0], 0xbb);
  options.file = a;
  EXPECT_EQ(LoadSecretKey(options)->data()[0], 0xaa);
  options.file = "";
  setenv("CAREPOST_TEST_KEY_FILE_X", "", 1);
  setenv("CAREPOST_TEST_KEY_HEX_X", "12", 1);
  absl::StatusOr<SecretKey> bad = LoadSecretKey(options);
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(bad.status().message()), HasSubstr("CAREPOST_TEST_KEY_HEX_X"));
  unsetenv("CAREPOST_TEST_KEY_FILE_X");
  unsetenv("CAREPOST_TEST_KEY_HEX_X");
}

TEST_F(KeyFileTest, CreateSecretKeyFileWritesOwnerOnlyAndNeverOverwrites) {
  const std::string path = dir_ + "/new.key";
  absl::StatusOr<SecretKey> created = CreateSecretKeyFile(path);
  ASSERT_TRUE(created.ok()) << created.status();
  struct stat st;
  ASSERT_EQ(stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  absl::StatusOr<SecretKey> loaded = LoadSecretKeyFile(path);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(loaded->data()), 32),
            std::string(reinterpret_cast<const char*>(created->data()), 32));
  EXPECT_EQ(CreateSecretKeyFile(path).status().code(), absl::StatusCode::kAlreadyExists);
}

TEST(SecretKeyTest, DerivedKeysDifferByPurposeAndAreStable) {
  const SecretKey key(std::string(32, 'x'));
  const std::string audit(reinterpret_cast<const char*>(key.Derive(KeyPurpose::kAuditSignature).data()), 32);
  const std::string csrf(reinterpret_cast<const char*>(key.Derive(KeyPurpose::kCsrf).data()), 32);
  EXPECT_NE(audit, csrf);
  EXPECT_NE(audit, std::string(32, 'x'));
  EXPECT_EQ(audit, std::string(reinterpret_cast<const char*>(
                                   key.Derive(KeyPurpose::kAuditSignature).data()),
                               32));
}

TEST(SecretBoxTest, SealsAndOpens) {
  SecretBox box(SecretKey::Generate());
  const std::string sealed = box.Seal("platform token 123");
  EXPECT_EQ(sealed.find("platform token"), std::string::npos);
  EXPECT_NE(box.Seal("platform token 123"), sealed);  // fresh nonce each time
  absl::StatusOr<std::string> opened = box.Open(sealed);
  ASSERT_TRUE(opened.ok()) << opened.status();
  EXPECT_EQ(*opened, "platform token 123");
  EXPECT_EQ(*box.Open(box.Seal("")), "");
}

TEST(SecretBoxTest, TamperedOrForeignCiphertextIsDataLoss) {
  SecretBox box(SecretKey::Generate());
  std::string sealed = box.Seal("secret");
  sealed.back() ^= 1;
  EXPECT_EQ(box.Open(sealed).status().code(), absl::StatusCode::kDataLoss);
  SecretBox other(SecretKey::Generate());
  EXPECT_EQ(other.Open(box.Seal("secret")).status().code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(box.Open("short").status().code(), absl::StatusCode::kDataLoss);
}

class SecretStoreTest : public testing::DatabaseTest {};
INSTANTIATE_TEST_SUITE_P(Backends, SecretStoreTest, CAREPOST_ALL_BACKENDS);

TEST_P(SecretStoreTest, PutGetReplaceAndWrongKey) {
  core::SimulatedClock clock(absl::FromUnixSeconds(1'700'000'000));
  SecretBox box(SecretKey::Generate());
  SecretStore secrets(db(), clock, box);
  EXPECT_EQ(secrets.Get("x").status().code(), absl::StatusCode::kNotFound);
  ASSERT_TRUE(secrets.Put("bluesky.token", "tok-1").ok());
  EXPECT_EQ(*secrets.Get("bluesky.token"), "tok-1");
  ASSERT_TRUE(secrets.Put("bluesky.token", "tok-2").ok());
  EXPECT_EQ(*secrets.Get("bluesky.token"), "tok-2");
  absl::StatusOr<store::Row> row =
      db().QueryRow("SELECT ciphertext FROM secrets WHERE name = 'bluesky.token'");
  ASSERT_TRUE(row.ok());
  EXPECT_EQ(row->GetBlob("ciphertext")->find("tok-2"), std::string::npos);

  SecretBox other(SecretKey::Generate());
  SecretStore wrong(db(), clock, other);
  EXPECT_EQ(wrong.Get("bluesky.token").status().code(), absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace carepost::domain
