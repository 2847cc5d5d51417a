#pragma once
// Walks local folders in a deterministic order (names sorted per folder), following symbolic
// links to folders once each, so loops end and a tree reached twice is read once.
#include <functional>
#include <string>
#include <vector>

#include "dicometl/model/instance.hpp"
#include "dicometl/source/shard.hpp"

namespace dicometl::source {

struct WalkVisitor {
  //! Called when the walk enters a folder, before any of its files.
  std::function<void(const std::string& dir)> enter_dir;
  //! Called for every regular file (links resolved). Return false to stop the walk.
  std::function<bool(const FileStat& file)> file;
  //! A path the walk could not use: unreadable folder, broken link, FIFO/device…
  std::function<void(const FileStat& file, const std::string& reason)> problem;
};

//! Walks every root (a folder or a single file) in the order given. With a shard, only the files
//! (and problems) of that shard are visited: a file's shard is decided from its name before it is
//! stat'ed, and under ShardUnit::kFolder other shards' first-level folders are not even read.
void walk_local(const std::vector<std::string>& roots, const WalkVisitor& visitor,
                const ShardFilter& shard = {});

}  // namespace dicometl::source
