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

class S3Source final : public Source {
 public:
  //! `roots` are s3:// URLs; throws Error when one is malformed.
  S3Source(std::shared_ptr<const Client> client, const std::vector<std::string>& roots,
           std::string download_dir = {});
  void walk(const WalkVisitor& visitor) override;
  //! nullptr for paths this source did not produce (local roots mixed in) and for mirrored
  //! copies once downloaded: those are read by path.
  std::unique_ptr<ByteSource> open(const FileStat& file) override;

 private:
  std::shared_ptr<const Client> client_;
  std::vector<Location> roots_;
  std::string download_dir_;  //!< empty: ranged reads; set: mirror, then read the copy
};

}  // namespace dicometl::source::s3
