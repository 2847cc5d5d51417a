#include "dicometl/pipeline/progress.hpp"

#include <unistd.h>

#include <cstdio>
#include <string>

namespace dicometl::pipeline {

Progress::Progress(bool enabled)
    : enabled_(enabled && ::isatty(STDERR_FILENO)),
      start_(std::chrono::steady_clock::now()),
      last_(start_) {}

void Progress::update(std::uint64_t done, std::uint64_t found, bool walk_finished) {
  if (!enabled_) return;
  auto now = std::chrono::steady_clock::now();
  if (now - last_ < std::chrono::milliseconds(100)) return;
  last_ = now;
  drawn_ = true;
  const double secs = std::chrono::duration<double>(now - start_).count();
  const double rate = secs > 0 ? static_cast<double>(done) / secs : 0;
  constexpr int kWidth = 30;
  std::string bar;
  if (walk_finished && found > 0) {
    int filled = static_cast<int>(kWidth * static_cast<double>(done) / static_cast<double>(found));
    bar = "[" + std::string(filled, '#') + std::string(kWidth - filled, '.') + "]";
  } else {
    bar = "[walking folders…]";
  }
  std::fprintf(stderr, "\r%s %llu/%llu%s files  %.0f files/s  ", bar.c_str(),
               static_cast<unsigned long long>(done), static_cast<unsigned long long>(found),
               walk_finished ? "" : "+", rate);
  std::fflush(stderr);
}

void Progress::finish() {
  if (enabled_ && drawn_) std::fprintf(stderr, "\r\033[K");
}

}  // namespace dicometl::pipeline
