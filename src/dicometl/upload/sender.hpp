#pragma once
// Sends one chunk of a series with retries: what one upload worker does per work item.
#include <memory>
#include <vector>

#include "dicometl/upload/dicomweb_client.hpp"
#include "dicometl/upload/item.hpp"
#include "dicometl/upload/upload.hpp"

namespace dicometl::upload {

class Sender {
 public:
  //! One per worker thread: owns its HTTP connection.
  explicit Sender(const UploadOptions& options);
  //! Sends `items` (one series); results[i] belongs to items[i]. Never throws for network
  //! or file problems.
  void send(const std::vector<const UploadItem*>& items, const std::vector<ItemResult*>& results);

 private:
  void send_once(const std::vector<const UploadItem*>& items, const std::vector<ItemResult*>& results);
  void sleep_ms(long ms) const;
  bool stopping() const { return options_.stop && options_.stop->load(); }

  const UploadOptions& options_;
  std::unique_ptr<DicomWebClient> web_;  //!< DICOMweb destination or Orthanc look-ups
};

}  // namespace dicometl::upload
