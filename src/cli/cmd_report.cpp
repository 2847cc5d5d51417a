// dicometl report: figures about a catalog as a self-contained HTML page or JSON.
#include <cstdio>
#include <fstream>
#include <memory>

#include <fmt/core.h>

#include "commands.hpp"
#include "dicometl/report/report.hpp"

namespace dicometl::cli {

namespace {

struct ReportArgs {
  std::string db = "sqlite:dicometl.db";
  std::string out;
  std::string format = "html";
  bool quiet = false;
};

bool write_file(const std::string& path, const std::string& text) {
  // Write beside the target and rename, so a reader never sees half a report.
  const std::string tmp = path + ".tmp";
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    if (!f.write(text.data(), static_cast<std::streamsize>(text.size())) || !f.flush()) return false;
  }
  return std::rename(tmp.c_str(), path.c_str()) == 0;
}

}  // namespace

Action add_report(CLI::App& app) {
  auto args = std::make_shared<ReportArgs>();
  auto* cmd = app.add_subcommand("report", "Write an HTML (or JSON) report of the catalog");
  cmd->footer(
      "Examples:\n"
      "  dicometl report --db sqlite:catalog.db --out report.html\n"
      "  dicometl report --db sqlite:catalog.db --format json | jq .totals\n"
      "Every figure is an SQL aggregate (no instance is loaded into memory). The page is one file\n"
      "with inline SVG: no script, no network request. It shows counts, never patient identifiers.");
  cmd->add_option("--db", args->db, "Database URL: sqlite:FILE or postgresql://… (default sqlite:dicometl.db)");
  cmd->add_option("-o,--out", args->out, "Output file (default: report.html, or stdout for json)");
  cmd->add_option("--format", args->format, "html or json (default html)")
      ->check(CLI::IsMember({"html", "json"}));
  cmd->add_flag("-q,--quiet", args->quiet, "No summary on the terminal");
  return [args] {
    auto db = storage::open_database(args->db);
    const auto figures = report::collect_figures(*db);
    const bool json = args->format == "json";
    const std::string text = json ? report::to_json(figures) : report::to_html(figures);
    std::string out = args->out;
    if (out.empty() && !json) out = "report.html";
    if (out.empty() || out == "-") {
      fmt::print("{}", text);
    } else if (!write_file(out, text)) {
      fmt::print(stderr, "dicometl: cannot write {}\n", out);
      return static_cast<int>(kFatal);
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
