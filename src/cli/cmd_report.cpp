// dicometl report: figures about a catalog as a self-contained HTML page or JSON.
#include <fmt/core.h>

#include <cstdio>
#include <memory>

#include "commands.hpp"
#include "dicometl/files/atomic_write.hpp"
#include "dicometl/report/report.hpp"

namespace dicometl::cli {

namespace {

struct ReportArgs {
  std::string db = "sqlite:dicometl.db";
  std::string out;
  std::string format = "html";
  bool quiet = false;
  report::ReportOptions options;
};

}  // namespace

Action add_report(CLI::App& app) {
  auto args = std::make_shared<ReportArgs>();
  auto* cmd = app.add_subcommand("report", "Write an HTML (or JSON) report of the catalog");
  cmd->footer(
      "Examples:\n"
      "  dicometl report --db sqlite:catalog.db --out report.html\n"
      "  dicometl report --db sqlite:catalog.db --format json | jq .totals\n"
      "Every figure is an SQL aggregate (no instance is loaded into memory). The page is one file\n"
      "with inline SVG: no script, no network request. It shows counts, never patient identifiers\n"
      "(file paths of rejected files only with --show-paths). The catalog must exist: report "
      "never\n"
      "creates a database.");
  cmd->add_option("--db", args->db, "Database URL: sqlite:FILE or postgresql://… (default sqlite:dicometl.db)");
  cmd->add_option("-o,--out", args->out, "Output file (default: report.html, or stdout for json)");
  cmd->add_option("--format", args->format, "html or json (default html)")
      ->check(CLI::IsMember({"html", "json"}));
  cmd->add_flag("--show-paths", args->options.show_paths,
                "Show example paths of rejected files (they may name patients); counts otherwise");
  cmd->add_flag("-q,--quiet", args->quiet, "No summary on the terminal");
  return [args] {
    auto db = storage::open_database(args->db, storage::OpenMode::kExisting);  // never creates one
    const auto figures = report::collect_figures(*db, args->options);
    const bool json = args->format == "json";
    const std::string text = json ? report::to_json(figures) : report::to_html(figures);
    std::string out = args->out;
    if (out.empty() && !json) out = "report.html";
    if (out.empty() || out == "-") {
      fmt::print("{}", text);
    } else {
      try {
        files::write_atomically(out, text);  // a reader never sees half a report
      } catch (const std::runtime_error& e) {
        fmt::print(stderr, "dicometl report: {}\n", e.what());
        return static_cast<int>(kFatal);
      }
    }
    if (!args->quiet) {
      // The summary goes where it does not mix with a report written to stdout.
      std::FILE* where = out.empty() || out == "-" ? stderr : stdout;
      fmt::print(where, "{}", report::text_summary(figures));
      if (!out.empty() && out != "-") fmt::print(where, "  written to {}\n", out);
    }
    return static_cast<int>(kDone);
  };
}

const CommandRegistration kRegisterReport("report", 60, &add_report);

}  // namespace dicometl::cli
