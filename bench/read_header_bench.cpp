// Micro-benchmarks of the per-file hot path: header parse, DICOM JSON, the bare cost of
// opening a file and reading its first 8 KiB. Run: build/bench/micro_bench FILE.dcm
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <benchmark/benchmark.h>

#include <cstdlib>
#include <string>

#include "dicometl/catalog/dicom_json.hpp"
#include "dicometl/dicom/header_reader.hpp"

namespace {

std::string g_file;

dicometl::FileStat stat_of(const std::string& path) {
  struct stat st {};
  ::stat(path.c_str(), &st);
  return {path, static_cast<std::uint64_t>(st.st_size), 0};
}

void BM_Open_Read8KiB(benchmark::State& state) {
  char buf[8192];
  for (auto _ : state) {
    int fd = ::open(g_file.c_str(), O_RDONLY);
    benchmark::DoNotOptimize(::read(fd, buf, sizeof buf));
    ::close(fd);
  }
}
BENCHMARK(BM_Open_Read8KiB);

void BM_ReadHeader(benchmark::State& state) {
  auto f = stat_of(g_file);
  dicometl::dicom::initialise();
  for (auto _ : state) benchmark::DoNotOptimize(dicometl::dicom::read_header(f));
}
BENCHMARK(BM_ReadHeader);

// The same file through DCMTK's parser only (the fallback path): what the fast parser saves.
void BM_ReadHeader_Dcmtk(benchmark::State& state) {
  auto f = stat_of(g_file);
  dicometl::dicom::initialise();
  dicometl::dicom::ReadOptions o;
  o.force_dcmtk = true;
  for (auto _ : state) benchmark::DoNotOptimize(dicometl::dicom::read_header(f, o));
}
BENCHMARK(BM_ReadHeader_Dcmtk);

void BM_DicomJson(benchmark::State& state) {
  auto r = dicometl::dicom::read_header(stat_of(g_file));
  const auto* inst = std::get_if<dicometl::Instance>(&r);
  if (!inst) {
    state.SkipWithError("not an instance");
    return;
  }
  for (auto _ : state) benchmark::DoNotOptimize(dicometl::to_dicom_json(inst->dataset));
}
BENCHMARK(BM_DicomJson);

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (argc < 2) {
    std::fprintf(stderr, "usage: micro_bench [benchmark flags] FILE.dcm\n");
    return 2;
  }
  g_file = argv[1];
  benchmark::RunSpecifiedBenchmarks();
  return 0;
}
