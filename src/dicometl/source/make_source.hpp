#pragma once
// Turns the roots a user typed (local paths and s3:// URLs, in any mix) into one Source.
#include <memory>
#include <string>
#include <vector>

#include "dicometl/source/s3/aws_config.hpp"
#include "dicometl/source/source.hpp"

namespace dicometl::source {

//! One Source over all roots, walked in the order given (consecutive local roots form one local
//! walk). S3 settings come from `s3` plus the AWS environment and files; the environment
//! variables DICOMETL_S3_PAGE_SIZE and DICOMETL_S3_MAX_ATTEMPTS tune listing and retries.
//! Throws s3::Error for a malformed s3:// URL or unusable AWS settings. With `shard`, the
//! Source yields that shard's files only (shard.hpp; each root is split on its own).
std::shared_ptr<Source> make_source(const std::vector<std::string>& roots,
                                    const s3::Options& s3 = {}, const ShardFilter& shard = {});

//! True when any root is an s3:// URL.
bool has_s3_root(const std::vector<std::string>& roots);

}  // namespace dicometl::source
