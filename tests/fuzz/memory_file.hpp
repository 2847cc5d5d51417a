#pragma once
// A fuzz input as a file: prefix reads come from memory and end at its real end; DCMTK's fallback
// path gets a temporary file with the same bytes (deleted with the object). Shared by the targets.
#include <unistd.h>

#include <algorithm>
#include <string>

#include "dicometl/model/byte_source.hpp"

class MemoryFile final : public dicometl::ByteSource {
 public:
  explicit MemoryFile(std::string bytes) : bytes_(std::move(bytes)) {}
  ~MemoryFile() override {
    if (!path_.empty()) ::unlink(path_.c_str());
  }
  MemoryFile(const MemoryFile&) = delete;
  MemoryFile& operator=(const MemoryFile&) = delete;

  bool read_prefix(std::size_t want, std::string& buf, std::string&) override {
    buf.assign(bytes_.substr(0, std::min(want, bytes_.size())));
    return true;
  }
  std::string local_path(std::string& error) override {
    if (!path_.empty()) return path_;
    char name[] = "/tmp/dicometl-fuzz-XXXXXX";
    const int fd = ::mkstemp(name);
    if (fd < 0) {
      error = "mkstemp failed";
      return {};
    }
    const bool ok = ::write(fd, bytes_.data(), bytes_.size()) == static_cast<ssize_t>(bytes_.size());
    ::close(fd);
    path_ = name;
    if (!ok) error = "write failed";
    return ok ? path_ : std::string();
  }

 private:
  std::string bytes_;
  std::string path_;
};
