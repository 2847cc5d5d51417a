#include "dicometl/source/stat_ahead.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstring>

#include "dicometl/model/path_text.hpp"

namespace dicometl::source {

StatAhead::StatAhead(const std::string& root, unsigned threads, const ShardFilter& shard,
                     std::size_t max_ahead)
    : root_(root), catalog_root_(encode_path(root)), shard_(shard), max_ahead_(max_ahead) {
  folders_.push(root_);
  for (unsigned i = 0; i < threads; ++i) threads_.emplace_back([this] { run(); });
}

StatAhead::~StatAhead() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  work_.notify_all();
  room_.notify_all();
  for (auto& t : threads_) t.join();
}

bool StatAhead::done() {
  std::lock_guard lock(mu_);
  return folders_.empty() && busy_ == 0;
}

void StatAhead::run() {
  for (;;) {
    std::string dir;
    {
      std::unique_lock lock(mu_);
      work_.wait(lock, [&] { return stopping_ || !folders_.empty() || busy_ == 0; });
      if (stopping_ || folders_.empty()) return;  // empty and nobody busy: the tree is read
      dir = folders_.top();
      folders_.pop();
      ++busy_;
    }
    read_folder(dir);
    {
      std::lock_guard lock(mu_);
      --busy_;
    }
    work_.notify_all();
  }
}

// As the walk decides before its stat: under kFile a regular file by its name (folders and
// links are read, their files decided one by one), under kFolder a first-level entry by its name.
bool StatAhead::keeps(const std::string& path, bool top, unsigned char type) const {
  if (shard_.whole()) return true;
  const ShardUnit unit = shard_.unit == ShardUnit::kAuto ? ShardUnit::kFile : shard_.unit;
  if (unit == ShardUnit::kFolder ? !top : type != DT_REG) return true;
  return shard_.keeps(relative_to_root(encode_path(path), catalog_root_), unit);
}

void StatAhead::read_folder(const std::string& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  DIR* d = fd >= 0 ? ::fdopendir(fd) : nullptr;
  if (!d) {
    if (fd >= 0) ::close(fd);
    return;  // the walk reports it
  }
  const bool top = dir == root_;
  const std::string prefix = dir.back() == '/' ? dir : dir + "/";
  while (dirent* e = ::readdir(d)) {
    if (std::strcmp(e->d_name, ".") == 0 || std::strcmp(e->d_name, "..") == 0) continue;
    const std::string path = prefix + e->d_name;
    if (!keeps(path, top, e->d_type)) continue;
    {
      // Stay at most max_ahead_ entries ahead of the walk: what is read further ahead could be
      // pushed out of the caches again before the walk gets there, and the walk may stop early.
      std::unique_lock lock(mu_);
      while (!stopping_ && seen_.load() > walked_.load() + max_ahead_)
        room_.wait_for(lock, std::chrono::milliseconds(5));
      if (stopping_) break;
    }
    seen_.fetch_add(1, std::memory_order_relaxed);
    bool folder = e->d_type == DT_DIR;
    if (e->d_type != DT_DIR) {
      // Links are followed as the walk follows them; a folder behind one is not read ahead
      // (the walk reads each folder once, whatever name it is reached by).
      struct stat st {};
      folder = ::fstatat(::dirfd(d), e->d_name, &st, 0) == 0 && S_ISDIR(st.st_mode) &&
               e->d_type == DT_UNKNOWN;
    }
    if (folder) {
      {
        std::lock_guard lock(mu_);
        folders_.push(path);
      }
      work_.notify_one();
    }
  }
  ::closedir(d);
}

}  // namespace dicometl::source
