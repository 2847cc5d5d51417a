#pragma once
// A Source lists the files of an archive and opens their bytes: local folders today, S3 prefixes
// through the same interface. The pipeline walks one Source and reads through it.
#include <memory>
#include <string>
#include <vector>

#include "dicometl/model/byte_source.hpp"
#include "dicometl/source/local_walk.hpp"

namespace dicometl::source {

//! Reads in flight chosen for a network file system, and for S3, when --io-depth is not given:
//! what the cold-disk benchmark needed to hide its waits (docs/benchmarks.md), with room for
//! round trips of milliseconds.
constexpr unsigned kNetworkIoDepth = 16;
constexpr unsigned kObjectStoreIoDepth = 32;
//! Threads reading folders and stats ahead of a local walk: half the reads in flight, at most
//! this many (on a cold local disk 4 took the walk from 1.2 s to 0.3 s and 8 did no better;
//! bench/walk_bench.cpp, docs/benchmarks.md).
constexpr unsigned kMaxLookaheadThreads = 8;

class Source {
 public:
  virtual ~Source() = default;
  //! Visits every file in a deterministic order (re-runs and resumed runs depend on it).
  virtual void walk(const WalkVisitor& visitor) = 0;
  //! The bytes of one file the walk produced. Called from reader threads: must be thread-safe.
  //! nullptr means "a local file: read it by path".
  virtual std::unique_ptr<ByteSource> open(const FileStat& file) = 0;
  //! The catalog paths of the roots a whole walk covers (files deleted since the last run are
  //! looked for under them); empty when the source cannot say (S3).
  virtual std::vector<std::string> catalog_roots() const { return {}; }
  //! Whether a whole walk would have visited `path` (catalog text): under a root of
  //! catalog_roots() and, with a shard, in this shard.
  virtual bool covers(const std::string& /*path*/) const { return false; }
  //! Reads in flight that suit this storage when the user did not say (--io-depth): a network
  //! file system or an object store answers each request after a round trip, so many must be in
  //! flight for a few parsing threads; a local disk needs none. `why` names what was found.
  virtual unsigned suggested_io_depth(std::string& /*why*/) const { return 0; }
};

//! Local folders and files, walked with walk_local() (one shard of them when `shard` says so).
class LocalSource final : public Source {
 public:
  explicit LocalSource(std::vector<std::string> roots, ShardFilter shard = {})
      : roots_(std::move(roots)), shard_(shard) {
    for (const auto& r : roots_) catalog_roots_.push_back(catalog_root(r));
  }
  void walk(const WalkVisitor& visitor) override { walk_local(roots_, visitor, shard_); }
  std::unique_ptr<ByteSource> open(const FileStat&) override { return nullptr; }
  std::vector<std::string> catalog_roots() const override { return catalog_roots_; }
  bool covers(const std::string& path) const override;
  //! kNetworkIoDepth when a root is on a network file system (NFS, SMB/CIFS, FUSE, Ceph, …).
  unsigned suggested_io_depth(std::string& why) const override;

 private:
  std::vector<std::string> roots_, catalog_roots_;
  ShardFilter shard_;
};

}  // namespace dicometl::source
