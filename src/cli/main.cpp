// dicometl: DICOM archives → research data. Parses the command line and maps failures to exit
// codes; the work itself lives in the library.
#include <fmt/core.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <map>
#include <string>

#include "commands.hpp"
#include "dicometl/pipeline/heap_tuning.hpp"
#include "dicometl/storage/database.hpp"

namespace dicometl::cli {
std::vector<RegisteredCommand>& registered_commands() {
  static std::vector<RegisteredCommand> commands;
  return commands;
}
CommandRegistration::CommandRegistration(const char* name, int order, AddCommand add) {
  registered_commands().push_back({name, order, add});
}

namespace {
std::atomic<bool> g_stop{false};
extern "C" void on_stop_signal(int) { g_stop.store(true); }
}  // namespace

const std::atomic<bool>& stop_on_signals() {
  std::signal(SIGINT, on_stop_signal);
  std::signal(SIGTERM, on_stop_signal);
  return g_stop;
}
}  // namespace dicometl::cli

int main(int argc, char** argv) {
  using namespace dicometl::cli;
  // dicometl dexa runs one Tesseract engine per thread. Debian's Tesseract uses OpenMP, whose
  // thread limit is read once when libgomp loads: without OMP_THREAD_LIMIT=1 every engine spins
  // a team as wide as the machine and the run is ~3x slower. Re-execute once with the limit set
  // (the user's own setting wins); if exec fails, carry on, only slower.
  if (argc > 1 && std::string(argv[1]) == "dexa" && !std::getenv("OMP_THREAD_LIMIT")) {
    ::setenv("OMP_THREAD_LIMIT", "1", 1);
    ::execv("/proc/self/exe", argv);
  }
  dicometl::pipeline::keep_freed_heap();
  CLI::App app{"dicometl: turn a DICOM archive into research-ready data (catalog, OMOP, FHIR…)"};
  app.set_version_flag("--version", std::string("dicometl ") + DICOMETL_VERSION);
  app.require_subcommand(1);
  app.footer(
      "Exit codes: 0 done; 1 done, some inputs rejected (see ingest_error); 2 usage error; "
      "3 fatal (database unreachable, internal error).\nRun 'dicometl COMMAND --help' for a "
      "command's options and examples.");

  auto commands = registered_commands();
  std::sort(commands.begin(), commands.end(),
            [](const auto& a, const auto& b) { return a.order < b.order; });
  std::map<std::string, Action> actions;
  for (const auto& c : commands) actions[c.name] = c.add(app);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? kDone : kUsage;
  }
  try {
    for (auto* sub : app.get_subcommands()) return actions.at(sub->get_name())();
  } catch (const dicometl::storage::Error& e) {
    fmt::print(stderr, "dicometl: database error: {}\n", e.what());
    return kFatal;
  } catch (const std::exception& e) {
    fmt::print(stderr, "dicometl: fatal: {}\n", e.what());
    return kFatal;
  }
  return kUsage;
}
