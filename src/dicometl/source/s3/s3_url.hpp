#pragma once
// s3:// URLs and the percent-encoding rules S3 needs: the same encoded path goes into the request
// URL and into the SigV4 canonical request, so the two can never disagree.
#include <optional>
#include <string>

#include "dicometl/model/uri.hpp"

namespace dicometl::source::s3 {

//! A bucket and a key prefix, from "s3://bucket/prefix" (the prefix may be empty).
struct Location {
  std::string bucket;
  std::string prefix;
};

// is_s3_url() and uri_encode() live in model/uri.hpp: the catalog's BulkDataURIs use them too.
using ::dicometl::is_s3_url;
using ::dicometl::uri_encode;

//! Parses "s3://bucket[/prefix]"; nullopt with `error` for anything else (empty bucket, bad chars).
std::optional<Location> parse_s3_url(const std::string& url, std::string& error);
//! "s3://bucket/key" as stored in the catalog's file.path.
std::string object_url(const std::string& bucket, const std::string& key);

//! Decodes %XX and '+' (S3's encoding-type=url answers); invalid escapes are kept as they are.
std::string url_decode_plus(const std::string& text);

}  // namespace dicometl::source::s3
