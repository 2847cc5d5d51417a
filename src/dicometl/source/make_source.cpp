#include "dicometl/source/make_source.hpp"

#include <linux/magic.h>
#include <sys/vfs.h>

#include <cstdlib>

#include "dicometl/source/s3/s3_source.hpp"

namespace dicometl::source {

namespace {

// Roots of several kinds, walked one group after the other; open() goes to the group that
// produced the path (S3 paths start with s3://, mirrored copies live under the download folder).
class MixedSource final : public Source {
 public:
  void add(std::shared_ptr<Source> s, bool s3) { parts_.push_back({std::move(s), s3}); }
  void walk(const WalkVisitor& visitor) override {
    bool go_on = true;
    WalkVisitor v = visitor;
    v.file = [&](const FileStat& f) { return go_on = visitor.file(f); };
    for (auto& p : parts_) {
      p.source->walk(v);
      if (!go_on) return;
    }
  }
  std::unique_ptr<ByteSource> open(const FileStat& file) override {
    // Local parts read by path (nullptr). S3 parts share one client and settings, so the first
    // one opens any S3 path, and answers nullptr for the local ones.
    for (auto& p : parts_)
      if (p.s3) return p.source->open(file);
    return nullptr;
  }
  std::vector<std::string> catalog_roots() const override {
    std::vector<std::string> out;
    for (const auto& p : parts_)
      for (auto& r : p.source->catalog_roots()) out.push_back(std::move(r));
    return out;
  }
  bool covers(const std::string& path) const override {
    for (const auto& p : parts_)
      if (p.source->covers(path)) return true;
    return false;
  }
  unsigned suggested_io_depth(std::string& why) const override {
    unsigned most = 0;
    for (const auto& p : parts_) {
      std::string w;
      if (const unsigned d = p.source->suggested_io_depth(w); d > most) most = d, why = w;
    }
    return most;
  }
  struct Part {
    std::shared_ptr<Source> source;
    bool s3;
  };
  std::vector<Part> parts_;
};

int env_int(const char* name, int fallback) {
  const char* v = std::getenv(name);
  if (!v || !*v) return fallback;
  char* end = nullptr;
  const long n = std::strtol(v, &end, 10);
  return *end == '\0' && n > 0 && n < 1000000 ? static_cast<int>(n) : fallback;
}

// statfs(2) f_type values of file systems whose every request is a network round trip: the
// kernel's own names (linux/magic.h; FUSE covers sshfs, s3fs, gcsfuse, …), and those of
// cluster file systems that header does not list (their own headers' values).
const char* network_fs_name(long type) {
  constexpr unsigned long kLustre = 0x0BD00BD0, kGfs2 = 0x01161970, kGpfs = 0x47504653,
                          kBeeGfs = 0x13661366;
  switch (static_cast<unsigned long>(type)) {
    case NFS_SUPER_MAGIC: return "NFS";
    case SMB_SUPER_MAGIC: return "SMB";
    case CIFS_SUPER_MAGIC: return "CIFS";
    case SMB2_SUPER_MAGIC: return "SMB2";
    case FUSE_SUPER_MAGIC: return "FUSE";
    case CEPH_SUPER_MAGIC: return "Ceph";
    case V9FS_MAGIC: return "9P";
    case AFS_SUPER_MAGIC: return "AFS";
    case kLustre: return "Lustre";
    case kGfs2: return "GFS2";
    case kGpfs: return "GPFS";
    case kBeeGfs: return "BeeGFS";
    default: return nullptr;
  }
}

}  // namespace

bool LocalSource::covers(const std::string& path) const {
  // The first root holding the path, as the walk met it first (its shard key is relative to it).
  for (const auto& r : catalog_roots_) {
    const bool under = path == r || (path.size() > r.size() && path.compare(0, r.size(), r) == 0 &&
                                     (r == "/" || path[r.size()] == '/'));
    if (!under) continue;
    if (shard_.whole()) return true;
    const ShardUnit unit =
        shard_.unit == ShardUnit::kFolder ? ShardUnit::kFolder : ShardUnit::kFile;
    return shard_.keeps(relative_to_root(path, r), unit);
  }
  return false;
}

unsigned LocalSource::suggested_io_depth(std::string& why) const {
  for (const auto& r : roots_) {
    struct statfs fs {};
    if (::statfs(r.c_str(), &fs) != 0) continue;  // the walk reports a root it cannot read
    if (const char* name = network_fs_name(static_cast<long>(fs.f_type))) {
      why = std::string(name) + " file system";
      return kNetworkIoDepth;
    }
  }
  return 0;
}

bool has_s3_root(const std::vector<std::string>& roots) {
  for (const auto& r : roots)
    if (s3::is_s3_url(r)) return true;
  return false;
}

std::shared_ptr<Source> make_source(const std::vector<std::string>& roots, const s3::Options& s3,
                                    const ShardFilter& shard) {
  if (!has_s3_root(roots)) return std::make_shared<LocalSource>(roots, shard);
  s3::Options o = s3;
  o.page_size = env_int("DICOMETL_S3_PAGE_SIZE", o.page_size);
  o.max_attempts = env_int("DICOMETL_S3_MAX_ATTEMPTS", o.max_attempts);
  auto client = std::make_shared<const s3::Client>(s3::resolve_config(o));

  // Group consecutive roots of one kind, keeping the user's order.
  std::vector<std::pair<bool, std::vector<std::string>>> groups;
  for (const auto& r : roots) {
    const bool is_s3 = s3::is_s3_url(r);
    if (groups.empty() || groups.back().first != is_s3) groups.push_back({is_s3, {}});
    groups.back().second.push_back(r);
  }
  if (groups.size() == 1)
    return std::make_shared<s3::S3Source>(client, groups[0].second, o.download_dir, shard);
  auto mixed = std::make_shared<MixedSource>();
  for (auto& [is_s3, list] : groups) {
    if (is_s3)
      mixed->add(std::make_shared<s3::S3Source>(client, list, o.download_dir, shard), true);
    else
      mixed->add(std::make_shared<LocalSource>(list, shard), false);
  }
  return mixed;
}

}  // namespace dicometl::source
