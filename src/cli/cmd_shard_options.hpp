#pragma once
// --shard K/N and --shard-by, shared by `ingest`, `omop`, `dexa` and `upload`: N processes on N
// machines, each given its K, cover an archive (or a catalog) exactly once (docs/scale.md).
#include <CLI/CLI.hpp>
#include <string>

#include "dicometl/source/shard.hpp"

namespace dicometl::cli {

struct ShardArgs {
  std::string shard;          //!< "K/N", empty = everything
  std::string unit = "auto";  //!< --shard-by
};

//! Adds --shard (and, for commands that walk files, --shard-by) to `cmd`.
inline void add_shard_options(CLI::App* cmd, ShardArgs& a, const char* what, bool walks = true) {
  const char* g = "Scale";
  cmd->add_option("--shard", a.shard, std::string("Do shard K of N (0 <= K < N) of ") + what)
      ->group(g)
      ->check([](const std::string& v) {
        std::string error;
        return source::parse_shard(v, error) ? std::string() : error;
      });
  if (walks)
    cmd->add_option("--shard-by", a.unit,
                    "What goes to one shard whole: file (its path under the root), folder "
                    "(a first-level folder or S3 prefix), auto (default: file; S3 roots with "
                    "many prefixes: folder)")
        ->group(g)
        ->check(CLI::IsMember({"auto", "file", "folder"}));
}

//! The parsed options (validated by add_shard_options' checks).
inline source::ShardFilter shard_filter(const ShardArgs& a) {
  source::ShardFilter f;
  std::string error;
  if (!a.shard.empty()) f.shard = *source::parse_shard(a.shard, error);
  f.unit = source::parse_shard_unit(a.unit).value_or(source::ShardUnit::kAuto);
  return f;
}

}  // namespace dicometl::cli
