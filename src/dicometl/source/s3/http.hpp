#pragma once
// One HTTP exchange for the S3 client, through the shared http::send (src/dicometl/http/): reader
// threads each keep their own connections alive across requests, and nothing is shared between
// them.
#include <cstdio>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace dicometl::source::s3 {

struct HttpResponse {
  long status = 0;           //!< 0 when no HTTP answer arrived (see transport_error)
  std::string transport_error;  //!< connection/timeout problem, in words; empty if answered
  bool retryable_transport = false;  //!< timeouts, resets, refused connections
  std::map<std::string, std::string> headers;  //!< names lower-cased
  std::string body;          //!< when no file was given (or for error statuses)
};

//! Sends one request. `headers` are "Name: value" lines. When `file` is set, a 2xx body is
//! written there instead of `body`. Never throws.
HttpResponse http_send(const std::string& method, const std::string& url,
                       const std::vector<std::string>& headers, std::FILE* file = nullptr);

//! Call once before threads start (libcurl's global initialisation is not thread-safe).
void http_global_init();

}  // namespace dicometl::source::s3
