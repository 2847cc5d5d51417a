#pragma once
// The STOW-RS message (PS3.18 §10.5): a multipart/related body of application/dicom parts,
// and the response's ReferencedSOPSequence / FailedSOPSequence read back per instance.
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace dicometl::upload {

//! A boundary that cannot occur in `parts` (checked, not hoped for).
std::string make_boundary(const std::vector<std::string>& parts);
//! The body; the Content-Type header is multipart_content_type(boundary).
std::string make_multipart(const std::vector<std::string>& parts, const std::string& boundary);
std::string multipart_content_type(const std::string& boundary);

//! What the server said about one SOP Instance UID.
struct StowInstanceAnswer {
  bool stored = false;
  std::string retrieve_url;  //!< 00081190 of the referenced instance
  std::string failure;       //!< "failure reason 0xA700" etc. when in FailedSOPSequence
};

//! Reads a STOW-RS response body (DICOM JSON). Instances it does not mention are absent from the
//! map. Throws std::runtime_error when the body is not a DICOM JSON object.
std::unordered_map<std::string, StowInstanceAnswer> parse_stow_response(std::string_view body);

//! SOP Instance UIDs in a QIDO-RS response (a DICOM JSON array). Throws std::runtime_error.
std::vector<std::string> parse_qido_sop_uids(std::string_view body);

}  // namespace dicometl::upload
