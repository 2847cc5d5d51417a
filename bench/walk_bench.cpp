// The walk alone (folders read, every file stat'ed, in walk order), with N threads reading ahead
// of it: what `--io-depth` adds for the walk on cold storage. Drop the page cache before each run
// (`sync; echo 3 > /proc/sys/vm/drop_caches`). Usage: walk_bench DIR [LOOKAHEAD_THREADS]
#include <chrono>
#include <cstdio>
#include <string>

#include "dicometl/source/local_walk.hpp"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: walk_bench DIR [LOOKAHEAD_THREADS]\n");
    return 2;
  }
  dicometl::source::WalkVisitor v;
  v.lookahead_threads = argc > 2 ? std::stoul(argv[2]) : 0;
  std::size_t files = 0;
  v.file = [&](const dicometl::FileStat&) { return ++files, true; };
  const auto start = std::chrono::steady_clock::now();
  dicometl::source::walk_local({argv[1]}, v);
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("files=%zu lookahead=%u seconds=%.3f\n", files, v.lookahead_threads, s);
}
