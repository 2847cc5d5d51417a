// The storage floor of `dicometl ingest` into SQLite: the CPU of writing the catalog rows alone.
// Every file under DIR is read and encoded first (untimed, rows kept in memory); then the same
// catalog code as `ingest` writes them (schema with deferred indexes, CatalogWriter, batches of 64,
// a commit every 2000 files, background checkpoints, final indexes). No parser design can make
// `ingest` cheaper than this line plus bare_read's. Usage: catalog_write_floor DIR DB_PATH
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <variant>
#include <vector>

#include "dicometl/catalog/catalog_writer.hpp"
#include "dicometl/catalog/dicom_json.hpp"
#include "dicometl/dicom/header_reader.hpp"
#include "dicometl/pipeline/ingest.hpp"
#include "dicometl/source/local_walk.hpp"
#include "dicometl/storage/database.hpp"

namespace {

double cpu_seconds(const rusage& u) {
  auto s = [](const timeval& t) { return t.tv_sec + t.tv_usec / 1e6; };
  return s(u.ru_utime) + s(u.ru_stime);
}

}  // namespace

int main(int argc, char** argv) {
  using namespace dicometl;
  if (argc != 3) {
    std::fprintf(stderr, "usage: catalog_write_floor DIR DB_PATH (DB_PATH must not exist)\n");
    return 2;
  }
  std::vector<Instance> instances;
  std::vector<std::string> json;
  source::WalkVisitor v;
  v.file = [&](const FileStat& f) {
    auto out = dicom::read_header(f);
    if (auto* inst = std::get_if<Instance>(&out)) {
      json.emplace_back();
      append_dicom_json(inst->dataset, json.back(), inst->file.path);
      inst->dataset = Dataset{};  // the writer reads the key fields and the JSON only
      instances.push_back(std::move(*inst));
    }
    return true;
  };
  source::walk_local({argv[1]}, v);
  std::size_t json_bytes = 0;
  for (const auto& j : json) json_bytes += j.size();

  rusage before{}, after{};
  getrusage(RUSAGE_SELF, &before);  // all threads: the checkpointer's work counts too
  const auto start = std::chrono::steady_clock::now();
  {
    auto db = storage::open_database(std::string("sqlite:") + argv[2]);
    const bool deferred = catalog::ensure_schema(*db, true);
    catalog::CatalogWriter writer(*db);
    writer.start_run("floor");
    db->bulk_load(true);
    db->begin();
    std::vector<catalog::CatalogWriter::BatchEntry> batch;
    for (std::size_t k = 0; k < instances.size(); ++k) {
      batch.push_back({&instances[k], json[k], true});
      if (batch.size() == pipeline::kFilesPerBatch || k + 1 == instances.size()) {
        writer.write_batch(batch);
        batch.clear();
      }
      if ((k + 1) % pipeline::IngestOptions{}.batch_files == 0) {
        db->commit();
        db->begin();
      }
    }
    db->commit();
    db->bulk_load(false);
    if (deferred) catalog::ensure_indexes(*db);
    writer.finish_run({}, true);
  }
  getrusage(RUSAGE_SELF, &after);
  const double wall =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf(
      "instances=%zu json_bytes_per_instance=%zu wall_s=%.3f cpu_s=%.3f user_s=%.3f sys_s=%.3f\n",
      instances.size(), instances.empty() ? 0 : json_bytes / instances.size(), wall,
      cpu_seconds(after) - cpu_seconds(before),
      (after.ru_utime.tv_sec - before.ru_utime.tv_sec) +
          (after.ru_utime.tv_usec - before.ru_utime.tv_usec) / 1e6,
      (after.ru_stime.tv_sec - before.ru_stime.tv_sec) +
          (after.ru_stime.tv_usec - before.ru_stime.tv_usec) / 1e6);
}
