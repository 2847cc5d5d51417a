#pragma once
// A DICOMweb client for one thread: QIDO-RS "what is already there", STOW-RS "store these",
// and Orthanc's REST look-up of its own instance ids. Keeps its connection open between calls.
#include <string>
#include <unordered_set>
#include <vector>

#include "dicometl/http/client.hpp"
#include "dicometl/upload/item.hpp"

namespace dicometl::upload {

using HttpAnswer = http::Response;

//! 408, 429, 5xx and no answer at all are worth another attempt; other statuses are not.
bool retryable_status(const HttpAnswer& a);
//! "HTTP 503: <first line of the body>" or the transport error.
std::string describe(const HttpAnswer& a);

class DicomWebClient {
 public:
  //! `base`: the DICOMweb root (…/dicom-web, no credentials) and its credentials; `orthanc`:
  //! Orthanc's REST root (credentials in it are split off) or empty.
  DicomWebClient(std::string base, http::Credentials credentials, const std::string& orthanc,
                 int timeout_seconds);

  //! QIDO-RS /studies/{study}/series/{series}/instances: fills `uids`; false (with `error`, and
  //! `unreachable` when no connection could be made) when the server could not be asked.
  bool existing(const std::string& study, const std::string& series,
                std::unordered_set<std::string>& uids, std::string& error, bool& unreachable);

  //! STOW-RS of `items` in one request; sets status, error, retryable, server_id, uploaded_url
  //! of each result (results[i] belongs to items[i]).
  void stow(const std::vector<const UploadItem*>& items, const std::vector<ItemResult*>& results);

  //! Orthanc's id of the instance (POST /tools/lookup); empty when unknown or not configured.
  std::string orthanc_id(const std::string& sop_instance_uid);

  //! GET/POST with the thread's kept connection.
  HttpAnswer request(const std::string& url, const http::Credentials& credentials,
                     const std::string* post_body, const std::vector<std::string>& headers);

 private:
  std::string base_, orthanc_;
  http::Credentials credentials_, orthanc_credentials_;
  int timeout_seconds_;
};

//! The instance's WADO-RS URL under `base`.
std::string instance_url(const std::string& base, const UploadItem& item);
//! The series' WADO-RS URL under `base` (what image_occurrence.wadors_uri holds).
std::string series_url(const std::string& base, const std::string& study, const std::string& series);

}  // namespace dicometl::upload
