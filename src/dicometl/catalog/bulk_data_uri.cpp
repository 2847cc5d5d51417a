#include "dicometl/catalog/bulk_data_uri.hpp"

#include <filesystem>
#include <system_error>

#include "dicometl/model/path_text.hpp"

namespace dicometl {

namespace {

void append_encoded(std::string_view bytes, std::string& out) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (const char ch : bytes) {
    const auto c = static_cast<unsigned char>(ch);
    const bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == '.' || c == '_' || c == '~' || c == '/';
    if (keep) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
}

bool is_s3(std::string_view path) {
  if (path.size() < 5) return false;
  for (std::size_t i = 0; i < 5; ++i) {
    const char c = path[i] >= 'A' && path[i] <= 'Z' ? static_cast<char>(path[i] + 32) : path[i];
    if (c != "s3://"[i]) return false;
  }
  return true;
}

// The working directory when the first relative path needed it: a run does not change it.
const std::string& working_directory() {
  static const std::string cwd = [] {
    std::error_code ec;
    const auto p = std::filesystem::current_path(ec);
    return ec ? std::string() : p.string();
  }();
  return cwd;
}

}  // namespace

std::string bulk_data_uri(std::string_view catalog_path, std::uint64_t offset,
                          std::uint32_t length) {
  if (offset == 0 || length == 0xFFFFFFFF || catalog_path.empty()) return {};
  // The URI names the file's own bytes, not the catalog's \xHH text of them.
  const std::string raw = decode_path(catalog_path);
  const std::string_view path = raw;
  std::string uri;
  if (is_s3(path)) {
    uri = "s3://";
    append_encoded(path.substr(5), uri);
  } else {
    uri = "file://";
    if (path.front() != '/') {
      if (working_directory().empty()) return {};
      append_encoded(working_directory(), uri);
      uri += '/';
    }
    append_encoded(path, uri);
  }
  uri += "?offset=" + std::to_string(offset) + "&length=" + std::to_string(length);
  return uri;
}

}  // namespace dicometl
