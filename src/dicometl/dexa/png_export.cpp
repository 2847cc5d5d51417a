#include "dicometl/dexa/png_export.hpp"

#include <leptonica/allheaders.h>

#include <cctype>
#include <filesystem>
#include <system_error>

namespace dicometl::dexa {

bool write_png(const dicom::GrayImage& image, const std::string& path, std::string& error) {
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ec);
  if (ec) {
    error = "cannot create folder: " + ec.message();
    return false;
  }
  PIX* pix = pixCreate(image.width, image.height, 8);
  if (!pix) {
    error = "out of memory";
    return false;
  }
  l_uint32* data = pixGetData(pix);
  const int wpl = pixGetWpl(pix);
  for (int y = 0; y < image.height; ++y) {
    l_uint32* line = data + static_cast<std::ptrdiff_t>(y) * wpl;
    const std::uint8_t* src =
        &image.pixels[static_cast<std::size_t>(y) * static_cast<std::size_t>(image.width)];
    for (int x = 0; x < image.width; ++x) SET_DATA_BYTE(line, x, src[x]);
  }
  const bool ok = pixWrite(path.c_str(), pix, IFF_PNG) == 0;
  pixDestroy(&pix);
  if (!ok) error = "cannot write PNG";
  return ok;
}

std::string folder_name(const std::string& protocol) {
  std::string out;
  for (char c : protocol)
    out += std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' ? c : '_';
  return out.empty() ? "unnamed" : out;
}

}  // namespace dicometl::dexa
