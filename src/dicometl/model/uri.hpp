#pragma once
// URI pieces that S3 requests (SigV4) and the catalog's BulkDataURIs share.
#include <string>
#include <string_view>

namespace dicometl {

//! Whether `text` starts with "s3://" (any case).
bool is_s3_url(std::string_view text);
//! RFC 3986 percent-encoding as SigV4 specifies it: unreserved characters stay, every other byte
//! becomes %XX (upper case); '/' stays only when `keep_slash` (object paths). Any bytes, UTF-8
//! or not, give a valid URI that decodes back to them.
std::string uri_encode(std::string_view text, bool keep_slash);

}  // namespace dicometl
