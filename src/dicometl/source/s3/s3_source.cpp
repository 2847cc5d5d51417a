#include "dicometl/source/s3/s3_source.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "dicometl/model/path_text.hpp"

namespace dicometl::source::s3 {

namespace {

// Splits "s3://bucket/key" (as the walk wrote it) back into its parts.
bool split_object_url(const std::string& url, std::string& bucket, std::string& key) {
  if (!is_s3_url(url)) return false;
  const auto slash = url.find('/', 5);
  if (slash == std::string::npos) return false;
  bucket = url.substr(5, slash - 5);
  key = url.substr(slash + 1);
  return true;
}

// A ByteSource that only reports why the object could not be had.
class Failed final : public ByteSource {
 public:
  explicit Failed(std::string reason) : reason_(std::move(reason)) {}
  bool read_prefix(std::size_t, std::string&, std::string& error) override {
    error = reason_;
    return false;
  }
  std::string local_path(std::string& error) override {
    error = reason_;
    return "";
  }

 private:
  std::string reason_;
};

// One object read with ranged GETs; every range after the first must come from the same
// version of the object (If-Match on the first answer's ETag).
class RangedObject final : public ByteSource {
 public:
  RangedObject(const Client& client, std::string bucket, std::string key, std::uint64_t size)
      : client_(client), bucket_(std::move(bucket)), key_(std::move(key)), size_(size) {}
  ~RangedObject() override {
    if (!temp_.empty()) ::unlink(temp_.c_str());
  }
  RangedObject(const RangedObject&) = delete;
  RangedObject& operator=(const RangedObject&) = delete;

  bool read_prefix(std::size_t want, std::string& buf, std::string& error) override {
    want = static_cast<std::size_t>(std::min<std::uint64_t>(want, size_));
    if (buf.size() >= want) return true;
    std::uint64_t total = 0;
    if (!client_.get_range(bucket_, key_, buf.size(), want - 1, etag_, buf, total, error))
      return false;
    if (total != size_) {
      error = "the object's size changed since it was listed; re-run to read it again";
      return false;
    }
    // The whole object is in hand (small objects: the first range covers them): keep it, so that
    // a DCMTK fallback writes it out instead of downloading it a second time.
    if (buf.size() == size_) whole_ = buf;
    return true;
  }

  std::string local_path(std::string& error) override {
    if (!temp_.empty()) return temp_;
    if (!whole_.empty() || size_ == 0) return write_temp(error);
    std::error_code ec;
    std::string pattern =
        (std::filesystem::temp_directory_path(ec) / "dicometl-s3-XXXXXX").string();
    const int fd = ::mkstemp(pattern.data());
    if (fd < 0) {
      error = "cannot create a temporary file for the download";
      return "";
    }
    std::FILE* f = ::fdopen(fd, "w+b");
    if (!f) {
      ::close(fd);
      ::unlink(pattern.c_str());
      error = "cannot create a temporary file for the download";
      return "";
    }
    const bool ok = client_.download(bucket_, key_, f, error);
    std::fclose(f);
    if (!ok) {
      ::unlink(pattern.c_str());
      return "";
    }
    temp_ = pattern;
    return temp_;
  }

 private:
  // The kept bytes as the temporary file local_path() hands out.
  std::string write_temp(std::string& error) {
    std::error_code ec;
    std::string pattern =
        (std::filesystem::temp_directory_path(ec) / "dicometl-s3-XXXXXX").string();
    const int fd = ::mkstemp(pattern.data());
    bool ok = fd >= 0;
    for (std::size_t done = 0; ok && done < whole_.size();) {
      const ssize_t n = ::write(fd, whole_.data() + done, whole_.size() - done);
      if (n < 0 && errno == EINTR) continue;
      ok = n > 0;
      done += ok ? static_cast<std::size_t>(n) : 0;
    }
    if (fd >= 0) ::close(fd);
    if (!ok) {
      if (fd >= 0) ::unlink(pattern.c_str());
      error = "cannot write a temporary file for the object";
      return "";
    }
    temp_ = pattern;
    return temp_;
  }

