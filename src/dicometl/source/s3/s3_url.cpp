#include "dicometl/source/s3/s3_url.hpp"

#include <cctype>

#include "dicometl/model/hex.hpp"

namespace dicometl::source::s3 {

std::optional<Location> parse_s3_url(const std::string& url, std::string& error) {
  if (!is_s3_url(url)) {
    error = "not an s3:// URL";
    return std::nullopt;
  }
  const std::string rest = url.substr(5);
  const auto slash = rest.find('/');
  Location loc;
  loc.bucket = rest.substr(0, slash);
  if (slash != std::string::npos) loc.prefix = rest.substr(slash + 1);
  // Bucket names: 3-63 of [a-z0-9.-] for new buckets; legacy ones may hold upper case and '_'.
  if (loc.bucket.empty() || loc.bucket.size() > 255) {
    error = "an s3:// URL needs a bucket name (s3://bucket/prefix)";
    return std::nullopt;
  }
  for (unsigned char c : loc.bucket) {
    if (!(std::isalnum(c) || c == '.' || c == '-' || c == '_')) {
      error = "invalid character in bucket name";
      return std::nullopt;
    }
  }
  return loc;
}

std::string object_url(const std::string& bucket, const std::string& key) {
  return "s3://" + bucket + "/" + key;
}

std::string url_decode_plus(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '+') {
      out += ' ';
    } else if (c == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 &&
               hex_value(text[i + 2]) >= 0) {
      out += static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2]));
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace dicometl::source::s3
