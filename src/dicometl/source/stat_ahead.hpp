#pragma once
// Reads folders and stats files ahead of the walk, on a few threads, so that the walk (which
// must stay one ordered, single-threaded pass) finds them in the kernel's caches. On a cold disk
// or network storage each folder read and stat waits for the device; one thread waiting for each
// in turn was most of a cold run's time (docs/benchmarks.md). What it learns is thrown away: the
// walk does its own stats, so a stat that raced with a change is never trusted.
#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <queue>
#include <string>
#include <thread>
#include <vector>

#include "dicometl/source/shard.hpp"

namespace dicometl::source {

class StatAhead {
 public:
  //! Starts `threads` threads reading the tree under `root` (a folder's file system path) in
  //! walk order (paths sorted, depth first), at most `max_ahead` entries ahead of the walk.
  //! Files the shard does not keep are not stat'ed (under ShardUnit::kFolder, other shards'
  //! first-level folders are not read).
  StatAhead(const std::string& root, unsigned threads, const ShardFilter& shard,
            std::size_t max_ahead = 4096);
  ~StatAhead();  // stops and joins the threads
  StatAhead(const StatAhead&) = delete;
  StatAhead& operator=(const StatAhead&) = delete;

  //! The walk met one more entry (file or folder): lets the threads go one further.
  void walked() {
    if (walked_.fetch_add(1, std::memory_order_relaxed) % 64 == 0) room_.notify_all();
  }
  //! Entries read ahead so far, and whether the whole tree is read (for tests).
  std::uint64_t seen() const { return seen_.load(); }
  bool done();

 private:
  void run();
  void read_folder(const std::string& dir);
  bool keeps(const std::string& path, bool top, unsigned char type) const;

  const std::string root_, catalog_root_;  // file system path; as catalog text (shard keys)
  const ShardFilter shard_;
  const std::size_t max_ahead_;
  std::mutex mu_;
  std::condition_variable work_, room_;
  // Folders still to read, smallest path first: the walk's own order, so the threads stay just
  // ahead of where the walk is going.
  std::priority_queue<std::string, std::vector<std::string>, std::greater<>> folders_;
  unsigned busy_ = 0;  // threads reading a folder (which may add folders)
  bool stopping_ = false;
  std::atomic<std::uint64_t> walked_{0}, seen_{0};
  std::vector<std::thread> threads_;
};

}  // namespace dicometl::source
