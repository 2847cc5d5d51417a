// files::AtomicFile / write_atomically: whole or nothing, no predictable temporary name.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "dicometl/files/atomic_write.hpp"
#include "dicometl/files/temp_dir.hpp"

namespace fs = std::filesystem;
using dicometl::files::AtomicFile;
using dicometl::files::TempDir;
using dicometl::files::write_atomically;

namespace {

std::string slurp(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

std::size_t entries(const fs::path& dir) {
  return static_cast<std::size_t>(
      std::distance(fs::directory_iterator(dir), fs::directory_iterator()));
}

}  // namespace

TEST(AtomicFile, WritesAndReplacesKeepingTheMode) {
  TempDir d("dicometl-atomic-test-");
  const fs::path p = d.path() / "out.json";
  write_atomically(p, std::string("first"));
  EXPECT_EQ(slurp(p), "first");
  ::chmod(p.c_str(), 0640);
  write_atomically(p, [](std::ostream& s) { s << "second" << '\n'; });
  EXPECT_EQ(slurp(p), "second\n");
  struct stat st {};
  ASSERT_EQ(::stat(p.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0640u);
  EXPECT_EQ(entries(d.path()), 1u);  // no temporary file left
}

TEST(AtomicFile, NeverFollowsAPlantedTemporaryName) {
  TempDir d("dicometl-atomic-test-");
  const fs::path victim = d.path() / "victim";
  write_atomically(victim, std::string("precious"));
  // The names the old writers used (PATH.tmp): a symlink there must not be written through.
  fs::create_symlink(victim, d.path() / "report.html.tmp");
  write_atomically(d.path() / "report.html", std::string("<html>"));
  EXPECT_EQ(slurp(victim), "precious");
  EXPECT_EQ(slurp(d.path() / "report.html"), "<html>");
}

TEST(AtomicFile, UncommittedLeavesTheTargetAndNoTemporaryFile) {
  TempDir d("dicometl-atomic-test-");
  const fs::path p = d.path() / "Patient.ndjson";
  write_atomically(p, std::string("old\n"));
  {
    AtomicFile f(p);
    f.write("half a file");
  }  // an error happened: never committed
  EXPECT_EQ(slurp(p), "old\n");
  EXPECT_EQ(entries(d.path()), 1u);
  EXPECT_THROW(write_atomically(d.path() / "no-such-dir" / "x", std::string("x")),
               std::runtime_error);
}

TEST(TempDir, IsPrivateAndRemovedWithItsContents) {
  fs::path where;
  {
    TempDir d("dicometl-tempdir-test-");
    where = d.path();
    struct stat st {};
    ASSERT_EQ(::stat(where.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0700u);
    write_atomically(where / "catalog.db", std::string("x"));
  }
  EXPECT_FALSE(fs::exists(where));
}

// `--csv /dev/null` once renamed a plain file over /dev/null. A FIFO stands in for any target
// that is not a regular file: it must stay what it is and receive the bytes.
TEST(AtomicFile, WritesIntoAFifoWithoutReplacingIt) {
  TempDir d("dicometl-atomic-test-");
  const fs::path fifo = d.path() / "pipe";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  // Our own read end (O_RDWR never blocks on a FIFO), so the writer's open does not wait and a
  // writer that replaced the FIFO leaves this end empty instead of hanging the test.
  const int end = ::open(fifo.c_str(), O_RDWR | O_NONBLOCK);
  ASSERT_GE(end, 0);
  write_atomically(fifo, std::string("a,b\n1,2\n"));
  char buf[64];
  const ssize_t n = ::read(end, buf, sizeof buf);
  ::close(end);
  const std::string got = n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : std::string();
  EXPECT_EQ(got, "a,b\n1,2\n");
  struct stat st {};
  ASSERT_EQ(::lstat(fifo.c_str(), &st), 0);
  EXPECT_TRUE(S_ISFIFO(st.st_mode));
  EXPECT_EQ(entries(d.path()), 1u);  // no temporary file beside it
}
