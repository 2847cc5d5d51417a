#pragma once
// One file per subcommand. Each registers itself with a static CommandRegistration, so adding a
// command touches no other file.
#include <atomic>
#include <functional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace dicometl::cli {

//! Exit codes, documented in README.md.
enum ExitCode : int {
  kDone = 0,             //!< finished, every input accepted
  kDoneWithRejects = 1,  //!< finished, some inputs rejected (see ingest_error)
  kUsage = 2,            //!< bad command line
  kFatal = 3,            //!< the run could not go on (database, outputs, internal error)
};

//! What a parsed subcommand runs; returns an ExitCode.
using Action = std::function<int()>;
//! Adds a subcommand and its options to `app`; returns its action.
using AddCommand = Action (*)(CLI::App& app);

struct CommandRegistration {
  CommandRegistration(const char* name, int order, AddCommand add);
};

struct RegisteredCommand {
  std::string name;
  int order;  //!< position in --help
  AddCommand add;
};
std::vector<RegisteredCommand>& registered_commands();

//! Makes SIGINT and SIGTERM set the returned flag instead of killing the process, so a long run
//! stops between batches with everything committed so far. The same flag on every call.
const std::atomic<bool>& stop_on_signals();

}  // namespace dicometl::cli
