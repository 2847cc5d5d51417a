#pragma once
// Sends one chunk of a series with retries: what one upload worker does per work item.
#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "dicometl/upload/dicomweb_client.hpp"
#include "dicometl/upload/item.hpp"
#include "dicometl/upload/upload.hpp"

namespace dicometl::upload {

//! Shared by the workers: counts attempts in a row that could not reach the server at all, and
//! trips after `limit` (0: never), so a dead server ends the run in seconds, not hours.
class DeadServerGuard {
 public:
  explicit DeadServerGuard(int limit) : limit_(limit) {}
  void reached() { in_a_row_ = 0; }
  void unreachable(const std::string& why);
  bool tripped() const { return tripped_.load(); }
  //! Why the run gave up ('' while it has not).
  std::string reason() const;

 private:
  const int limit_;
  std::atomic<int> in_a_row_{0};
  std::atomic<bool> tripped_{false};
  mutable std::mutex m_;
  std::string last_;  // guarded by m_
};

class Sender {
 public:
  //! One per worker thread: owns its HTTP connection.
  Sender(const UploadOptions& options, DeadServerGuard& guard);
  //! Sends `items` (one series); results[i] belongs to items[i]. Never throws for network
  //! or file problems.
  void send(const std::vector<const UploadItem*>& items, const std::vector<ItemResult*>& results);

 private:
  void send_once(const std::vector<const UploadItem*>& items, const std::vector<ItemResult*>& results);
  //! Tells the guard whether the request/association just made reached the server.
  void note_contact(const std::vector<ItemResult*>& results);
  void sleep_ms(long ms) const;
  bool stopping() const { return (options_.stop && options_.stop->load()) || guard_.tripped(); }

  const UploadOptions& options_;
  DeadServerGuard& guard_;
  std::unique_ptr<DicomWebClient> web_;  //!< DICOMweb destination or Orthanc look-ups
};

}  // namespace dicometl::upload
