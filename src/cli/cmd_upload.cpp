// dicometl upload: send catalogued instances to a DICOMweb server (STOW-RS) or a DICOM node
// (C-STORE), skipping what is already there, recording every outcome in file_upload_metadata.
#include <fmt/core.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <memory>

#include <fmt/core.h>

#include "cmd_shard_options.hpp"
#include "commands.hpp"
#include "dicometl/files/temp_dir.hpp"
#include "dicometl/pipeline/ingest.hpp"
#include "dicometl/source/make_source.hpp"
#include "dicometl/source/s3/s3_url.hpp"
#include "dicometl/upload/upload.hpp"

namespace dicometl::cli {

namespace {

struct UploadArgs {
  std::vector<std::string> sources;
  std::string to, db, orthanc, aet = "DICOMETL";
  unsigned connections = 4, jobs = 0;
  std::size_t batch = 16;
  int attempts = 3, timeout = 60, backoff_ms = 500, max_connection_failures = 10;
  bool resend = false, no_decompress = false, json = false, quiet = false;
  ShardArgs shard;
};

void print_summary(const upload::UploadCounts& c, const catalog::RunCounts* ingest, bool json,
                   const std::string& dest) {
  const double rate = c.seconds > 0 ? static_cast<double>(c.sent) / c.seconds : 0;
  if (json) {
    std::string reasons;
    for (const auto& [why, n] : c.failure_reasons) {
      std::string esc;
      for (char ch : why) {
        if (ch == '"' || ch == '\\') esc.push_back('\\');
        esc.push_back(static_cast<unsigned char>(ch) < 0x20 ? ' ' : ch);
      }
      reasons += fmt::format("{}{{\"reason\":\"{}\",\"instances\":{}}}", reasons.empty() ? "" : ",", esc, n);
    }
    fmt::print(
        "{{\"selected\":{},\"sent\":{},\"already_there\":{},\"previously_sent\":{},"
        "\"failed\":{},\"not_attempted\":{},\"missing\":{},\"unreadable_files\":{},"
        "\"seconds\":{:.3f},\"gave_up\":{},\"failures\":[{}]}}\n",
        c.selected, c.sent, c.already_there, c.previously_sent, c.failed, c.not_attempted,
        c.missing, ingest ? ingest->failed : 0, c.seconds, c.gave_up.empty() ? "false" : "true",
        reasons);
    return;
  }
  fmt::print("dicometl upload → {}\n", dest);
  if (ingest)
    fmt::print("  files read {:>8} ({} not DICOM, {} unreadable DICOM)\n", ingest->seen,
               ingest->not_dicom, ingest->failed);
  fmt::print("  instances {:>9}\n  sent {:>14}\n  already there {:>5}\n  sent before {:>7}\n"
             "  failed {:>12}\n",
             c.selected, c.sent, c.already_there, c.previously_sent, c.failed);
  if (c.missing)
    fmt::print("  missing {:>11} (the file was gone at the last ingest: not sent)\n", c.missing);
  if (c.not_attempted)
    fmt::print("  not attempted {:>5} ({})\n", c.not_attempted,
               c.gave_up.empty() ? "stopped" : "server unreachable");
  fmt::print("  time {:.2f} s, {:.1f} instances/s sent\n", c.seconds, rate);
  for (const auto& [why, n] : c.failure_reasons) fmt::print("  failed ×{}: {}\n", n, why);
  if (c.failed) fmt::print("  details: SELECT * FROM file_upload_metadata WHERE status = 'failed';\n");
}

}  // namespace

Action add_upload(CLI::App& app) {
  auto a = std::make_shared<UploadArgs>();
  auto* cmd = app.add_subcommand("upload", "Send studies to a DICOMweb server or a DICOM node");
  cmd->footer(
      "Examples:\n"
      "  dicometl upload /data/export --to http://pacs:8042/dicom-web\n"
      "  dicometl upload --db sqlite:catalog.db --to dicom://ORTHANC@pacs:4242 --connections 8\n"
      "  dicometl upload new/ --db sqlite:catalog.db --to https://host/dicom-web --orthanc "
      "https://host\n"
      "SOURCE folders are ingested into --db first (a temporary SQLite when --db is absent); with\n"
      "--db alone, every catalogued instance is sent. Instances recorded as sent to the same\n"
      "destination, or that the DICOMweb server already has (QIDO-RS), are skipped. Outcomes go\n"
      "to the table file_upload_metadata. Exit code 1 when any instance failed, 3 when the\n"
      "server could not be reached (--max-connection-failures attempts in a row).");
  cmd->add_option("sources", a->sources, "Folders and files to ingest and send");
  cmd->add_option("--to", a->to, "http(s)://host[:port]/dicom-web or dicom://AET@host:port")->required();
  cmd->add_option("--db", a->db, "Catalog database URL (sqlite:FILE or postgresql://…)");
  cmd->add_option("--connections", a->connections, "Parallel connections (default 4)")
      ->check(CLI::Range(1, 64));
  cmd->add_option("--batch", a->batch, "Instances per STOW request / association (default 16)")
      ->check(CLI::Range(1, 1000));
  cmd->add_option("--attempts", a->attempts, "Tries for transient failures (default 3)")
      ->check(CLI::Range(1, 20));
  cmd->add_option("--backoff-ms", a->backoff_ms, "First wait between tries, doubled (default 500)")
      ->check(CLI::Range(0, 600000));
  cmd->add_option("--timeout", a->timeout, "Seconds per request/association step (default 60)")
      ->check(CLI::Range(1, 3600));
  cmd->add_option("--max-connection-failures", a->max_connection_failures,
                  "Give up after N attempts in a row reach no server; 0: never (default 10)")
      ->check(CLI::Range(0, 1000000));
  cmd->add_option("--aet", a->aet, "Our AE title for C-STORE (default DICOMETL)");
  cmd->add_option("--orthanc", a->orthanc, "Orthanc REST root, to record Orthanc's instance ids");
  cmd->add_flag("--resend", a->resend, "Send even what was sent before or is on the server");
  cmd->add_flag("--no-decompress", a->no_decompress,
                "C-STORE: never decompress (fail when the server refuses the file's syntax)");
  cmd->add_option("-j,--jobs", a->jobs, "Reader threads for the ingest (default: all cores)");
  cmd->add_flag("--json", a->json, "Print the summary as JSON");
  cmd->add_flag("-q,--quiet", a->quiet, "No progress line");
  add_shard_options(cmd, a->shard,
                    "the files (with SOURCES) or of the catalog's studies (--db alone)");
  return [a] {
    if (a->sources.empty() && a->db.empty()) {
      fmt::print(stderr, "dicometl upload: give folders to send, or --db with a catalog\n");
      return static_cast<int>(kUsage);
    }
    upload::UploadOptions o;
    try {
      o.to = upload::parse_destination(a->to);
    } catch (const std::invalid_argument& e) {
      fmt::print(stderr, "dicometl upload: {}\n", e.what());
      return static_cast<int>(kUsage);
    }
    if (a->aet.empty() || a->aet.size() > 16) {
      fmt::print(stderr, "dicometl upload: --aet must have 1 to 16 characters\n");
      return static_cast<int>(kUsage);
    }
    o.orthanc = a->orthanc;
    o.calling_aet = a->aet;
    o.connections = a->connections;
    o.batch = a->batch;
    o.attempts = a->attempts;
    o.backoff_ms = a->backoff_ms;
    o.timeout_seconds = a->timeout;
    o.max_connection_failures = a->max_connection_failures;
    o.resend = a->resend;
    o.decompress = !a->no_decompress;
    o.progress = !a->quiet && !a->json;
    o.shard = shard_filter(a->shard);
    const std::atomic<bool>& stop = stop_on_signals();
    o.stop = &stop;

    // Without --db the catalog lives in a private temporary folder removed at the end.
    std::string url = a->db;
    std::unique_ptr<files::TempDir> temp_dir;
    if (url.empty()) {
      temp_dir = std::make_unique<files::TempDir>("dicometl-upload-");
      url = "sqlite:" + (temp_dir->path() / "catalog.db").string();
    }
    std::unique_ptr<catalog::RunCounts> ingest;
    if (!a->sources.empty()) {
      pipeline::IngestOptions io;
      io.roots = a->sources;
      io.source = source::make_source(a->sources, {}, o.shard);
      io.yield_writer_lock = !o.shard.whole();
      io.jobs = a->jobs;
      io.progress = o.progress;
      io.tool_version = DICOMETL_VERSION;
      io.stop = &stop;
      ingest = std::make_unique<catalog::RunCounts>(
          pipeline::run_ingest([url] { return storage::open_database(url); }, io));
    }
    if (stop.load()) {
      fmt::print(stderr, "dicometl upload: interrupted during the ingest\n");
      return static_cast<int>(kFatal);
    }
    // With --db alone the catalog is read (and file_upload_metadata added): it must exist.
    auto db = storage::open_database(
        url, ingest ? storage::OpenMode::kCreate : storage::OpenMode::kExisting);
    // Catalog paths under a local source are written as the walk writes them (normalised).
    std::vector<std::string> roots;
    for (const auto& r : a->sources)
      roots.push_back(source::s3::is_s3_url(r) ? r : source::catalog_root(r));
    const auto counts = upload::run_upload(*db, roots, o);
    print_summary(counts, ingest.get(), a->json, o.to.key);
    if (!counts.gave_up.empty()) {
      fmt::print(
          stderr,
          "dicometl upload: gave up on {}: {}. {} instance(s) not attempted; what was sent is "
          "recorded: re-run once the server is reachable.\n",
          o.to.key, counts.gave_up, counts.not_attempted);
      return static_cast<int>(kFatal);
    }
    if (stop.load()) {
      fmt::print(stderr, "dicometl upload: interrupted; recorded outcomes are kept, re-run to finish\n");
      return static_cast<int>(kFatal);
    }
    const bool bad = counts.failed > 0 || counts.missing > 0 || (ingest && ingest->failed > 0);
    return static_cast<int>(bad ? kDoneWithRejects : kDone);
  };
}

const CommandRegistration kRegisterUpload("upload", 70, &add_upload);

}  // namespace dicometl::cli
