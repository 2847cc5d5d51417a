#pragma once
// A joinable thread with a large stack. DCMTK parses nested sequences recursively; a hostile file
// with tens of thousands of nesting levels overflows a default 8 MiB stack. The big stack is only
// reserved address space: pages are committed when touched.
#include <cstddef>
#include <functional>

#include <pthread.h>

namespace dicometl::pipeline {

class BigStackThread {
 public:
  static constexpr std::size_t kDefaultStack = std::size_t{1} << 30;  // 1 GiB reserved

  //! `name` (at most 15 characters) shows in top -H, perf and gdb.
  explicit BigStackThread(std::function<void()> body, std::size_t stack_bytes = kDefaultStack,
                          const char* name = nullptr);
  ~BigStackThread();  // joins
  BigStackThread(const BigStackThread&) = delete;
  BigStackThread& operator=(const BigStackThread&) = delete;
  void join();

 private:
  static void* trampoline(void* self);
  std::function<void()> body_;
  pthread_t thread_{};
  bool joinable_ = false;
};

}  // namespace dicometl::pipeline
