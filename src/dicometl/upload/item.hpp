#pragma once
// One instance to send and what became of it: plain records shared by the upload phases.
#include <cstdint>
#include <optional>
#include <string>

namespace dicometl::upload {

struct UploadItem {
  std::string path;  //!< the file as catalogued
  std::string sop_instance_uid, sop_class_uid, transfer_syntax_uid;
  std::string study_uid, series_uid;
  std::optional<std::int64_t> image_occurrence_id;  //!< when an OMOP image_occurrence exists
  bool missing = false;  //!< the last ingest over its folder no longer found the file
};

enum class Status { kSent, kAlreadyPresent, kFailed };
const char* to_string(Status s);

struct ItemResult {
  Status status = Status::kFailed;
  bool retryable = false;    //!< a failure another attempt may not meet (network, 5xx)
  bool unreachable = false;  //!< the last attempt could not connect to the server at all
  int attempts = 0;          //!< requests that carried this instance
  std::string server_id;     //!< the server's id for it (Orthanc id or STOW RetrieveURL)
  std::string uploaded_url;  //!< its WADO-RS URL when sent through DICOMweb
  std::string transfer_syntax_uid;  //!< as it travelled
  std::string error;                //!< why it failed; never patient data
};

}  // namespace dicometl::upload
