// File: domain/media_store.h
//
// Where the bytes of uploaded media live: a content-addressed blob store behind an
// interface, so the domain never touches the file system itself and tests run in
// memory. A blob's key is the lower-case hex SHA-256 of its bytes: the same file
// uploaded twice is stored once, and a key names exactly the bytes written.
//
//   ASSIGN_OR_RETURN(std::unique_ptr<MediaStore> blobs,
//                    OpenFileMediaStore(core::Cat(data_dir, "/media")));
//   ASSIGN_OR_RETURN(std::string key, blobs->Put(bytes));
//   ASSIGN_OR_RETURN(std::string same, blobs->Get(key));
//
// The file store keeps a blob at <root>/<first 2 hex digits>/<other 62 digits>. It is
// written to a temporary file in that directory, fsync'ed, renamed into place and the
// directory fsync'ed, so a crash leaves the whole blob or none (at worst a stray
// ".tmp-*" file, which nothing reads). Files are created 0600 and directories 0700:
// uploads may show patients. Get re-hashes what it reads and answers DataLoss when the
// file no longer matches its key.
//
// Thread safety: both implementations are safe for concurrent use.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace carepost::domain {

class MediaStore {
 public:
  virtual ~MediaStore() = default;
  // Stores `bytes` and returns their key; storing bytes already there changes nothing.
  [[nodiscard]] virtual absl::StatusOr<std::string> Put(std::string_view bytes) = 0;
  // The bytes stored under `key`: NotFound when there are none, InvalidArgument for a
  // string that is not a key.
  [[nodiscard]] virtual absl::StatusOr<std::string> Get(std::string_view key) = 0;
  // Removes the blob under `key`; OK when there was none.
  [[nodiscard]] virtual absl::Status Remove(std::string_view key) = 0;
};

// The key of `bytes`: their SHA-256 as 64 lower-case hex digits.
std::string MediaKey(std::string_view bytes);

// Blobs in memory (tests, fuzzing).
std::unique_ptr<MediaStore> NewMemoryMediaStore();

// Blobs under the directory `root` (created 0700 when missing). Unavailable naming the
// path when it cannot be created.
[[nodiscard]] absl::StatusOr<std::unique_ptr<MediaStore>> OpenFileMediaStore(std::string root);

}  // namespace carepost::domain
