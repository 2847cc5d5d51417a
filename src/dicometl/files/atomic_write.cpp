#include "dicometl/files/atomic_write.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <sstream>
#include <stdexcept>

namespace dicometl::files {

namespace {

mode_t mode_for(const std::filesystem::path& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode)) return st.st_mode & 07777;
  // umask can only be read by setting it; set it straight back.
  const mode_t mask = ::umask(022);
  ::umask(mask);
  return 0666 & ~mask;
}

}  // namespace

AtomicFile::AtomicFile(std::filesystem::path target) : target_(std::move(target)) {
  struct stat st {};
  if (::stat(target_.c_str(), &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) {
    direct_ = true;
    file_ = std::fopen(target_.c_str(), "wb");
    if (!file_) fail("open", errno);
    return;
  }
  const std::filesystem::path dir = target_.has_parent_path() ? target_.parent_path() : ".";
  temp_ = (dir / ("." + target_.filename().string() + ".XXXXXX")).string();
  const int fd = ::mkstemp(temp_.data());
  if (fd < 0) {
    const int err = errno;
    temp_.clear();
    fail("cannot create a temporary file beside it", err);
  }
  file_ = ::fdopen(fd, "wb");
  if (!file_) {
    const int err = errno;
    ::close(fd);
    fail("fdopen", err);
  }
}

AtomicFile::AtomicFile(AtomicFile&& other) noexcept
    : target_(std::move(other.target_)),
      temp_(std::move(other.temp_)),
      file_(other.file_),
      direct_(other.direct_) {
  other.file_ = nullptr;
  other.temp_.clear();
}

AtomicFile::~AtomicFile() {
  if (file_) std::fclose(file_);
  if (!temp_.empty()) ::unlink(temp_.c_str());
}

void AtomicFile::fail(const char* what, int err) {
  if (file_) std::fclose(file_);
  file_ = nullptr;
  if (!temp_.empty()) ::unlink(temp_.c_str());
  temp_.clear();
  throw std::runtime_error("cannot write " + target_.string() + ": " + what + ": " +
                           std::strerror(err));
}

void AtomicFile::write(std::string_view bytes) {
  if (!file_) throw std::runtime_error("cannot write " + target_.string() + ": already closed");
  if (std::fwrite(bytes.data(), 1, bytes.size(), file_) != bytes.size()) fail("write", errno);
}

void AtomicFile::commit() {
  if (!file_) throw std::runtime_error("cannot write " + target_.string() + ": already closed");
  if (std::fflush(file_) != 0) fail("write", errno);
  if (direct_) {
    const int closed = std::fclose(file_);
    file_ = nullptr;
    if (closed != 0) fail("close", errno);
    return;
  }
  if (::fchmod(::fileno(file_), mode_for(target_)) != 0) fail("chmod", errno);
  const int closed = std::fclose(file_);
  file_ = nullptr;
  if (closed != 0) fail("close", errno);
  if (::rename(temp_.c_str(), target_.c_str()) != 0) fail("rename", errno);
  temp_.clear();
}

void write_atomically(const std::filesystem::path& path, std::string_view bytes) {
  AtomicFile f(path);
  f.write(bytes);
  f.commit();
}

void write_atomically(const std::filesystem::path& path,
                      const std::function<void(std::ostream&)>& fill) {
  std::ostringstream s;
  fill(s);
  write_atomically(path, s.view());
}

}  // namespace dicometl::files
