#pragma once
// A Source lists the files of an archive and opens their bytes: local folders today, S3 prefixes
// through the same interface. The pipeline walks one Source and reads through it.
#include <memory>
#include <string>
#include <vector>

#include "dicometl/model/byte_source.hpp"
#include "dicometl/source/local_walk.hpp"

namespace dicometl::source {

class Source {
 public:
  virtual ~Source() = default;
  //! Visits every file in a deterministic order (re-runs and resumed runs depend on it).
  virtual void walk(const WalkVisitor& visitor) = 0;
  //! The bytes of one file the walk produced. Called from reader threads: must be thread-safe.
  //! nullptr means "a local file: read it by path".
  virtual std::unique_ptr<ByteSource> open(const FileStat& file) = 0;
};

//! Local folders and files, walked with walk_local() (one shard of them when `shard` says so).
class LocalSource final : public Source {
 public:
  explicit LocalSource(std::vector<std::string> roots, ShardFilter shard = {})
      : roots_(std::move(roots)), shard_(shard) {}
  void walk(const WalkVisitor& visitor) override { walk_local(roots_, visitor, shard_); }
  std::unique_ptr<ByteSource> open(const FileStat&) override { return nullptr; }

 private:
  std::vector<std::string> roots_;
  ShardFilter shard_;
};

}  // namespace dicometl::source
