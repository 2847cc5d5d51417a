#include "dicometl/pipeline/prefetch.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "dicometl/dicom/header_reader.hpp"
#include "dicometl/model/local_file.hpp"
#include "dicometl/model/path_text.hpp"

namespace dicometl::pipeline {

struct Prefetcher::Slot {
  FileStat file;
  std::string fs_path;  // file.path's file system bytes (model/path_text.hpp), decoded once
  std::unique_ptr<ByteSource> source;  // from Source::open (remote); null for a local file
  std::mutex mu;
  std::condition_variable done_cv;
  bool done = false;
  bool ok = false;
  std::string head;  // the bytes read ahead
  std::string error;
};

namespace {

// Reads [0, want) of a local file and closes it again: an archive's worth of open descriptors
// would outgrow the usual limit, and the parser rarely needs more than this first read.
bool read_local(const std::string& path, std::size_t want, std::string& head, std::string& error) {
  const int fd = open_for_header(path, error);
  if (fd < 0) return false;
  head.resize(want);
  std::size_t have = 0;
  bool ok = true;
  while (have < want) {
    const ssize_t n = ::pread(fd, head.data() + have, want - have, static_cast<off_t>(have));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      error = std::string("cannot read: ") + std::strerror(errno);
      ok = false;
      break;
    }
    if (n == 0) break;
    have += static_cast<std::size_t>(n);
  }
  head.resize(have);
  ::close(fd);
  return ok;
}

// The prefetched prefix, then the rest from the file (reopened) or the remote source.
class PrefetchedBytes final : public ByteSource {
 public:
  explicit PrefetchedBytes(std::shared_ptr<Prefetcher::Slot> slot) : slot_(std::move(slot)) {}
  bool read_prefix(std::size_t want, std::string& buf, std::string& error) override;
  std::string local_path(std::string& error) override {
    return slot_->source ? slot_->source->local_path(error) : slot_->fs_path;
  }

 private:
  std::shared_ptr<Prefetcher::Slot> slot_;
  std::unique_ptr<LocalFile> rest_;
  bool taken_ = false;
};

}  // namespace

Prefetcher::Prefetcher(unsigned threads, source::Source& from) : from_(from) {
  for (unsigned i = 0; i < threads; ++i) threads_.emplace_back([this] { run(); });
}

Prefetcher::~Prefetcher() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    queue_.clear();
  }
  work_.notify_all();
  for (auto& t : threads_) t.join();
}

std::shared_ptr<Prefetcher::Slot> Prefetcher::submit(const FileStat& file) {
  auto slot = std::make_shared<Slot>();
  slot->file = file;
  slot->fs_path = decode_path(file.path);
  {
    std::lock_guard lock(mu_);
    queue_.push_back(slot);
  }
  work_.notify_one();
  return slot;
}

void Prefetcher::run() {
  while (true) {
    std::shared_ptr<Slot> slot;
    {
      std::unique_lock lock(mu_);
      work_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      slot = std::move(queue_.front());
      queue_.pop_front();
    }
    const std::size_t want = static_cast<std::size_t>(
        std::min<std::uint64_t>(slot->file.size, dicom::first_read_size()));
    std::string head, error;
    bool ok = false;
    try {
      slot->source = from_.open(slot->file);
      ok = slot->source ? slot->source->read_prefix(want, head, error)
                        : read_local(slot->fs_path, want, head, error);
    } catch (const std::exception& e) {
      error = std::string("cannot read: ") + e.what();
    }
    std::lock_guard lock(slot->mu);
    slot->head = std::move(head);
    slot->error = std::move(error);
    slot->ok = ok;
    slot->done = true;
    slot->done_cv.notify_all();
  }
}

std::unique_ptr<ByteSource> Prefetcher::bytes(std::shared_ptr<Slot> slot) {
  return std::make_unique<PrefetchedBytes>(std::move(slot));
}

bool PrefetchedBytes::read_prefix(std::size_t want, std::string& buf, std::string& error) {
  if (!taken_) {
    taken_ = true;
    Prefetcher::Slot& s = *slot_;
    std::unique_lock lock(s.mu);
    s.done_cv.wait(lock, [&] { return s.done; });
    if (!s.ok) {
      error = s.error;
      return false;
    }
    // The header reader starts from an empty buffer; the prefix may be longer than it asks for.
    if (buf.empty()) buf.swap(s.head);
  }
  if (buf.size() >= want || buf.size() >= slot_->file.size) return true;
  if (slot_->source) return slot_->source->read_prefix(want, buf, error);
  if (!rest_) rest_ = std::make_unique<LocalFile>(slot_->fs_path);
  return rest_->read_prefix(want, buf, error);
}

}  // namespace dicometl::pipeline
