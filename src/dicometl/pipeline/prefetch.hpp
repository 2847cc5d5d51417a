#pragma once
// --io-depth N: N threads that read the first bytes of files ahead of the parsing threads, so
// that on storage with a long latency per read (a cold disk, NFS, S3) many reads are in flight
// while few cores parse. Parsing threads take a file's bytes from here and read any rest
// themselves. Without --io-depth, each parsing thread reads its own file when it gets to it.
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "dicometl/model/byte_source.hpp"
#include "dicometl/model/instance.hpp"
#include "dicometl/source/source.hpp"

namespace dicometl::pipeline {

class Prefetcher {
 public:
  //! One file's read ahead: shared by the queue and the batch holding the file, so either may
  //! let go first (a stopped run drops batches whose reads are still queued or running).
  struct Slot;

  Prefetcher(unsigned threads, source::Source& from);
  ~Prefetcher();  // stops the threads; queued reads are dropped
  Prefetcher(const Prefetcher&) = delete;
  Prefetcher& operator=(const Prefetcher&) = delete;

  //! Queues the first read of `file` (first_read_size() bytes) and returns its slot.
  std::shared_ptr<Slot> submit(const FileStat& file);
  //! The file's bytes: the prefetched prefix first (waiting for it), then reads of the rest.
  static std::unique_ptr<ByteSource> bytes(std::shared_ptr<Slot> slot);

 private:
  void run();
  source::Source& from_;
  std::mutex mu_;
  std::condition_variable work_;
  std::deque<std::shared_ptr<Slot>> queue_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace dicometl::pipeline
