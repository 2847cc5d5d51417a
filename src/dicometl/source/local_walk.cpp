#include "dicometl/source/local_walk.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <set>
#include <utility>

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
  explicit Walker(const WalkVisitor& v) : v_(v) {}

  // A root given on the command line: a folder or a file. Returns false when asked to stop.
  bool visit_root(const std::string& path) { return visit(AT_FDCWD, path, path); }

 private:
  // `name` is resolved relative to the open folder `dir_fd` (fstatat/openat): the kernel then
  // walks one path component per file, not the whole path, which halves the cost of a re-run.
  bool visit(int dir_fd, const char* name, const std::string& path) {
    struct stat st {};
    if (::fstatat(dir_fd, name, &st, 0) != 0) {
      const int err = errno;
      struct stat lst {};
      const bool dangling = ::fstatat(dir_fd, name, &lst, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(lst.st_mode);
      report(FileStat{path, 0, 0},
             dangling ? "broken symbolic link" : std::string("cannot access: ") + std::strerror(err));
      return true;
    }
    if (S_ISDIR(st.st_mode)) return visit_dir(dir_fd, name, path, st);
    if (!S_ISREG(st.st_mode)) {
      // Never open FIFOs or devices: a read could block forever.
      report(to_file_stat(path, st), "not a regular file (FIFO, socket or device)");
      return true;
    }
    return v_.file ? v_.file(to_file_stat(path, st)) : true;
  }
  bool visit(int dir_fd, const std::string& name, const std::string& path) {
    return visit(dir_fd, name.c_str(), path);
  }

  bool visit_dir(int parent_fd, const char* name, const std::string& dir, const struct stat& st) {
    if (!visited_.insert(DirId{st.st_dev, st.st_ino}).second) return true;  // loop or seen
    const int fd = ::openat(parent_fd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    DIR* d = fd >= 0 ? ::fdopendir(fd) : nullptr;
    if (!d) {
      const int err = errno;
      if (fd >= 0) ::close(fd);
      report(to_file_stat(dir, st), std::string("cannot read folder: ") + std::strerror(err));
      return true;
    }
    std::vector<std::string> names;
    while (dirent* e = ::readdir(d)) {
      if (std::strcmp(e->d_name, ".") == 0 || std::strcmp(e->d_name, "..") == 0) continue;
      names.emplace_back(e->d_name);
    }
    std::sort(names.begin(), names.end());
    if (v_.enter_dir) v_.enter_dir(dir);
    bool go_on = true;
    for (const auto& n : names)
      if (!(go_on = visit(::dirfd(d), n, join(dir, n)))) break;
    ::closedir(d);  // closes fd
    return go_on;
  }

  void report(const FileStat& f, const std::string& reason) {
    if (v_.problem) v_.problem(f, reason);
  }

  const WalkVisitor& v_;
  std::set<DirId> visited_;  // folders only: grows with the number of folders, not of files
};

}  // namespace

void walk_local(const std::vector<std::string>& roots, const WalkVisitor& visitor) {
  Walker w(visitor);
  std::set<std::string> given;  // a root named twice is walked once (folders are deduplicated anyway)
  for (const auto& root : roots)
    if (given.insert(root).second && !w.visit_root(root)) return;
}

}  // namespace dicometl::source
