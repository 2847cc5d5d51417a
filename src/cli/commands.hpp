#pragma once
// One file per subcommand: each registers its options and returns the action to run.
#include <functional>

#include <CLI/CLI.hpp>

namespace dicometl::cli {

//! Exit codes, documented in README.md.
enum ExitCode : int {
  kDone = 0,           //!< finished, every input accepted
  kDoneWithRejects = 1,  //!< finished, some inputs rejected (see ingest_error)
  kUsage = 2,          //!< bad command line
  kFatal = 3,          //!< the run could not go on (database, I/O on outputs, internal error)
};

using Action = std::function<int()>;

Action add_ingest(CLI::App& app);
Action add_dump(CLI::App& app);

}  // namespace dicometl::cli
