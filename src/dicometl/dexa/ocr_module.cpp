#include "dicometl/dexa/ocr_module.hpp"

#include <dlfcn.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <vector>

namespace dicometl::dexa {

namespace {

std::vector<std::string> candidate_dirs() {
  std::vector<std::string> dirs;
  if (const char* d = std::getenv("DICOMETL_MODULE_DIR"); d && *d) dirs.emplace_back(d);
  // Only places tied to this binary (beside it: the build tree; ../lib/dicometl: the install),
  // never a build folder compiled in, where anyone who can write there could plant a module.
  std::error_code ec;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    dirs.push_back(exe.parent_path().string());
    dirs.push_back((exe.parent_path().parent_path() / "lib" / "dicometl").string());
  }
  return dirs;
}

OcrModule open_module() {
  OcrModule m;
  for (const auto& dir : candidate_dirs()) {
    const std::string path = dir + "/" + ocr::kModuleFile;
    if (::access(path.c_str(), R_OK) != 0) continue;
    void* handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
      const char* err = ::dlerror();
      const std::string why = err ? err : "unknown error";
      m.error = "cannot load the OCR module " + path;
      m.error += ": " + why;
      if (why.find("cannot open shared object file") != std::string::npos)
        m.error += " (install libtesseract5 and liblept5)";  // a library it needs is missing
      return m;
    }
    m.make = reinterpret_cast<ocr::MakeBackend>(::dlsym(handle, ocr::kMakeBackendSymbol));
    m.write_png = reinterpret_cast<ocr::WritePng>(::dlsym(handle, ocr::kWritePngSymbol));
    if (!m.make || !m.write_png)
      m.error = "the OCR module " + path + " is from another dicometl build";
    return m;  // never closed: engines live until exit
  }
  m.error = std::string("the OCR module ") + ocr::kModuleFile +
            " was not found beside the dicometl binary (or in DICOMETL_MODULE_DIR)";
  return m;
}

}  // namespace

const OcrModule& ocr_module() {
  static const OcrModule m = open_module();
  return m;
}

}  // namespace dicometl::dexa
