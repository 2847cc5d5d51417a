// --shard K/N: the partition of an archive's files (source/shard.hpp, the local walk).
// Properties over random trees on disk: for N in 1..16 the shards are disjoint and cover every
// file; adding files moves no file already there; the same tree under another root splits alike.
#include "dicometl/source/shard.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <set>

#include "dicometl/files/temp_dir.hpp"
#include "dicometl/source/local_walk.hpp"
#include "dicometl/source/s3/list_xml.hpp"
#include "dicometl/upload/shard_select.hpp"

namespace fs = std::filesystem;
using namespace dicometl::source;

namespace {

// A private folder per tree, removed afterwards.
struct TempDir : dicometl::files::TempDir {
  TempDir() : dicometl::files::TempDir("dicometl-shard-") {}
};

// Adds `files` random files (random depth 0-3, folder names from a small alphabet so folders
// are shared) under `root`; returns their paths relative to it.
std::vector<std::string> add_random_files(const fs::path& root, std::mt19937& rng, int files) {
  std::vector<std::string> out;
  std::uniform_int_distribution<int> depth(0, 3), pick(0, 5), len(1, 12);
  const char* dirs[] = {"P1", "P2", "study A", "ST.2", "séries", "x"};
  for (int i = 0; i < files; ++i) {
    fs::path rel;
    for (int d = depth(rng); d > 0; --d) rel /= dirs[pick(rng)];
    std::string name;
    for (int c = len(rng); c > 0; --c) name += static_cast<char>('a' + rng() % 26);
    rel /= name + ".dcm";
    if (fs::exists(root / rel)) continue;                // drawn twice
    fs::create_directories((root / rel).parent_path());  // folder names never end in .dcm
    std::ofstream(root / rel) << "x";
    out.push_back(rel.generic_string());
  }
  return out;
}

// The files one shard's walk visits, relative to `root` (problems count as visits too).
std::set<std::string> walk_shard(const fs::path& root, ShardFilter f) {
  std::set<std::string> seen;
  WalkVisitor v;
  const std::string r = root.string();
  v.file = [&](const dicometl::FileStat& s) {
    EXPECT_TRUE(seen.insert(std::string(relative_to_root(s.path, r))).second) << s.path;
    return true;
  };
  v.problem = [&](const dicometl::FileStat& s, const std::string&) {
    seen.insert("problem:" + std::string(relative_to_root(s.path, r)));
  };
  walk_local({r}, v, f);
  return seen;
}

std::set<std::string> walk_all(const fs::path& root) { return walk_shard(root, {}); }

}  // namespace

TEST(Shard, ParsesKOfN) {
  std::string error;
  auto s = parse_shard("2/8", error);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->index, 2u);
  EXPECT_EQ(s->count, 8u);
  EXPECT_TRUE(parse_shard("0/1", error));
  for (const char* bad : {"8/8", "1/0", "", "3", "a/b", "-1/4", "1/4x", "1 /4", "0/65537"})
    EXPECT_FALSE(parse_shard(bad, error)) << bad;
}

TEST(Shard, HashIsPinned) {
  // From an independent Python implementation of the documented rule (docs/scale.md): changing
  // these values would move files between shards of archives already split.
  EXPECT_EQ(shard_hash(""), 0xf52a15e9a9b5e89bULL);
  EXPECT_EQ(shard_hash("a"), 0x2c0bdbf481420f8ULL);
  EXPECT_EQ(shard_hash("P001/ST1/SE1/IM1.dcm"), 0x803fc9d60bafbbd2ULL);
  const unsigned ns[] = {2, 3, 4, 7, 16};
  const unsigned want_empty[] = {0, 0, 0, 5, 11}, want_a[] = {1, 1, 1, 1, 9},
                 want_path[] = {1, 2, 2, 2, 2}, want_utf8[] = {0, 2, 2, 6, 6};
  for (int k = 0; k < 5; ++k) {
    EXPECT_EQ(shard_of("", ns[k]), want_empty[k]);
    EXPECT_EQ(shard_of("a", ns[k]), want_a[k]);
    EXPECT_EQ(shard_of("P001/ST1/SE1/IM1.dcm", ns[k]), want_path[k]);
    EXPECT_EQ(shard_of("ctr/\xc3\xa9.dcm", ns[k]), want_utf8[k]);
  }
}

