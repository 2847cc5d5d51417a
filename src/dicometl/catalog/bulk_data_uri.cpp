#include "dicometl/catalog/bulk_data_uri.hpp"

#include <filesystem>
#include <system_error>

#include "dicometl/model/path_text.hpp"
#include "dicometl/model/uri.hpp"

namespace dicometl {

namespace {

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
  if (is_s3_url(path)) {
    uri = "s3://" + uri_encode(path.substr(5), true);
  } else {
    uri = "file://";
    if (path.front() != '/') {
      if (working_directory().empty()) return {};
      uri += uri_encode(working_directory(), true) + '/';
    }
    uri += uri_encode(path, true);
  }
  uri += "?offset=" + std::to_string(offset) + "&length=" + std::to_string(length);
  return uri;
}

}  // namespace dicometl
