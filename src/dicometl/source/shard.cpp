#include "dicometl/source/shard.hpp"

#include <charconv>

namespace dicometl::source {

std::uint64_t shard_hash(std::string_view key) {
  std::uint64_t h = 14695981039346656037ULL;
  for (unsigned char c : key) h = (h ^ c) * 1099511628211ULL;
  h ^= h >> 30;
  h *= 0xbf58476d1ce4e5b9ULL;
  h ^= h >> 27;
  h *= 0x94d049bb133111ebULL;
  h ^= h >> 31;
  return h;
}

unsigned jump_bucket(std::uint64_t key, unsigned count) {
  // "A Fast, Minimal Memory, Consistent Hash Algorithm" (2014), verbatim.
  std::int64_t b = -1, j = 0;
  while (j < static_cast<std::int64_t>(count)) {
    b = j;
    key = key * 2862933555777941757ULL + 1;
    j = static_cast<std::int64_t>(
        static_cast<double>(b + 1) *
        (static_cast<double>(1LL << 31) / static_cast<double>((key >> 33) + 1)));
  }
  return static_cast<unsigned>(b < 0 ? 0 : b);
}

unsigned shard_of(std::string_view key, unsigned count) {
  return count <= 1 ? 0 : jump_bucket(shard_hash(key), count);
}

bool Shard::owns(std::string_view key) const { return whole() || shard_of(key, count) == index; }

std::optional<Shard> parse_shard(std::string_view text, std::string& error) {
  const auto slash = text.find('/');
  unsigned k = 0, n = 0;
  auto number = [](std::string_view s, unsigned& out) {
    const auto r = std::from_chars(s.data(), s.data() + s.size(), out);
    return !s.empty() && r.ec == std::errc() && r.ptr == s.data() + s.size();
  };
  if (slash == std::string_view::npos || !number(text.substr(0, slash), k) ||
      !number(text.substr(slash + 1), n)) {
    error = "expected K/N (shard K of N, counted from 0), e.g. 0/4";
    return std::nullopt;
  }
  if (n < 1 || n > 65536 || k >= n) {
    error = "K/N needs 0 <= K < N <= 65536";
    return std::nullopt;
  }
  return Shard{k, n};
}

std::optional<ShardUnit> parse_shard_unit(std::string_view text) {
  if (text == "auto") return ShardUnit::kAuto;
  if (text == "file") return ShardUnit::kFile;
  if (text == "folder") return ShardUnit::kFolder;
  return std::nullopt;
}

std::string_view ShardFilter::key(std::string_view relative, ShardUnit unit) {
  if (unit != ShardUnit::kFolder) return relative;
  return relative.substr(0, relative.find('/'));
}

std::string_view relative_to_root(std::string_view path, std::string_view root) {
  if (root.empty()) return path;  // an S3 root that is a whole bucket
  if (path.size() > root.size() && path.compare(0, root.size(), root) == 0) {
    if (!root.empty() && root.back() == '/') return path.substr(root.size());
    if (path[root.size()] == '/') return path.substr(root.size() + 1);
  }
  while (path.size() > 1 && path.back() == '/') path.remove_suffix(1);
  const auto slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

}  // namespace dicometl::source
