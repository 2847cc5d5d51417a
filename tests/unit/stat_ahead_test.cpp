// Folders and stats read ahead of the local walk (source/stat_ahead.hpp, --io-depth): the walk
// visits the same files and problems in the same order with it as without it, the threads stay
// within their distance ahead of the walk, and a shard's threads stat only that shard's files.
#include "dicometl/source/stat_ahead.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <random>
#include <thread>

#include "dicometl/files/temp_dir.hpp"
#include "dicometl/source/local_walk.hpp"

namespace fs = std::filesystem;
using namespace dicometl::source;

namespace {

// A random tree of files in shared folders, removed afterwards.
class Tree {
 public:
  const fs::path& root() const { return dir_.path(); }
  void add(unsigned seed, int files) {
    std::mt19937 rng(seed);
    const char* dirs[] = {"P1", "P2", "study A", "ST.2", "s\xe9ries", "x"};  // one Latin-1 name
    for (int i = 0; i < files; ++i) {
      fs::path rel;
      for (int d = rng() % 4; d > 0; --d) rel /= dirs[rng() % 6];
      rel /= "f" + std::to_string(i) + ".dcm";
      fs::create_directories((root() / rel).parent_path());
      std::ofstream(root() / rel) << std::string(rng() % 50, 'x');
    }
  }

 private:
  dicometl::files::TempDir dir_{"dicometl-ahead-"};
};

// Every event of a walk, in order, with what the walk saw of each file.
std::vector<std::string> events(const fs::path& root, unsigned lookahead, ShardFilter shard = {}) {
  std::vector<std::string> out;
  WalkVisitor v;
  v.lookahead_threads = lookahead;
  v.enter_dir = [&](const std::string& d) { out.push_back("dir " + d); };
  v.file = [&](const dicometl::FileStat& f) {
    out.push_back("file " + f.path + " " + std::to_string(f.size) + " " +
                  std::to_string(f.mtime_ns));
    return true;
  };
  v.problem = [&](const dicometl::FileStat& f, const std::string& why) {
    out.push_back("problem " + f.path + " " + why);
  };
  walk_local({root.string()}, v, shard);
  return out;
}

void wait_done(StatAhead& a) {
  for (int i = 0; i < 2000 && !a.done(); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  ASSERT_TRUE(a.done());
}

}  // namespace

TEST(StatAhead, WalkIsTheSameWithAndWithoutIt) {
  Tree t;
  t.add(3, 300);
  ::symlink(".", (t.root() / "P1" / "loop").c_str());  // a link back up: read once
  ::symlink("/nonexistent/target", (t.root() / "broken").c_str());
  ::mkfifo((t.root() / "P2" / "fifo").c_str(), 0600);
  const auto plain = events(t.root(), 0);
  ASSERT_GT(plain.size(), 300u);
  for (unsigned n : {1u, 4u, 8u}) EXPECT_EQ(events(t.root(), n), plain) << n << " threads";
  for (unsigned k = 0; k < 3; ++k)
    for (ShardUnit unit : {ShardUnit::kFile, ShardUnit::kFolder})
      EXPECT_EQ(events(t.root(), 4, {{k, 3}, unit}), events(t.root(), 0, {{k, 3}, unit}));
}

TEST(StatAhead, StaysWithinItsDistanceAheadOfTheWalk) {
  Tree t;
  t.add(5, 600);
  StatAhead ahead(t.root().string(), 3, {}, 50);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_GE(ahead.seen(), 40u);          // it did start
  EXPECT_LE(ahead.seen(), 50u + 1 + 3);  // and waits for the walk (one past, per thread)
  EXPECT_FALSE(ahead.done());
  for (int i = 0; i < 2000; ++i) ahead.walked();
  wait_done(ahead);
  EXPECT_GT(ahead.seen(), 600u);  // every file and folder
}

TEST(StatAhead, AShardStatsOnlyItsOwnFiles) {
  Tree t;
  t.add(9, 400);
  std::size_t files = 0, folders = 0;
  for (const auto& e : fs::recursive_directory_iterator(t.root()))
    (e.is_directory() ? folders : files)++;
  auto seen = [&](ShardFilter f) {
    StatAhead a(t.root().string(), 2, f, 1u << 20);
    wait_done(a);
    return a.seen();
  };
  EXPECT_EQ(seen({}), files + folders);
  std::uint64_t sum = 0;
  for (unsigned k = 0; k < 4; ++k) sum += seen({{k, 4}, ShardUnit::kFile});
  EXPECT_EQ(sum, files + 4 * folders);  // each file by one shard, folders by all
  sum = 0;
  for (unsigned k = 0; k < 4; ++k) sum += seen({{k, 4}, ShardUnit::kFolder});
  EXPECT_EQ(sum, files + folders);  // each first-level entry, with all it holds, by one shard
}
