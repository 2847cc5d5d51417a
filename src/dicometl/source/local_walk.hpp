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
  //! Local folders: threads that read folders and stat files ahead of the walk (0 = none).
  //! On cold or network storage the walk's own stats, one at a time, wait for the device.
  unsigned lookahead_threads = 0;
};

//! A local root as the walk reads it: absolute (relative roots start at the current folder, $PWD
//! when it names it), with `//`, `.` and trailing slashes removed, so every spelling of a folder
//! gives the same catalog paths. Symbolic links are kept as named, except before a `..`, which
//! only the file system can resolve (such a root is replaced by its realpath()).
std::string normalise_root(const std::string& root);
//! normalise_root() as catalog text (model/path_text.hpp): what file paths under it start with.
std::string catalog_root(const std::string& root);

//! Walks every root (a folder or a single file) in the order given, each normalised
//! (normalise_root); file paths are catalog text (model/path_text.hpp), read with decode_path().
//! With a shard, only the files (and problems) of that shard are visited: a file's shard is decided
//! from its name before it is stat'ed, and under ShardUnit::kFolder other shards' first-level
//! folders are not even read.
void walk_local(const std::vector<std::string>& roots, const WalkVisitor& visitor,
                const ShardFilter& shard = {});

}  // namespace dicometl::source
