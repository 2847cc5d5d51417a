#include "dicometl/model/local_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace dicometl {

int open_for_header(const std::string& path, std::string& error) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) {
    error = std::string("cannot open: ") + std::strerror(errno);
    return -1;
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    error = "changed while reading: no longer a regular file";
    return -1;
  }
  // Read exactly what is asked: the header is a few KB at the front of a file of hundreds of KB.
  // Advice only: a file system that ignores it costs read-ahead, not correctness.
  (void)::posix_fadvise(fd, 0, 0, POSIX_FADV_RANDOM);
  return fd;
}

LocalFile::~LocalFile() {
  if (fd_ >= 0) ::close(fd_);
}

bool LocalFile::read_prefix(std::size_t want, std::string& buf, std::string& error) {
  if (fd_ < 0 && (fd_ = open_for_header(path_, error)) < 0) return false;
  std::size_t have = buf.size();
  if (have >= want) return true;
  buf.resize(want);
  while (have < want) {
    const ssize_t n = ::pread(fd_, buf.data() + have, want - have, static_cast<off_t>(have));
    if (n < 0) {
      if (errno == EINTR) continue;
      error = std::string("cannot read: ") + std::strerror(errno);
      buf.resize(have);
      return false;
    }
    if (n == 0) break;  // end of file
    have += static_cast<std::size_t>(n);
  }
  buf.resize(have);
  return true;
}

}  // namespace dicometl
