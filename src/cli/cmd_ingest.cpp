// dicometl ingest: walk folders, read every header once, write the catalog.
#include <fmt/core.h>
#include <unistd.h>

#include <atomic>
#include <memory>
#include <optional>

#include "cmd_omop_ingest.hpp"
#include "cmd_s3_options.hpp"
#include "cmd_shard_options.hpp"
#include "commands.hpp"
#include "dicometl/pipeline/ingest.hpp"
#include "dicometl/source/make_source.hpp"

namespace dicometl::cli {

namespace {

struct IngestArgs {
  std::vector<std::string> paths;
  std::string db = "sqlite:dicometl.db";
  unsigned jobs = 0;
  std::optional<unsigned> io_depth;  // unset: as the storage suggests
  bool rescan = false;
  bool json = false;
  bool quiet = false;
  std::size_t batch = 2000;
  source::s3::Options s3;
  ShardArgs shard;
};

void print_summary(const catalog::RunCounts& c, bool json, const std::string& db) {
  const double rate = c.seconds > 0 ? static_cast<double>(c.seen - c.unchanged) / c.seconds : 0;
  if (json) {
    fmt::print(
        "{{\"seen\":{},\"ingested\":{},\"unchanged\":{},\"duplicates\":{},\"not_dicom\":{},"
        "\"failed\":{},\"still_rejected\":{},\"missing\":{},\"conflicts\":{},"
        "\"seconds\":{:.3f},\"files_per_second\":{:.1f}}}\n",
        c.seen, c.ingested, c.unchanged, c.duplicates, c.not_dicom, c.failed, c.still_rejected,
        c.missing, c.conflicts, c.seconds, rate);
    return;
  }
  fmt::print("dicometl ingest → {}\n", db);
  fmt::print(
      "  seen {:>10}\n  ingested {:>6}\n  unchanged {:>5}\n  duplicates {:>4}\n"
      "  not DICOM {:>5}\n  failed {:>8}\n",
      c.seen, c.ingested, c.unchanged, c.duplicates, c.not_dicom, c.failed);
  if (c.still_rejected)
    fmt::print("  still rejected {} (unchanged since they were rejected)\n", c.still_rejected);
  if (c.missing)
    fmt::print("  missing {:>7} (gone since the last run: file.status = 'missing')\n", c.missing);
  if (c.conflicts)
    fmt::print("  conflicts {:>5} (values differing from the catalog's: see the conflict table)\n",
               c.conflicts);
  fmt::print("  time {:.2f} s, {:.0f} files/s read\n", c.seconds, rate);
  if (c.rejected())
    fmt::print("  reasons: SELECT kind, reason, count(*) FROM ingest_error GROUP BY 1, 2;\n");
}

}  // namespace

Action add_ingest(CLI::App& app) {
  auto args = std::make_shared<IngestArgs>();
  auto* cmd = app.add_subcommand("ingest", "Read DICOM headers from folders into the catalog");
  cmd->footer(
      "Examples:\n"
      "  dicometl ingest /data/pacs-export --db sqlite:catalog.db\n"
      "  dicometl ingest a/ b/ c.dcm --db sqlite:catalog.db -j 8 --json\n"
      "  dicometl ingest s3://bucket/archive --db sqlite:catalog.db --region eu-west-1\n"
      "  dicometl ingest /archive --db postgresql://etl@db/cdm --shard 2/8   # on 8 machines\n"
      "S3: credentials and region follow the AWS conventions (AWS_* variables, ~/.aws files,\n"
      "profiles); only header bytes are fetched (ranged GETs) unless --download is given.\n"
      "Re-running skips files whose path, size and mtime are unchanged (--rescan re-reads them),\n"
      "marks files gone since as missing (file.status), and exits 1 while a rejected file is\n"
      "still there unchanged. Paths are absolute; bytes that are not UTF-8 are stored as \\xHH.\n"
      "Killing a run loses at most the current batch; re-run to complete it.");
  cmd->add_option("paths", args->paths, "Folders (walked recursively), files, s3://bucket/prefix")
      ->required();
  add_s3_options(cmd, args->s3);
  cmd->add_option("--db", args->db, "Database URL: sqlite:FILE (default sqlite:dicometl.db)");
  cmd->add_option("-j,--jobs", args->jobs, "Reader threads (default: all cores)");
  cmd->add_option("--io-depth", args->io_depth,
                  fmt::format("Threads reading files' first bytes ahead of the reader threads, "
                              "and N/2 (at most {}) reading folders and stats ahead of the walk: "
                              "reads in flight on slow storage (default: {} on a network file "
                              "system, {} for S3, else 0: each reader reads its own)",
                              source::kMaxLookaheadThreads, source::kNetworkIoDepth,
                              source::kObjectStoreIoDepth));
  cmd->add_flag("--rescan", args->rescan, "Re-read files even when unchanged");
  cmd->add_option("--batch", args->batch, "Files per transaction (default 2000)")
      ->check(CLI::PositiveNumber);
  cmd->add_flag("--json", args->json, "Print the summary as JSON");
  cmd->add_flag("-q,--quiet", args->quiet, "No progress line");
  add_shard_options(cmd, args->shard, "the archive's files");
  auto omop = add_omop_to_ingest(cmd);
  return [args, omop] {
    const source::ShardFilter shard = shard_filter(args->shard);
    if (!shard.whole() && omop->enabled) {
      // OMOP study rows take their values from a study's first instance: a shard of the files
      // holds parts of studies. `omop --shard` after every ingest shard gives whole studies.
      fmt::print(stderr,
                 "dicometl ingest: --omop cannot be sharded by file; run the ingest "
                 "shards, then `dicometl omop --shard K/N` (docs/scale.md)\n");
      return static_cast<int>(kUsage);
    }
    const std::atomic<bool>& stop = stop_on_signals();
    pipeline::IngestOptions o;
    o.roots = args->paths;
    o.source = source::make_source(args->paths, args->s3, shard);
    o.yield_writer_lock = !shard.whole();  // the other shards write while this one parses
    o.jobs = args->jobs;
    o.io_depth = args->io_depth;
    o.rescan = args->rescan;
    o.progress = !args->quiet && !args->json;
    o.batch_files = args->batch;
    o.tool_version = DICOMETL_VERSION;
    o.stop = &stop;
    const std::string url = args->db;
    auto counts =
        pipeline::run_ingest(omop->attach(o, [url] { return storage::open_database(url); }), o);
    print_summary(counts, args->json, url);
    omop->report(args->json);
    if (stop.load()) {
      fmt::print(stderr, "dicometl: interrupted; committed work is kept, re-run to finish\n");
      return static_cast<int>(kFatal);
    }
    // Files rejected before and unchanged since are still rejected inputs of this run.
    return static_cast<int>(counts.rejected() ? kDoneWithRejects : kDone);
  };
}

const CommandRegistration kRegisterIngest("ingest", 10, &add_ingest);

}  // namespace dicometl::cli
