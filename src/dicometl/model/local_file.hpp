#pragma once
// A local file read for its header only: no read-ahead, only the bytes asked for. On cold storage
// the kernel's read-ahead would otherwise fetch tens to hundreds of KB of pixel data per file
// (docs/benchmarks.md, cold runs) to serve a header of a few KB.
#include <string>

#include "dicometl/model/byte_source.hpp"

namespace dicometl {

//! Opens `path` for header reads: read-only, non-blocking (a path replaced by a FIFO after the
//! walk must not block), a regular file, and read-ahead off (POSIX_FADV_RANDOM). Returns the
//! descriptor, or -1 with `error` set ("cannot open: …" / "changed while reading: …").
int open_for_header(const std::string& path, std::string& error);

//! A local file as a ByteSource: preads from a descriptor opened on first use. Reads end at end
//! of file (a file may be shorter than the walk saw); the caller compares with the size it expects.
class LocalFile final : public ByteSource {
 public:
  //! `path` must outlive this object (it is the caller's FileStat).
  explicit LocalFile(const std::string& path) : path_(path) {}
  ~LocalFile() override;
  LocalFile(const LocalFile&) = delete;
  LocalFile& operator=(const LocalFile&) = delete;

  bool read_prefix(std::size_t want, std::string& buf, std::string& error) override;
  std::string local_path(std::string&) override { return path_; }

 private:
  const std::string& path_;
  int fd_ = -1;
};

}  // namespace dicometl
