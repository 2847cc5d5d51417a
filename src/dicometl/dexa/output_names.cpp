#include "dicometl/dexa/output_names.hpp"

#include <filesystem>

namespace dicometl::dexa {

std::string safe_name(std::string_view raw, std::string_view fallback) {
  constexpr std::size_t max_bytes = 100;  // a UID has at most 64; ProtocolName (LO) 64 characters
  std::string out;
  for (char c : raw.substr(0, max_bytes)) {
    const bool keep = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                      c == '.' || c == '_' || c == '-';
    out += keep ? c : '_';
  }
  for (std::size_t i = 0; i < out.size() && out[i] == '.'; ++i) out[i] = '_';
  return out.empty() ? std::string(fallback) : out;
}

std::string output_path(const std::string& dir, std::string_view folder, std::string_view name,
                        std::string_view extension) {
  namespace fs = std::filesystem;
  const fs::path base = fs::path(dir).lexically_normal();
  fs::path p = base;
  if (!folder.empty()) p /= safe_name(folder, "unnamed");
  p /= safe_name(name, "page") + std::string(extension);
  const fs::path rel = p.lexically_normal().lexically_relative(base);
  if (rel.empty() || *rel.begin() == "..") return "";
  return p.string();
}

}  // namespace dicometl::dexa
