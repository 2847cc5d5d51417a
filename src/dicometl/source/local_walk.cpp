#include "dicometl/source/local_walk.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>
#include <set>
#include <utility>

#include "dicometl/model/path_text.hpp"
#include "dicometl/source/stat_ahead.hpp"

namespace dicometl::source {

namespace {

struct DirId {
  dev_t dev;
  ino_t ino;
  bool operator<(const DirId& o) const { return dev != o.dev ? dev < o.dev : ino < o.ino; }
};

std::int64_t mtime_ns(const struct stat& st) {
  return static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
}

FileStat to_file_stat(const std::string& path, const struct stat& st) {
  return FileStat{path, static_cast<std::uint64_t>(st.st_size), mtime_ns(st)};
}

std::string join(const std::string& dir, const std::string& name) {
  if (!dir.empty() && dir.back() == '/') return dir + name;
  return dir + "/" + name;
}

class Walker {
 public:
  Walker(const WalkVisitor& v, const ShardFilter& shard) : v_(v), shard_(shard) {
    if (shard_.unit == ShardUnit::kAuto) shard_.unit = ShardUnit::kFile;
  }

  // A root given on the command line (a folder or a file), normalised: read by its file system
  // name, recorded by its catalog name. Returns false when asked to stop.
  bool visit_root(const std::string& normalised) {
    root_ = encode_path(normalised);
    std::unique_ptr<StatAhead> ahead;
    struct stat st {};
    if (v_.lookahead_threads && ::stat(normalised.c_str(), &st) == 0 && S_ISDIR(st.st_mode))
      ahead = std::make_unique<StatAhead>(normalised, v_.lookahead_threads, shard_);
    ahead_ = ahead.get();
    const bool go_on = visit(AT_FDCWD, normalised.c_str(), root_, false);
    ahead_ = nullptr;
    return go_on;
  }

 private:
  // `name` is resolved relative to the open folder `dir_fd` (fstatat/openat): the kernel then
  // walks one path component per file, not the whole path, which halves the cost of a re-run.
  // `kept`: the shard was already checked (a regular file known from its folder entry).
  bool visit(int dir_fd, const char* name, const std::string& path, bool kept) {
    if (ahead_) ahead_->walked();
    struct stat st {};
    if (::fstatat(dir_fd, name, &st, 0) != 0) {
      if (!kept && !keeps(path)) return true;
      const int err = errno;
      struct stat lst {};
      const bool dangling =
          ::fstatat(dir_fd, name, &lst, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(lst.st_mode);
      report(FileStat{path, 0, 0}, dangling ? "broken symbolic link"
                                            : std::string("cannot access: ") + std::strerror(err));
      return true;
    }
    if (S_ISDIR(st.st_mode)) return visit_dir(dir_fd, name, path, st, kept);
    if (!kept && !keeps(path)) return true;
    if (!S_ISREG(st.st_mode)) {
      // Never open FIFOs or devices: a read could block forever.
      report(to_file_stat(path, st), "not a regular file (FIFO, socket or device)");
      return true;
    }
    return v_.file ? v_.file(to_file_stat(path, st)) : true;
  }

  // Whether this shard takes `path` (a file, or a folder it cannot read).
  bool keeps(const std::string& path) const {
    return shard_.whole() || shard_.keeps(relative_to_root(path, root_), shard_.unit);
  }

  bool visit_dir(int parent_fd, const char* name, const std::string& dir, const struct stat& st,
                 bool kept) {
    if (!visited_.insert(DirId{st.st_dev, st.st_ino}).second) return true;  // loop or seen
    const int fd = ::openat(parent_fd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    DIR* d = fd >= 0 ? ::fdopendir(fd) : nullptr;
    if (!d) {
      const int err = errno;
      if (fd >= 0) ::close(fd);
      if (kept || keeps(dir))  // one shard reports it
        report(to_file_stat(dir, st), std::string("cannot read folder: ") + std::strerror(err));
      return true;
    }
    const bool top = dir == root_;
    std::vector<std::pair<std::string, unsigned char>> names;  // name, d_type
    while (dirent* e = ::readdir(d)) {
      if (std::strcmp(e->d_name, ".") == 0 || std::strcmp(e->d_name, "..") == 0) continue;
      // A shard skips other shards' files from their names alone (no stat: on network storage
      // the stat is the cost), and under kFolder other shards' first-level folders unread.
      if (!shard_.whole() &&
          ((top && shard_.unit == ShardUnit::kFolder) ||
           (shard_.unit == ShardUnit::kFile && e->d_type == DT_REG)) &&
          !keeps(join(dir, e->d_name)))
        continue;
      names.emplace_back(e->d_name, e->d_type);
    }
    std::sort(names.begin(), names.end());
    if (v_.enter_dir) v_.enter_dir(dir);
    bool go_on = true;
    for (const auto& [n, type] : names) {
      const bool kept = shard_.whole() || shard_.unit == ShardUnit::kFolder || type == DT_REG;
      if (!(go_on = visit(::dirfd(d), n.c_str(), join(dir, encode_path(n)), kept))) break;
    }
    ::closedir(d);  // closes fd
    return go_on;
  }

  void report(const FileStat& f, const std::string& reason) {
    if (v_.problem) v_.problem(f, reason);
  }

  const WalkVisitor& v_;
  ShardFilter shard_;
  std::string root_;            // the root being walked: shard keys are paths relative to it
  std::set<DirId> visited_;     // folders only: grows with the number of folders, not of files
  StatAhead* ahead_ = nullptr;  // the current root's, when the visitor asks for one
};

// The current folder as the user named it: $PWD when it is this folder (a shell keeps the
// symbolic links the user went through), else the kernel's answer.
std::string current_dir() {
  struct stat dot {
  }, pwd{};
  const char* env = std::getenv("PWD");
  if (env && env[0] == '/' && ::stat(".", &dot) == 0 && ::stat(env, &pwd) == 0 &&
      dot.st_dev == pwd.st_dev && dot.st_ino == pwd.st_ino)
    return env;
  char buf[PATH_MAX];
  return ::getcwd(buf, sizeof buf) ? std::string(buf) : std::string();
}

}  // namespace

std::string normalise_root(const std::string& root) {
  if (root.empty()) return root;
  const std::string absolute = root[0] == '/' ? root : current_dir() + "/" + root;
  std::string out;
  bool dotdot = false;
  for (std::size_t at = 0; at <= absolute.size();) {
    std::size_t end = absolute.find('/', at);
    if (end == std::string::npos) end = absolute.size();
    const std::string_view part(absolute.data() + at, end - at);
    at = end + 1;
    if (part.empty() || part == ".") continue;
    dotdot = dotdot || part == "..";
    out += '/';
    out += part;
  }
  if (out.empty()) return "/";
  // `..` after a symbolic link means the link target's parent, which only the kernel knows.
  if (dotdot) {
    if (char* real = ::realpath(out.c_str(), nullptr)) {
      out = real;
      std::free(real);
    }
  }
  return out;
}

std::string catalog_root(const std::string& root) { return encode_path(normalise_root(root)); }

void walk_local(const std::vector<std::string>& roots, const WalkVisitor& visitor,
                const ShardFilter& shard) {
  Walker w(visitor, shard);
  // A root named twice is walked once (folders are deduplicated anyway).
  std::set<std::string> given;
  for (const auto& root : roots) {
    const std::string normalised = normalise_root(root);
    if (given.insert(normalised).second && !w.visit_root(normalised)) return;
  }
}

}  // namespace dicometl::source
