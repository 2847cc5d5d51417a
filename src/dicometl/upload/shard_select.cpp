#include "dicometl/upload/shard_select.hpp"

#include <algorithm>

#include "dicometl/upload/records.hpp"

namespace dicometl::upload {

void keep_shard(std::vector<UploadItem>& items, const std::vector<std::string>& roots,
                const source::ShardFilter& shard) {
  if (shard.whole()) return;
  const source::ShardUnit unit = shard.unit == source::ShardUnit::kFolder
                                     ? source::ShardUnit::kFolder
                                     : source::ShardUnit::kFile;
  std::erase_if(items, [&](const UploadItem& it) {
    if (roots.empty()) return !shard.shard.owns(it.study_uid);
    // The first root holding the file, as the walk met it first.
    const auto root = std::find_if(roots.begin(), roots.end(),
                                   [&](const std::string& r) { return under_root(it.path, r); });
    if (root == roots.end()) return true;
    return !shard.keeps(source::relative_to_root(it.path, *root), unit);
  });
}

}  // namespace dicometl::upload
