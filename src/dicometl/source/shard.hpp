#pragma once
// Splitting an archive between N independent workers (`--shard K/N`): every file belongs to
// exactly one shard, decided by a stable hash of its path relative to the root it was found
// under. The same archive mounted elsewhere splits the same way; adding files moves none of the
// files already there; growing N moves only the share the new shards take (jump consistent hash).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace dicometl::source {

//! One worker's part: shard `index` (0-based) of `count`. count 1 = the whole archive.
struct Shard {
  unsigned index = 0;
  unsigned count = 1;
  bool whole() const { return count <= 1; }
  //! Whether the key (a relative path, a first-level folder, a PatientID…) falls in this shard.
  bool owns(std::string_view key) const;
  std::string text() const { return std::to_string(index) + "/" + std::to_string(count); }
};

//! "K/N" with 0 <= K < N <= 65536; nullopt with a reason otherwise.
std::optional<Shard> parse_shard(std::string_view text, std::string& error);

//! 64-bit FNV-1a of the bytes, then the splitmix64 finaliser (so that every bit depends on
//! every byte). Stable across machines, builds and versions: it defines the partition.
std::uint64_t shard_hash(std::string_view key);

//! Lamping & Veach's jump consistent hash: the bucket in [0, count) of a 64-bit key.
unsigned jump_bucket(std::uint64_t key, unsigned count);

//! The shard in [0, count) of a key: jump_bucket(shard_hash(key), count).
unsigned shard_of(std::string_view key, unsigned count);

//! What unit of an archive goes to one shard as a whole.
enum class ShardUnit {
  kAuto,    //!< local roots: kFile; S3 roots: kFolder when the root has many prefixes (s3_source)
  kFile,    //!< each file, by its path relative to its root
  kFolder,  //!< each first-level entry under a root (a folder or S3 prefix with all it holds)
};

//! "auto" | "file" | "folder"; nullopt otherwise.
std::optional<ShardUnit> parse_shard_unit(std::string_view text);

//! A shard and its unit, as the walks apply them.
struct ShardFilter {
  Shard shard;
  ShardUnit unit = ShardUnit::kAuto;
  bool whole() const { return shard.whole(); }
  //! The key a path relative to its root is assigned by under `unit` (kAuto counts as kFile):
  //! the path itself, or its first component.
  static std::string_view key(std::string_view relative, ShardUnit unit);
  //! Whether this shard takes the file or folder at `relative` under `unit`.
  bool keeps(std::string_view relative, ShardUnit unit) const {
    return shard.whole() || shard.owns(key(relative, unit));
  }
};

//! The part of `path` below `root` as the walks write it (root + '/' + relative), or the last
//! component of `path` when `path` is the root itself (a file given directly).
std::string_view relative_to_root(std::string_view path, std::string_view root);

}  // namespace dicometl::source
