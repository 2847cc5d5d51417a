#pragma once
// `upload --shard K/N`: which of the catalog's instances one shard sends.
#include <string>
#include <vector>

#include "dicometl/source/shard.hpp"
#include "dicometl/upload/item.hpp"

namespace dicometl::upload {

//! Keeps the items of `shard`. With roots (the folders this run ingested and sends), an item
//! belongs where its file does: the rule the walk applied (path under its root), so a shard sends
//! what it read. Without roots (the whole catalog), a shard is a set of studies, so a study's
//! series are checked on the server (QIDO-RS) and sent by one process.
void keep_shard(std::vector<UploadItem>& items, const std::vector<std::string>& roots,
                const source::ShardFilter& shard);

}  // namespace dicometl::upload