  const Client& client_;
  std::string bucket_, key_;
  std::uint64_t size_;
  std::string etag_;
  std::string whole_;  // the object's bytes when a range read covered all of it
  std::string temp_;   // owned: deleted with this object
};

// Downloads one object to `path` atomically (temp file + rename), with LastModified as mtime so
// that the walk's FileStat and the file on disk agree on re-runs.
bool mirror(const Client& client, const std::string& bucket, const std::string& key,
            const std::string& path, std::int64_t mtime_ns, std::string& error) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::create_directories(fs::path(path).parent_path(), ec);
  if (ec) {
    error = "cannot create the download folder: " + ec.message();
    return false;
  }
  std::string temp = path + ".part-XXXXXX";
  const int fd = ::mkstemp(temp.data());
  if (fd < 0) {
    error = "cannot create a file in the download folder";
    return false;
  }
  std::FILE* f = ::fdopen(fd, "w+b");
  if (!f) {
    ::close(fd);
    ::unlink(temp.c_str());
    error = "cannot create a file in the download folder";
    return false;
  }
  bool ok = client.download(bucket, key, f, error);
  if (ok) {
    ::fchmod(fd, 0644);
    const timespec times[2] = {{mtime_ns / 1000000000, mtime_ns % 1000000000},
                               {mtime_ns / 1000000000, mtime_ns % 1000000000}};
    ::futimens(fd, times);
  }
  std::fclose(f);
  if (ok && ::rename(temp.c_str(), path.c_str()) != 0) {
    error = "cannot move the download into place (a folder of the same name?)";
    ok = false;
  }
  if (!ok) ::unlink(temp.c_str());
  return ok;
}

}  // namespace

bool under_root(const std::string& key, const std::string& prefix) {
  if (key.compare(0, prefix.size(), prefix) != 0) return false;
  if (prefix.empty() || prefix.back() == '/' || key.size() == prefix.size()) return true;
  return key[prefix.size()] == '/';
}

