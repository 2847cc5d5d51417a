// dicometl dexa: values from DXA bone-density report pages (OCR), checked, deduplicated, written
// as CSV (long and wide) and/or a dexa_value table.
#include <fmt/core.h>

#include <atomic>
#include <cctype>
#include <map>
#include <memory>
#include <sstream>
#include <stdexcept>

#include "cmd_omop_options.hpp"
#include "cmd_s3_options.hpp"
#include "cmd_shard_options.hpp"
#include "commands.hpp"
#include "dicometl/dexa/csv_output.hpp"
#include "dicometl/dexa/db_output.hpp"
#include "dicometl/dexa/dedup.hpp"
#include "dicometl/dexa/extract.hpp"
#include "dicometl/dexa/omop_output.hpp"
#include "dicometl/files/atomic_write.hpp"

namespace dicometl::cli {

namespace {

struct DexaArgs {
  std::vector<std::string> paths;
  std::string db, csv, wide_csv, rejects, png_dir, tessdata, words_dir;
  std::vector<std::string> keywords, modalities;
  bool any_image = false;
  bool no_omop = false;
  source::s3::Options s3;
  ShardArgs shard;
  bool binarize = false;
  double text_height = 28;
  omop::Options omop_options;
  unsigned jobs = 0;
  float min_conf = 80;
  bool json = false;
  bool quiet = false;
};

// Writes through a temporary file and renames (files::write_atomically), so a reader never sees
// half a CSV and a planted `PATH.tmp` is never followed; `-` is standard output.
template <typename F>
bool write_text_file(const std::string& path, F&& body) {
  if (path == "-") {
    std::ostringstream s;
    body(s);
    fmt::print("{}", s.str());
    return true;
  }
  try {
    files::write_atomically(path, [&](std::ostream& s) { body(s); });
    return true;
  } catch (const std::runtime_error& e) {
    fmt::print(stderr, "dicometl dexa: {}\n", e.what());
    return false;
  }
}

struct Counts {
  std::size_t values = 0, flagged = 0, repaired = 0;
};

Counts count_values(const std::vector<dexa::Page>& pages) {
  Counts c;
  for (const auto& p : pages)
    for (const auto& v : p.values) {
      ++c.values;
      if (!v.ok()) ++c.flagged;
      if (v.qc_status == "repaired") ++c.repaired;
    }
  return c;
}

void print_summary(const dexa::ExtractResult& r, const dexa::DedupSummary& d,
                   std::size_t pages_read, const Counts& c, bool json, bool quiet,
                   const std::string& rejects_file) {
  const double thread_time =
      r.times.header + r.times.render + r.times.preprocess + r.times.ocr + r.times.parse;
  // The cell pass is OCR too (it is timed inside parse).
  const double ocr_share = thread_time > 0 ? (r.times.ocr + r.times.reread) / thread_time : 0;
  if (json) {
    fmt::print(
        "{{\"files\":{},\"skipped\":{},\"candidates\":{},\"pages_read\":{},\"pages_kept\":{},"
        "\"values\":{},\"flagged\":{},\"repaired\":{},\"rejected\":{},\"duplicates_collapsed\":{},"
        "\"duplicate_conflicts\":{},\"duplicate_pages_dropped\":{},\"seconds\":{:.3f},"
        "\"seconds_header\":{:.3f},\"seconds_render\":{:.3f},\"seconds_preprocess\":{:.3f},"
        "\"seconds_ocr\":{:.3f},\"seconds_reread\":{:.3f},\"seconds_parse\":{:.3f},\"ocr_share\":{:"
        ".3f}}}\n",
        r.files, r.skipped, r.candidates, pages_read, pages_read - d.pages_dropped, c.values,
        c.flagged, c.repaired, r.rejected.size(), d.collapsed_groups, d.conflict_groups,
        d.pages_dropped, r.wall_seconds, r.times.header, r.times.render, r.times.preprocess,
        r.times.ocr, r.times.reread, r.times.parse, ocr_share);
  }
  if (quiet) return;
  // File paths, never patient data, go to stderr: the CSV is where values belong.
  std::FILE* e = stderr;
  fmt::print(e, "dicometl dexa: {} files, {} skipped by the header filter, {} candidates\n",
             r.files, r.skipped, r.candidates);
  fmt::print(e, "  pages read {}, values extracted {}, values flagged {} ({} repaired)\n",
             pages_read, c.values, c.flagged, c.repaired);
  if (d.collapsed_groups + d.conflict_groups) {
    fmt::print(
        e, "  duplicates: {} identical group(s) collapsed, {} conflict(s); {} page(s) dropped\n",
        d.collapsed_groups, d.conflict_groups, d.pages_dropped);
    for (const auto& n : d.notes) fmt::print(e, "    {}\n", n);
  }
  if (!r.rejected.empty() && !rejects_file.empty()) {
    // Paths can carry patient names (PACS exports name folders after patients): with --rejects
    // they go to that file only, and the terminal gets counts by reason.
    std::map<std::string, std::size_t> by_kind;
    for (const auto& x : r.rejected) ++by_kind[x.reason.substr(0, x.reason.find(':'))];
    fmt::print(e, "  rejected {} file(s), listed with reasons in {}:\n", r.rejected.size(),
               rejects_file);
    for (const auto& [kind, n] : by_kind) fmt::print(e, "    {} {}\n", n, kind);
  } else if (!r.rejected.empty()) {
    fmt::print(e, "  rejected {} file(s):\n", r.rejected.size());
    for (const auto& x : r.rejected) fmt::print(e, "    {}: {}\n", x.path, x.reason);
  }
  fmt::print(e, "  time {:.2f} s; OCR {:.0f}% of thread time\n", r.wall_seconds, 100 * ocr_share);
}

}  // namespace

Action add_dexa(CLI::App& app) {
  auto args = std::make_shared<DexaArgs>();
  auto* cmd =
      app.add_subcommand("dexa", "Read DXA bone-density report pages (OCR) into checked values");
  cmd->footer(
      "Examples:\n"
      "  dicometl dexa /archive --csv dxa.csv --wide-csv dxa_wide.csv\n"
      "  dicometl dexa /archive s3://bucket/dxa/ --db sqlite:catalog.db --png-dir pages/\n"
      "Report pages are found by header (Secondary Capture or OT/BMD/CR with a DXA site in the\n"
      "protocol or series description) and confirmed by content (a results table with Region and\n"
      "BMD columns). OCR runs locally (Tesseract); nothing leaves the machine. Every value "
      "carries\n"
      "qc_status ok, flagged or repaired and a reason. See docs/dexa.md.\n"
      "Exit codes: 0 done, 1 done with rejected files, 2 usage, 3 fatal.");
  cmd->add_option("paths", args->paths, "Folders (walked recursively), files, s3://bucket/prefix")
      ->required();
  add_s3_options(cmd, args->s3);
  add_shard_options(cmd, args->shard, "the archive's files (duplicate pages are found per shard)");
  cmd->add_option("--db", args->db,
                  "Also write the dexa_value table: sqlite:FILE or postgresql://…");
  cmd->add_flag("--no-omop", args->no_omop,
                "With --db: do not write OMOP measurement rows even when image_occurrence exists");
  add_omop_schema_options(cmd, args->omop_options);
  cmd->add_option("--csv", args->csv, "Long CSV: one row per value ('-' = stdout)");
  cmd->add_option("--wide-csv", args->wide_csv, "Wide CSV: one row per patient and exam date");
  cmd->add_option("--rejects", args->rejects,
                  "CSV of the files not used, with reasons (then the terminal shows counts only)");
  cmd->add_option("--png-dir", args->png_dir,
                  "Also write rendered pages as PNG, a folder per protocol");
  cmd->add_option("-j,--jobs", args->jobs, "OCR threads (default: all cores)");
  cmd->add_option("--keywords", args->keywords,
                  "Words a candidate's protocol/series description must contain (default: spine,"
                  " femur, hip, forearm, total body, …)")
      ->delimiter(',');
  cmd->add_option("--modalities", args->modalities,
                  "Candidate modalities besides Secondary Capture (default OT,BMD,CR,SC)")
      ->delimiter(',');
  cmd->add_flag("--any-image", args->any_image, "No header filter: read every image (slow)");
  cmd->add_option("--min-conf", args->min_conf,
                  "Lowest OCR symbol confidence a value may have and be ok (default 80)")
      ->check(CLI::Range(0.0, 100.0));
  cmd->add_flag("--binarize", args->binarize,
                "Tuning: the page pass reads the Otsu-binarized page instead of the gray one");
  cmd->add_option("--text-height", args->text_height,
                  "Tuning: median glyph height (px) pages are scaled to for OCR (default 28)")
      ->check(CLI::Range(8.0, 80.0));
  cmd->add_option("--tessdata", args->tessdata,
                  "Folder with eng.traineddata (default: Tesseract's)");
  cmd->add_option("--words-dir", args->words_dir,
                  "Debugging: write each page's OCR words (TSV, includes patient data) here");
  cmd->add_flag("--json", args->json, "Print the summary as JSON on stdout");
  cmd->add_flag("-q,--quiet", args->quiet, "No summary on stderr");
  return [args] {
    if (args->csv.empty() && args->wide_csv.empty() && args->db.empty() && args->png_dir.empty() &&
        !args->json) {
      fmt::print(
          stderr,
          "dicometl dexa: nothing to write: give --csv, --wide-csv, --db, --png-dir or --json\n");
      return static_cast<int>(kUsage);
    }
    const std::atomic<bool>& stop = stop_on_signals();
    dexa::ExtractOptions o;
    o.roots = args->paths;
    o.s3 = args->s3;
    o.shard = shard_filter(args->shard);
    if (!args->keywords.empty()) o.filter.keywords = args->keywords;
    if (!args->modalities.empty()) o.filter.modalities = args->modalities;
    o.filter.any_image = args->any_image;
    o.jobs = args->jobs;
    o.png_dir = args->png_dir;
    o.tessdata = args->tessdata;
    o.words_dir = args->words_dir;
    o.preprocess.binarize = args->binarize;
    o.preprocess.target_text_height = args->text_height;
    o.qc.min_symbol_conf = args->min_conf;
    o.stop = &stop;
    // Keywords are compared in lower case.
    for (auto& k : o.filter.keywords)
      for (auto& ch : k) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    auto result = dexa::extract(o);
    if (!result.fatal.empty()) {
      fmt::print(stderr, "dicometl dexa: {}\n", result.fatal);
      return static_cast<int>(kFatal);
    }
    const std::size_t pages_read = result.pages.size();
    const auto dups = dexa::dedup(result.pages);
    const Counts counts = count_values(result.pages);
    if (!args->csv.empty() && !write_text_file(args->csv, [&](std::ostream& s) {
          dexa::write_long_csv(s, result.pages);
        })) {
      fmt::print(stderr, "dicometl dexa: cannot write {}\n", args->csv);
      return static_cast<int>(kFatal);
    }
    if (!args->wide_csv.empty() && !write_text_file(args->wide_csv, [&](std::ostream& s) {
          dexa::write_wide_csv(s, result.pages);
        })) {
      fmt::print(stderr, "dicometl dexa: cannot write {}\n", args->wide_csv);
      return static_cast<int>(kFatal);
    }
    if (!args->db.empty()) {
      auto db = storage::open_database(args->db);
      dexa::write_dexa_values(*db, result.pages);
      if (!args->no_omop) {
        const auto o = dexa::write_omop_measurements(*db, result.pages, args->omop_options);
        if (!args->quiet) {
          if (o.no_imaging_tables)
            fmt::print(
                stderr,
                "  OMOP: no image_occurrence table in {} (run dicometl ingest --omop first); "
                "only dexa_value written\n",
                db->display_name());
          else
            fmt::print(stderr,
                       "  OMOP: {} measurement rows (+ image_feature) written, {} already there; "
                       "not loaded: "
                       "{} not ok, {} without a LOINC concept, {} without an image_occurrence\n",
                       o.measurements, o.already, o.not_ok, o.no_concept, o.no_series);
        }
      }
    }
    if (!args->rejects.empty() && !write_text_file(args->rejects, [&](std::ostream& s) {
          dexa::write_rejects_csv(s, result.rejected);
        })) {
      fmt::print(stderr, "dicometl dexa: cannot write {}\n", args->rejects);
      return static_cast<int>(kFatal);
    }
    print_summary(result, dups, pages_read, counts, args->json, args->quiet, args->rejects);
    if (stop.load()) return static_cast<int>(kFatal);
    return static_cast<int>(result.rejected.empty() ? kDone : kDoneWithRejects);
  };
}

const CommandRegistration kRegisterDexa("dexa", 65, &add_dexa);

}  // namespace dicometl::cli
