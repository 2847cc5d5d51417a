// The floor for any header reader: open each file, read its first 8 KiB, close it — with the same
// number of threads as dicometl. Usage: bare_read DIR [THREADS]
#include <fcntl.h>
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
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::string> files;  // the walk is part of the cost, as in dicometl
  for (const auto& e : std::filesystem::recursive_directory_iterator(argv[1]))
    if (e.is_regular_file()) files.push_back(e.path().string());
  std::atomic<std::size_t> next{0};
  std::vector<std::thread> pool;
  for (unsigned t = 0; t < threads; ++t) {
    pool.emplace_back([&] {
      char buf[8192];
      for (std::size_t i; (i = next++) < files.size();) {
        int fd = ::open(files[i].c_str(), O_RDONLY);
        if (fd < 0) continue;
        if (::read(fd, buf, sizeof buf) < 0) std::perror("read");
        ::close(fd);
      }
    });
  }
  for (auto& t : pool) t.join();
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("files=%zu seconds=%.3f files_per_s=%.0f\n", files.size(), s, files.size() / s);
}
