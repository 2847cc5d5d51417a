#pragma once
// S3 options shared by every command that reads s3:// roots with explicit settings (`ingest`,
// `dexa`); without them a command still reads s3:// from the AWS environment and files.
#include <CLI/CLI.hpp>

#include "dicometl/source/make_source.hpp"

namespace dicometl::cli {

//! Adds --endpoint-url, --region, --profile, --path-style and --download to `cmd`.
inline void add_s3_options(CLI::App* cmd, source::s3::Options& s3) {
  const char* g = "S3";
  cmd->add_option("--endpoint-url", s3.endpoint_url, "S3-compatible endpoint URL")->group(g);
  cmd->add_option("--region", s3.region, "AWS region (default: environment, profile)")->group(g);
  cmd->add_option("--profile", s3.profile, "AWS profile from ~/.aws/config and credentials")->group(g);
  cmd->add_flag("--path-style", s3.path_style, "S3 path-style URLs (host/bucket/key)")->group(g);
  cmd->add_option("--download", s3.download_dir,
                  "Mirror S3 objects whole into DIR (keeping key paths) and read the copies")
      ->group(g);
}

}  // namespace dicometl::cli