TEST(Shard, GrowingNMovesKeysOnlyToTheNewShard) {
  for (int i = 0; i < 2000; ++i) {
    const std::string key = "k" + std::to_string(i);
    for (unsigned n = 1; n < 16; ++n) {
      const unsigned before = shard_of(key, n), after = shard_of(key, n + 1);
      EXPECT_TRUE(after == before || after == n) << key << " " << n;
    }
  }
}

TEST(Shard, RelativeToRoot) {
  EXPECT_EQ(relative_to_root("/a/b/c.dcm", "/a"), "b/c.dcm");
  EXPECT_EQ(relative_to_root("/a/b/c.dcm", "/a/"), "b/c.dcm");
  EXPECT_EQ(relative_to_root("/a/b/c.dcm", "/a/b/c.dcm"), "c.dcm");  // a file given as root
  EXPECT_EQ(relative_to_root("/ab/c.dcm", "/a"), "c.dcm");           // not under /a: its name
  EXPECT_EQ(relative_to_root("x/y", ""), "x/y");                     // a whole S3 bucket
  EXPECT_EQ(ShardFilter::key("P1/ST/x.dcm", ShardUnit::kFolder), "P1");
  EXPECT_EQ(ShardFilter::key("x.dcm", ShardUnit::kFolder), "x.dcm");
  EXPECT_EQ(ShardFilter::key("P1/ST/x.dcm", ShardUnit::kFile), "P1/ST/x.dcm");
}

TEST(Shard, RandomTreesSplitDisjointAndComplete) {
  for (unsigned seed = 1; seed <= 4; ++seed) {
    TempDir dir;
    std::mt19937 rng(seed);
    add_random_files(dir.path(), rng, 120);
    const auto all = walk_all(dir.path());
    ASSERT_GT(all.size(), 60u);
    for (ShardUnit unit : {ShardUnit::kFile, ShardUnit::kFolder}) {
      for (unsigned n = 1; n <= 16; ++n) {
        std::set<std::string> covered;
        std::size_t total = 0;
        for (unsigned k = 0; k < n; ++k) {
          const auto part = walk_shard(dir.path(), {{k, n}, unit});
          total += part.size();
          covered.insert(part.begin(), part.end());
        }
        EXPECT_EQ(total, all.size()) << "overlap, seed " << seed << " N " << n;
        EXPECT_EQ(covered, all) << "seed " << seed << " N " << n;
      }
    }
  }
}

TEST(Shard, AddingFilesMovesNoAssignedFile) {
  TempDir dir;
  std::mt19937 rng(7);
  add_random_files(dir.path(), rng, 100);
  for (ShardUnit unit : {ShardUnit::kFile, ShardUnit::kFolder}) {
    for (unsigned n : {2u, 3u, 5u, 16u}) {
      std::map<std::string, unsigned> before;
      for (unsigned k = 0; k < n; ++k)
        for (const auto& f : walk_shard(dir.path(), {{k, n}, unit})) before[f] = k;
      std::mt19937 more(n * 31 + static_cast<unsigned>(unit));
      add_random_files(dir.path(), more, 40);  // into old and new folders alike
      std::size_t kept = 0;
      for (unsigned k = 0; k < n; ++k)
        for (const auto& f : walk_shard(dir.path(), {{k, n}, unit}))
          if (auto it = before.find(f); it != before.end()) {
            EXPECT_EQ(it->second, k) << f << " moved, N " << n;
            ++kept;
          }
      EXPECT_EQ(kept, before.size());
    }
  }
}

