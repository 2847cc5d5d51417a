#pragma once
// dicometl upload, in phases:
//   1. select  — the catalog's instances (under the given roots), minus those recorded as sent
//                to this destination before;
//   2. send    — N workers, one connection each, take one series chunk at a time: ask the
//                server what it has (QIDO-RS), send the rest (STOW-RS or C-STORE), retry what
//                failed for a transient reason with backoff;
//   3. record  — the calling thread writes a file_upload_metadata row per outcome, in batches,
//                and image_occurrence.wadors_uri for DICOMweb destinations.
#include <atomic>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "dicometl/source/shard.hpp"
#include "dicometl/storage/database.hpp"
#include "dicometl/upload/destination.hpp"

namespace dicometl::upload {

struct UploadOptions {
  Destination to;
  std::string orthanc;          //!< Orthanc REST root: record Orthanc's instance ids (optional)
  std::string calling_aet = "DICOMETL";
  unsigned connections = 4;     //!< parallel connections/associations
  std::size_t batch = 16;       //!< instances per STOW request / association
  int attempts = 3;             //!< tries per instance for transient failures
  int backoff_ms = 500;         //!< first wait between tries, doubled each time
  int timeout_seconds = 60;
  //! Give up the run after this many attempts in a row that reach no server (0: never).
  int max_connection_failures = 10;
  bool resend = false;          //!< ignore earlier records and what the server has
  bool decompress = true;       //!< C-STORE: decompress when the server takes only uncompressed
  bool progress = true;
  source::ShardFilter shard;                //!< one shard of the instances (shard_select.hpp)
  const std::atomic<bool>* stop = nullptr;  //!< set from a signal handler to stop early
};

struct UploadCounts {
  std::uint64_t selected = 0;          //!< catalogued instances under the roots
  std::uint64_t sent = 0;
  std::uint64_t already_there = 0;     //!< the server had them (QIDO-RS)
  std::uint64_t previously_sent = 0;   //!< recorded as sent to this destination before
  std::uint64_t failed = 0;
  std::uint64_t not_attempted = 0;     //!< left when stopped early
  std::uint64_t missing = 0;           //!< not sent: the file was gone at the last ingest
  std::map<std::string, std::uint64_t> failure_reasons;  //!< reason → instances
  std::string gave_up;  //!< why the run stopped early because the server was unreachable, or ''
  double seconds = 0;
};

//! Runs one upload from the catalog in `db` (file_upload_metadata is created if missing).
//! Throws storage::Error when the database fails; per-instance problems are rows.
UploadCounts run_upload(storage::Database& db, const std::vector<std::string>& roots,
                        const UploadOptions& options);

}  // namespace dicometl::upload
