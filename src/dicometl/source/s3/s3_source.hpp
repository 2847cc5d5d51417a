#pragma once
// S3 prefixes as a Source: the walk lists objects (ListObjectsV2, in key order), and reader
// threads read each header with ranged GETs, so pixel data never crosses the network. With a
// download folder the objects are mirrored whole instead and the local copies are ingested.
#include <memory>
#include <string>
#include <vector>

#include "dicometl/source/s3/s3_client.hpp"
#include "dicometl/source/s3/s3_url.hpp"
#include "dicometl/source/source.hpp"

namespace dicometl::source::s3 {

//! Whether `key` under `prefix` belongs to the root: prefix "a/b" means the object "a/b" or
//! anything below the folder "a/b/", never "a/bc" (as a local path would).
bool under_root(const std::string& key, const std::string& prefix);

//! The local path of an object in a download folder (dir/bucket/key), or "" with `reason` when
//! the key cannot be a safe relative path (".." segments, empty segments, NUL).
std::string mirror_path(const std::string& dir, const std::string& bucket, const std::string& key,
                        std::string& reason);

//! Under ShardUnit::kAuto a root is split by first-level prefix (each shard then lists only its
//! own prefixes in full) when it has at least this many per shard; else object by object.
constexpr std::size_t kFolderSplitPerShard = 8;

class S3Source final : public Source {
 public:
  //! `roots` are s3:// URLs; throws Error when one is malformed. With `shard`, the walk yields
  //! that shard's objects only (keys relative to their root, as shard.hpp says).
  S3Source(std::shared_ptr<const Client> client, const std::vector<std::string>& roots,
           std::string download_dir = {}, ShardFilter shard = {});
  void walk(const WalkVisitor& visitor) override;
  //! nullptr for paths this source did not produce (local roots mixed in) and for mirrored
  //! copies once downloaded: those are read by path.
  std::unique_ptr<ByteSource> open(const FileStat& file) override;
  //! Every read is an HTTP round trip: kObjectStoreIoDepth GETs in flight unless told otherwise.
  unsigned suggested_io_depth(std::string& why) const override {
    why = "S3";
    return kObjectStoreIoDepth;
  }

 private:
  //! Hands one listed object to the visitor (mirror path, enter_dir); false to stop.
  bool emit(const Location& root, const ObjectEntry& o, const WalkVisitor& visitor,
            std::string& last_dir);
  //! One root, one shard of it; false when the visitor stopped the walk.
  bool walk_shard(const Location& root, const WalkVisitor& visitor, std::string& last_dir);

  std::shared_ptr<const Client> client_;
  std::vector<Location> roots_;
  ShardFilter shard_;
  std::string download_dir_;  //!< empty: ranged reads; set: mirror, then read the copy
};

}  // namespace dicometl::source::s3
