#pragma once
// Resolves where and as whom to talk to S3, following the AWS CLI's conventions: command-line
// options, then environment variables, then the shared config and credentials files.
#include <functional>
#include <map>
#include <stdexcept>
#include <string>

#include "dicometl/source/s3/sigv4.hpp"

namespace dicometl::source::s3 {

//! What stops a whole S3 run (listing failed, bad configuration). Never holds a secret.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

//! What the user chose on the command line (empty = follow the environment and files).
struct Options {
  //! S3-compatible stores (MinIO, Ceph…): http(s)://host[:port][/path]
  std::string endpoint_url;
  std::string region;
  std::string profile;
  bool path_style = false;   //!< https://host/bucket/key instead of https://bucket.host/key
  std::string download_dir;  //!< mirror whole objects here and ingest the local copies
  int max_attempts = 5;      //!< tries per request (retries on 5xx, throttling, timeouts)
  int base_delay_ms = 200;   //!< first back-off; doubles per retry, with jitter
  int page_size = 1000;      //!< max-keys of ListObjectsV2 (S3 caps it at 1000)
};

//! An endpoint split into the parts requests are built from.
struct Endpoint {
  std::string scheme = "https";
  std::string host;       //!< without port
  std::string port;       //!< empty for the scheme's default
  std::string base_path;  //!< "" or "/something" (stores mounted below a path)
  bool custom = false;    //!< given by the user rather than derived from the region
};

//! Everything a client needs; built once per run.
struct Config {
  Endpoint endpoint;
  std::string region;
  Credentials credentials;  //!< empty: anonymous requests
  bool path_style = false;
  int max_attempts = 5;
  int base_delay_ms = 200;
  int page_size = 1000;
};

using GetEnv = std::function<std::string(const char* name)>;

//! The process environment (empty string when unset).
std::string process_env(const char* name);

//! Sections of an AWS INI file: "default", "profile x" as written, keys lower-cased.
using IniFile = std::map<std::string, std::map<std::string, std::string>>;
IniFile parse_ini(const std::string& text);

//! Parses "http(s)://host[:port][/path]"; throws Error on anything else.
Endpoint parse_endpoint(const std::string& url);

//! Resolves options + environment + files. Throws Error for a named profile that does not exist
//! or an unusable endpoint.
Config resolve_config(const Options& options, const GetEnv& env = process_env);

}  // namespace dicometl::source::s3
