#include "dicometl/source/local_walk.hpp"

#include <dirent.h>
#include <sys/stat.h>

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

  // Returns false when the visitor asked to stop.
  bool visit_path(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
      struct stat lst {};
      const bool dangling = ::lstat(path.c_str(), &lst) == 0 && S_ISLNK(lst.st_mode);
      report(FileStat{path, 0, 0},
             dangling ? "broken symbolic link" : std::string("cannot access: ") + std::strerror(errno));
      return true;
    }
    if (S_ISDIR(st.st_mode)) return visit_dir(path, st);
    if (!S_ISREG(st.st_mode)) {
      // Never open FIFOs or devices: a read could block forever.
      report(to_file_stat(path, st), "not a regular file (FIFO, socket or device)");
      return true;
    }
    return v_.file ? v_.file(to_file_stat(path, st)) : true;
  }

 private:
  bool visit_dir(const std::string& dir, const struct stat& st) {
    if (!visited_.insert(DirId{st.st_dev, st.st_ino}).second) return true;  // loop or seen
    DIR* d = ::opendir(dir.c_str());
    if (!d) {
      report(to_file_stat(dir, st), std::string("cannot read folder: ") + std::strerror(errno));
      return true;
    }
    std::vector<std::string> names;
    errno = 0;
    while (dirent* e = ::readdir(d)) {
      if (std::strcmp(e->d_name, ".") == 0 || std::strcmp(e->d_name, "..") == 0) continue;
      names.emplace_back(e->d_name);
    }
    ::closedir(d);
    std::sort(names.begin(), names.end());
    if (v_.enter_dir) v_.enter_dir(dir);
    for (const auto& name : names)
      if (!visit_path(join(dir, name))) return false;
    return true;
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
  for (const auto& root : roots)
    if (!w.visit_path(root)) return;
}

}  // namespace dicometl::source