TEST(Shard, SameTreeUnderAnotherRootSplitsAlike) {
  TempDir a, b;
  std::mt19937 rng(11);
  for (const auto& rel : add_random_files(a.path() / "archive", rng, 80)) {
    fs::create_directories((b.path() / "mnt" / "copy" / rel).parent_path());
    fs::copy_file(a.path() / "archive" / rel, b.path() / "mnt" / "copy" / rel);
  }
  for (unsigned k = 0; k < 4; ++k)
    EXPECT_EQ(walk_shard(a.path() / "archive", {{k, 4}, ShardUnit::kFile}),
              walk_shard(b.path() / "mnt" / "copy", {{k, 4}, ShardUnit::kFile}));
}

TEST(Shard, ProblemsAreReportedByOneShard) {
  TempDir dir;
  fs::create_directories(dir.path() / "d");
  std::ofstream(dir.path() / "d" / "ok.dcm") << "x";
  ::symlink("/nonexistent/target", (dir.path() / "d" / "broken").c_str());
  ::mkfifo((dir.path() / "fifo").c_str(), 0600);
  const auto all = walk_all(dir.path());
  ASSERT_EQ(all.size(), 3u);
  for (unsigned n = 1; n <= 8; ++n) {
    std::multiset<std::string> seen;
    for (unsigned k = 0; k < n; ++k)
      for (const auto& f : walk_shard(dir.path(), {{k, n}, ShardUnit::kFile})) seen.insert(f);
    EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()), all);
    EXPECT_EQ(seen.size(), all.size());
  }
}

TEST(Shard, ListingCommonPrefixes) {
  const std::string xml =
      "<?xml version=\"1.0\"?><ListBucketResult><Name>b</Name><Prefix>arch/</Prefix>"
      "<Delimiter>/</Delimiter><EncodingType>url</EncodingType><IsTruncated>false</IsTruncated>"
      "<Contents><Key>arch/readme.txt</Key><Size>3</Size></Contents>"
      "<CommonPrefixes><Prefix>arch/P%201/</Prefix></CommonPrefixes>"
      "<CommonPrefixes><Prefix>arch/P2/</Prefix></CommonPrefixes></ListBucketResult>";
  s3::ListPage page;
  std::string error;
  ASSERT_TRUE(s3::parse_list_page(xml, page, error)) << error;
  ASSERT_EQ(page.objects.size(), 1u);
  EXPECT_EQ(page.prefixes, (std::vector<std::string>{"arch/P 1/", "arch/P2/"}));
}

TEST(Shard, UploadKeepsWhatTheWalkTookOrWholeStudies) {
  using dicometl::upload::UploadItem;
  std::vector<UploadItem> all;
  for (int i = 0; i < 60; ++i) {
    UploadItem it;
    it.path = "/mnt/arch/P" + std::to_string(i % 7) + "/f" + std::to_string(i) + ".dcm";
    it.study_uid = "1.2." + std::to_string(i % 9);
    all.push_back(it);
  }
  for (unsigned n : {1u, 3u}) {
    std::size_t total = 0;
    for (unsigned k = 0; k < n; ++k) {
      auto by_path = all;  // with roots: the walk's rule, path under the root
      dicometl::upload::keep_shard(by_path, {"/mnt/arch"}, {{k, n}, ShardUnit::kFile});
      for (const auto& it : by_path)
        EXPECT_EQ(shard_of(relative_to_root(it.path, "/mnt/arch"), n), k);
      total += by_path.size();
      auto by_study = all;  // the whole catalog: whole studies
      dicometl::upload::keep_shard(by_study, {}, {{k, n}, ShardUnit::kFile});
      for (const auto& it : by_study) EXPECT_EQ(shard_of(it.study_uid, n), k);
    }
    EXPECT_EQ(total, all.size());
  }
}
