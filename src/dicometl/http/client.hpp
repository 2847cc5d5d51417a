#pragma once
// One HTTP exchange over libcurl: the only code that includes <curl/curl.h>. Used by the S3
// source, DICOMweb upload and FHIR POST. Each calling thread owns one libcurl handle, so its
// connections stay alive between requests and nothing is shared between threads.
#include <cstddef>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

namespace dicometl::http {

//! user:password from a URL, percent-decoded; sent with basic authentication.
struct Credentials {
  std::string user, password;
  bool empty() const { return user.empty() && password.empty(); }
};

//! An http(s) URL split into the URL without user:password@ (safe to print and to store) and
//! the credentials it carried.
struct SplitUrl {
  std::string url;
  Credentials credentials;
};
SplitUrl split_userinfo(const std::string& url);

struct Request {
  std::string method = "GET";         //!< GET, HEAD, POST, PUT, DELETE…
  std::string url;                    //!< without credentials (see `credentials`)
  std::vector<std::string> headers;   //!< "Name: value"; "Name:" removes a libcurl default
  const std::string* body = nullptr;  //!< request body (POST/PUT), not copied
  std::FILE* sink = nullptr;          //!< a 2xx answer's body goes here instead of `body`
  Credentials credentials;            //!< none: ~/.netrc when `netrc`
  bool netrc = false;
  long connect_timeout_seconds = 10;
  long timeout_seconds = 0;          //!< the whole exchange; 0: no limit
  long low_speed_seconds = 0;        //!< abort when under 1 byte/s this long; 0: never
  std::size_t max_body = 64u << 20;  //!< the answer kept in memory is cut here
  bool keep_headers = false;         //!< fill Response::headers
};

struct Response {
  long status = 0;                   //!< 0 when no HTTP answer arrived (see `error`)
  std::string error;                 //!< transport problem in words; never a header or credential
  bool retryable_transport = false;  //!< timeouts, resets, refused connections
  bool connect_failed = false;  //!< no connection at all: refused, unknown host, connect timeout
  std::map<std::string, std::string> headers;  //!< names lower-cased, when asked for
  std::string body;
  bool answered() const { return status != 0; }
};

//! libcurl's global start-up; call before threads start (it is not thread-safe). Idempotent.
void global_init();

//! Sends one request on the calling thread's handle. Never throws for network problems.
Response send(const Request& request);

}  // namespace dicometl::http
