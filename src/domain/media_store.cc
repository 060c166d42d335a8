#include "domain/media_store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <map>
#include <mutex>

#include "core/strings.h"
#include "domain/internal/crypto.h"

namespace carepost::domain {
namespace {

absl::Status CheckKey(std::string_view key) {
  bool ok = key.size() == 64;
  for (char c : key) ok = ok && ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
  if (!ok) return absl::InvalidArgumentError("a media key is 64 lower-case hex digits");
  return absl::OkStatus();
}

class MemoryMediaStore final : public MediaStore {
 public:
  absl::StatusOr<std::string> Put(std::string_view bytes) override {
    std::string key = MediaKey(bytes);
    std::lock_guard<std::mutex> lock(mu_);
    blobs_.emplace(key, std::string(bytes));
    return key;
  }
  absl::StatusOr<std::string> Get(std::string_view key) override {
    if (absl::Status s = CheckKey(key); !s.ok()) return s;
    std::lock_guard<std::mutex> lock(mu_);
    auto it = blobs_.find(std::string(key));
    if (it == blobs_.end()) return absl::NotFoundError("no stored media with this key");
    return it->second;
  }
  absl::Status Remove(std::string_view key) override {
    if (absl::Status s = CheckKey(key); !s.ok()) return s;
    std::lock_guard<std::mutex> lock(mu_);
    blobs_.erase(std::string(key));
    return absl::OkStatus();
  }

 private:
  std::mutex mu_;
  std::map<std::string, std::string> blobs_;  // guarded by mu_
};

absl::Status Errno(std::string_view what, const std::string& path) {
  return absl::UnavailableError(core::Cat("cannot ", what, " ", path, ": ", std::strerror(errno)));
}

absl::Status MakeDir(const std::string& path) {
  if (mkdir(path.c_str(), 0700) != 0 && errno != EEXIST) return Errno("create directory", path);
  return absl::OkStatus();
}

absl::Status SyncDir(const std::string& path) {
  const int fd = open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return Errno("open directory", path);
  const int rc = fsync(fd);
  close(fd);
  if (rc != 0) return Errno("sync directory", path);
  return absl::OkStatus();
}

class FileMediaStore final : public MediaStore {
 public:
  explicit FileMediaStore(std::string root) : root_(std::move(root)) {}

  absl::StatusOr<std::string> Put(std::string_view bytes) override {
    std::string key = MediaKey(bytes);
    const std::string dir = Dir(key);
    const std::string path = Path(key);
    struct stat st;
    if (stat(path.c_str(), &st) == 0 && static_cast<uint64_t>(st.st_size) == bytes.size()) {
      return key;  // content-addressed: the same bytes are there already
    }
    if (absl::Status s = MakeDir(dir); !s.ok()) return s;
    std::string tmp = core::Cat(dir, "/.tmp-XXXXXX");
    const int fd = mkstemp(tmp.data());
    if (fd < 0) return Errno("create a temporary file in", dir);
    fchmod(fd, 0600);
    size_t done = 0;
    while (done < bytes.size()) {
      const ssize_t n = write(fd, bytes.data() + done, bytes.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        absl::Status s = Errno("write", tmp);
        close(fd);
        unlink(tmp.c_str());
        return s;
      }
      done += static_cast<size_t>(n);
    }
    if (fsync(fd) != 0) {
      absl::Status s = Errno("sync", tmp);
      close(fd);
      unlink(tmp.c_str());
      return s;
    }
    close(fd);
    if (rename(tmp.c_str(), path.c_str()) != 0) {
      absl::Status s = Errno("rename into", path);
      unlink(tmp.c_str());
      return s;
    }
    if (absl::Status s = SyncDir(dir); !s.ok()) return s;
    return key;
  }

  absl::StatusOr<std::string> Get(std::string_view key) override {
    if (absl::Status s = CheckKey(key); !s.ok()) return s;
    const std::string path = Path(key);
    const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      if (errno == ENOENT) return absl::NotFoundError("no stored media with this key");
      return Errno("open", path);
    }
    std::string out;
    char buf[1 << 16];
    for (;;) {
      const ssize_t n = read(fd, buf, sizeof buf);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        absl::Status s = Errno("read", path);
        close(fd);
        return s;
      }
      if (n == 0) break;
      out.append(buf, static_cast<size_t>(n));
    }
    close(fd);
    if (MediaKey(out) != key) {
      return absl::DataLossError(core::Cat("stored media ", path, " does not match its key"));
    }
    return out;
  }

  absl::Status Remove(std::string_view key) override {
    if (absl::Status s = CheckKey(key); !s.ok()) return s;
    const std::string path = Path(key);
    if (unlink(path.c_str()) != 0 && errno != ENOENT) return Errno("remove", path);
    return SyncDir(Dir(key));
  }

 private:
  std::string Dir(std::string_view key) const { return core::Cat(root_, "/", key.substr(0, 2)); }
  std::string Path(std::string_view key) const {
    return core::Cat(root_, "/", key.substr(0, 2), "/", key.substr(2));
  }

  const std::string root_;
};

}  // namespace

std::string MediaKey(std::string_view bytes) { return internal::ToHex(internal::Sha256(bytes)); }

std::unique_ptr<MediaStore> NewMemoryMediaStore() { return std::make_unique<MemoryMediaStore>(); }

absl::StatusOr<std::unique_ptr<MediaStore>> OpenFileMediaStore(std::string root) {
  while (root.size() > 1 && root.back() == '/') root.pop_back();
  if (root.empty()) return absl::InvalidArgumentError("the media directory must be named");
  if (absl::Status s = MakeDir(root); !s.ok()) return s;
  return std::make_unique<FileMediaStore>(std::move(root));
}

}  // namespace carepost::domain
