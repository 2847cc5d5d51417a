// CPU of each per-file step of `ingest` after the I/O, on one thread: header parse (from bytes
// already in memory), DICOM JSON, and freeing the parsed datasets. Tells where the CPU between
// the floors (bare_read --as-ingest, catalog_write_floor) goes. Usage: parse_phases DIR [ROUNDS]
#include <malloc.h>  // mallinfo2
#include <sys/resource.h>

#include <cstdio>
#include <string>
#include <variant>
#include <vector>

#include "dicometl/catalog/dicom_json.hpp"
#include "dicometl/dicom/header_reader.hpp"
#include "dicometl/model/byte_source.hpp"
#include "dicometl/model/local_file.hpp"
#include "dicometl/model/path_text.hpp"
#include "dicometl/pipeline/heap_tuning.hpp"
#include "dicometl/source/local_walk.hpp"

namespace {

double cpu_now() {
  rusage u{};
  getrusage(RUSAGE_THREAD, &u);
  return u.ru_utime.tv_sec + u.ru_utime.tv_usec / 1e6 + u.ru_stime.tv_sec +
         u.ru_stime.tv_usec / 1e6;
}

// A file's first bytes, held in memory: the parse reads no file.
class MemorySource final : public dicometl::ByteSource {
 public:
  explicit MemorySource(const std::string& bytes) : bytes_(bytes) {}
  bool read_prefix(std::size_t want, std::string& buf, std::string&) override {
    buf.assign(bytes_, 0, std::min(want, bytes_.size()));
    return true;
  }
  std::string local_path(std::string& error) override {
    error = "in memory";
    return {};
  }

 private:
  const std::string& bytes_;
};

}  // namespace

int main(int argc, char** argv) {
  using namespace dicometl;
  if (argc < 2) {
    std::fprintf(stderr, "usage: parse_phases DIR [ROUNDS]\n");
    return 2;
  }
  const int rounds = argc > 2 ? std::stoi(argv[2]) : 3;
  // As in dicometl's main: freed memory stays in the process, so later rounds fault nothing in.
  pipeline::keep_freed_heap();
  std::vector<FileStat> files;
  std::vector<std::string> heads;
  source::WalkVisitor v;
  v.file = [&](const FileStat& f) {
    std::string buf, error;
    const std::string path = decode_path(f.path);
    LocalFile file(path);
    if (file.read_prefix(64 * 1024, buf, error)) {
      files.push_back(f);
      heads.push_back(std::move(buf));
    }
    return true;
  };
  source::walk_local({argv[1]}, v);
  dicom::initialise();

  std::vector<std::string> json(files.size());
  for (int r = 0; r < rounds; ++r) {
    std::vector<ReadOutcome> parsed;
    parsed.reserve(files.size());
    for (auto& j : json) j.clear();  // capacity kept: as ingest, which sizes it like the last
    const std::size_t heap_before = ::mallinfo2().uordblks;
    const double t0 = cpu_now();
    for (std::size_t k = 0; k < files.size(); ++k) {
      MemorySource src(heads[k]);
      parsed.push_back(dicom::read_header(files[k], src));
    }
    const double t1 = cpu_now();
    const std::size_t heap = ::mallinfo2().uordblks;  // every parsed header is still alive here
    std::size_t bytes = 0;
    for (std::size_t k = 0; k < files.size(); ++k)
      if (const auto* inst = std::get_if<Instance>(&parsed[k])) {
        append_dicom_json(inst->dataset, json[k], inst->file.path);
        bytes += json[k].size();
      }
    const double t2 = cpu_now();
    parsed.clear();
    parsed.shrink_to_fit();
    const double t3 = cpu_now();
    const std::size_t n = std::max<std::size_t>(1, files.size());
    std::printf(
        "files=%zu parse_s=%.3f json_s=%.3f free_s=%.3f json_bytes_per_file=%zu "
        "heap_bytes_per_file=%zu\n",
        files.size(), t1 - t0, t2 - t1, t3 - t2, bytes / n, (heap - heap_before) / n);
  }
}