std::string mirror_path(const std::string& dir, const std::string& bucket, const std::string& key,
                        std::string& reason) {
  std::size_t start = 0;
  while (true) {
    const auto slash = key.find('/', start);
    const std::string seg = key.substr(start, slash == std::string::npos ? slash : slash - start);
    if (seg.empty() || seg == "." || seg == ".." || seg.find('\0') != std::string::npos) {
      reason = "the object key cannot be mirrored as a local path (empty, '.' or '..' segment)";
      return "";
    }
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  return dir + "/" + bucket + "/" + key;
}

S3Source::S3Source(std::shared_ptr<const Client> client, const std::vector<std::string>& roots,
                   std::string download_dir, ShardFilter shard)
    : client_(std::move(client)), shard_(shard), download_dir_(std::move(download_dir)) {
  while (download_dir_.size() > 1 && download_dir_.back() == '/') download_dir_.pop_back();
  for (const auto& root : roots) {
    std::string error;
    auto loc = parse_s3_url(root, error);
    if (!loc) throw Error(root + ": " + error);
    // A root inside an earlier root of the same bucket would list its objects twice.
    bool covered = false;
    for (const auto& r : roots_)
      covered = covered || (r.bucket == loc->bucket && under_root(loc->prefix, r.prefix));
    if (!covered) roots_.push_back(*loc);
  }
}

bool S3Source::emit(const Location& root, const ObjectEntry& o, const WalkVisitor& visitor,
                    std::string& last_dir) {
  if (!under_root(o.key, root.prefix)) return true;
  // "folder/" markers (zero bytes, made by consoles) are not files.
  if (!o.key.empty() && o.key.back() == '/' && o.size == 0) return true;
  // Keys are UTF-8, but one may hold a literal `\xHH`: catalog text escapes it (path_text.hpp).
  FileStat f{encode_path(object_url(root.bucket, o.key)), o.size,
             change_key_ns(o.mtime_ns, o.etag)};
  if (!download_dir_.empty()) {
    std::string reason;
    const std::string local = mirror_path(download_dir_, root.bucket, o.key, reason);
    if (local.empty()) {
      if (visitor.problem) visitor.problem(f, reason);
      return true;
    }
    f.path = encode_path(local);
  }
  if (visitor.enter_dir) {
    const auto slash = f.path.rfind('/');
    std::string dir = f.path.substr(0, slash);
    if (dir != last_dir) visitor.enter_dir(dir);
    last_dir = std::move(dir);
  }
  return visitor.file(f);
}

bool S3Source::walk_shard(const Location& root, const WalkVisitor& visitor, std::string& last_dir) {
  auto flat = [&](ShardUnit unit) {
    bool go_on = true;
    client_->list(root.bucket, root.prefix, [&](const ObjectEntry& o) {
      if (!shard_.keeps(relative_to_root(o.key, root.prefix), unit)) return true;
      return go_on = emit(root, o, visitor, last_dir);
    });
    return go_on;
  };
  if (shard_.unit == ShardUnit::kFile) return flat(ShardUnit::kFile);

  // One level first (objects directly under the root, and its first-level prefixes), then only
  // this shard's prefixes in full: the archive is listed once in all, not once per shard.
  const std::string level =
      root.prefix.empty() || root.prefix.back() == '/' ? root.prefix : root.prefix + '/';
  std::vector<ObjectEntry> objects;
  std::vector<std::string> prefixes;
  client_->list_level(root.bucket, level, objects, prefixes);
  if (objects.empty() && prefixes.empty())
    return flat(ShardUnit::kFile);  // an object, not a folder
  if (shard_.unit == ShardUnit::kAuto &&
      prefixes.size() < kFolderSplitPerShard * shard_.shard.count)
    return flat(ShardUnit::kFile);  // too few folders to balance: object by object

  // Objects and prefixes merged back into key order, so the walk order stays S3's order.
  std::size_t oi = 0, pi = 0;
  while (oi < objects.size() || pi < prefixes.size()) {
    if (pi == prefixes.size() || (oi < objects.size() && objects[oi].key < prefixes[pi])) {
      const ObjectEntry& o = objects[oi++];
      if (shard_.keeps(relative_to_root(o.key, root.prefix), ShardUnit::kFolder) &&
          !emit(root, o, visitor, last_dir))
        return false;
      continue;
    }
    const std::string& p = prefixes[pi++];
    if (!shard_.keeps(std::string_view(p).substr(level.size()), ShardUnit::kFolder)) continue;
    bool go_on = true;
    client_->list(root.bucket, p,
                  [&](const ObjectEntry& o) { return go_on = emit(root, o, visitor, last_dir); });
    if (!go_on) return false;
  }
  return true;
}

void S3Source::walk(const WalkVisitor& visitor) {
  std::string last_dir;
  for (const Location& root : roots_) {
    if (!shard_.whole()) {
      if (!walk_shard(root, visitor, last_dir)) return;
      continue;
    }
    bool go_on = true;
    client_->list(root.bucket, root.prefix,
                  [&](const ObjectEntry& o) { return go_on = emit(root, o, visitor, last_dir); });
    if (!go_on) return;
  }
}

std::unique_ptr<ByteSource> S3Source::open(const FileStat& catalog_file) {
  FileStat file = catalog_file;
  file.path = decode_path(catalog_file.path);
  if (download_dir_.empty()) {
    std::string bucket, key;
    if (!split_object_url(file.path, bucket, key)) return nullptr;  // a local root's file
    return std::make_unique<RangedObject>(*client_, bucket, key, file.size);
  }
  // Mirror mode: the walk named the local copy dir/bucket/key.
  const std::string rel = file.path.substr(std::min(file.path.size(), download_dir_.size() + 1));
  const auto slash = rel.find('/');
  if (file.path.compare(0, download_dir_.size(), download_dir_) != 0 || slash == std::string::npos)
    return nullptr;  // a local root's file
  struct stat st {};
  const bool current = ::stat(file.path.c_str(), &st) == 0 &&
                       static_cast<std::uint64_t>(st.st_size) == file.size &&
                       st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec == file.mtime_ns;
  std::string error;
  if (!current && !mirror(*client_, rel.substr(0, slash), rel.substr(slash + 1), file.path,
                          file.mtime_ns, error))
    return std::make_unique<Failed>("download failed: " + error);
  return nullptr;  // read the local copy by path
}

}  // namespace dicometl::source::s3
