#pragma once
// Where `dicometl upload --to URL` sends: a DICOMweb base (STOW-RS/QIDO-RS) or a DIMSE peer.
#include <string>

#include "dicometl/http/client.hpp"

namespace dicometl::upload {

enum class Protocol { kDicomWeb, kDimse };

struct Destination {
  Protocol protocol = Protocol::kDicomWeb;
  std::string key;   //!< the URL as recorded in file_upload_metadata (no credentials)
  std::string base;  //!< DICOMweb: the base URL without credentials or trailing slash
  http::Credentials credentials;  //!< DICOMweb: user:password from the URL, sent by libcurl only
  std::string aet, host;  //!< DIMSE: the called AE title and the peer
  int port = 104;
};

//! Parses `http(s)://host[:port]/path` or `dicom://AET@host[:port]`. Throws
//! std::invalid_argument with a message a person understands.
Destination parse_destination(const std::string& url);

//! The URL with any user:password@ removed, safe to print and to record.
std::string without_credentials(const std::string& url);

}  // namespace dicometl::upload
