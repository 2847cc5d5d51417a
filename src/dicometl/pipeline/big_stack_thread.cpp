#include "dicometl/pipeline/big_stack_thread.hpp"

#include <stdexcept>
#include <string>

namespace dicometl::pipeline {

BigStackThread::BigStackThread(std::function<void()> body, std::size_t stack_bytes,
                               const char* name)
    : body_(std::move(body)) {
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, stack_bytes);
  int rc = pthread_create(&thread_, &attr, &BigStackThread::trampoline, this);
  pthread_attr_destroy(&attr);
  if (rc != 0) throw std::runtime_error("cannot start a worker thread (error " + std::to_string(rc) + ")");
  joinable_ = true;
  if (name) pthread_setname_np(thread_, name);
}

BigStackThread::~BigStackThread() { join(); }

void BigStackThread::join() {
  if (joinable_) {
    pthread_join(thread_, nullptr);
    joinable_ = false;
  }
}

void* BigStackThread::trampoline(void* self) {
  static_cast<BigStackThread*>(self)->body_();
  return nullptr;
}

}  // namespace dicometl::pipeline
