#pragma once
// A one-line progress display on a terminal; silent when stderr is not one.
#include <chrono>
#include <cstdint>

namespace dicometl::pipeline {

class Progress {
 public:
  //! `enabled` false (or stderr not a terminal) makes every call a no-op.
  explicit Progress(bool enabled);
  //! Redraws at most ~10 times a second.
  void update(std::uint64_t done, std::uint64_t found, bool walk_finished);
  void finish();

 private:
  bool enabled_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point start_, last_;
};

}  // namespace dicometl::pipeline
