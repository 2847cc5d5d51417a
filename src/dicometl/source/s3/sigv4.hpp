#pragma once
// AWS Signature Version 4 for S3, signed by us with OpenSSL rather than with libcurl's
// CURLOPT_AWS_SIGV4: libcurl 7.88 neither sorts nor re-encodes query parameters, and we need the
// exact same encoding of keys (spaces, non-ASCII) in the URL and in the canonical request.
#include <string>
#include <utility>
#include <vector>

namespace dicometl::source::s3 {

struct Credentials {
  std::string access_key_id;
  std::string secret_access_key;  //!< never logged, never put in an error message
  std::string session_token;      //!< temporary credentials (STS); empty otherwise
  bool empty() const { return access_key_id.empty() || secret_access_key.empty(); }
};

//! What a request looks like before signing. `path` is already percent-encoded (uri_encode with
//! '/' kept); query parameters are raw and get encoded here.
struct RequestToSign {
  std::string method = "GET";
  std::string host;  //!< as sent in the Host header (with ":port" when not the default)
  std::string path;
  std::vector<std::pair<std::string, std::string>> query;
  std::vector<std::pair<std::string, std::string>> headers;  //!< extra signed headers (Range…)
  std::string payload_sha256;  //!< hex; empty means the empty body
};

//! The hex SHA-256 of `data`.
std::string sha256_hex(const std::string& data);

//! The query string in SigV4 canonical form (sorted, encoded): also what the URL must carry.
std::string canonical_query(std::vector<std::pair<std::string, std::string>> query);

//! The canonical request (exposed for tests and for debugging signature mismatches).
std::string canonical_request(const RequestToSign& req,
                              const std::vector<std::pair<std::string, std::string>>& all_headers,
                              std::string& signed_headers);

//! Headers to send ("Name: value"): Host, x-amz-date, x-amz-content-sha256, the token when
//! present, the request's own headers and Authorization. `amz_date` is "YYYYMMDDTHHMMSSZ".
std::vector<std::string> sign_v4(const RequestToSign& req, const Credentials& creds,
                                 const std::string& region, const std::string& amz_date);

//! The current time as "YYYYMMDDTHHMMSSZ" (UTC).
std::string amz_date_now();

}  // namespace dicometl::source::s3
