#pragma once
// The three S3 calls ingest needs — list a prefix, GET a byte range, download an object — each
// signed, retried with exponential back-off, and thread-safe (per-thread connections).
#include <cstdint>
#include <cstdio>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "dicometl/source/s3/aws_config.hpp"
#include "dicometl/source/s3/list_xml.hpp"

namespace dicometl::source::s3 {

struct HttpResponse;

//! A request's URL and what SigV4 signs of it.
struct Target {
  std::string url;
  std::string host;  //!< Host header
  std::string path;  //!< encoded path (canonical URI)
};

//! Builds the URL of `bucket`/`key` (key may be empty) with a raw query, path- or virtual-hosted.
Target make_target(const Config& cfg, const std::string& bucket, const std::string& key,
                   const std::vector<std::pair<std::string, std::string>>& query);

//! Whether requests for `bucket` use path-style addressing: asked for, a custom endpoint given as
//! an IP address or localhost, or a bucket name that cannot be a DNS label under TLS.
bool use_path_style(const Config& cfg, const std::string& bucket);

class Client {
 public:
  explicit Client(Config config);

  //! Lists every object under `prefix`, page by page, in S3's order (UTF-8 binary, hence
  //! deterministic) until `each` returns false. Throws Error when a page fails after retries.
  void list(const std::string& bucket, const std::string& prefix,
            const std::function<bool(const ObjectEntry&)>& each) const;

  //! Lists one level under `prefix` (delimiter '/'): the objects directly in it and its common
  //! prefixes ("prefix" + name + '/'), each in S3's order. Throws Error as list() does.
  void list_level(const std::string& bucket, const std::string& prefix,
                  std::vector<ObjectEntry>& objects, std::vector<std::string>& prefixes) const;

  //! Appends bytes [first, last] of an object to `out`. `etag` (if set) must match: an object
  //! replaced between two reads fails rather than mixing versions; an empty `etag` is filled
  //! from the answer. `total` receives the object's size. False with a reason on failure.
  bool get_range(const std::string& bucket, const std::string& key, std::uint64_t first,
                 std::uint64_t last, std::string& etag, std::string& out, std::uint64_t& total,
                 std::string& error) const;

  //! Writes the whole object to `file` (rewound on each retry). False with a reason on failure.
  bool download(const std::string& bucket, const std::string& key, std::FILE* file,
                std::string& error) const;

  const Config& config() const { return cfg_; }

 private:
  //! Sends a GET with retries; `file` receives a 2xx body when set.
  bool get(const std::string& bucket, const std::string& key,
           const std::vector<std::pair<std::string, std::string>>& query,
           const std::vector<std::pair<std::string, std::string>>& headers, std::FILE* file,
           HttpResponse& response, std::string& error) const;

  Config cfg_;
};

}  // namespace dicometl::source::s3
