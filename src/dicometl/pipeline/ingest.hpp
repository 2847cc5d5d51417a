#pragma once
// The parallel ingest run, in phases:
//   1. walk   — one thread walks the roots in sorted order and decides "unchanged" per folder;
//   2. read   — N worker threads parse headers (each its own DCMTK objects, big stacks);
//   3. write  — the calling thread writes results in walk order, committing in batches,
//               so a re-run or a resumed run produces the same rows.
#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "dicometl/catalog/catalog_writer.hpp"
#include "dicometl/dicom/header_reader.hpp"
#include "dicometl/source/source.hpp"
#include "dicometl/storage/database.hpp"

namespace dicometl::pipeline {

//! Another output fed from the same pass (OMOP, FHIR…): called by the writer thread, inside the
//! catalog's open transaction, in walk order.
class InstanceSink {
 public:
  virtual ~InstanceSink() = default;
  //! The run's writer connection, before the first instance; valid until the run returns.
  virtual void on_start(storage::Database& /*db*/) {}
  //! `is_new`: false when the instance was already catalogued (duplicate or unchanged re-read).
  virtual void on_instance(const Instance& inst, bool is_new) = 0;
  //! A batch of instances in walk order (what the writer calls): a sink that looks things up
  //! per instance can do it once per batch instead.
  virtual void on_instances(const std::vector<const Instance*>& group, const std::vector<bool>& is_new) {
    for (std::size_t k = 0; k < group.size(); ++k) on_instance(*group[k], is_new[k]);
  }
  //! Called just before each batch commits.
  virtual void on_batch_end() {}
};

//! Files travel between threads in batches: one lock and one wake-up per batch rather than per
//! file keeps the threads busy parsing instead of switching (per-file hand-offs cost ~40% of
//! the time in the kernel on small headers). bench/catalog_write_floor.cpp writes the same.
constexpr std::size_t kFilesPerBatch = 64;

struct IngestOptions {
  std::vector<std::string> roots;  //!< folders, files, s3:// prefixes: used when `source` is not set
  std::shared_ptr<source::Source> source;  //!< where files come from, with explicit S3 options
  unsigned jobs = 0;             //!< reader threads; 0 = all cores
  //! Threads that read files' first bytes ahead of the reader threads (reads in flight on slow
  //! storage); 0 = each reader thread reads the file it parses; unset = what the source suggests
  //! (Source::suggested_io_depth: network file systems and S3 get reads in flight).
  std::optional<unsigned> io_depth;
  bool rescan = false;           //!< re-read files even when path, size and mtime are unchanged
  bool progress = true;          //!< progress line on a terminal
  std::size_t batch_files = 2000;  //!< files per transaction
  std::string tool_version;
  dicom::ReadOptions read;
  std::vector<InstanceSink*> sinks;
  //! Commit whenever the writer would wait for readers, instead of holding the transaction (and
  //! with it the database's writer lock) open for up to `batch_files` files or 2 s: other
  //! processes writing into the same database (--shard) then write while this one parses.
  bool yield_writer_lock = false;
  //! Set from a signal handler to stop early; what was committed stays.
  const std::atomic<bool>* stop = nullptr;
};

using Connect = std::function<std::unique_ptr<storage::Database>()>;

//! Runs one ingest. `connect` opens a new connection (the walker needs its own). Throws
//! storage::Error when the database fails; per-file problems are rows, not exceptions.
catalog::RunCounts run_ingest(const Connect& connect, const IngestOptions& options);

}  // namespace dicometl::pipeline
