// The floor for any header reader: open each file, read its first 8 KiB, close it — with the same
// number of threads as dicometl. Usage: bare_read DIR [THREADS] [--as-ingest]
// --as-ingest makes the system calls `dicometl ingest` makes per file: stat in the walk, then
// open, fstat, posix_fadvise(RANDOM), pread, close (the I/O floor of ingest on a warm cache).
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: bare_read DIR [THREADS]\n");
    return 2;
  }
  const unsigned threads = argc > 2 ? std::stoul(argv[2]) : std::thread::hardware_concurrency();
  const bool as_ingest = argc > 3 && std::string(argv[3]) == "--as-ingest";
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::string> files;  // the walk is part of the cost, as in dicometl
  for (const auto& e : std::filesystem::recursive_directory_iterator(argv[1]))
    if (e.is_regular_file()) {
      struct stat st {};
      if (as_ingest && ::stat(e.path().c_str(), &st) != 0) continue;
      files.push_back(e.path().string());
    }
  std::atomic<std::size_t> next{0};
  std::vector<std::thread> pool;
  for (unsigned t = 0; t < threads; ++t) {
    pool.emplace_back([&] {
      char buf[8192];
      for (std::size_t i; (i = next++) < files.size();) {
        int fd = ::open(files[i].c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0) continue;
        if (as_ingest) {
          struct stat st {};
          ::fstat(fd, &st);
          (void)::posix_fadvise(fd, 0, 0, POSIX_FADV_RANDOM);
        }
        if (::pread(fd, buf, sizeof buf, 0) < 0) std::perror("pread");
        ::close(fd);
      }
    });
  }
  for (auto& t : pool) t.join();
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("files=%zu seconds=%.3f files_per_s=%.0f\n", files.size(), s, files.size() / s);
}
